/**
 * The contract between the deployed GCP function and the job bundle it runs. Both sides import
 * this file; it must not import Pulumi, which has no place in the function bundle.
 */

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
