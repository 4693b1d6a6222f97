import { auditSettingName, logWorkspaceName } from "../../../components/azure/layout";
import { AUDIT_CATEGORY_GROUPS, AUDIT_LOG_CATEGORIES } from "../../../policies/lib/azure-audit";
import type { TenantConfig } from "../../../components/tenant/config";
import { ARM, azureResourceIds } from "./azure-ids";
import { type RestCall, readSetting, unreadable } from "./rest";
import type { AuditCheck } from "./types";

const DIAGNOSTIC_SETTINGS_API_VERSION = "2021-05-01-preview";
const WORKSPACES_API_VERSION = "2022-10-01";

interface DiagnosticSetting {
  properties?: {
    workspaceId?: string | null;
    logs?: Array<{ category?: string | null; categoryGroup?: string | null; enabled?: boolean }>;
  };
}

/** The audit categories a setting's logs leave out; an enabled category group carrying them all counts. */
export function missingCategories(
  setting: DiagnosticSetting,
  target: keyof typeof AUDIT_LOG_CATEGORIES,
): string[] {
  const enabled = (setting.properties?.logs ?? []).filter((l) => l.enabled);
  const lower = (v?: string | null) => v?.toLowerCase();
  const groups = AUDIT_CATEGORY_GROUPS[target].map((g) => g.toLowerCase());
  if (enabled.some((l) => groups.includes(lower(l.categoryGroup) ?? ""))) return [];
  return AUDIT_LOG_CATEGORIES[target].filter(
    (c) => !enabled.some((l) => lower(l.category) === c.toLowerCase()),
  );
}

/**
 * Reads the tenant's Azure audit logging back: the diagnostic setting of the Key Vault and of the
 * blob service (sending their audit categories to the workspace), and the workspace's retention.
 * A 403 fails the check it stops and names the permission to grant the caller.
 */
export async function azureAuditChecks(
  rest: RestCall,
  tenant: TenantConfig,
  identity: string,
): Promise<AuditCheck[]> {
  const ids = azureResourceIds(tenant);
  const name = auditSettingName(tenant.tenantId);
  const workspaceName = logWorkspaceName(tenant.tenantId);
  const days = tenant.audit.retentionDays;
  const stack = (what: string) =>
    `run pulumi up for this tenant (components/azure/audit-logging.ts and job.ts set ${what})`;
  const grant = (permission: string, scope: string) =>
    `grant ${identity} ${permission} on ${scope} (Monitoring Reader has it), then verify again`;
  const audit: AuditCheck[] = [];

  const targets = [
    ["vault", ids.vault, `Key Vault ${ids.vault.split("/").pop()}`],
    ["blob", `${ids.account}/blobServices/default`, `the blob service of ${ids.account.split("/").pop()}`],
  ] as const;
  for (const [target, resource, label] of targets) {
    const sends = `diagnostic setting ${name} of ${label} sends its logs to workspace ${workspaceName}`;
    const answer = await readSetting(
      rest,
      `${ARM}${resource}/providers/Microsoft.Insights/diagnosticSettings/${name}?api-version=${DIAGNOSTIC_SETTINGS_API_VERSION}`,
    );
    if (answer.status !== 200) {
      audit.push(
        unreadable(sends, answer, {
          absent: stack("the diagnostic setting"),
          denied: grant("Microsoft.Insights/diagnosticSettings/read", resource),
        }),
      );
      continue;
    }
    const setting = answer.body as DiagnosticSetting;
    const workspace = setting.properties?.workspaceId ?? undefined;
    const missing = missingCategories(setting, target);
    audit.push(
      {
        setting: sends,
        ok: workspace?.toLowerCase() === ids.workspace.toLowerCase(),
        found: `workspaceId ${workspace ?? "unset"}`,
        fix: stack(`the setting's workspaceId ${ids.workspace}`),
      },
      {
        setting: `diagnostic setting ${name} of ${label} records ${AUDIT_LOG_CATEGORIES[target].join(", ")}`,
        ok: missing.length === 0,
        found: missing.length ? `${missing.join(", ")} not enabled` : "all enabled",
        fix: stack(`the setting's logs ${AUDIT_LOG_CATEGORIES[target].join(", ")}, each enabled`),
      },
    );
  }

  const kept = `workspace ${workspaceName} keeps logs ${days} days`;
  const workspace = await readSetting(rest, `${ARM}${ids.workspace}?api-version=${WORKSPACES_API_VERSION}`);
  if (workspace.status !== 200) {
    audit.push(
      unreadable(kept, workspace, {
        absent: stack("the workspace"),
        denied: grant("Microsoft.OperationalInsights/workspaces/read", ids.workspace),
      }),
    );
  } else {
    const retention = (workspace.body.properties as { retentionInDays?: number } | undefined)
      ?.retentionInDays;
    audit.push({
      setting: kept,
      ok: retention === days,
      found: `retentionInDays ${retention ?? "unset"}`,
      fix: stack("retentionInDays from audit.retentionDays"),
    });
  }
  return audit;
}
