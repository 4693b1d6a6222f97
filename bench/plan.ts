/**
 * `npm run bench -- --formats plan`: `costline plan` of the all-clouds example tenant, as a user
 * runs it (a fresh process), split into its parts, each measured in its own child process:
 *
 * - baseline: a fresh process (Node and tsx, as bin/costline.js starts) that loads only the
 *   Pulumi SDK modules the program loads (the same files, found by loading the program once):
 *   what any Pulumi program of these resources pays before its own code runs;
 * - load and plan, inside one process: loading the tenant schema, the program and the policy
 *   pack, then the program run under mocks with the pack's verdict;
 * - the whole command, `costline plan --tenant examples/tenants/acme-all.yaml`.
 *
 * Baseline and command are wall clock, start-up included; the ratio is command over baseline.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..");
const TENANT = join(ROOT, "examples", "tenants", "acme-all.yaml");

export interface PlanBench {
  tenant: string;
  resources: number;
  baselineSeconds: number;
  loadSeconds: number;
  planSeconds: number;
  /** The pack alone over the planned resources (its second run: the first pays module loading). */
  policySeconds: number;
  commandSeconds: number;
  ratio: number;
}

/** What one child measures; printed as JSON on its last line. */
export async function planStep(kind: string): Promise<void> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  if (kind === "sdk-files") {
    require(join(ROOT, "components", "tenant", "config.ts"));
    require(join(ROOT, "stacks", "tenant", "program.ts"));
    require(join(ROOT, "stacks", "plan", "tenant-pack.ts"));
    const sdk = Object.keys(require.cache).filter((m) => m.includes("/node_modules/@pulumi/"));
    process.stdout.write(`${JSON.stringify(sdk)}\n`);
    return;
  }
  const { loadTenantFile } = require("../stacks/tenant/load") as typeof import("../stacks/tenant/load");
  const { planTenant } =
    require("../stacks/plan/offline-plan") as typeof import("../stacks/plan/offline-plan");
  const { tenantPlanChecker } =
    require("../stacks/plan/tenant-pack") as typeof import("../stacks/plan/tenant-pack");
  const loadSeconds = elapsed();
  const tenant = loadTenantFile(TENANT);
  const plan = await planTenant(tenant, tenantPlanChecker);
  const planSeconds = elapsed() - loadSeconds;
  const policyStarted = process.hrtime.bigint();
  await tenantPlanChecker(plan.recorded, tenant);
  const policySeconds = Number(process.hrtime.bigint() - policyStarted) / 1e9;
  process.stdout.write(
    `${JSON.stringify({ loadSeconds, planSeconds, policySeconds, resources: plan.resources.length })}\n`,
  );
}

function child(args: string[]): string {
  const out = execFileSync(process.execPath, ["--require", "tsx/cjs", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 2 ** 20,
  });
  return out.trim().split("\n").pop()!;
}

const stepOf = (kind: string) => child([join(__dirname, "run.ts"), "--step", kind]);

/** Wall-clock seconds of a fresh Node process running `args`, start-up included. */
function timed(args: string[]): number {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: "ignore", maxBuffer: 64 * 2 ** 20 });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export function benchPlan(): PlanBench {
  const sdkFiles = JSON.parse(stepOf("sdk-files")) as string[];
  const requires = sdkFiles.map((f) => `require(${JSON.stringify(f)});`).join("");
  const baselineSeconds = timed(["--require", "tsx/cjs", "-e", requires]);
  const { loadSeconds, planSeconds, policySeconds, resources } = JSON.parse(stepOf("plan")) as {
    loadSeconds: number;
    planSeconds: number;
    policySeconds: number;
    resources: number;
  };
  const commandSeconds = timed([join(ROOT, "bin", "costline.js"), "plan", "--tenant", TENANT]);
  return {
    tenant: "acme-all",
    resources,
    baselineSeconds,
    loadSeconds,
    planSeconds,
    policySeconds,
    commandSeconds,
    ratio: commandSeconds / baselineSeconds,
  };
}
