import { openEngine, sqlPath, sqlString } from "../engine/duckdb";
import { duckdb } from "../mapping/duckdb";
import { typedOutput } from "../normalize/typed-output";
import { DEFAULT_OUTPUT_VERSION, type OutputVersion, outputColumns } from "../schema/output";

/**
 * Rows of the output schema as NDJSON text values (what a warehouse returned) into a Parquet file
 * of the output's columns and types, as `normalize` writes them; a column the rows lack is NULL.
 */
export async function outputRowsToParquet(
  ndjson: string,
  target: string,
  version: OutputVersion = DEFAULT_OUTPUT_VERSION,
): Promise<void> {
  const engine = await openEngine({ memoryLimit: "512MB" });
  try {
    const OUTPUT_COLUMNS = outputColumns(version);
    const columns = OUTPUT_COLUMNS.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(", ");
    const names = OUTPUT_COLUMNS.map((c) => duckdb.ident(c.name)).join(", ");
    const text = `read_json(${sqlPath(ndjson)}, format = 'newline_delimited', columns = {${columns}})`;
    await engine.connection.run(
      `COPY (SELECT ${names} FROM ${typedOutput(text, version)}) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    engine.close();
  }
}
