import { z } from "zod";
import { CHECK_SETTINGS } from "./settings";

/** Turns a policy's schema into its tenant settings: optional, defaulted, and switchable off. */
const settings = <C extends z.ZodObject>(config: C) =>
  config.extend({ enabled: z.boolean().default(true) }).prefault({});

/**
 * The tenant's `checks:` section: each policy's settings under its key, every field defaulted.
 *
 *   checks:
 *     requiredTags: { tags: [cost-center, owner], minCoveragePercent: 90 }
 *     budgets: { budgets: [{ name: platform, amount: 20000, currency: USD }] }
 *     anomalies: { enabled: false }
 */
export const ChecksConfig = z
  .object(Object.fromEntries(Object.entries(CHECK_SETTINGS).map(([key, config]) => [key, settings(config)])))
  .strict();

export type ChecksConfig = z.output<typeof ChecksConfig>;

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
