import type {
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { type ResolvedPolicyConfig, resolvePackConfig } from "./config";
import { UnknownValueError } from "./lib/stack";
import { costlinePolicies } from "./pack";
import type { CostlinePolicy, CostlineResourcePolicy, CostlineStackPolicy } from "./policy";
import type { RecordedResource } from "./resource-document";

/** A policy violation in the plan contract. */
export interface PlanViolation {
  policy: string;
  urn: string;
  level: "mandatory" | "advisory";
  message: string;
}

/** Thrown by `notApplicable()`, as CrossGuard's own error is: the policy does not apply. */
class NotApplicable extends Error {}

// CrossGuard's own sentinel for an unknown string, so that UnknownValue is CrossGuard's error.
const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: unknown };

/**
 * Thrown when a policy reads a value the plan does not know yet, as CrossGuard does during a
 * preview, and of CrossGuard's class: a policy that catches it per resource (`eachKnown`) behaves
 * the same under the CLI and here.
 */
class UnknownValue extends UnknownValueError {
  constructor(path: string) {
    super(unknownStringValue, path.split("."));
    this.message = `${path} is not known until the resource is created`;
  }
}

const UNKNOWN = "[unknown]";

/** A view of inputs that throws when a policy reads an unknown value, like CrossGuard's preview proxy. */
function unknownChecking<T>(value: T, path = "props"): T {
  if (!value || typeof value !== "object") return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return v;
      if (v === UNKNOWN) throw new UnknownValue(`${path}.${key}`);
      return unknownChecking(v, `${path}.${key}`);
    },
  }) as T;
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/** The URN part of a provider reference `urn::id`. */
const providerUrn = (ref: string) => ref.slice(0, ref.lastIndexOf("::"));

const typeOfClass = (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType;

export interface RunPackOptions {
  /** A policy pack config in Pulumi's JSON form; validated and completed with defaults. */
  config?: unknown;
  /** Where the config came from, for error messages. */
  configSource?: string;
  /** The policies to run; the whole Costline pack by default. */
  policies?: CostlinePolicy[];
}

/**
 * Runs a policy pack in-process on recorded resources the way CrossGuard runs it during
 * `pulumi preview`: every resource policy's validations on every custom resource (with its type,
 * inputs, URN, name, options and provider), then every stack policy on the whole set, with the
 * pack config's levels and settings. Disabled policies do not run; `remediate` reports as mandatory;
 * a policy that reads a value unknown before deployment yields an advisory "can't run" violation.
 */
export async function runPolicyPack(
  resources: RecordedResource[],
  options: RunPackOptions = {},
): Promise<PlanViolation[]> {
  const policies = options.policies ?? costlinePolicies;
  const resolved = resolvePackConfig(policies, options.config, options.configSource);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
  const violations: PlanViolation[] = [];

  const providerOf = (r: RecordedResource): PolicyProviderResource | undefined => {
    const p = r.provider ? byUrn.get(providerUrn(r.provider)) : undefined;
    return p && { type: p.type, name: p.name, urn: p.urn, props: unknownChecking(p.inputs) };
  };
  const optionsOf = (r: RecordedResource): PolicyResourceOptions => ({
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  });

  /** Runs one validation; returns false when it asked not to apply. */
  const attempt = async (
    policy: CostlinePolicy,
    level: ResolvedPolicyConfig["level"],
    urn: string,
    run: (report: ReportViolation) => unknown,
  ) => {
    const report: ReportViolation = (message, reportedUrn) =>
      violations.push({
        policy: policy.name,
        urn: reportedUrn || urn,
        level: level === "advisory" ? "advisory" : "mandatory",
        message,
      });
    try {
      await run(report);
    } catch (e) {
      if (e instanceof NotApplicable) return;
      if (e instanceof UnknownValue) {
        violations.push({
          policy: policy.name,
          urn,
          level: "advisory",
          message: `can't run policy "${policy.name}" before deployment: ${e.message}`,
        });
        return;
      }
      throw new Error(`policy "${policy.name}" failed on ${urn || "the stack"}: ${(e as Error).message}`, {
        cause: e,
      });
    }
  };

  // What a resource policy and a stack policy both see of a resource, as CrossGuard shows it.
  const viewOf = (r: RecordedResource, props: Record<string, unknown>) => ({
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: optionsOf(r),
    provider: providerOf(r),
    isType: (cls: unknown) => typeOfClass(cls) === r.type,
  });
  // asType's typing differs between the two (arguments vs resolved resource); its behaviour does not.
  const asTypeOf = (r: RecordedResource, props: Record<string, unknown>) => (cls: unknown) =>
    typeOfClass(cls) === r.type ? props : undefined;

  const active = policies.filter((p) => resolved.get(p.name)?.level !== "disabled");
  const resourcePolicies = active.filter(
    (p): p is CostlineResourcePolicy => "validateResource" in p && !!p.validateResource,
  );
  const stackPolicies = active.filter((p): p is CostlineStackPolicy => "validateStack" in p);

  for (const r of resources.filter((x) => x.custom)) {
    const props = unknownChecking(r.inputs);
    for (const policy of resourcePolicies) {
      const { level, settings } = resolved.get(policy.name)!;
      const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource!];
      // CrossGuard's fast path: a single typed validation skips other types without running.
      if (validations.length === 1 && typeOfClass(validations[0]) && typeOfClass(validations[0]) !== r.type)
        continue;
      const args: ResourceValidationArgs = {
        ...viewOf(r, props),
        asType: asTypeOf(r, props) as ResourceValidationArgs["asType"],
        stackTags: new Map(),
        getConfig: <T extends object>() => ({ ...settings }) as T,
        notApplicable,
      };
      for (const validate of validations)
        await attempt(policy, level, r.urn, (report) => validate(args, report));
    }
  }

  if (stackPolicies.length > 0) {
    const views = new Map<string, PolicyResource>();
    for (const r of resources) {
      const props = unknownChecking(r.inputs);
      views.set(r.urn, {
        ...viewOf(r, props),
        asType: asTypeOf(r, props) as PolicyResource["asType"],
        dependencies: [],
        propertyDependencies: {},
      });
    }
    for (const r of resources) {
      const view = views.get(r.urn)!;
      view.parent = r.parent ? views.get(r.parent) : undefined;
      view.dependencies = r.dependsOn.flatMap((d) => views.get(d) ?? []);
    }
    const all = [...views.values()];
    for (const policy of stackPolicies) {
      const { level, settings } = resolved.get(policy.name)!;
      const args: StackValidationArgs = {
        resources: all,
        stackTags: new Map(),
        getConfig: <T extends object>() => ({ ...settings }) as T,
        notApplicable,
      };
      await attempt(policy, level, stackUrn, (report) => policy.validateStack(args, report));
    }
  }
  return violations;
}
