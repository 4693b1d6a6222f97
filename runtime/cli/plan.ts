import { writeFileSync } from "node:fs";
import { parseFlags, required } from "./args";
import { ExitCode } from "./errors";

export const USAGE = "costline plan --tenant FILE [--json] [--pack-config OUT]";

/** `costline plan`: the offline preview of a tenant stack, with the policy pack's verdict. */
export async function planCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "plan",
    argv,
    { tenant: { type: "string" }, json: { type: "boolean" }, "pack-config": { type: "string" } },
    USAGE,
  );
  const file = required("plan", flags.tenant, "--tenant FILE", USAGE);
  // Loaded here, not at the top of the CLI: the Pulumi SDKs take seconds to load and only plan needs them.
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const { planTenant, renderPlan } =
    require("../../stacks/plan/offline-plan") as typeof import("../../stacks/plan/offline-plan");
  const { tenantPackConfig, tenantPlanChecker } =
    require("../../stacks/plan/tenant-pack") as typeof import("../../stacks/plan/tenant-pack");
  const tenant = loadTenantFile(file);
  if (flags["pack-config"]) {
    // The same settings for the real CLI: `pulumi preview --policy-pack policies --policy-pack-config OUT`.
    writeFileSync(flags["pack-config"], `${JSON.stringify(tenantPackConfig(tenant), null, 2)}\n`);
  }
  const { recorded: _recorded, ...plan } = await planTenant(tenant, tenantPlanChecker);
  out.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : `${renderPlan(tenant, plan)}\n`);
  return plan.violations.some((v) => v.level === "mandatory") ? ExitCode.violation : ExitCode.ok;
}
