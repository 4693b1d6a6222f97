import nock from "nock";
import { auditSettingName } from "../../components/azure/layout";
import { AUDIT_LOG_CATEGORIES } from "../../policies/lib/azure-audit";
import type { TenantConfig } from "../../components/tenant/config";
import { azureResourceIds } from "../../runtime/jobs/verify/azure-ids";

type Reply = [status: number, body: Record<string, unknown>];

/** A diagnostic setting as ARM returns it for the one components/azure/audit-logging.ts creates. */
export function deployedSetting(tenant: TenantConfig, target: keyof typeof AUDIT_LOG_CATEGORIES) {
  const ids = azureResourceIds(tenant);
  const resource = target === "vault" ? ids.vault : `${ids.account}/blobServices/default`;
  const name = auditSettingName(tenant.tenantId);
  return {
    // ARM answers with the provider namespace in lower case.
    id: `${resource}/providers/microsoft.insights/diagnosticSettings/${name}`,
    type: "Microsoft.Insights/diagnosticSettings",
    name,
    location: null,
    properties: {
      storageAccountId: null,
      serviceBusRuleId: null,
      workspaceId: ids.workspace.replace(
        "/providers/Microsoft.OperationalInsights/",
        "/providers/microsoft.operationalinsights/",
      ),
      eventHubAuthorizationRuleId: null,
      eventHubName: null,
      metrics: [],
      logs: AUDIT_LOG_CATEGORIES[target].map((category) => ({
        category,
        categoryGroup: null,
        enabled: true,
        retentionPolicy: { enabled: false, days: 0 },
      })),
      logAnalyticsDestinationType: null,
    },
  };
}

/**
 * Records the three reads of the tenant's Azure audit logging answering as the stack deploys them
 * (400 days); each can be replaced by another answer.
 */
export function nockDeployedAzureAudit(
  tenant: TenantConfig,
  options: { vault?: Reply; blob?: Reply; workspace?: Reply } = {},
) {
  const ids = azureResourceIds(tenant);
  const name = auditSettingName(tenant.tenantId);
  const arm = nock("https://management.azure.com");
  arm
    .get(`${ids.vault}/providers/Microsoft.Insights/diagnosticSettings/${name}`)
    .query({ "api-version": "2021-05-01-preview" })
    .reply(...(options.vault ?? ([200, deployedSetting(tenant, "vault")] as Reply)))
    .get(`${ids.account}/blobServices/default/providers/Microsoft.Insights/diagnosticSettings/${name}`)
    .query({ "api-version": "2021-05-01-preview" })
    .reply(...(options.blob ?? ([200, deployedSetting(tenant, "blob")] as Reply)))
    .get(ids.workspace)
    .query({ "api-version": "2022-10-01" })
    .reply(
      ...(options.workspace ??
        ([
          200,
          {
            id: ids.workspace,
            name: ids.workspace.split("/").pop(),
            type: "Microsoft.OperationalInsights/workspaces",
            location: tenant.azure!.location,
            properties: {
              provisioningState: "Succeeded",
              customerId: "6b1f9e4d-2c3a-4f8e-9d7b-0a5c8e2f1b43",
              sku: { name: "PerGB2018", lastSkuUpdate: "2026-11-02T09:20:13.5521Z" },
              retentionInDays: 400,
              features: { legacy: 0, searchVersion: 1, enableLogAccessUsingOnlyResourcePermissions: true },
              workspaceCapping: {
                dailyQuotaGb: -1,
                quotaNextResetTime: "2026-12-04T06:00:00Z",
                dataIngestionStatus: "RespectQuota",
              },
              publicNetworkAccessForIngestion: "Enabled",
              publicNetworkAccessForQuery: "Enabled",
              createdDate: "2026-11-02T09:20:13.5521Z",
              modifiedDate: "2026-11-02T09:21:40.1173Z",
            },
          },
        ] as Reply)),
    );
  return ids;
}

/** ARM's answer when the caller's roles do not allow `action` at `scope`. */
export const armDenied = (action: string, scope: string): Reply => [
  403,
  {
    error: {
      code: "AuthorizationFailed",
      message: `The client '3f2a9c1e-7b4d-4e8a-a6f0-2d9b5c8e1f47' with object id '3f2a9c1e-7b4d-4e8a-a6f0-2d9b5c8e1f47' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    },
  },
];
