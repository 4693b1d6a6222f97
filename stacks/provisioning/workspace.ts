import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { TenantConfig } from "../../components/tenant/config";

/** Resource changes by operation, as the engine counts them ("create", "update", "delete", "same", ...). */
export type ChangeCounts = Readonly<Record<string, number>>;

/** A policy pack's verdict on a resource, as the engine or the offline plan reports it. */
export interface StackPolicyViolation {
  policy: string;
  level: "mandatory" | "advisory";
  message: string;
  urn?: string;
}

/** What one stack operation returns. */
export interface StackResult {
  changes: ChangeCounts;
  outputs: Record<string, unknown>;
  /** Every violation the policy pack reported, advisory ones included (a mandatory one fails the operation). */
  policyViolations: StackPolicyViolation[];
}

/** How an operation reports as it goes. */
export interface StackHooks {
  /** Each line of the engine's progress output, as `pulumi up` prints it. */
  progress?: (line: string) => void;
}

/** The stack of one tenant: the boundary to the Automation API, faked in tests. */
export interface TenantStack {
  preview(hooks?: StackHooks): Promise<StackResult>;
  up(hooks?: StackHooks): Promise<StackResult>;
  destroy(hooks?: StackHooks): Promise<StackResult>;
}

/** Opens (creating when needed) the stack of a tenant, with its config set from the tenant file. */
export interface TenantWorkspace {
  open(tenant: TenantConfig, secrets: Readonly<Record<string, string>>): Promise<TenantStack>;
}

/** Whether a `pulumi` executable is on the PATH; the Automation API drives it. */
export function pulumiCliAvailable(path = process.env.PATH ?? ""): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, process.platform === "win32" ? "pulumi.exe" : "pulumi"), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The config key the tenant program reads (stacks/tenant/index.ts). */
export const TENANT_CONFIG_KEY = "costline:tenant";

/** The policy packs that gate a workspace's previews and updates, and each tenant's config of them. */
export interface PolicyGate {
  /** Folders of the packs, as `--policy-pack` takes them. */
  packs: readonly string[];
  /** The pack config a tenant implies (stacks/plan/tenant-pack.ts `tenantPackConfig`). */
  configFor: (tenant: TenantConfig) => Record<string, unknown>;
}

/**
 * The engine options of a gated operation: the packs, the tenant's pack config written to a JSON
 * file in `dir` (the Automation API takes config files only), progress lines, and a collector of
 * the policy events the engine emits.
 */
export function gatedOptions(
  gate: PolicyGate,
  tenant: TenantConfig,
  dir: string,
  hooks: StackHooks = {},
): { options: Record<string, unknown>; violations: StackPolicyViolation[] } {
  const configFile = join(dir, `${tenant.tenantId}.policy-config.json`);
  writeFileSync(configFile, `${JSON.stringify(gate.configFor(tenant), null, 2)}\n`);
  const violations: StackPolicyViolation[] = [];
  return {
    violations,
    options: {
      policyPacks: [...gate.packs],
      policyPackConfigs: [configFile],
      onOutput: hooks.progress && lines(hooks.progress),
      onEvent: (event: EngineEvent) => {
        const p = event.policyEvent;
        if (!p) return;
        violations.push({
          policy: p.policyName,
          level: p.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
          message: p.message,
          urn: p.resourceUrn,
        });
      },
    },
  };
}

/** Runs one gated operation with its pack config in a folder of its own, removed afterwards. */
async function gated(
  gate: PolicyGate,
  tenant: TenantConfig,
  hooks: StackHooks | undefined,
  run: (options: Record<string, unknown>) => Promise<Omit<StackResult, "policyViolations">>,
): Promise<StackResult> {
  const dir = mkdtempSync(join(tmpdir(), "costline-policy-config-"));
  try {
    const { options, violations } = gatedOptions(gate, tenant, dir, hooks);
    return { ...(await run(options)), policyViolations: violations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits the engine's output chunks into whole lines, as they complete. */
function lines(each: (line: string) => void): (chunk: string) => void {
  let pending = "";
  return (chunk) => {
    const parts = (pending + chunk).split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts) if (line.trim()) each(line);
  };
}

/**
 * The real workspace: one stack per tenant in this project (`LocalWorkspace`, the project's
 * program in `workDir`), config from the tenant file, secrets as secret config. It needs the
 * Pulumi CLI and a state backend, so it is exercised only by a real run; tests use a fake and
 * test `gatedOptions`. Previews and updates are gated by the packs with the tenant's pack config,
 * exactly as `--policy-pack` and `--policy-pack-config` do on the CLI.
 */
export function automationWorkspace(workDir: string, gate: PolicyGate): TenantWorkspace {
  return {
    async open(tenant, secrets) {
      const { LocalWorkspace } =
        require("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
      const stack = await LocalWorkspace.createOrSelectStack({ stackName: tenant.tenantId, workDir });
      // The program reads the tenant with requireObject, which parses JSON text.
      await stack.setAllConfig({
        [TENANT_CONFIG_KEY]: { value: JSON.stringify(tenant), secret: false },
        ...Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, { value: v, secret: true }])),
      });
      const toOutputs = (o: Record<string, { value: unknown; secret: boolean }>) =>
        Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
      return {
        async preview(hooks) {
          return gated(gate, tenant, hooks, async (options) => {
            const r = await stack.preview(options);
            return { changes: r.changeSummary as ChangeCounts, outputs: {} };
          });
        },
        async up(hooks) {
          return gated(gate, tenant, hooks, async (options) => {
            const r = await stack.up(options);
            return {
              changes: (r.summary.resourceChanges ?? {}) as ChangeCounts,
              outputs: toOutputs(r.outputs),
            };
          });
        },
        async destroy(hooks) {
          const r = await stack.destroy({ onOutput: hooks?.progress && lines(hooks.progress) });
          return {
            changes: (r.summary.resourceChanges ?? {}) as ChangeCounts,
            outputs: {},
            policyViolations: [],
          };
        },
      };
    },
  };
}
