/**
 * The contract between the deployed GCP function and the job bundle it runs. Both sides import
 * this file; it must not import Pulumi, which has no place in the function bundle.
 */
import { z } from "zod";
import { DEFAULT_OUTPUT_VERSION, OUTPUT_VERSIONS } from "../../runtime/schema/output";
import { physicalName } from "../core/naming";

/** The dataset Cloud Billing exports into: the stack creates it, the job and the platform read it. */
export const billingExportDatasetId = (tenantId: string) =>
  physicalName("bigqueryDataset", "costline", tenantId, "billing_export");

/**
 * A service account id the stack creates: the job's runtime identity (`job`), the one the platform
 * impersonates to read (`reader`), and the function's build and invoker identities.
 */
export const serviceAccountId = (tenantId: string, role: "job" | "reader" | "build" | "invoker") =>
  physicalName("gcpServiceAccount", "costline", tenantId, role);

/** A service account's email, as audit logs name the principal. */
export const serviceAccountEmail = (accountId: string, projectId: string) =>
  `${accountId}@${projectId}.iam.gserviceaccount.com`;

/** The normalized dataset of a tenant: the stack creates it, the job writes it, `costline collect` reads it. */
export const normalizedDatasetId = (tenantId: string) =>
  physicalName("bigqueryDataset", "costline", tenantId, "normalized");

/** The normalized table's id inside the normalized dataset. */
export const NORMALIZED_TABLE_ID = "focus_cost";

/** The run records table, in the normalized dataset next to the data. */
export const RUNS_TABLE = "costline_runs";

/**
 * The log bucket that keeps the tenant's audit logs and the sink that feeds it (both named the
 * same): the stack creates them, `costline verify` and `costline audit` read them.
 */
export const auditLogNames = (tenantId: string) => {
  const name = physicalName("gcp", "costline", tenantId, "audit");
  return { bucketId: name, sinkName: name };
};

/**
 * The services that hold a tenant's credentials (Secret Manager) and billing data (BigQuery, and
 * Cloud Storage for the job's source): their Data Access logs are off by default, so reads of the
 * secret and the datasets would go unrecorded without these audit configs. The stack sets them,
 * `costline verify` reads them back.
 */
export const AUDITED_SERVICES = [
  "secretmanager.googleapis.com",
  "bigquery.googleapis.com",
  "storage.googleapis.com",
] as const;

/** ADMIN_READ records reads of configuration and metadata (IAM policies, dataset metadata); DATA_READ of contents. */
export const AUDITED_LOG_TYPES = ["ADMIN_READ", "DATA_READ"] as const;

/** The environment variables the GCP job bundle reads; it finds everything else in its secret. */
export const GCP_JOB_ENV = {
  tenantId: "COSTLINE_TENANT_ID",
  settingsSecret: "COSTLINE_SETTINGS_SECRET",
  /**
   * Display names of the billing accounts, a JSON object of id to name (the tenant's
   * `gcp.billingAccountNames`): the export has none, and FOCUS BillingAccountName needs them.
   */
  billingAccountNames: "COSTLINE_BILLING_ACCOUNT_NAMES",
} as const;

/**
 * What the job reads from its settings secret at start (the stack writes it there, at the tenant
 * secret path). Access is keyless, so nothing in it is a credential.
 */
export const GcpJobSettings = z.object({
  tenantId: z.string().min(1),
  provider: z.literal("gcp"),
  projectId: z.string().min(1),
  /** The billing export dataset and the tables the job expects in it. */
  billingExport: z.object({
    datasetId: z.string().min(1),
    location: z.string().min(1),
    billingAccountIds: z.array(z.string().min(1)).min(1),
    exportTypes: z.array(z.enum(["standard", "detailed"])).min(1),
    expectedTables: z.array(z.string().min(1)).min(1),
  }),
  /** Where the job writes FOCUS rows. */
  normalized: z.object({ datasetId: z.string().min(1), tableId: z.string().min(1) }),
  reportingCurrency: z.string().length(3),
  // A secret written before versions were set holds a 1.2 table.
  focusVersion: z.enum(OUTPUT_VERSIONS).default(DEFAULT_OUTPUT_VERSION),
});
/** The settings as the job reads them (defaults applied). */
export type GcpJobSettings = z.output<typeof GcpJobSettings>;
