import { duckdb } from "../mapping/duckdb";
import { DEFAULT_OUTPUT_VERSION, type OutputVersion, outputColumns } from "../schema/output";

/**
 * A relation of the output's columns as text (a CSV output read back, rows a warehouse returned as
 * JSON) with each column of the output's type again, in DuckDB.
 */
export function typedOutput(textRelation: string, version: OutputVersion = DEFAULT_OUTPUT_VERSION): string {
  const typed = outputColumns(version)
    .filter((c) => c.type !== "string" && c.type !== "json")
    .map((c) => {
      const sql = duckdb.ident(c.name);
      const value = c.type === "datetime" ? duckdb.tryTimestamp(sql, true) : duckdb.cast(sql, c.type);
      return `${value} AS ${sql}`;
    });
  return `(SELECT * REPLACE (${typed.join(", ")}) FROM ${textRelation})`;
}
