/**
 * The contract between the CronJob that components/kubernetes deploys and the job image it runs:
 * the container's environment. Both sides import this file; it must not import Pulumi, which has
 * no place in the image.
 */

/** Environment of the job container; none of it is secret. */
export const KUBERNETES_JOB_ENV = {
  tenantId: "COSTLINE_TENANT_ID",
  reportingCurrency: "COSTLINE_REPORTING_CURRENCY",
  /** The FOCUS version the job writes (runtime/schema/output.ts OUTPUT_VERSIONS). */
  focusVersion: "COSTLINE_FOCUS_VERSION",
  cluster: "COSTLINE_CLUSTER",
  /** OpenCost's `/allocation` URL inside the cluster. */
  opencostUrl: "COSTLINE_OPENCOST_URL",
  /** Where the job publishes: `s3://`, `gs://`, Azure Blob `https://` or `file://` (runtime/jobs/kubernetes/sink-store.ts). */
  sinkUrl: "COSTLINE_SINK_URL",
  /** The writable scratch folder (the root filesystem is read-only). */
  tempDir: "COSTLINE_TEMP_DIR",
  /** DuckDB's memory limit, below the container's, as a size such as 1536MiB. */
  memoryLimit: "COSTLINE_MEMORY_LIMIT",
} as const;
