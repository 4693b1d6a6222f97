import type { TenantConfig } from "../../components/tenant/config";
import type { StackHooks, StackResult, TenantWorkspace } from "../../stacks/provisioning/workspace";

/**
 * A stand-in for the Automation API boundary that keeps state like a backend: a stack's first
 * `up` creates its resources, a rerun with the same config changes nothing, a changed config
 * updates. Tenants named in `failing` fail; `inFlight`/`maxInFlight` show the concurrency; each
 * operation reports one progress line.
 */
export class FakeWorkspace implements TenantWorkspace {
  readonly state = new Map<string, string>();
  readonly secretsSeen = new Map<string, Record<string, string>>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly failing: readonly string[] = [],
    private readonly delayMs = 10,
    /** Advisory violations every stack reports. */
    private readonly advisories: readonly string[] = [],
  ) {}

  async open(tenant: TenantConfig, secrets: Readonly<Record<string, string>>) {
    this.secretsSeen.set(tenant.tenantId, { ...secrets });
    const desired = JSON.stringify(tenant);
    const run = async (apply: boolean, destroy = false, hooks?: StackHooks): Promise<StackResult> => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        await new Promise((r) => setTimeout(r, this.delayMs));
        if (this.failing.includes(tenant.tenantId))
          throw new Error(`simulated failure for ${tenant.tenantId}`);
        const current = this.state.get(tenant.tenantId);
        const resources = 3;
        const changes: Record<string, number> = destroy
          ? { delete: current ? resources : 0 }
          : current === undefined
            ? { create: resources }
            : current === desired
              ? { same: resources }
              : { update: 1, same: resources - 1 };
        if (apply && destroy) this.state.delete(tenant.tenantId);
        else if (apply) this.state.set(tenant.tenantId, desired);
        hooks?.progress?.(`${destroy ? "destroying" : apply ? "updating" : "previewing"} ${tenant.tenantId}`);
        return {
          changes,
          outputs: apply && !destroy ? { tenantId: tenant.tenantId } : {},
          policyViolations: this.advisories.map((message) => ({
            policy: "aws-lambda-dead-letter",
            level: "advisory" as const,
            message,
          })),
        };
      } finally {
        this.inFlight--;
      }
    };
    return {
      preview: (hooks?: StackHooks) => run(false, false, hooks),
      up: (hooks?: StackHooks) => run(true, false, hooks),
      destroy: (hooks?: StackHooks) => run(true, true, hooks),
    };
  }
}
