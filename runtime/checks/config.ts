import { z } from "zod";
import type { TagAliases as Aliases } from "../mapping/tags";
import { CHECK_SETTINGS, TagAliases } from "./settings";

/** Turns a policy's schema into its tenant settings: optional, defaulted, and switchable off. */
const settings = <C extends z.ZodObject>(config: C) =>
  config.extend({ enabled: z.boolean().default(true) }).prefault({});

/**
 * The tenant's `checks:` section: each policy's settings under its key, every field defaulted, and
 * the tag keys' aliases the policies and the unified view read Tags with.
 *
 *   checks:
 *     tagAliases: { cost_center: [cost-center, CostCenter] }
 *     requiredTags: { tags: [cost_center, owner], minCoveragePercent: 90 }
 *     budgets: { budgets: [{ name: platform, amount: 20000, currency: USD }] }
 *     anomalies: { enabled: false }
 */
// The shape is typed by its keys, not as `Object.fromEntries` types it (a string index), which the
// emitted declarations could not reconcile with `tagAliases` for a package's consumers.
type SettingsShape = {
  [K in keyof typeof CHECK_SETTINGS]: ReturnType<typeof settings<(typeof CHECK_SETTINGS)[K]>>;
};
export const ChecksConfig = z
  .object(
    Object.fromEntries(
      Object.entries(CHECK_SETTINGS).map(([key, config]) => [key, settings(config)]),
    ) as SettingsShape,
  )
  .extend({ tagAliases: TagAliases })
  .strict()
  .check((ctx) => {
    // An alias is counted under its canonical key: required on its own, it would measure only itself.
    const canonical = new Map(
      Object.entries(tagAliasesOf(ctx.value)).flatMap(([key, aliases]) =>
        aliases.map((a) => [a, key] as const),
      ),
    );
    (ctx.value.requiredTags as z.output<typeof CHECK_SETTINGS.requiredTags>).tags.forEach((tag, i) => {
      const key = canonical.get(tag);
      if (key !== undefined)
        ctx.issues.push({
          code: "custom",
          input: tag,
          path: ["requiredTags", "tags", i],
          message: `"${tag}" is an alias of "${key}" (checks.tagAliases); require "${key}", which "${tag}" counts toward`,
        });
    });
  });

export type ChecksConfig = z.output<typeof ChecksConfig>;

/** The tag aliases of a checks section (the section types each policy's settings loosely; these are shared). */
export const tagAliasesOf = (checks: ChecksConfig): Aliases => checks.tagAliases as Aliases;

/** The setting that carries a tenant's checks section to its jobs, as JSON. */
export const CHECKS_SETTING = "COSTLINE_CHECKS";

/** The checks settings a job was deployed with; every default when the setting is absent. */
export function checksFromEnv(env: NodeJS.ProcessEnv): ChecksConfig {
  const raw = env[CHECKS_SETTING];
  if (!raw) return ChecksConfig.parse({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(
      `${CHECKS_SETTING} is not JSON; it holds the tenant's checks section, as pulumi up writes it`,
    );
  }
  const result = ChecksConfig.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map(
      (i) => `${["checks", ...i.path.map(String)].join(".")}: ${i.message}`,
    );
    throw new Error(`${CHECKS_SETTING} is not a valid checks section: ${problems.join("; ")}`);
  }
  return result.data;
}
