import type { TenantConfig } from "../../components/tenant/config";
import { tenantProgram } from "../tenant/program";
import type { PlanViolation } from "../../policies/run";
import { type RecordedResource, runUnderMocks } from "./mock-run";

export type { PlanViolation };

/**
 * One resource in the plan contract (urn, type, name, parent, inputs, dependencies), plus the provider
 * reference (`urn::id`, as `pulumi stack export` writes it) so that a saved plan checked later with
 * `costline policy-check` sees the same provider defaults (tags, region) as the plan did.
 */
export interface PlanResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  inputs: Record<string, unknown>;
  provider: string | null;
  /**
   * URNs it depends on, explicit and through its inputs: a policy that ties a companion resource to
   * its target by an id known only after deployment (a diagnostic setting's resourceUri) needs them.
   */
  dependsOn: string[];
}

/** The `costline plan --json` contract (docs/DESIGN.md, "The plan contract"). */
export interface PlanDocument {
  resources: PlanResource[];
  violations: PlanViolation[];
}

/** Checks recorded resources; the policy pack plugs in here. */
export type PlanChecker = (
  resources: RecordedResource[],
  tenant: TenantConfig,
) => PlanViolation[] | Promise<PlanViolation[]>;

/**
 * Runs the very program `pulumi up` runs for this tenant, in-process under mocks, and returns
 * what it would register, checked by `check`.
 */
export async function planTenant(
  tenant: TenantConfig,
  check?: PlanChecker,
): Promise<PlanDocument & { recorded: RecordedResource[] }> {
  const run = await runUnderMocks(() => tenantProgram(tenant), { stack: tenant.tenantId });
  const violations = check ? await check(run.resources, tenant) : [];
  return {
    resources: run.resources.map(({ urn, type, name, parent, inputs, provider, dependsOn }) => ({
      urn,
      type,
      name,
      parent,
      inputs,
      provider,
      dependsOn,
    })),
    violations,
    recorded: run.resources,
  };
}

/** The plan as a preview-like tree: one line a resource, indented under its parent. */
export function renderPlan(tenant: TenantConfig, plan: PlanDocument): string {
  const depth = new Map<string, number>();
  const typeWidth = Math.max(...plan.resources.map((r) => r.type.length));
  const lines = [
    `Offline plan for tenant ${tenant.tenantId} (${tenant.displayName}): no credentials, provider calls mocked`,
    "",
  ];
  for (const r of plan.resources) {
    const d = r.parent ? (depth.get(r.parent) ?? 0) + 1 : 0;
    depth.set(r.urn, d);
    lines.push(` + ${"  ".repeat(d)}${r.type.padEnd(typeWidth - 2 * d + 2)} ${r.name}`);
  }
  lines.push("", `Resources: ${plan.resources.length} to create`);
  if (plan.violations.length === 0) {
    lines.push("Policy violations: none");
  } else {
    lines.push(`Policy violations: ${plan.violations.length}`);
    for (const v of plan.violations) lines.push(`  [${v.level}] ${v.policy}: ${v.message}\n      ${v.urn}`);
  }
  return lines.join("\n");
}
