import { anomalies } from "./anomalies";
import { budgets } from "./budgets";
import { credentialAge } from "./credential-age";
import { exchangeRates } from "./exchange-rates";
import { focusConformance } from "./focus-conformance";
import { freshness } from "./freshness";
import { overlappingSources } from "./overlapping-sources";
import { requiredTags } from "./required-tags";
import { unmappedServices } from "./unmapped-services";

/** Every policy, in report order. */
export const POLICIES = [
  focusConformance,
  requiredTags,
  budgets,
  anomalies,
  freshness,
  credentialAge,
  unmappedServices,
  exchangeRates,
  overlappingSources,
] as const;
