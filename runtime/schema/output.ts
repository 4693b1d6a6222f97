import { FOCUS_1_2, NULL_WITHOUT_SKU_PRICE_1_2 } from "./focus-1.2";
import { FOCUS_1_3, NULL_WITHOUT_SKU_PRICE_1_3 } from "./focus-1.3";

/**
 * The normalized output schema of each FOCUS version Costline writes: that version's columns in
 * the specification's order (one module per version, `focus-<version>.ts`), then Costline's `x_`
 * columns. This is the one source of truth for the output: the DuckDB writer, the warehouse tables
 * (Glue, BigQuery) and the validator all derive from it. A test checks it against the FOCUS
 * requirements model of each version.
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

/** The FOCUS versions Costline writes; 1.2 unless the tenant (or `--focus-version`) asks for another. */
export const OUTPUT_VERSIONS = ["1.2", "1.3"] as const;
export type OutputVersion = (typeof OUTPUT_VERSIONS)[number];
export const DEFAULT_OUTPUT_VERSION: OutputVersion = "1.2";

const SCHEMAS: Record<OutputVersion, readonly (readonly [string, ColumnType, ColumnLevel])[]> = {
  "1.2": FOCUS_1_2,
  "1.3": FOCUS_1_3,
};

const focusOf = new Map(
  OUTPUT_VERSIONS.map((v) => [
    v,
    SCHEMAS[v].map(([name, type, level]): OutputColumn => ({ name, type, level })),
  ]),
);

/** The FOCUS columns of a version, in specification order. */
export function focusColumns(version: OutputVersion = DEFAULT_OUTPUT_VERSION): readonly OutputColumn[] {
  return focusOf.get(version)!;
}

const outputOf = new Map(OUTPUT_VERSIONS.map((v) => [v, [...focusColumns(v), ...extensions]]));

/** Every output column of a version, FOCUS first, then `x_`. */
export function outputColumns(version: OutputVersion = DEFAULT_OUTPUT_VERSION): readonly OutputColumn[] {
  return outputOf.get(version)!;
}

/** The columns of every version (a FOCUS reader knows them all; a mapping declares them all). */
export const ALL_FOCUS_COLUMNS: readonly OutputColumn[] = focusColumns(
  OUTPUT_VERSIONS[OUTPUT_VERSIONS.length - 1],
);

/** The columns a version wants NULL on a row without a SkuPriceId. */
export function nullWithoutSkuPrice(version: OutputVersion): readonly string[] {
  return version === "1.2" ? NULL_WITHOUT_SKU_PRICE_1_2 : NULL_WITHOUT_SKU_PRICE_1_3;
}

/** True for a FOCUS version Costline writes (a flag's or a setting's text). */
export function isOutputVersion(value: string): value is OutputVersion {
  return (OUTPUT_VERSIONS as readonly string[]).includes(value);
}

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
