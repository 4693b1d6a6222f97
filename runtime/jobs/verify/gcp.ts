import { tenantSecretPath } from "../../../components/core/secrets";
import type { TenantConfig } from "../../../components/tenant/config";
import { gcpAuditChecks } from "./gcp-audit";
import { failure, type RestCall } from "./rest";
import type { PermissionCheck, Requirement, VerifyReport } from "./types";

/**
 * `testIamPermissions` of a Google resource: which of `permissions` the caller holds on it. The
 * resource is the REST URL of the resource (`https://.../projects/p` or `.../secrets/s`).
 */
export interface GcpPermissionTester {
  testIamPermissions(resource: string, permissions: string[]): Promise<string[]>;
}

/** The tester over REST, as the caller. */
export function restPermissionTester(rest: RestCall): GcpPermissionTester {
  return {
    async testIamPermissions(resource, permissions) {
      const answer = await rest(`${resource}:testIamPermissions`, { method: "POST", body: { permissions } });
      if (answer.status !== 200) {
        throw new Error(`testIamPermissions on ${resource} answered ${failure(answer)}`);
      }
      return (answer.body.permissions as string[] | undefined) ?? [];
    },
  };
}

const RESOURCE_MANAGER = "https://cloudresourcemanager.googleapis.com/v3";
const SECRET_MANAGER = "https://secretmanager.googleapis.com/v1";

/** What the GCP job identity needs, on the project and the tenant secret. */
export function gcpRequirements(tenant: TenantConfig): Requirement[] {
  const cfg = tenant.gcp;
  if (!cfg) throw new Error("the tenant has no gcp section; nothing to verify for --cloud gcp");
  const project = `${RESOURCE_MANAGER}/projects/${cfg.projectId}`;
  const secretId = tenantSecretPath(tenant.tenantId, "gcp", cfg.projectId);
  const secret = `${SECRET_MANAGER}/projects/${cfg.projectId}/secrets/${secretId}`;
  return [
    {
      permission: "bigquery.jobs.create",
      resource: project,
      why: "run the normalization query in BigQuery",
      grant: `roles/bigquery.jobUser on project ${cfg.projectId}`,
    },
    {
      permission: "secretmanager.versions.access",
      resource: secret,
      why: "read the tenant's connection secret",
      grant: `roles/secretmanager.secretAccessor on secret ${secretId}`,
    },
  ];
}

/**
 * Asks each resource which of the needed permissions the caller holds (run as the job's service
 * account), then reads the audit logging back (gcp-audit.ts) as the same caller.
 */
export async function verifyGcp(
  { tester, rest }: { tester: GcpPermissionTester; rest: RestCall },
  tenant: TenantConfig,
  identity: string,
): Promise<VerifyReport> {
  const requirements = gcpRequirements(tenant);
  const checks: PermissionCheck[] = [];
  for (const resource of [...new Set(requirements.map((r) => r.resource))]) {
    const wanted = requirements.filter((r) => r.resource === resource);
    const granted = new Set(
      await tester.testIamPermissions(
        resource,
        wanted.map((r) => r.permission),
      ),
    );
    for (const r of wanted) checks.push({ ...r, allowed: granted.has(r.permission) });
  }
  return {
    cloud: "gcp",
    identity,
    checks,
    audit: await gcpAuditChecks(rest, tenant, identity),
    notChecked: [
      "dataset-level BigQuery roles (dataViewer on the export dataset, dataEditor on the normalized one): BigQuery offers testIamPermissions on tables only, and the export tables appear only once billing export runs",
    ],
  };
}
