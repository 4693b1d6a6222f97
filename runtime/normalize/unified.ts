import { join } from "node:path";
import { canonicalTags, coalesce, type Expr, mul, out } from "../mapping/ast";
import { compileOutputExpression } from "../mapping/compile";
import type { Dialect } from "../mapping/dialect";
import { duckdb } from "../mapping/duckdb";
import type { TagAliases } from "../mapping/tags";
import type { FormatId } from "../mapping/types";

/**
 * The `unified` view: the plain fields analysts ask for, derived from the FOCUS output and declared
 * like the mappings (engine-neutral). `cost` is EffectiveCost in USD (`x_EffectiveCostUsd`), NULL where
 * no rate applied; the `*_usd` amounts likewise, and the other amounts are in `billing_currency`.
 * `tags` are the row's Tags as the provider wrote them; `canonical_tags` the same with the tenant's
 * aliases renamed to their canonical keys (checks.tagAliases), the keys the checks count.
 */
export const unifiedColumns = (tagAliases: TagAliases): Record<string, Expr> => ({
  tenant_id: out("x_TenantId"),
  account_id: coalesce(out("SubAccountId"), out("BillingAccountId")),
  billing_account: out("BillingAccountId"),
  provider: out("x_Provider"),
  source_format: out("x_SourceFormat"),
  date: out("x_ChargeDate"),
  service: out("ServiceName"),
  service_category: out("ServiceCategory"),
  region: out("RegionId"),
  cost: out("x_EffectiveCostUsd"),
  usage_quantity: out("ConsumedQuantity"),
  tags: out("Tags"),
  canonical_tags: canonicalTags(out("Tags"), tagAliases),
  charge_category: out("ChargeCategory"),
  charge_period_end: out("ChargePeriodEnd"),
  resource_id: out("ResourceId"),
  resource_name: out("ResourceName"),
  commitment_discount_status: out("CommitmentDiscountStatus"),
  billing_currency: out("BillingCurrency"),
  billed_cost: out("BilledCost"),
  effective_cost: out("EffectiveCost"),
  list_cost: out("ListCost"),
  billed_cost_usd: out("x_BilledCostUsd"),
  list_cost_usd: mul(out("ListCost"), out("x_ExchangeRateToUsd")),
  reporting_currency: out("x_ReportingCurrency"),
  cost_reporting: out("x_EffectiveCostReporting"),
});

/**
 * Which export of one billing account's period the view keeps when several hold the same costs
 * (CUR 2.0 and AWS's FOCUS export, Azure's cost details and FocusCost, a legacy CUR beside its
 * successor), first wins: the provider's own FOCUS conversion (amortized, as FOCUS wants), then its
 * detailed export, then the legacy one, then a FOCUS file of anyone else. Sums over the view then
 * count each charge once; `x_SourceFormat` says which export a row came from.
 */
export const SOURCE_PRECEDENCE: readonly FormatId[] = [
  "aws-focus",
  "azure-focus",
  "aws-cur2",
  "azure-cost-details",
  "gcp-billing",
  "opencost",
  "aws-cur",
  "focus",
];

/**
 * The rows of a relation holding the FOCUS output that the unified view keeps, with every column
 * of the relation: of each provider's billing account and period (and of each value of the
 * `within` columns, such as the tenant of a multi-tenant folder), the rows of the first source
 * format in SOURCE_PRECEDENCE that has any. Policies that read FOCUS columns run over these rows
 * so that they count each charge once too.
 */
export function keptRows(
  relation: string,
  dialect: Dialect = duckdb,
  within: readonly string[] = [],
): string {
  const d = dialect;
  const rank = `CASE ${d.ident("x_SourceFormat")} ${SOURCE_PRECEDENCE.map((f, i) => `WHEN ${d.string(f)} THEN ${i}`).join(" ")} ELSE ${SOURCE_PRECEDENCE.length} END`;
  const scope = [
    ...within.map((c) => d.ident(c)),
    d.ident("x_Provider"),
    d.ident("BillingAccountId"),
    "__period",
  ];
  // The period becomes a column first: PARTITION BY plain columns is what every engine and parser reads.
  const ranked = `SELECT *, ${rank} AS __rank, ${d.monthKey(d.ident("BillingPeriodStart"))} AS __period FROM ${relation}`;
  const first = `SELECT *, min(__rank) OVER (PARTITION BY ${scope.join(", ")}) AS __first FROM (${ranked}) AS ranked`;
  return `SELECT * FROM (${first}) AS firsts WHERE __rank = __first`;
}

/**
 * SELECT of the unified fields over a relation holding the FOCUS output (the rows `keptRows`
 * keeps), after the `within` columns carried as they are; `billing_period` is the `YYYY-MM` of
 * BillingPeriodStart, the period the view deduplicates by.
 */
export function unifiedSelect(
  relation: string,
  dialect: Dialect = duckdb,
  within: readonly string[] = [],
  tagAliases: TagAliases = {},
): string {
  const d = dialect;
  const fields = [
    ...within.map((c) => d.ident(c)),
    ...Object.entries(unifiedColumns(tagAliases)).map(
      ([name, e]) => `${compileOutputExpression(e, d)} AS ${d.ident(name)}`,
    ),
    `__period AS ${d.ident("billing_period")}`,
  ];
  return `SELECT ${fields.join(", ")} FROM (${keptRows(relation, d, within)}) AS kept`;
}

/** The DuckDB relation reading every FOCUS output file under `out`. */
export function focusRelation(out: string, format: "parquet" | "csv"): string {
  const glob = duckdb.string(join(out, "focus", "**", `*.${format}`));
  return format === "parquet"
    ? `read_parquet(${glob}, hive_partitioning = false)`
    : `read_csv(${glob}, header = true, hive_partitioning = false)`;
}

/** `CREATE VIEW unified` for DuckDB over the output folder (written as `<out>/unified.sql`). */
export function unifiedViewSql(out: string, format: "parquet" | "csv"): string {
  return `CREATE OR REPLACE VIEW unified AS ${unifiedSelect(focusRelation(out, format))};`;
}
