import { existsSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlPath } from "../engine/duckdb";
import { CSV_NULLS } from "../sources/read";
import { unfinishedPublication } from "../normalize/store";

/** A cost dataset opened as a DuckDB view. */
export interface Dataset {
  /** The view's name, quoted for SQL. */
  relation: string;
  /** The paths it was read from, comma-separated. */
  source: string;
  /**
   * `csv` data is read as text, so every value must carry its FOCUS type in its spelling;
   * `parquet` data carries physical types, which are checked as such.
   */
  format: "parquet" | "csv";
  /** Column name to DuckDB type, in file order. */
  columns: Map<string, string>;
  rows: number;
}

/** The input cannot be read as a dataset; the message says what is wrong and what to pass instead. */
export class DatasetError extends Error {}

/** Quotes an identifier for DuckDB. */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Quotes a string literal for DuckDB. */
export const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

const isCsv = (f: string) => /\.csv(\.gz)?$/i.test(f);
const isParquet = (f: string) => extname(f).toLowerCase() === ".parquet";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/**
 * A `costline normalize` output folder stands for its FOCUS data, `focus/`: its quarantine holds
 * source rows, not FOCUS rows, and must not be read with them.
 */
const focusOf = (path: string) => {
  if (!existsSync(join(path, "summary.json"))) return path;
  const unfinished = unfinishedPublication(path);
  if (unfinished) throw new DatasetError(unfinished);
  return existsSync(join(path, "focus")) && statSync(join(path, "focus")).isDirectory()
    ? join(path, "focus")
    : path;
};

/**
 * The DuckDB table function that reads `paths` together as one dataset: Parquet or CSV files, and
 * folders of them (hive partitions allowed), all of one format; a normalize output folder is read
 * as its `focus/`.
 */
export function readerFor(paths: string | string[]): { sql: string; format: Dataset["format"] } {
  const inputs = (typeof paths === "string" ? [paths] : paths).map((p) =>
    existsSync(p) && statSync(p).isDirectory() ? focusOf(p) : p,
  );
  const files: string[] = [];
  for (const path of inputs) {
    if (!existsSync(path)) throw new DatasetError(`${path}: no such file or folder`);
    if (statSync(path).isFile()) {
      if (!isParquet(path) && !isCsv(path))
        throw new DatasetError(`${path}: not a .parquet, .csv or .csv.gz file`);
      files.push(path);
      continue;
    }
    const found = filesUnder(path).filter((f) => isParquet(f) || isCsv(f));
    if (!found.length) throw new DatasetError(`${path}: no .parquet, .csv or .csv.gz files in this folder`);
    files.push(...found);
  }
  const parquet = [...new Set(files.filter(isParquet))].sort();
  const csv = [...new Set(files.filter(isCsv))].sort();
  if (parquet.length && csv.length) {
    throw new DatasetError(
      `${inputs.join(", ")}: holds both Parquet and CSV files; pass files or folders of one format`,
    );
  }
  const folders = inputs.some((p) => statSync(p).isDirectory());
  const list = (fs: string[]) => `[${fs.map(sqlPath).join(", ")}]`;
  const several = parquet.length > 1 || csv.length > 1 ? ", union_by_name = true" : "";
  if (parquet.length) {
    const hive = folders ? ", hive_partitioning = true" : "";
    return { sql: `read_parquet(${list(parquet)}${hive}${several})`, format: "parquet" };
  }
  // Text is read as text: a FOCUS CSV must spell each value correctly, and "" stays an empty
  // string; the null tokens are those of every CSV reader (CSV_NULLS).
  return {
    sql: `read_csv(${list(csv)}, all_varchar = true, header = true, ${CSV_NULLS}${several})`,
    format: "csv",
  };
}

/** Opens `paths` as the view `name` on `conn` and describes it. */
export async function openDataset(
  conn: DuckDBConnection,
  paths: string | string[],
  name = "focus_input",
): Promise<Dataset> {
  const { sql, format } = readerFor(paths);
  const path = typeof paths === "string" ? paths : paths.join(", ");
  const relation = ident(name);
  try {
    await conn.run(`CREATE OR REPLACE TEMP VIEW ${relation} AS SELECT * FROM ${sql}`);
  } catch (e) {
    throw new DatasetError(`${path}: cannot be read as ${format}: ${(e as Error).message.split("\n")[0]}`);
  }
  const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
  const columns = new Map<string, string>();
  for (const row of described.getRowObjectsJson())
    columns.set(String(row.column_name), String(row.column_type));
  const count = await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${relation}`);
  return { relation, source: path, format, columns, rows: Number(count.getRowObjectsJson()[0].n) };
}
