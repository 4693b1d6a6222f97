import { basename } from "node:path";
import { partitionPath } from "../../normalize/partitions";
import { keyJoin, type ObjectStore } from "./store";

/** The pointer that makes a period's data visible: readers read the files it lists, nothing else. */
export interface PeriodPointer {
  runId: string;
  provider: string;
  billingPeriod: string;
  files: string[];
  rows?: number;
  publishedAt: string;
}

export const POINTER_NAME = "_current.json";

/** Where one provider's billing period lives: `<root>/x_Provider=<p>/x_BillingPeriod=<yyyy-mm>/`. */
export const periodPrefix = (root: string, provider: string, billingPeriod: string) =>
  keyJoin(root, ...partitionPath(provider, billingPeriod));

/**
 * Replaces one period atomically on a store with no transactions. The new files go under their
 * own `run=<id>/` folder; one PUT of the pointer then switches readers to them, and only after
 * that are the previous run's files removed. A failure before the pointer moves leaves the
 * previous data and pointer untouched (the partial upload is cleaned up); a rerun of the same
 * period replaces it, never adds to it.
 */
export async function publishPeriod(
  store: ObjectStore,
  target: { root: string; provider: string; billingPeriod: string; runId: string; rows?: number },
  files: readonly string[],
  now: () => Date = () => new Date(),
): Promise<PeriodPointer> {
  const prefix = periodPrefix(target.root, target.provider, target.billingPeriod);
  const runPrefix = keyJoin(prefix, `run=${target.runId}`);
  const uploaded: string[] = [];
  try {
    for (const file of files) {
      const key = keyJoin(runPrefix, basename(file));
      await store.putFile(key, file);
      uploaded.push(key);
    }
  } catch (e) {
    await store.delete(uploaded).catch(() => undefined);
    throw new Error(`publishing ${prefix} failed; the previous data stays current: ${(e as Error).message}`);
  }
  const pointer: PeriodPointer = {
    runId: target.runId,
    provider: target.provider,
    billingPeriod: target.billingPeriod,
    files: uploaded,
    rows: target.rows,
    publishedAt: now().toISOString(),
  };
  await store.put(keyJoin(prefix, POINTER_NAME), JSON.stringify(pointer, null, 2));
  const stale = (await store.list(`${prefix}/run=`)).filter((k) => !k.startsWith(`${runPrefix}/`));
  await store.delete(stale);
  return pointer;
}

/** The files a reader should read for a period, or undefined when it was never published. */
export async function currentFiles(
  store: ObjectStore,
  root: string,
  provider: string,
  billingPeriod: string,
): Promise<string[] | undefined> {
  const body = await store.get(keyJoin(periodPrefix(root, provider, billingPeriod), POINTER_NAME));
  return body ? (JSON.parse(body.toString("utf8")) as PeriodPointer).files : undefined;
}
