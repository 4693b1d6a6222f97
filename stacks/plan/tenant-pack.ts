import { TENANT_TAG_KEY } from "../../policies/lib/tags";
import type { TenantConfig } from "../../components/tenant/config";
import type { PlanChecker } from "./offline-plan";
import { runPolicyPack } from "../../policies/run";

/**
 * The pack config a tenant implies: its tag keys are required everywhere, its residency regions
 * are the only allowed ones, a GCP KMS key in the tenant makes customer-managed keys mandatory, and
 * its audit retention (and AWS organization trail) is what the audit policies hold every cloud to.
 */
export function tenantPackConfig(tenant: TenantConfig): Record<string, Record<string, unknown>> {
  return {
    "required-tags": { tags: [...new Set([...Object.keys(tenant.tags), TENANT_TAG_KEY])] },
    "data-residency": { allowedRegions: tenant.residency.allowedRegions },
    "gcp-bigquery-cmek": { requireCmek: tenant.gcp?.kmsKeyName !== undefined },
    "aws-audit-trail": {
      organizationTrailName: tenant.aws?.organizationTrailName ?? "",
      minimumRetentionDays: tenant.audit.retentionDays,
    },
    "gcp-audit-logging": { minimumRetentionDays: tenant.audit.retentionDays },
    "azure-audit-logging": { minimumRetentionDays: tenant.audit.retentionDays },
  };
}

/** The plan's checker: the whole pack, configured by the tenant (see stacks/plan/offline-plan.ts). */
export const tenantPlanChecker: PlanChecker = (resources, tenant) =>
  runPolicyPack(resources, { config: tenantPackConfig(tenant), configSource: `tenant ${tenant.tenantId}` });
