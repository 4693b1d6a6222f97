/**
 * The contract between the deployed GCP function and the job bundle it runs. Both sides import
 * this file; it must not import Pulumi, which has no place in the function bundle.
 */

/** The environment variables the GCP job bundle reads; it finds everything else in its secret. */
export const GCP_JOB_ENV = {
  tenantId: "COSTLINE_TENANT_ID",
  settingsSecret: "COSTLINE_SETTINGS_SECRET",
} as const;
