import type { PolicyResource } from "@pulumi/policy";

/** CrossGuard's error for a value not known during a preview (its typings leave the class out). */
export const UnknownValueError = (
  require("@pulumi/policy") as { UnknownValueError: new (sentinel: unknown, props: string[]) => Error }
).UnknownValueError;

/**
 * The resources among `candidates` that `companion` configures through its `prop` input (a bucket
 * policy's `bucket`, an invoke config's `functionName`): by the property's dependencies when the engine
 * gives them, else by the name it holds, else by its only dependency among the candidates.
 */
export function targetsOf(
  companion: PolicyResource,
  prop: string,
  candidates: PolicyResource[],
  namesOf: (candidate: PolicyResource) => unknown[],
  value: unknown = companion.props[prop],
): PolicyResource[] {
  const byProperty = (companion.propertyDependencies[prop] ?? []).filter((d) => candidates.includes(d));
  if (byProperty.length > 0) return byProperty;
  const byName = candidates.filter((c) =>
    namesOf(c).some(
      (n) => typeof n === "string" && n !== "" && (value === n || String(value).endsWith(`:${n}`)),
    ),
  );
  if (byName.length > 0) return byName;
  const byDependency = companion.dependencies.filter((d) => candidates.includes(d));
  return byDependency.length === 1 ? byDependency : [];
}

/**
 * Judges each item of a stack policy on its own: an item whose inputs are not known yet (during a
 * preview) is left unjudged instead of ending the policy, so it cannot hide the verdict on the
 * others. Anything else it throws still fails the policy.
 */
export function eachKnown<T>(items: readonly T[], judge: (item: T) => void): void {
  for (const item of items) {
    try {
      judge(item);
    } catch (e) {
      if (!(e instanceof UnknownValueError)) throw e;
    }
  }
}
