import {
  CONTAINERS,
  costStorageAccountName,
  jobIdentityName,
  keyVaultName,
  logWorkspaceName,
  resourceGroupName,
} from "../../components/azure/layout";
import { tenantSecretPath } from "../../components/core/secrets";
import type { TenantConfig } from "../../components/tenant/config";
import { AuditAccessDenied, type AuditRead, type AuditReport, type AuditWindow, summarize } from "./types";

export interface AzureAuditClient {
  /** An access token of the caller for `scope` (DefaultAzureCredential). */
  token(scope: string): Promise<string>;
  fetch?: typeof fetch;
}

const ARM = "https://management.azure.com";
export const ARM_SCOPE = `${ARM}/.default`;
const LOG_ANALYTICS = "https://api.loganalytics.io";
export const LOG_ANALYTICS_SCOPE = `${LOG_ANALYTICS}/.default`;

/** Blob operations on the cost data: reads, writes and deletes (StorageBlobLogs' OperationName). */
const BLOB_OPERATIONS = ["GetBlob", "PutBlob", "PutBlockList", "CopyBlob", "DeleteBlob"];

/**
 * Who read the tenant's Azure secret and cost blobs in the window, from the Log Analytics workspace
 * the stack's diagnostic settings write to: the vault's AuditEvent rows land in AzureDiagnostics (a
 * setting without logAnalyticsDestinationType writes there), the blob service's in StorageBlobLogs
 * (storage writes only its resource-specific tables).
 */
export async function auditAzure(
  client: AzureAuditClient,
  tenant: TenantConfig,
  window: AuditWindow,
): Promise<AuditReport> {
  const azure = tenant.azure;
  if (!azure) throw new Error(`tenant ${tenant.tenantId} has no azure section`);
  const { tenantId } = tenant;
  const group = `/subscriptions/${azure.hostSubscriptionId}/resourceGroups/${resourceGroupName(tenantId)}`;
  const workspace = `${group}/providers/Microsoft.OperationalInsights/workspaces/${logWorkspaceName(tenantId)}`;
  const identity = `${group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${jobIdentityName(tenantId)}`;
  const arm = await armReader(client);
  // The query API addresses a workspace by its customer id, not its ARM id.
  const customerId = (
    await arm(`${workspace}?api-version=2022-10-01`, "Log Analytics Reader on the workspace")
  ).customerId;
  const jobPrincipal = (
    await arm(
      `${identity}?api-version=2023-01-31`,
      "Reader on the resource group (Microsoft.ManagedIdentity/userAssignedIdentities/read)",
    )
  ).principalId;

  const vault = keyVaultName(tenantId);
  const secret = tenantSecretPath(tenantId, "azure", azure.hostSubscriptionId);
  const account = costStorageAccountName(tenantId);
  const rows = await query(client, String(customerId), workspace, auditQuery(vault, secret, account), window);
  const reads: AuditRead[] = rows.map((r) => ({
    principal: String(r.Principal || r.AuthenticationType || "unknown"),
    action: r.Denied ? `${r.Action} (denied)` : String(r.Action),
    resource: String(r.Target),
    first: new Date(String(r.First)).toISOString(),
    last: new Date(String(r.Last)).toISOString(),
    count: Number(r.Count),
  }));
  const platform = azure.platformPrincipalId;
  const exportsTarget = `${account}/${CONTAINERS.exports}`;
  return {
    tenantId,
    cloud: "azure",
    window: { since: window.since.toISOString(), until: window.until.toISOString(), days: window.days },
    sources: [
      `Log Analytics workspace ${logWorkspaceName(tenantId)}: Key Vault ${vault} audit events (AzureDiagnostics), blob logs of ${account} (StorageBlobLogs)`,
    ],
    notRead: [],
    entries: summarize(reads, (r) => {
      if (r.principal === jobPrincipal) return { expected: true, why: "the job's managed identity" };
      if (platform && r.principal === platform) return { expected: true, why: "the platform identity" };
      // Each Cost Management export writes with its own identity, granted on the exports container alone.
      if (r.resource === exportsTarget && /^(PutBlob|PutBlockList)$/.test(r.action))
        return {
          expected: true,
          why: "a write into the exports container, which only the exports' identities may make",
        };
      return { expected: false, why: "not the job or the platform identity" };
    }),
  };
}

const kql = (s: string) => JSON.stringify(s);

/**
 * One query over both tables, counted by principal, action and target in the workspace, so the
 * answer stays small whatever the traffic. `isfuzzy` tolerates a table not created yet (no log of
 * that kind so far); `column_ifexists` a claim column AzureDiagnostics has not seen yet.
 */
export function auditQuery(vault: string, secret: string, account: string): string {
  return [
    "union isfuzzy=true",
    "(AzureDiagnostics",
    `| where ResourceProvider == "MICROSOFT.KEYVAULT" and Category == "AuditEvent" and Resource =~ ${kql(vault)}`,
    `| where OperationName startswith "Secret" and (tostring(id_s) has ${kql(`/secrets/${secret}`)} or OperationName == "SecretList")`,
    `| extend Principal = coalesce(tostring(column_ifexists("identity_claim_oid_g", "")), tostring(column_ifexists("identity_claim_http_schemas_microsoft_com_identity_claims_objectidentifier_g", "")))`,
    `| project TimeGenerated, Principal, AuthenticationType = "", Action = OperationName, Target = ${kql(`${vault}/${secret}`)}, Denied = ResultSignature in ("Forbidden", "Unauthorized")),`,
    "(StorageBlobLogs",
    `| where AccountName == ${kql(account)} and OperationName in (${BLOB_OPERATIONS.map(kql).join(", ")})`,
    `| project TimeGenerated, Principal = RequesterObjectId, AuthenticationType, Action = OperationName, Target = strcat(AccountName, "/", tostring(split(ObjectKey, "/")[2])), Denied = StatusCode in (401, 403))`,
    "| summarize Count = count(), First = min(TimeGenerated), Last = max(TimeGenerated) by Principal, AuthenticationType, Action, Target, Denied",
  ].join("\n");
}

/** GETs of ARM resources' properties; a refusal names the role to grant. */
async function armReader(client: AzureAuditClient) {
  const doFetch = client.fetch ?? fetch;
  const token = await client.token(ARM_SCOPE);
  return async (path: string, role: string): Promise<Record<string, unknown>> => {
    const response = await doFetch(`${ARM}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json().catch(() => ({}))) as {
      properties?: Record<string, unknown>;
      error?: { message?: string };
    };
    const resource = path.split("?")[0]!;
    if (response.status === 401 || response.status === 403) throw new AuditAccessDenied(resource, role);
    if (response.status === 404) {
      throw new Error(
        `${resource} does not exist: deploy the tenant's Azure stack, then run costline audit again`,
      );
    }
    if (!response.ok || !body.properties) {
      throw new Error(
        `Azure Resource Manager could not read ${resource} (HTTP ${response.status}): ${body.error?.message ?? "no reason given"}`,
      );
    }
    return body.properties;
  };
}

/** The query's rows as objects keyed by column name. */
async function query(
  client: AzureAuditClient,
  customerId: string,
  workspace: string,
  text: string,
  window: AuditWindow,
): Promise<Record<string, unknown>[]> {
  const doFetch = client.fetch ?? fetch;
  const token = await client.token(LOG_ANALYTICS_SCOPE);
  const response = await doFetch(`${LOG_ANALYTICS}/v1/workspaces/${customerId}/query`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      query: text,
      timespan: `${window.since.toISOString()}/${window.until.toISOString()}`,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    tables?: { columns: { name: string }[]; rows: unknown[][] }[];
    error?: { message?: string };
  };
  if (response.status === 401 || response.status === 403) {
    throw new AuditAccessDenied(`the logs of ${workspace}`, "Log Analytics Reader on the workspace");
  }
  if (!response.ok) {
    throw new Error(
      `Log Analytics refused the audit query (HTTP ${response.status}): ${body.error?.message ?? "no reason given"}`,
    );
  }
  const table = body.tables?.[0];
  if (!table) return [];
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])));
}
