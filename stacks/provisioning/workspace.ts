import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { TenantConfig } from "../../components/tenant/config";

/** Resource changes by operation, as the engine counts them ("create", "update", "delete", "same", ...). */
export type ChangeCounts = Readonly<Record<string, number>>;

/** What one stack operation returns. */
export interface StackResult {
  changes: ChangeCounts;
  outputs: Record<string, unknown>;
}

/** The stack of one tenant: the boundary to the Automation API, faked in tests. */
export interface TenantStack {
  preview(): Promise<StackResult>;
  up(): Promise<StackResult>;
  destroy(): Promise<StackResult>;
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

/**
 * The real workspace: one stack per tenant in this project (`LocalWorkspace`, the project's
 * program in `workDir`), config from the tenant file, secrets as secret config. It needs the
 * Pulumi CLI and a state backend, so it is exercised only by a real run; tests use a fake.
 * `policyPacks` gate previews and updates exactly as `--policy-pack` does on the CLI.
 */
export function automationWorkspace(workDir: string, policyPacks: readonly string[] = []): TenantWorkspace {
  const gate = { policyPacks: [...policyPacks] };
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
        async preview() {
          const r = await stack.preview(gate);
          return { changes: r.changeSummary as ChangeCounts, outputs: {} };
        },
        async up() {
          const r = await stack.up(gate);
          return {
            changes: (r.summary.resourceChanges ?? {}) as ChangeCounts,
            outputs: toOutputs(r.outputs),
          };
        },
        async destroy() {
          const r = await stack.destroy();
          return { changes: (r.summary.resourceChanges ?? {}) as ChangeCounts, outputs: {} };
        },
      };
    },
  };
}
