import { physicalName } from "../core/naming";

/**
 * The object layout of a tenant's export bucket. The job, the Glue tables and the IAM policies all
 * read their paths from here, so they cannot drift apart.
 *
 * ```
 * s3://{bucket}/
 *   exports/                                         written only by AWS Data Exports
 *     cur2/{curExportName}/data/BILLING_PERIOD=YYYY-MM/*.snappy.parquet
 *     cur2/{curExportName}/metadata/BILLING_PERIOD=YYYY-MM/{curExportName}-Manifest.json
 *     focus/{focusExportName}/data/BILLING_PERIOD=YYYY-MM/*.parquet     (when FOCUS is on)
 *   normalized/billing_period=YYYY-MM/run={id}/*     written only by the normalization job
 *   normalized/_costline/runs/{id}.json              its run records (normalizedKeys)
 *   athena-results/                                  the job's Athena query results, expire after days
 * ```
 *
 * Data Exports append `{exportName}/data/BILLING_PERIOD=YYYY-MM/` to the prefix we give them;
 * with OVERWRITE_REPORT each refresh replaces that billing period's files, and the manifest lists
 * the current ones.
 */
export interface ExportLayout {
  /** The bucket name. */
  bucket: string;
  /** Root of everything AWS Data Exports write; nothing else writes here. */
  exportsPrefix: string;
  /** The CUR 2.0 export. */
  cur2: ExportLocation;
  /** The FOCUS 1.2 export. */
  focus: ExportLocation;
  /** Normalized output, one `billing_period=YYYY-MM/` folder a month. */
  normalizedPrefix: string;
  /** The job's Athena query results (encrypted, expiring); the connector may not write here. */
  resultsPrefix: string;
}

/** Where one Data Export delivers. */
export interface ExportLocation {
  /** The export's name (unique within the account). */
  exportName: string;
  /** The S3 prefix given to the export (no trailing slash, as the API takes it). */
  s3Prefix: string;
  /** Where its data files land, ending in "/": `{s3Prefix}/{exportName}/data/`. */
  dataPrefix: string;
  /** Where its manifests land, ending in "/". */
  metadataPrefix: string;
}

const exportLocation = (folder: string, exportName: string): ExportLocation => {
  const s3Prefix = `exports/${folder}`;
  return {
    exportName,
    s3Prefix,
    dataPrefix: `${s3Prefix}/${exportName}/data/`,
    metadataPrefix: `${s3Prefix}/${exportName}/metadata/`,
  };
};

/** The layout of one tenant's export bucket in one account and region. */
export function exportLayout(tenantId: string, accountId: string, region: string): ExportLayout {
  return {
    bucket: physicalName("s3Bucket", "costline", tenantId, accountId, region),
    exportsPrefix: "exports/",
    cur2: exportLocation("cur2", physicalName("aws", "costline", tenantId, "cur2")),
    focus: exportLocation("focus", physicalName("aws", "costline", tenantId, "focus-1-2")),
    normalizedPrefix: "normalized/",
    resultsPrefix: "athena-results/",
  };
}

/** The role the platform assumes (with the tenant's external id) to read the tenant's cost data. */
export const connectorRoleName = (tenantId: string) =>
  physicalName("iamRole", "costline", tenantId, "connector");

/** The normalization job's execution role: the stack creates it, `costline audit` expects its reads. */
export const jobRoleName = (tenantId: string) =>
  physicalName("iamRole", "costline", tenantId, "aws-normalize");

/**
 * The audit trail the stack creates when the tenant names no organization trail, and the bucket
 * that keeps its log files: the stack creates them, `costline verify` and `costline audit` read them.
 */
export const auditTrailNames = (tenantId: string, accountId: string, region: string) => ({
  trail: physicalName("aws", "costline", tenantId, "audit"),
  bucket: physicalName("s3Bucket", "costline", tenantId, accountId, region, "audit"),
});

/** The partition column of every Glue table and the folder name of a normalized period: `YYYY-MM`. */
export const PARTITION_COLUMN = "billing_period";

/**
 * Where under the normalized prefix the job writes and `costline collect` reads: a period's run
 * folder (the Glue partition points at one), the run records, and the quarantine beside them
 * (Hive readers skip `_` folders, so neither is read as data). The job's policy may delete under
 * the period folders and the quarantine, never under the run records.
 */
export const normalizedKeys = (normalizedPrefix: string) => {
  const periodsPrefix = `${normalizedPrefix}${PARTITION_COLUMN}=`;
  const runsPrefix = `${normalizedPrefix}_costline/runs/`;
  const quarantinePrefix = `${normalizedPrefix}_costline/quarantine/`;
  return {
    /** What the keys of every period folder start with (no "/": the period follows). */
    periodsPrefix,
    periodRoot: (period: string) => `${periodsPrefix}${period}/`,
    periodRun: (period: string, runId: string) => `${periodsPrefix}${period}/run=${runId}/`,
    runsPrefix,
    runRecord: (runId: string) => `${runsPrefix}${runId}.json`,
    quarantinePrefix,
    quarantine: (period: string, runId: string) =>
      `${quarantinePrefix}${PARTITION_COLUMN}=${period}/run=${runId}/`,
    /** The period and run of a run folder's key, or undefined for any other key. */
    parsePeriodRun(key: string): { period: string; runId: string } | undefined {
      if (!key.startsWith(normalizedPrefix)) return undefined;
      const m = new RegExp(`^${PARTITION_COLUMN}=(\\d{4}-\\d{2})/run=([^/]+)/$`).exec(
        key.slice(normalizedPrefix.length),
      );
      return m ? { period: m[1]!, runId: m[2]! } : undefined;
    },
  };
};
