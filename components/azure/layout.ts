import { physicalName } from "../core/naming";

/**
 * Where a tenant's Azure cost data lives, without the Pulumi SDK: the stack creates these, and
 * `costline collect` reads the normalized container.
 */

/** The resource group that holds everything the stack creates in the host subscription. */
export const resourceGroupName = (tenantId: string) => physicalName("azure", "costline", tenantId);

/** The job's user-assigned managed identity. */
export const jobIdentityName = (tenantId: string) => physicalName("azure", "costline", tenantId, "job");

/** The Key Vault that holds the connection secret. */
export const keyVaultName = (tenantId: string) => physicalName("azureKeyVault", "costline", tenantId);

/** The tenant's cost data storage account. */
export const costStorageAccountName = (tenantId: string) =>
  physicalName("azureStorageAccount", "costline", tenantId, "data");

/** The names of the two containers; exports land in one, the job writes the other. */
export const CONTAINERS = { exports: "exports", normalized: "normalized" } as const;

/** The Log Analytics workspace that keeps the job's telemetry and the audit logs. */
export const logWorkspaceName = (tenantId: string) => physicalName("azure", "costline", tenantId, "logs");

/**
 * The diagnostic setting, of the Key Vault and of the blob service alike, that sends their audit
 * logs to the workspace: the stack creates it, `costline verify` and `costline audit` read it.
 */
export const auditSettingName = (tenantId: string) => physicalName("azure", "costline", tenantId, "audit");
