import { join } from "node:path";
import { coalesce, type Expr, out } from "../mapping/ast";
import { compileOutputExpression } from "../mapping/compile";
import type { Dialect } from "../mapping/dialect";
import { duckdb } from "../mapping/duckdb";

/**
 * The `unified` view: the plain fields analysts ask for, derived from the FOCUS output and declared
 * like the mappings (engine-neutral). Cost is in USD (`x_EffectiveCostUsd`); NULL where no rate applied.
 */
export const UNIFIED_COLUMNS: Record<string, Expr> = {
  tenant_id: out("x_TenantId"),
  account_id: coalesce(out("SubAccountId"), out("BillingAccountId")),
  provider: out("x_Provider"),
  date: out("x_ChargeDate"),
  service: out("ServiceName"),
  service_category: out("ServiceCategory"),
  region: out("RegionId"),
  cost: out("x_EffectiveCostUsd"),
  usage_quantity: out("ConsumedQuantity"),
  tags: out("Tags"),
};

/** SELECT of the unified fields over a relation holding the FOCUS output. */
export function unifiedSelect(relation: string, dialect: Dialect = duckdb): string {
  return `SELECT ${Object.entries(UNIFIED_COLUMNS)
    .map(([name, e]) => `${compileOutputExpression(e, dialect)} AS ${dialect.ident(name)}`)
    .join(", ")} FROM ${relation}`;
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
