/**
 * The contract between the deployed AWS normalization function and the job bundle it runs: the
 * environment it receives and the freshness metric it must publish. Both sides import this file.
 */

/** Environment variables the function receives; none of them is secret. */
export const JOB_ENV = {
  tenantId: "COSTLINE_TENANT_ID",
  reportingCurrency: "COSTLINE_REPORTING_CURRENCY",
  /** The FOCUS version the normalized table holds (runtime/schema/output.ts OUTPUT_VERSIONS). */
  focusVersion: "COSTLINE_FOCUS_VERSION",
  bucket: "COSTLINE_BUCKET",
  /** Data prefix of the CUR 2.0 export (`.../data/`), or "" when there is none. */
  cur2DataPrefix: "COSTLINE_CUR2_DATA_PREFIX",
  /** Data prefix of the FOCUS 1.2 export, or "" when there is none. */
  focusDataPrefix: "COSTLINE_FOCUS_DATA_PREFIX",
  /** Where the job writes normalized Parquet, one `billing_period=YYYY-MM/` folder a month. */
  normalizedPrefix: "COSTLINE_NORMALIZED_PREFIX",
  glueDatabase: "COSTLINE_GLUE_DATABASE",
  /** JSON object of table names by kind: {"cur2": ..., "focus": ..., "normalized": ...}. */
  glueTables: "COSTLINE_GLUE_TABLES",
  athenaWorkgroup: "COSTLINE_ATHENA_WORKGROUP",
  /** ARN of the tenant's connection secret (the job reads it; the value is never in the environment). */
  secretArn: "COSTLINE_SECRET_ARN",
  metricNamespace: "COSTLINE_METRIC_NAMESPACE",
} as const;

/** The CloudWatch namespace of the job's metrics. */
export const METRIC_NAMESPACE = "Costline";

/**
 * Hours since the newest export delivery the job saw (from the export manifests), emitted once a
 * run with the dimension `TenantId` as one embedded-metric-format line on stdout (CloudWatch Logs
 * turns it into the metric; the role has no cloudwatch:PutMetricData). The freshness alarm fires
 * when the value is too high or when no value arrives for a day.
 */
export const FRESHNESS_METRIC = "ExportAgeHours";
