/**
 * The contract between the deployed Azure Functions app and the job bundle it runs: the app
 * settings it receives. Both sides import this file; it must not import Pulumi, which has no place
 * in the function bundle.
 */
import { z } from "zod";

/**
 * The connection document in the vault, at the tenant secret path: what a reader needs to find
 * this tenant's Azure data. Identity-based access means it holds no credential. The stack writes
 * it; the job refuses to run when it disagrees with its own settings.
 */
export const AzureConnection = z.object({
  tenantId: z.string().min(1),
  provider: z.literal("azure"),
  directoryTenantId: z.string().min(1),
  subscriptionIds: z.array(z.string().min(1)),
  billingScope: z.string().min(1).nullable(),
  exportDataset: z.string().min(1),
  /** The exports container's URL. */
  exportUrl: z.string().url(),
  /** The normalized container's URL. */
  outputUrl: z.string().url(),
  /** Client id of the job's user-assigned identity. */
  jobClientId: z.string().min(1),
});
export type AzureConnection = z.infer<typeof AzureConnection>;

/** App settings the AzureCostPipeline writes and the job reads; none of them holds a secret. */
export const AZURE_JOB_SETTINGS = {
  tenantId: "COSTLINE_TENANT_ID",
  /** Always "azure": the job refuses to run on another cloud's settings. */
  provider: "COSTLINE_PROVIDER",
  /** `azure-focus` for FocusCost exports, `azure-cost-details` for ActualCost or AmortizedCost. */
  sourceFormat: "COSTLINE_SOURCE_FORMAT",
  exportDataset: "COSTLINE_EXPORT_DATASET",
  exportName: "COSTLINE_EXPORT_NAME",
  /** JSON array of the ARM scopes whose export the job checks. */
  exportScopes: "COSTLINE_EXPORT_SCOPES",
  /** The exports container's URL. */
  exportUrl: "COSTLINE_EXPORT_URL",
  /** The normalized container's URL. */
  outputUrl: "COSTLINE_OUTPUT_URL",
  reportingCurrency: "COSTLINE_REPORTING_CURRENCY",
  /** The FOCUS version the job writes (runtime/schema/output.ts OUTPUT_VERSIONS). */
  focusVersion: "COSTLINE_FOCUS_VERSION",
  /** The Key Vault URI of the connection secret (the value is never in a setting). */
  connectionSecretUri: "COSTLINE_CONNECTION_SECRET_URI",
} as const;

/** The app setting that holds the timer's NCRONTAB schedule; the timer binding names it as `%COSTLINE_SCHEDULE%`. */
export const SCHEDULE_SETTING = "COSTLINE_SCHEDULE";

/** Settings the job reads that the component leaves to their defaults (an operator may set them). */
export const AZURE_JOB_TUNING = {
  maxExportAgeHours: "COSTLINE_MAX_EXPORT_AGE_HOURS",
  memoryLimit: "COSTLINE_MEMORY_LIMIT",
} as const;
