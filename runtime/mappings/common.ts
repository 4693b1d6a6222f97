import {
  cast,
  coalesce,
  col,
  div,
  eq,
  type Expr,
  keyValue,
  lit,
  lookup,
  mul,
  notNull,
  out,
  param,
  rate,
  when,
} from "../mapping/ast";
import type { FormatId, RawColumn } from "../mapping/types";
import { type ColumnType, FOCUS_COLUMNS, REQUIRED_VALUES } from "../schema/output";
import type { Provider } from "../taxonomy/services";
import {
  CAPACITY_RESERVATION_STATUSES,
  CHARGE_CATEGORIES,
  CHARGE_CLASSES,
  CHARGE_FREQUENCIES,
  COMMITMENT_DISCOUNT_CATEGORIES,
  COMMITMENT_DISCOUNT_STATUSES,
  PRICING_CATEGORIES,
  SERVICE_CATEGORIES,
} from "../taxonomy/focus-values";
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
 * A BillingCurrency amount in USD. A USD amount is itself, exactly: a product goes through DOUBLE
 * (see the dialects' multiply) and converting DECIMAL(38,18) to DOUBLE is the costliest cast DuckDB
 * makes (about 0.3 µs a value).
 */
const inUsd = (amount: Expr): Expr =>
  when([[eq(out("BillingCurrency"), "USD"), amount]], mul(amount, usdRate));

/** Costline's `x_` columns, the same for every format. */
export function extensionColumns(format: FormatId, provider: Provider): Record<string, Expr> {
  return {
    x_TenantId: param("tenantId"),
    x_Provider: lit(provider),
    x_SourceFormat: lit(format),
    x_ServiceFamily: coalesce(lookup("service", "family"), lit(UNKNOWN_SERVICE.family)),
    x_RegionGeo: lookup("region", "geo"),
    x_RegionCountry: lookup("region", "country"),
    x_EffectiveCostUsd: inUsd(out("EffectiveCost")),
    x_BilledCostUsd: inUsd(out("BilledCost")),
    x_ExchangeRateToUsd: usdRate,
    x_ChargeDate: cast(out("ChargePeriodStart"), "date"),
  };
}

/** The reconciliation cost recovered from output rows when the export's cost is the billed cost. */
export const billedOutputCost: Expr = out("BilledCost");

/** FOCUS enumerations a provider's FOCUS export must respect. */
const FOCUS_ENUMS: Record<string, readonly string[]> = {
  ChargeCategory: CHARGE_CATEGORIES,
  ChargeClass: CHARGE_CLASSES,
  ChargeFrequency: CHARGE_FREQUENCIES,
  PricingCategory: PRICING_CATEGORIES,
  CommitmentDiscountCategory: COMMITMENT_DISCOUNT_CATEGORIES,
  CommitmentDiscountStatus: COMMITMENT_DISCOUNT_STATUSES,
  CapacityReservationStatus: CAPACITY_RESERVATION_STATUSES,
  ServiceCategory: SERVICE_CATEGORIES,
};

const RAW_TYPE: Record<ColumnType, RawColumn["type"]> = {
  string: "string",
  decimal: "decimal",
  datetime: "timestamp",
  json: "object",
  date: "timestamp",
};

/**
 * Raw columns of a provider's own FOCUS export: every FOCUS column under its own name, mandatory
 * ones required in the file, plus the provider's `x_` columns the mapping reads.
 */
export function focusRawColumns(extra: Record<string, RawColumn>): Record<string, RawColumn> {
  const raw: Record<string, RawColumn> = {};
  for (const c of FOCUS_COLUMNS) {
    raw[c.name] = {
      type: RAW_TYPE[c.type],
      required: c.level === "mandatory" && c.name !== "ServiceSubcategory",
      notNull: REQUIRED_VALUES.includes(c.name),
      ...(FOCUS_ENUMS[c.name] ? { oneOf: FOCUS_ENUMS[c.name] } : {}),
    };
  }
  return { ...raw, ...extra };
}

/**
 * A provider FOCUS export passes through column by column, except where Costline fills gaps:
 * service category/subcategory and region name from the taxonomies when the export leaves them empty.
 */
export function focusPassthrough(overrides: Record<string, Expr>): Record<string, Expr> {
  const columns: Record<string, Expr> = {};
  for (const c of FOCUS_COLUMNS) columns[c.name] = col(c.name);
  return {
    ...columns,
    ServiceName: coalesce(col("ServiceName"), lookup("service", "serviceName")),
    ServiceCategory: coalesce(
      col("ServiceCategory"),
      lookup("service", "category"),
      lit(UNKNOWN_SERVICE.category),
    ),
    ServiceSubcategory: coalesce(
      col("ServiceSubcategory"),
      lookup("service", "subcategory"),
      lit(UNKNOWN_SERVICE.subcategory),
    ),
    RegionName: coalesce(col("RegionName"), lookup("region", "name")),
    // Normalized like every source: NULL when empty, scalar string values (Azure may omit the braces).
    Tags: keyValue({ expr: col("Tags"), form: "json" }),
    ...overrides,
  };
}
