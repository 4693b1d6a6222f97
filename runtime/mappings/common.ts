import {
  and,
  cast,
  coalesce,
  div,
  eq,
  type Expr,
  gt,
  lit,
  lookup,
  isNull,
  mul,
  NULL,
  notNull,
  out,
  param,
  rate,
  reportingRate,
  when,
} from "../mapping/ast";
import type { FormatId } from "../mapping/types";
import type { Provider } from "../taxonomy/services";
import { UNKNOWN_SERVICE } from "../taxonomy/services";

/** FOCUS service columns from the service taxonomy; an unknown service keeps the export's name and gets `Other`. */
export function serviceColumns(exportName: Expr): Record<string, Expr> {
  return {
    ServiceName: coalesce(lookup("service", "serviceName"), exportName),
    ServiceCategory: coalesce(lookup("service", "category"), lit(UNKNOWN_SERVICE.category)),
    ServiceSubcategory: coalesce(lookup("service", "subcategory"), lit(UNKNOWN_SERVICE.subcategory)),
  };
}

/** FOCUS region columns from the region taxonomy; an unknown region keeps its id as its name. */
export function regionColumns(regionId: Expr): Record<string, Expr> {
  return { RegionId: regionId, RegionName: coalesce(lookup("region", "name"), regionId) };
}

/**
 * USD per unit of BillingCurrency: 1 for USD; else the rates file given to the run (nearest earlier
 * date), as an explicit choice of rates wins; else the export's own rate where it has one. NULL
 * when none applies; the summary reports those rows.
 */
const usdRate: Expr = coalesce(
  when([[eq(out("BillingCurrency"), "USD"), lit(1)]]),
  rate(),
  out("__provider_rate"),
);

/**
 * The unit price a charge implies: its cost over its PricingQuantity (FOCUS requires unit price x
 * PricingQuantity = cost); NULL without a non-zero quantity.
 */
export const unitPriceOf = (cost: Expr, pricingQuantity: Expr): Expr => div(cost, pricingQuantity);

/**
 * A value FOCUS 1.2 forbids on a Tax charge, which has no SKU, price or pricing quantity
 * (SkuId-C-004-C, SkuPriceId-C-004-C, PricingQuantity-C-004-C, ListUnitPrice-C-004-C,
 * ContractedUnitPrice-C-005-C): NULL there, whatever the export states.
 */
export const unlessTax = (isTax: Expr, value: Expr): Expr => when([[isTax, NULL]], value);

/**
 * The FOCUS unit of a quantity counted in the export's units (see runtime/taxonomy/units.ts): a
 * block's unit ("10K" -> "10000 Units"), so that a unit price per block stays the provider's; a
 * unit the table lacks as the export writes it.
 */
export const pricingUnitIn = (given: Expr): Expr => coalesce(lookup("pricingUnit", "block_unit"), given);

/** The FOCUS unit of one thing consumed ("10K" -> "Units"), or the export's own where the table lacks it. */
export const consumedUnitIn = (given: Expr): Expr => coalesce(lookup("consumedUnit", "unit"), given);

/**
 * A consumed quantity counted in the export's units, in things consumed: times the block (an exact
 * product) where the unit is a block of several, else as stated.
 */
export function consumedQuantityIn(quantity: Expr): Expr {
  const block = lookup("consumedUnit", "block");
  return when([[gt(block, lit(1)), mul(quantity, block)]], quantity);
}

/** A PricingUnit only counts a PricingQuantity: FOCUS wants it NULL where the quantity is (PricingUnit-C-005-C). */
export const pricingUnitOf = (pricingQuantity: Expr, unit: Expr): Expr =>
  when([[notNull(pricingQuantity), unit]]);

/** SkuMeter only qualifies a SKU: FOCUS wants it NULL where SkuId is NULL. */
export const skuMeter = (skuId: Expr, meter: Expr): Expr => when([[notNull(skuId), meter]]);

/** Billing-currency amounts of one row that the pricing-currency columns restate. */
export interface BillingAmounts {
  billingCurrency: Expr;
  effectiveCost: Expr;
  listUnitPrice: Expr;
  contractedUnitPrice: Expr;
}

/**
 * The PricingCurrency columns of an export whose prices are stated in the billing currency (or
 * that names its pricing currency and states no conversion): where the two currencies are the
 * same, the pricing-currency amounts are the billing-currency ones; where they differ and the
 * export gives no converted amount, they stay NULL rather than be guessed.
 */
export function pricingCurrencyColumns(pricingCurrency: Expr, row: BillingAmounts): Record<string, Expr> {
  const alwaysSame = JSON.stringify(pricingCurrency) === JSON.stringify(row.billingCurrency);
  const ifSame = (amount: Expr) =>
    alwaysSame ? amount : when([[eq(pricingCurrency, row.billingCurrency), amount]]);
  return {
    PricingCurrency: pricingCurrency,
    PricingCurrencyContractedUnitPrice: ifSame(row.contractedUnitPrice),
    PricingCurrencyEffectiveCost: ifSame(row.effectiveCost),
    PricingCurrencyListUnitPrice: ifSame(row.listUnitPrice),
  };
}

/**
 * A BillingCurrency amount in USD. A USD amount is itself: most rows need no product, which
 * DuckDB computes in 128-bit decimals (see the dialects' multiply).
 */
const inUsd = (amount: Expr): Expr =>
  when([[eq(out("BillingCurrency"), "USD"), amount]], mul(amount, usdRate));

/** Costline's `x_` columns, the same for every format; `provider` is the row's `x_Provider`. */
export function extensionColumns(format: FormatId, provider: Provider | Expr): Record<string, Expr> {
  return {
    x_TenantId: param("tenantId"),
    x_Provider: typeof provider === "string" ? lit(provider) : provider,
    x_SourceFormat: lit(format),
    x_ServiceFamily: coalesce(lookup("service", "family"), lit(UNKNOWN_SERVICE.family)),
    x_RegionGeo: lookup("region", "geo"),
    x_RegionCountry: lookup("region", "country"),
    x_EffectiveCostUsd: inUsd(out("EffectiveCost")),
    x_BilledCostUsd: inUsd(out("BilledCost")),
    x_ExchangeRateToUsd: usdRate,
    x_ChargeDate: cast(out("ChargePeriodStart"), "date"),
    x_ReportingCurrency: param("reportingCurrency"),
    // Exact where it can be: a USD tenant's amount is the USD one, a row billed in the reporting
    // currency keeps its own; any other goes through USD (a quotient, to 15 significant digits).
    x_EffectiveCostReporting: when(
      [
        [eq(param("reportingCurrency"), "USD"), inUsd(out("EffectiveCost"))],
        [eq(out("BillingCurrency"), param("reportingCurrency")), out("EffectiveCost")],
      ],
      div(inUsd(out("EffectiveCost")), reportingRate()),
    ),
  };
}

/** Who sold a charge and who hosts it, for FOCUS 1.3's ServiceProviderName and HostProviderName. */
export interface ProviderParties {
  /** The provider, as ProviderName names it. */
  provider: Expr;
  /** True for a marketplace charge: sold by its seller, not by the provider. */
  marketplace?: Expr;
  /** The marketplace seller of such a charge. */
  seller?: Expr;
  /** The provider's resource the charge is for, if any. */
  resourceId?: Expr;
}

/**
 * FOCUS 1.3's seller and host of a charge. The provider's own services are sold and hosted by it.
 * A marketplace charge is sold by its seller; it is hosted by the provider where it names one of
 * the provider's resources (a machine image runs there), and a charge without one (a SaaS
 * subscription) has a host the export does not name, which HostProviderName-C-005-C lets be NULL.
 */
export function providerParties(p: ProviderParties): Record<string, Expr> {
  if (!p.marketplace) return { ServiceProviderName: p.provider, HostProviderName: p.provider };
  return {
    ServiceProviderName: when([[p.marketplace, p.seller ?? p.provider]], p.provider),
    HostProviderName: when([[and(p.marketplace, isNull(p.resourceId ?? NULL)), NULL]], p.provider),
  };
}

/**
 * FOCUS 1.3's split cost allocation and contract columns of a source that splits no cost and
 * applies no contract commitment: NULL, as the specification wants for a charge that is not a
 * data generator's split cost allocation (AllocatedMethodId-C-004-C) or under no contract.
 */
export const NOT_ALLOCATED: Readonly<Record<string, Expr>> = {
  AllocatedMethodDetails: NULL,
  AllocatedMethodId: NULL,
  AllocatedResourceId: NULL,
  AllocatedResourceName: NULL,
  AllocatedTags: NULL,
  ContractApplied: NULL,
};

/** The reconciliation cost recovered from output rows when the export's cost is the billed cost. */
export const billedOutputCost: Expr = out("BilledCost");
