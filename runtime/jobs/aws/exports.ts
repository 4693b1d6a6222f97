import { assertPeriod, type BillingPeriod } from "../../warehouse/period";
import { listObjects, type S3ClientLike } from "./s3";

const PERIOD_FOLDER = /\/BILLING_PERIOD=(\d{4}-\d{2})\//;

/** The newest object time of each billing period folder under an export's data prefix. */
export async function exportPeriods(
  s3: S3ClientLike,
  bucket: string,
  dataPrefix: string,
): Promise<Map<BillingPeriod, Date>> {
  const periods = new Map<BillingPeriod, Date>();
  for (const o of await listObjects(s3, bucket, dataPrefix)) {
    const match = PERIOD_FOLDER.exec(`/${o.key.slice(dataPrefix.length)}`);
    if (!match) continue;
    const period = assertPeriod(match[1]!, `billing period folder of ${o.key}`);
    const seen = periods.get(period);
    if (!seen || o.lastModified > seen) periods.set(period, o.lastModified);
  }
  return periods;
}

/** Where an export's manifests are, next to its data (components/aws/layout.ts). */
export function metadataPrefix(dataPrefix: string): string {
  if (!dataPrefix.endsWith("/data/"))
    throw new Error(`export data prefix "${dataPrefix}" does not end in "/data/"`);
  return `${dataPrefix.slice(0, -"data/".length)}metadata/`;
}

/** When the export last delivered: the newest manifest, or undefined when none was ever written. */
export async function lastDelivery(
  s3: S3ClientLike,
  bucket: string,
  dataPrefix: string,
): Promise<Date | undefined> {
  const manifests = (await listObjects(s3, bucket, metadataPrefix(dataPrefix))).filter((o) =>
    o.key.endsWith("-Manifest.json"),
  );
  return manifests.reduce<Date | undefined>(
    (a, o) => (!a || o.lastModified > a ? o.lastModified : a),
    undefined,
  );
}
