/**
 * The normalized output schema: FOCUS 1.2 columns in the specification's order (its column
 * chapter is alphabetical), then Costline's `x_` columns. This is the one source of truth for the
 * output: the DuckDB writer, the warehouse tables (Glue, BigQuery) and the validator all derive
 * from it. A test checks it against the FOCUS requirements model.
 */

/** Logical column types; each engine maps them to its own (see `sqlType`). */
export type ColumnType = "string" | "decimal" | "datetime" | "json" | "date";

/** FOCUS feature level of a column: mandatory, conditional or optional in the specification. */
export type ColumnLevel = "mandatory" | "conditional" | "optional" | "costline";

export interface OutputColumn {
  name: string;
  type: ColumnType;
  level: ColumnLevel;
  /** What the column holds, for the warehouse table descriptions. */
  description?: string;
}

const focus: [string, ColumnType, ColumnLevel][] = [
  ["AvailabilityZone", "string", "conditional"],
  ["BilledCost", "decimal", "mandatory"],
  ["BillingAccountId", "string", "mandatory"],
  ["BillingAccountName", "string", "mandatory"],
  ["BillingAccountType", "string", "conditional"],
  ["BillingCurrency", "string", "mandatory"],
  ["BillingPeriodEnd", "datetime", "mandatory"],
  ["BillingPeriodStart", "datetime", "mandatory"],
  ["CapacityReservationId", "string", "conditional"],
  ["CapacityReservationStatus", "string", "conditional"],
  ["ChargeCategory", "string", "mandatory"],
  ["ChargeClass", "string", "mandatory"],
  ["ChargeDescription", "string", "mandatory"],
  ["ChargeFrequency", "string", "optional"],
  ["ChargePeriodEnd", "datetime", "mandatory"],
  ["ChargePeriodStart", "datetime", "mandatory"],
  ["CommitmentDiscountCategory", "string", "conditional"],
  ["CommitmentDiscountId", "string", "conditional"],
  ["CommitmentDiscountName", "string", "conditional"],
  ["CommitmentDiscountQuantity", "decimal", "conditional"],
  ["CommitmentDiscountStatus", "string", "conditional"],
  ["CommitmentDiscountType", "string", "conditional"],
  ["CommitmentDiscountUnit", "string", "conditional"],
  ["ConsumedQuantity", "decimal", "conditional"],
  ["ConsumedUnit", "string", "conditional"],
  ["ContractedCost", "decimal", "mandatory"],
  ["ContractedUnitPrice", "decimal", "conditional"],
  ["EffectiveCost", "decimal", "mandatory"],
  ["InvoiceId", "string", "optional"],
  ["InvoiceIssuerName", "string", "mandatory"],
  ["ListCost", "decimal", "mandatory"],
  ["ListUnitPrice", "decimal", "conditional"],
  ["PricingCategory", "string", "mandatory"],
  ["PricingCurrency", "string", "conditional"],
  ["PricingCurrencyContractedUnitPrice", "decimal", "conditional"],
  ["PricingCurrencyEffectiveCost", "decimal", "conditional"],
  ["PricingCurrencyListUnitPrice", "decimal", "conditional"],
  ["PricingQuantity", "decimal", "mandatory"],
  ["PricingUnit", "string", "mandatory"],
  ["ProviderName", "string", "mandatory"],
  ["PublisherName", "string", "mandatory"],
  ["RegionId", "string", "conditional"],
  ["RegionName", "string", "conditional"],
  ["ResourceId", "string", "conditional"],
  ["ResourceName", "string", "conditional"],
  ["ResourceType", "string", "conditional"],
  ["ServiceCategory", "string", "mandatory"],
  ["ServiceName", "string", "mandatory"],
  ["ServiceSubcategory", "string", "optional"],
  ["SkuId", "string", "conditional"],
  ["SkuMeter", "string", "conditional"],
  ["SkuPriceDetails", "json", "conditional"],
  ["SkuPriceId", "string", "conditional"],
  ["SubAccountId", "string", "conditional"],
  ["SubAccountName", "string", "conditional"],
  ["SubAccountType", "string", "conditional"],
  ["Tags", "json", "conditional"],
];

/** Costline's extension columns, after the FOCUS ones. */
const extensions: OutputColumn[] = [
  { name: "x_TenantId", type: "string", level: "costline", description: "Costline tenant id" },
  { name: "x_Provider", type: "string", level: "costline", description: "aws | gcp | azure | kubernetes" },
  {
    name: "x_SourceFormat",
    type: "string",
    level: "costline",
    description: "source format id, e.g. aws-cur2",
  },
  {
    name: "x_ServiceFamily",
    type: "string",
    level: "costline",
    description: "compute, storage, database, ...",
  },
  {
    name: "x_RegionGeo",
    type: "string",
    level: "costline",
    description: "normalized geography, e.g. eu-west",
  },
  {
    name: "x_RegionCountry",
    type: "string",
    level: "costline",
    description: "ISO 3166 alpha-2 country of the region",
  },
  { name: "x_EffectiveCostUsd", type: "decimal", level: "costline", description: "EffectiveCost in USD" },
  { name: "x_BilledCostUsd", type: "decimal", level: "costline", description: "BilledCost in USD" },
  {
    name: "x_ExchangeRateToUsd",
    type: "decimal",
    level: "costline",
    description: "USD per unit of BillingCurrency",
  },
  { name: "x_ChargeDate", type: "date", level: "costline", description: "UTC date of ChargePeriodStart" },
  // Last, so that a table created before them gains them as appended columns.
  {
    name: "x_ReportingCurrency",
    type: "string",
    level: "costline",
    description: "the tenant's reporting currency (ISO 4217)",
  },
  {
    name: "x_EffectiveCostReporting",
    type: "decimal",
    level: "costline",
    description:
      "EffectiveCost in x_ReportingCurrency: as billed where that is the billing currency, else its USD amount at the reporting currency's rate of the charge day",
  },
];

/** The FOCUS 1.2 columns, in specification order. */
export const FOCUS_COLUMNS: readonly OutputColumn[] = focus.map(([name, type, level]) => ({
  name,
  type,
  level,
}));

/** Every output column, FOCUS first, then `x_`. */
export const OUTPUT_COLUMNS: readonly OutputColumn[] = [...FOCUS_COLUMNS, ...extensions];

/** The SQL type of a logical column type in each engine we compile to. */
export function sqlType(type: ColumnType, engine: "duckdb" | "trino" | "bigquery"): string {
  const table: Record<ColumnType, Record<typeof engine, string>> = {
    string: { duckdb: "VARCHAR", trino: "VARCHAR", bigquery: "STRING" },
    decimal: { duckdb: "DECIMAL(38,18)", trino: "DECIMAL(38,18)", bigquery: "BIGNUMERIC" },
    datetime: { duckdb: "TIMESTAMP", trino: "TIMESTAMP(3)", bigquery: "TIMESTAMP" },
    json: { duckdb: "JSON", trino: "JSON", bigquery: "JSON" },
    date: { duckdb: "DATE", trino: "DATE", bigquery: "DATE" },
  };
  return table[type][engine];
}

/**
 * Output columns a row cannot be written without: the normalizer quarantines a row where one of
 * them is missing (checked in this order, the first missing one named), and a FOCUS-format input
 * row must carry them.
 */
export const REQUIRED_VALUES: readonly string[] = [
  "BilledCost",
  "EffectiveCost",
  "BillingCurrency",
  "BillingAccountId",
  "BillingPeriodStart",
  "BillingPeriodEnd",
  "ChargePeriodStart",
  "ChargePeriodEnd",
  "ChargeCategory",
];
