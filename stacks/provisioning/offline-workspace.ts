import { planTenant, type PlanChecker } from "../plan/offline-plan";
import type { TenantWorkspace } from "./workspace";

/**
 * Stands in for the Automation API when the Pulumi CLI is not installed: `plan` becomes the
 * offline plan (every resource counts as a create, since there is no state to compare with);
 * `up` and `destroy` refuse, because they would need a real engine.
 */
export function offlineWorkspace(check?: PlanChecker): TenantWorkspace {
  // The mock runtime holds one program at a time, so offline plans run one after another.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };
  const needsCli = async (): Promise<never> => {
    throw new Error(
      "this needs the Pulumi CLI (https://www.pulumi.com/docs/install/) and a state backend; only plan works offline",
    );
  };
  return {
    async open(tenant) {
      return {
        preview: () =>
          serialized(async () => {
            const plan = await planTenant(tenant, check);
            const mandatory = plan.violations.filter((v) => v.level === "mandatory");
            if (mandatory.length > 0) {
              throw new Error(
                [
                  `${mandatory.length} mandatory policy violation(s):`,
                  ...mandatory.map((v) => `${v.policy}: ${v.message} (${v.urn})`),
                ].join("\n"),
              );
            }
            return {
              changes: { create: plan.resources.length },
              outputs: {},
              policyViolations: plan.violations,
            };
          }),
        up: needsCli,
        destroy: needsCli,
      };
    },
  };
}
