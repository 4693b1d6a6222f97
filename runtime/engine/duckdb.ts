import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";

export interface EngineOptions {
  /** DuckDB's memory limit; past it, operators spill to `tempDirectory`. */
  memoryLimit?: string;
  tempDirectory?: string;
  threads?: number;
}

/**
 * An embedded DuckDB session set up for streaming normalization: bounded memory with spilling,
 * UTC session time zone (every timestamp we write is UTC), and no insertion-order guarantee so that
 * scans and writes stream in parallel instead of buffering.
 */
export async function openEngine(opts: EngineOptions = {}): Promise<Engine> {
  const tempDirectory = opts.tempDirectory ?? join(tmpdir(), "costline-duckdb");
  mkdirSync(tempDirectory, { recursive: true });
  const instance = await DuckDBInstance.create(":memory:", {
    memory_limit: opts.memoryLimit ?? "1GB",
    temp_directory: tempDirectory,
    threads: String(opts.threads ?? 2),
    preserve_insertion_order: "false",
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
  });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  return {
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export interface Engine {
  connection: DuckDBConnection;
  /** Releases the database (memory and spill files). */
  close(): void;
}

/** Runs a query and returns its rows as plain JSON values (decimals and big integers as strings). */
export async function queryRows<T = Record<string, unknown>>(
  connection: DuckDBConnection,
  sql: string,
): Promise<T[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as T[];
}

/** A SQL string literal. */
export const sqlString = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * A file's path as a SQL literal that DuckDB's readers (read_csv, read_parquet, read_json,
 * read_json_objects) open as that one file: they take every path as a glob pattern, so that
 * `cur-0[3].csv` would read `cur-03.csv` and `a*.csv` every `a…` file. Each of `*`, `?` and `[`
 * becomes a bracket class matching that character alone (DuckDB 1.5 has no other escape: `\` is
 * taken literally).
 */
export const sqlPath = (path: string) => sqlString(path.replace(/[*?[]/g, (c) => `[${c}]`));
