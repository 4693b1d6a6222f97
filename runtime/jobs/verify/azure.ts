import { tenantSecretPath } from "../../../components/core/secrets";
import type { TenantConfig } from "../../../components/tenant/config";
import { azureAuditChecks } from "./azure-audit";
import { ARM, azureResourceIds } from "./azure-ids";
import { failure, type RestCall } from "./rest";
import type { PermissionCheck, Requirement, VerifyReport } from "./types";

/** One entry of Microsoft.Authorization/permissions: what the caller may do at a scope. */
export interface ArmPermission {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

/** The caller's effective permissions at an ARM scope (GET {scope}/providers/Microsoft.Authorization/permissions). */
export interface ArmPermissionsApi {
  permissionsAt(scope: string): Promise<ArmPermission[]>;
}

const PERMISSIONS_API_VERSION = "2022-04-01";

/** The permissions API over REST, as the caller, following ARM's nextLink pages. */
export function restArmPermissions(rest: RestCall): ArmPermissionsApi {
  return {
    async permissionsAt(scope) {
      const all: ArmPermission[] = [];
      let url: string | undefined =
        `${ARM}${scope}/providers/Microsoft.Authorization/permissions?api-version=${PERMISSIONS_API_VERSION}`;
      while (url) {
        const answer = await rest(url);
        if (answer.status !== 200) {
          throw new Error(`reading permissions at ${scope} answered ${failure(answer)}`);
        }
        all.push(...((answer.body.value as ArmPermission[] | undefined) ?? []));
        url = answer.body.nextLink as string | undefined;
      }
      return all;
    },
  };
}

interface AzureRequirement extends Requirement {
  /** Control-plane action or data action: Azure lists them apart. */
  kind: "action" | "dataAction";
}

/** ARM's wildcard match: `*` anywhere, case-insensitive. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}

/** Whether one of the caller's permission entries grants the action and does not exclude it. */
export function grants(
  permissions: readonly ArmPermission[],
  action: string,
  kind: "action" | "dataAction",
): boolean {
  return permissions.some((p) => {
    const allow = (kind === "action" ? p.actions : p.dataActions) ?? [];
    const deny = (kind === "action" ? p.notActions : p.notDataActions) ?? [];
    return allow.some((a) => matches(a, action)) && !deny.some((a) => matches(a, action));
  });
}

/** What the Azure job identity needs, on the exact scopes the Azure pipeline deploys. */
export function azureRequirements(tenant: TenantConfig): AzureRequirement[] {
  const { account, vault } = azureResourceIds(tenant);
  const cfg = tenant.azure!;
  const container = (name: string) => `${account}/blobServices/default/containers/${name}`;
  const secret = `${vault}/secrets/${tenantSecretPath(tenant.tenantId, "azure", cfg.hostSubscriptionId)}`;
  const costScopes = cfg.billingScope
    ? [cfg.billingScope]
    : cfg.subscriptionIds.map((id) => `/subscriptions/${id}`);
  const blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
  return [
    ...costScopes.flatMap((scope): AzureRequirement[] => [
      {
        kind: "action",
        permission: "Microsoft.CostManagement/exports/read",
        resource: scope,
        why: "check the export's definition and run history",
        grant: `Cost Management Reader on ${scope}`,
      },
      {
        kind: "action",
        permission: "Microsoft.CostManagement/exports/action",
        resource: scope,
        why: "run a stale export",
        grant: `the "Costline export runner" custom role on ${scope} (pulumi up creates it)`,
      },
    ]),
    {
      kind: "dataAction",
      permission: `${blobs}/read`,
      resource: container("exports"),
      why: "read export runs",
      grant: `Storage Blob Data Reader on ${container("exports")}`,
    },
    {
      kind: "dataAction",
      permission: `${blobs}/write`,
      resource: container("normalized"),
      why: "publish normalized data",
      grant: `Storage Blob Data Contributor on ${container("normalized")}`,
    },
    {
      kind: "dataAction",
      permission: `${blobs}/delete`,
      resource: container("normalized"),
      why: "replace a billing period",
      grant: `Storage Blob Data Contributor on ${container("normalized")}`,
    },
    {
      kind: "dataAction",
      permission: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
      resource: secret,
      why: "read the connection secret",
      grant: `Key Vault Secrets User on ${secret}`,
    },
  ];
}

/**
 * Reads the caller's effective permissions at each scope and judges every requirement (run as the
 * job identity), then reads the audit logging back (azure-audit.ts) as the same caller.
 */
export async function verifyAzure(
  { api, rest }: { api: ArmPermissionsApi; rest: RestCall },
  tenant: TenantConfig,
  identity: string,
): Promise<VerifyReport> {
  const requirements = azureRequirements(tenant);
  const checks: PermissionCheck[] = [];
  const cache = new Map<string, ArmPermission[]>();
  for (const { kind, ...r } of requirements) {
    if (!cache.has(r.resource)) cache.set(r.resource, await api.permissionsAt(r.resource));
    checks.push({ ...r, allowed: grants(cache.get(r.resource)!, r.permission, kind) });
  }
  return {
    cloud: "azure",
    identity,
    checks,
    audit: await azureAuditChecks(rest, tenant, identity),
    notChecked: [
      "the retention of single tables of the workspace: a table's own retention overrides the workspace's",
    ],
  };
}
