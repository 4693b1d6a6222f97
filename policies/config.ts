import type { EnforcementLevel } from "@pulumi/policy";
import { schemaProblems } from "./lib/json-schema";
import type { CostlinePolicy } from "./policy";

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One policy's effective configuration: its level and its settings with defaults filled in. */
export interface ResolvedPolicyConfig {
  level: EnforcementLevel;
  settings: Record<string, unknown>;
}

/** A policy pack config that does not fit the pack; carries every problem. */
export class PolicyConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid policy pack config\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "PolicyConfigError";
  }
}

/**
 * Resolves a policy pack config in Pulumi's form (`{"policy-name": "advisory"}` or
 * `{"policy-name": {"enforcementLevel": "advisory", ...settings}}`, and `"all"` for every policy)
 * against the pack: levels override the policy's default, settings are validated against the
 * policy's configSchema and completed with its defaults, as the Pulumi CLI does before a preview.
 */
export function resolvePackConfig(
  policies: CostlinePolicy[],
  raw: unknown = {},
  source = "policy config",
): Map<string, ResolvedPolicyConfig> {
  const problems: string[] = [];
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new PolicyConfigError(source, ['the config must be a JSON object keyed by policy name (or "all")']);
  }
  const config = raw as Record<string, unknown>;
  const known = new Set(policies.map((p) => p.name));
  for (const name of Object.keys(config)) {
    if (name !== "all" && !known.has(name)) {
      problems.push(`"${name}" is not a policy of this pack; policies are: ${[...known].join(", ")}`);
    }
  }
  const entry = (name: string): { level?: unknown; settings: Record<string, unknown> } => {
    const value = config[name];
    if (value === undefined) return { settings: {} };
    if (typeof value === "string") return { level: value, settings: {} };
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      problems.push(`"${name}" must be an enforcement level or an object, not ${JSON.stringify(value)}`);
      return { settings: {} };
    }
    const { enforcementLevel, ...settings } = value as Record<string, unknown>;
    return { level: enforcementLevel, settings };
  };
  const checkLevel = (name: string, level: unknown): EnforcementLevel | undefined => {
    if (level === undefined) return undefined;
    if (LEVELS.includes(level as EnforcementLevel)) return level as EnforcementLevel;
    problems.push(
      `"${name}".enforcementLevel must be one of ${LEVELS.join(", ")}, not ${JSON.stringify(level)}`,
    );
    return undefined;
  };
  const all = entry("all");
  if (Object.keys(all.settings).length > 0) problems.push(`"all" takes only an enforcementLevel`);
  const allLevel = checkLevel("all", all.level);

  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    const own = entry(policy.name);
    const level = checkLevel(policy.name, own.level) ?? allLevel ?? policy.enforcementLevel;
    const properties = policy.configSchema?.properties ?? {};
    for (const key of Object.keys(own.settings)) {
      if (!(key in properties)) {
        const allowed = Object.keys(properties);
        problems.push(
          `"${policy.name}".${key} is not a setting of this policy; ${allowed.length ? `settings are: ${allowed.join(", ")}` : "it has none"}`,
        );
      }
    }
    const settings: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(properties)) {
      const value = own.settings[key] ?? (typeof schema === "object" ? schema.default : undefined);
      if (value === undefined) continue;
      problems.push(...schemaProblems(value, schema, `"${policy.name}".${key}`));
      settings[key] = value;
    }
    for (const key of policy.configSchema?.required ?? []) {
      if (!(key in settings)) problems.push(`"${policy.name}".${key} is required`);
    }
    resolved.set(policy.name, { level, settings });
  }
  if (problems.length > 0) throw new PolicyConfigError(source, problems);
  return resolved;
}
