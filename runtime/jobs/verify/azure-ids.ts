import { costStorageAccountName, logWorkspaceName } from "../../../components/azure/layout";
import { physicalName } from "../../../components/core/naming";
import type { TenantConfig } from "../../../components/tenant/config";

export const ARM = "https://management.azure.com";

/** The ARM ids of what the Azure pipeline deploys in the tenant's resource group (azure/pipeline.ts). */
export function azureResourceIds(tenant: TenantConfig) {
  const cfg = tenant.azure;
  if (!cfg) throw new Error("the tenant has no azure section; nothing to verify for --cloud azure");
  const group = `/subscriptions/${cfg.hostSubscriptionId}/resourceGroups/${physicalName("azure", "costline", tenant.tenantId)}`;
  return {
    group,
    account: `${group}/providers/Microsoft.Storage/storageAccounts/${costStorageAccountName(tenant.tenantId)}`,
    vault: `${group}/providers/Microsoft.KeyVault/vaults/${physicalName("azureKeyVault", "costline", tenant.tenantId)}`,
    workspace: `${group}/providers/Microsoft.OperationalInsights/workspaces/${logWorkspaceName(tenant.tenantId)}`,
  };
}
