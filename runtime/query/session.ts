import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlPath, sqlString } from "../engine/duckdb";
import { duckdb } from "../mapping/duckdb";
import { keptRows, unifiedSelect } from "../normalize/unified";
import type { StoreLayout, TenantStore } from "./store";
import { NAMED_VIEWS, type ViewContext } from "./views";

/** The column that names a row's tenant over a collect folder. */
export const TENANT_COLUMN = "tenant";

/** A query's result: its columns in order, and its rows as JSON values (decimals as text). */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
}

/** The query failed in DuckDB (bad SQL, an unknown column): the message is DuckDB's. */
export class QueryError extends Error {}

function readers(store: TenantStore): string[] {
  const list = (files: string[]) => `[${files.map(sqlPath).join(", ")}]`;
  const tenant = store.tenant === undefined ? "" : `${sqlString(store.tenant)} AS ${TENANT_COLUMN}, `;
  const { parquet, csv } = store.files;
  return [
    ...(parquet.length
      ? [
          `SELECT ${tenant}* FROM read_parquet(${list(parquet)}, hive_partitioning = false, union_by_name = true)`,
        ]
      : []),
    ...(csv.length
      ? [
          `SELECT ${tenant}* FROM read_csv(${list(csv)}, header = true, hive_partitioning = false, union_by_name = true)`,
        ]
      : []),
  ];
}

/** The grouping keys of every view over the layout: the tenant over a collect folder. */
export const viewKeys = (layout: StoreLayout): string[] =>
  layout.stores.some((s) => s.tenant !== undefined) ? [TENANT_COLUMN] : [];

/**
 * Creates the views over a store's files on a DuckDB connection: `focus` (every row), `unified`
 * (one source per billing account and period), `kept` (the FOCUS rows `unified` keeps, for the
 * policies) and the named views.
 */
export async function createViews(conn: DuckDBConnection, layout: StoreLayout): Promise<void> {
  const keys = viewKeys(layout);
  const focus = layout.stores.flatMap(readers).join(" UNION ALL BY NAME ");
  await conn.run(`CREATE OR REPLACE TEMP VIEW focus AS ${focus}`);
  await conn.run(`CREATE OR REPLACE TEMP VIEW kept AS ${keptRows("focus", duckdb, keys)}`);
  await conn.run(`CREATE OR REPLACE TEMP VIEW unified AS ${unifiedSelect("focus", duckdb, keys)}`);
  const ctx: ViewContext = { dialect: duckdb, unified: "unified", keys: keys.map((k) => duckdb.ident(k)) };
  for (const view of NAMED_VIEWS) {
    await conn.run(`CREATE OR REPLACE TEMP VIEW ${duckdb.ident(view.name)} AS ${view.sql(ctx)}`);
  }
}

/** Runs SQL on the connection; a failure is a QueryError with DuckDB's first line. */
export async function runQuery(conn: DuckDBConnection, sql: string): Promise<QueryResult> {
  try {
    const reader = await conn.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
  } catch (e) {
    throw new QueryError((e as Error).message.split("\n")[0]!);
  }
}

/** Rows as objects keyed by column. */
export const rowObjects = <T = Record<string, unknown>>(r: QueryResult): T[] =>
  r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])) as T);
