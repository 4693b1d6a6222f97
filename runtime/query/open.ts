import type { DuckDBConnection } from "@duckdb/node-api";
import { type Engine, openEngine } from "../engine/duckdb";
import { createViews, type QueryResult, runQuery } from "./session";
import { readLayout, type StoreLayout } from "./store";

/** A store open in DuckDB with its views. */
export interface StoreQuery {
  layout: StoreLayout;
  connection: DuckDBConnection;
  /** Runs SQL over the views; a failure is a QueryError. */
  query(sql: string): Promise<QueryResult>;
  close(): void;
}

/**
 * Opens the store (or collect folder) at `root` with its views. A missing or empty store is a
 * StoreError; the engine is opened by `open` (a test may bound it).
 */
export async function openStoreQuery(
  root: string,
  open: () => Promise<Engine> = () => openEngine({ memoryLimit: "512MB" }),
): Promise<StoreQuery> {
  const layout = readLayout(root);
  const engine = await open();
  try {
    await createViews(engine.connection, layout);
  } catch (e) {
    engine.close();
    throw e;
  }
  return {
    layout,
    connection: engine.connection,
    query: (sql) => runQuery(engine.connection, sql),
    close: engine.close,
  };
}
