/**
 * Issue 21: no policy throws on partial, malformed or unexpected inputs. Every resource the
 * all-clouds example plans is fed to the whole pack with its inputs mutated at random (fields
 * dropped, replaced by values of another type, by "[secret]" or "[unknown]", by JSON text that
 * does not parse); the runner turns a thrown error into a failure naming the policy, so a policy
 * that throws fails this test. A policy may report, skip, or say it can't run: only a crash fails.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { runPolicyPack } from "../../policies/run";
import type { RecordedResource } from "../../stacks/plan/mock-run";
import { planTenant } from "../../stacks/plan/offline-plan";
import { exampleTenant } from "../helpers/tenants";

/** A value of any shape a wrongly written or partial input may hold. */
const odd: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant("[secret]"),
  fc.constant("[unknown]"),
  fc.constant("{not json"),
  fc.constant('{"Statement": "not a list"}'),
  fc.constant('{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)), {
    maxKeys: 3,
    // Inputs come from JSON and the engine: plain objects, never null-prototype ones.
    noNullPrototype: true,
  }),
  fc.json(),
);

type Mutation = "drop" | "replace" | "keep";

/** The inputs with each field (and each field of a nested object) kept, dropped or replaced. */
function mutate(value: unknown, plan: () => [Mutation, unknown]): unknown {
  if (!value || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => mutate(v, plan));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const [what, replacement] = plan();
    if (what === "drop") continue;
    out[k] = what === "replace" ? replacement : mutate(v, plan);
  }
  return out;
}

describe("policy robustness on malformed inputs (property)", function () {
  this.timeout(300_000);
  let plan: RecordedResource[];
  before(async () => {
    plan = (await planTenant(exampleTenant())).recorded;
  });

  it("the example stack itself runs every policy without an error", async () => {
    await runPolicyPack(plan);
  });

  /** The resource among its stack neighbours and its provider, as stack policies meet it. */
  const around = (target: RecordedResource, mutated: RecordedResource) => {
    const stack = plan.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const provider = target.provider
      ? plan.find((r) => r.urn === target.provider!.split("::").slice(0, -1).join("::"))
      : undefined;
    const neighbours = plan.filter((r) => r.parent === target.parent && r.urn !== target.urn);
    return [stack, ...(provider ? [provider] : []), ...neighbours, mutated];
  };
  const customs = () => plan.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));

  it("no policy throws when any one input of any planned resource is missing, mistyped, secret or unknown", async () => {
    // One pack run per (field position, wrong value): every resource at once has its n-th input so,
    // so that each input of each resource meets each wrong value, among the real stack.
    const wrong: unknown[] = [undefined, null, "[secret]", "[unknown]", "{not json", 42, [null], {}];
    const widest = Math.max(...plan.map((r) => Object.keys(r.inputs).length));
    for (let n = 0; n < widest; n++) {
      for (const value of wrong) {
        const resources = plan.map((r) => {
          const key = Object.keys(r.inputs)[n];
          return key === undefined || !r.custom ? r : { ...r, inputs: { ...r.inputs, [key]: value } };
        });
        await assert.doesNotReject(runPolicyPack(resources), `input ${n} = ${JSON.stringify(value)}`);
      }
    }
  });

  it("no policy throws on any planned resource with its inputs mutated at every depth", async () => {
    const all = customs();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.infiniteStream(fc.tuple(fc.constantFrom<Mutation>("keep", "keep", "drop", "replace"), odd)),
        async (index, choices) => {
          const target = all[index]!;
          const inputs = mutate(target.inputs, () => choices.next().value) as Record<string, unknown>;
          await assert.doesNotReject(
            runPolicyPack(around(target, { ...target, inputs })),
            `${target.type} ${target.name}`,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it("no policy throws when a provider's inputs are mutated under every resource it serves", async () => {
    const providers = plan.filter((r) => r.type.startsWith("pulumi:providers:"));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: providers.length - 1 }),
        fc.infiniteStream(fc.tuple(fc.constantFrom<Mutation>("keep", "drop", "replace"), odd)),
        async (index, choices) => {
          const target = providers[index]!;
          const mutated = {
            ...target,
            inputs: mutate(target.inputs, () => choices.next().value) as Record<string, unknown>,
          };
          const resources = plan.map((r) => (r.urn === target.urn ? mutated : r));
          await assert.doesNotReject(runPolicyPack(resources), target.name);
        },
      ),
      { numRuns: 12 },
    );
  });
});
