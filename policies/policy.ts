import type {
  PolicyConfigSchema,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Resource } from "@pulumi/pulumi";

/** What every Costline policy must state, beyond what CrossGuard makes optional. */
interface Stated {
  /** The default level; a pack config can override it per policy. */
  enforcementLevel: "mandatory" | "advisory";
  severity: Severity;
  /** What to change when the policy fires. */
  remediationSteps: string;
}

export type CostlineResourcePolicy = ResourceValidationPolicy & Stated;
export type CostlineStackPolicy = StackValidationPolicy & Stated;
export type CostlinePolicy = CostlineResourcePolicy | CostlineStackPolicy;

/**
 * A policy's settings: what the pack config gave, over the schema's defaults. The Pulumi CLI fills
 * defaults before it configures the pack, and so does our runner; reading them here as well keeps a
 * policy correct when it runs without any config at all.
 */
export function settingsOf<T extends object>(
  args: { getConfig<U extends object>(): U },
  schema: PolicyConfigSchema,
): T {
  const defaults = Object.fromEntries(
    Object.entries(schema.properties).flatMap(([key, s]) =>
      typeof s === "object" && s.default !== undefined ? [[key, s.default]] : [],
    ),
  );
  return { ...defaults, ...args.getConfig<Partial<T>>() } as T;
}

type ResourceClass<A> = { new (name: string, args: A, ...rest: never[]): Resource };

/** The type token of an SDK resource class, as CrossGuard compares it. */
export function typeToken(cls: ResourceClass<never> | (new (...rest: never[]) => Resource)): string {
  const token = (cls as unknown as { __pulumiType?: string }).__pulumiType;
  if (!token) throw new Error(`${cls.name} has no Pulumi type token`);
  return token;
}

/** The resources of one SDK class among a stack's. */
export function resourcesOf<R extends { type: string }>(
  resources: R[],
  cls: ResourceClass<never> | (new (...rest: never[]) => Resource),
): R[] {
  const token = typeToken(cls);
  return resources.filter((r) => r.type === token);
}

/** The token of a class whose args have `key` (checked by the compiler, so the list cannot lie). */
export function tokenWith<K extends string>(_key: K) {
  return <A>(
    cls: ResourceClass<A>,
    ..._proof: K extends keyof NonNullable<A> ? [] : [`this resource type has no "${K}" input`]
  ): string => typeToken(cls as unknown as ResourceClass<never>);
}

/** A setting that is a list of strings, as config schemas declare one. */
export const stringList = (defaultValue: string[], description: string) => ({
  type: "array" as const,
  items: { type: "string" as const },
  default: defaultValue,
  description,
});

/** A plain object view of an input that may be missing, a secret marker or an unknown. */
export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** An input list that may be missing. */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
