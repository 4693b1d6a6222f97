import { z } from "zod";
import { anomalies } from "./policies/anomalies";
import { budgets } from "./policies/budgets";
import { credentialAge } from "./policies/credential-age";
import { exchangeRates } from "./policies/exchange-rates";
import { focusConformance } from "./policies/focus-conformance";
import { freshness } from "./policies/freshness";
import { requiredTags } from "./policies/required-tags";
import { unmappedServices } from "./policies/unmapped-services";

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
  .object({
    [focusConformance.configKey]: settings(focusConformance.config),
    [requiredTags.configKey]: settings(requiredTags.config),
    [budgets.configKey]: settings(budgets.config),
    [anomalies.configKey]: settings(anomalies.config),
    [freshness.configKey]: settings(freshness.config),
    [credentialAge.configKey]: settings(credentialAge.config),
    [unmappedServices.configKey]: settings(unmappedServices.config),
    [exchangeRates.configKey]: settings(exchangeRates.config),
  })
  .strict();

export type ChecksConfig = z.output<typeof ChecksConfig>;
