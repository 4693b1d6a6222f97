import { z } from "zod";

/*
 * Each check's key in the tenant's `checks:` section and the schema of its settings, apart from
 * the checks themselves: TenantConfig embeds these, and the Pulumi program must not load what the
 * checks run on (DuckDB, the FOCUS validator). Each check in policies/ takes its own from here.
 */

const Budget = z
  .object({
    /** The budget's name in findings. */
    name: z.string().min(1),
    /** Monthly amount in `currency`. */
    amount: z.number().positive("a budget amount is a positive number"),
    /** ISO 4217 code; spend is converted from USD with the data's own exchange rates. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "USD"')
      .default("USD"),
    /** Only this provider's charges (all providers when omitted). */
    provider: z.enum(["aws", "gcp", "azure", "kubernetes"]).optional(),
    /** Only this sub account's charges (SubAccountId). */
    subAccountId: z.string().min(1).optional(),
    /** Percentages of the amount to report at: below 80 as info, from 80 as warning, from 100 as error. */
    thresholds: z.array(z.number().positive()).min(1).default([50, 80, 100]),
  })
  .strict();

/** A tag key as the data spells it, matched exactly: anything but blank. */
const tagKey = z.string().regex(/\S/, "a tag key must not be blank");

/**
 * The tenant's spellings of its tag keys, `checks.tagAliases`: canonical key -> the other keys its
 * resources carry for it (`cost_center: [cost-center, CostCenter]`). The checks count an alias
 * toward its canonical key and the unified view's `canonical_tags` renames it to that key; on a
 * row with several spellings, the key's own non-blank value wins, then its aliases' in the order
 * listed (runtime/mapping/tags.ts).
 * Spellings match exactly, case included: AWS keys are case-sensitive (`user:CostCenter` is
 * `CostCenter` in Tags), GCP label keys are lower case, and Azure, whose tag names ignore case,
 * exports each resource's own spelling; so every spelling the data holds is listed. An alias
 * stands for one key and is not a canonical key itself, so that each spelling has one meaning.
 */
export const TagAliases = z
  .record(tagKey, z.array(tagKey).min(1, "list at least one alias, or remove the key"))
  .check((ctx) => {
    const owner = new Map<string, string>();
    for (const [key, aliases] of Object.entries(ctx.value)) {
      aliases.forEach((alias, i) => {
        const issue = (message: string) =>
          ctx.issues.push({ code: "custom", input: alias, path: [key, i], message });
        const first = owner.get(alias);
        if (alias === key) issue(`"${alias}" is the key itself; remove it from its aliases`);
        else if (Object.hasOwn(ctx.value, alias))
          issue(
            `"${alias}" is a canonical key of its own; list it and its aliases under one of "${key}" and "${alias}"`,
          );
        else if (first !== undefined)
          issue(`"${alias}" is already an alias of "${first}"; list it once, under the key it stands for`);
        else owner.set(alias, key);
      });
    }
  })
  .default({});

/** The settings schema of every check, by its key in `checks:`. */
export const CHECK_SETTINGS = {
  focusConformance: z
    .object({
      /**
       * Provider capabilities to assume: `by-source` (each source format's own, from its
       * x_SourceFormat), or `ALL` or a list of criteria for every row (e.g. a vendor's FOCUS file).
       */
      applicability: z
        .union([z.literal("by-source"), z.literal("ALL"), z.array(z.string())])
        .default("by-source"),
    })
    .strict(),
  requiredTags: z
    .object({
      /** Tag keys every charge should carry, e.g. ["cost-center", "owner"]. */
      tags: z.array(z.string().min(1)).default([]),
      /** Coverage below this percentage of usage cost is reported. */
      minCoveragePercent: z.number().min(0).max(100).default(90),
      severity: z.enum(["info", "warning", "error"]).default("warning"),
    })
    .strict(),
  budgets: z.object({ budgets: z.array(Budget).default([]) }).strict(),
  anomalies: z
    .object({
      baselineDays: z.number().int().min(3).max(90).default(14),
      minBaselineDays: z.number().int().min(2).default(7),
      lookbackDays: z.number().int().min(1).max(31).default(3),
      zThreshold: z.number().positive().default(3.5),
      minIncreasePercent: z.number().min(0).default(50),
      minIncreaseUsd: z.number().min(0).default(10),
      severity: z.enum(["info", "warning", "error"]).default("warning"),
    })
    .strict(),
  freshness: z
    .object({
      maxExportLagHours: z.number().positive().default(4),
      maxChargeLagHours: z.number().positive().default(48),
      severity: z.enum(["info", "warning", "error"]).default("error"),
    })
    .strict(),
  credentialAge: z
    .object({
      rotationDays: z.number().int().positive().default(90),
      warnDays: z.number().int().min(0).default(14),
    })
    .strict(),
  unmappedServices: z
    .object({
      maxUnmappedCostPercent: z.number().min(0).max(100).default(0),
      severity: z.enum(["info", "warning", "error"]).default("warning"),
    })
    .strict(),
  exchangeRates: z.object({ severity: z.enum(["info", "warning", "error"]).default("error") }).strict(),
  overlappingSources: z
    .object({ severity: z.enum(["info", "warning", "error"]).default("warning") })
    .strict(),
};

export type CheckKey = keyof typeof CHECK_SETTINGS;

/** A check's `configKey` and `config`, for its definePolicy. */
export const checkSettings = <K extends CheckKey>(key: K) => ({
  configKey: key,
  config: CHECK_SETTINGS[key],
});
