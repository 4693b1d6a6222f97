import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, sqlPath } from "../engine/duckdb";

/** The rows a Parquet file's footer says it holds (FileMetaData.num_rows). */
export async function parquetFooterRows(connection: DuckDBConnection, path: string): Promise<number> {
  const [footer] = await queryRows<{ rows: string }>(
    connection,
    `SELECT CAST(num_rows AS VARCHAR) AS rows FROM parquet_file_metadata(${sqlPath(path)})`,
  );
  return Number(footer!.rows);
}

/** A file's records as counted apart from the rows DuckDB read of it. */
export interface HeldRecords {
  records: number;
  /** Who counted them: the Parquet footer, or Costline's own pass over the CSV records or the NDJSON objects. */
  by: "parquet footer" | "csv count" | "json count";
}

/**
 * Why a file's rows cannot be trusted, or undefined: the accounting read and set aside `read`
 * rows (`malformedLines`: the CSV records among them DuckDB could not split), where the file
 * holds another number. Fewer is a file read short, more one read long (rows that are not in the
 * file); either way its rows are not written, for the source's previous output to stay.
 */
export function readCountProblem(
  path: string,
  held: HeldRecords,
  read: number,
  malformedLines: readonly number[],
): string | undefined {
  if (read === held.records) return undefined;
  const how = read < held.records ? "short" : "long";
  const counted =
    held.by === "parquet footer"
      ? `rows of ${path}, where its Parquet footer counts ${held.records}`
      : `records of ${path}${malformedLines.length ? ` (${malformedLines.length} of them malformed, the first at line ${malformedLines[0]})` : ""}, where a count apart from its ${held.by === "json count" ? "JSON" : "CSV"} reader finds ${held.records}`;
  // Malformed records are where two readers may split a file apart: the first thing to mend.
  const mend = malformedLines.length
    ? "Mend the malformed records (DuckDB may have split them otherwise than they are written), or copy"
    : "Copy";
  return (
    `read ${how}: DuckDB read ${read} ${counted}; none of the file is written.` +
    ` ${mend} or export the file again if it changed during the run; if a whole copy is read ${how} too, report it to Costline with the file`
  );
}
