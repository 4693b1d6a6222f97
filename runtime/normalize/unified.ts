import { join } from "node:path";
import { coalesce, type Expr, out } from "../mapping/ast";
import { compileOutputExpression } from "../mapping/compile";
import type { Dialect } from "../mapping/dialect";
import { duckdb } from "../mapping/duckdb";
import type { FormatId } from "../mapping/types";

/**
 * The `unified` view: the plain fields analysts ask for, derived from the FOCUS output and declared
 * like the mappings (engine-neutral). Cost is in USD (`x_EffectiveCostUsd`); NULL where no rate applied.
 */
export const UNIFIED_COLUMNS: Record<string, Expr> = {
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
};

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
 * SELECT of the unified fields over a relation holding the FOCUS output: of each provider's
 * billing account and period, the rows of the first source format in SOURCE_PRECEDENCE that has
 * any.
 */
export function unifiedSelect(relation: string, dialect: Dialect = duckdb): string {
  const d = dialect;
  const rank = `CASE ${d.ident("x_SourceFormat")} ${SOURCE_PRECEDENCE.map((f, i) => `WHEN ${d.string(f)} THEN ${i}`).join(" ")} ELSE ${SOURCE_PRECEDENCE.length} END`;
  const scope = [
    d.ident("x_Provider"),
    d.ident("BillingAccountId"),
    d.monthKey(d.ident("BillingPeriodStart")),
  ];
  const ranked = `SELECT *, ${rank} AS __rank, min(${rank}) OVER (PARTITION BY ${scope.join(", ")}) AS __first FROM ${relation}`;
  return `SELECT ${Object.entries(UNIFIED_COLUMNS)
    .map(([name, e]) => `${compileOutputExpression(e, d)} AS ${d.ident(name)}`)
    .join(", ")} FROM (${ranked}) AS ranked WHERE __rank = __first`;
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
