import { existsSync, readdirSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";

/** A cost dataset opened as a DuckDB view. */
export interface Dataset {
  /** The view's name, quoted for SQL. */
  relation: string;
  /** The path it was read from. */
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

/** The DuckDB table function that reads `path`: one Parquet or CSV file, or a folder of them (hive partitions allowed). */
export function readerFor(path: string): { sql: string; format: Dataset["format"] } {
  if (!existsSync(path)) throw new DatasetError(`${path}: no such file or folder`);
  // Text is read as text: a FOCUS CSV must spell each value correctly, and "" stays an empty
  // string (only an unquoted empty field is NULL).
  const csvOptions = "all_varchar = true, header = true, allow_quoted_nulls = false";
  if (statSync(path).isFile()) {
    if (isParquet(path)) return { sql: `read_parquet(${literal(path)})`, format: "parquet" };
    if (isCsv(path)) return { sql: `read_csv(${literal(path)}, ${csvOptions})`, format: "csv" };
    throw new DatasetError(`${path}: not a .parquet, .csv or .csv.gz file`);
  }
  const files = filesUnder(path);
  const parquet = files.filter(isParquet);
  const csv = files.filter(isCsv);
  if (parquet.length && csv.length) {
    throw new DatasetError(
      `${path}: holds both Parquet and CSV files; pass one file or a folder of one format`,
    );
  }
  const list = (fs: string[]) => `[${fs.sort().map(literal).join(", ")}]`;
  if (parquet.length) {
    return {
      sql: `read_parquet(${list(parquet)}, hive_partitioning = true, union_by_name = true)`,
      format: "parquet",
    };
  }
  if (csv.length)
    return { sql: `read_csv(${list(csv)}, ${csvOptions}, union_by_name = true)`, format: "csv" };
  throw new DatasetError(`${path}: no .parquet, .csv or .csv.gz files in this folder`);
}

/** Opens `path` as the view `name` on `conn` and describes it. */
export async function openDataset(
  conn: DuckDBConnection,
  path: string,
  name = "focus_input",
): Promise<Dataset> {
  const { sql, format } = readerFor(path);
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
