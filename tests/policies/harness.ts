import assert from "node:assert/strict";
import type { RecordedResource } from "../../stacks/plan/mock-run";
import type { PlanViolation } from "../../stacks/plan/offline-plan";
import { runPolicyPack } from "../../policies/run";

const STACK = "urn:pulumi:test::costline::pulumi:pulumi:Stack::costline-test";

/** The stack resource every synthetic stack starts with. */
export const stackResource = (): RecordedResource => ({
  urn: STACK,
  type: "pulumi:pulumi:Stack",
  name: "costline-test",
  parent: null,
  inputs: {},
  custom: false,
  provider: null,
  dependsOn: [],
});

export interface ResourceOptions {
  provider?: RecordedResource;
  dependsOn?: RecordedResource[];
  custom?: boolean;
}

/** A recorded resource as the offline plan would hold it. */
export function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  opts: ResourceOptions = {},
): RecordedResource {
  return {
    urn: `urn:pulumi:test::costline::${type}::${name}`,
    type,
    name,
    parent: STACK,
    inputs,
    custom: opts.custom ?? true,
    provider: opts.provider ? `${opts.provider.urn}::${opts.provider.name}-id` : null,
    dependsOn: (opts.dependsOn ?? []).map((d) => d.urn),
  };
}

/** An explicit provider resource of a package. */
export const providerResource = (pkg: string, name: string, inputs: Record<string, unknown>) =>
  resource(`pulumi:providers:${pkg}`, name, inputs);

/** Violations of one policy on a stack made of `resources` (the stack resource is added). */
export async function violationsOf(
  policy: string,
  resources: RecordedResource[],
  config?: unknown,
): Promise<PlanViolation[]> {
  const all = await runPolicyPack([stackResource(), ...resources], { config });
  return all.filter((v) => v.policy === policy);
}

/** One policy, a stack that complies and a stack that violates it, and what the violation says. */
export interface PolicyCase {
  policy: string;
  /** What the case shows, for the test title. */
  what: string;
  compliant: RecordedResource[];
  violating: RecordedResource[];
  /** The message expected on the violating stack. */
  message: RegExp;
  /** The resource the violation is reported on (by name); the first violating resource by default. */
  on?: string;
  config?: unknown;
}

/** Declares the mocha tests of a table of cases. */
export function describeCases(title: string, cases: PolicyCase[]) {
  describe(title, function () {
    this.timeout(30_000);
    for (const c of cases) {
      it(`${c.policy}: ${c.what}`, async () => {
        assert.deepEqual(await violationsOf(c.policy, c.compliant, c.config), [], "the compliant stack");
        const found = await violationsOf(c.policy, c.violating, c.config);
        assert.ok(found.length > 0, `expected a ${c.policy} violation`);
        const target = c.on ?? c.violating[0].name;
        const hit = found.find((v) => v.urn.endsWith(`::${target}`) && c.message.test(v.message));
        assert.ok(
          hit,
          `expected a violation on ${target} matching ${c.message}; got ${JSON.stringify(found, null, 2)}`,
        );
      });
    }
  });
}
