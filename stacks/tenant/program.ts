import type * as pulumi from "@pulumi/pulumi";
import type { TenantConfig } from "../../components/tenant/config";
import { TenantCostPipeline } from "../../components/tenant/pipeline";
import type { Kubeconfigs } from "../../components/tenant/providers";

/**
 * The per-tenant program: what `pulumi up` runs for a tenant stack and what the offline plan runs
 * under mocks. It takes an already validated tenant, so an invalid one never creates anything.
 */
export function tenantProgram(
  tenant: TenantConfig,
  kubeconfigs: Kubeconfigs = {},
): Record<string, pulumi.Output<unknown>> {
  const pipeline = new TenantCostPipeline(tenant.tenantId, { tenant, kubeconfigs });
  return { tenantId: pipeline.tenantId, clouds: pipeline.clouds };
}
