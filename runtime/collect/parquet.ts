import { openEngine, sqlPath, sqlString } from "../engine/duckdb";
import { duckdb } from "../mapping/duckdb";
import { typedOutput } from "../normalize/typed-output";
import { OUTPUT_COLUMNS } from "../schema/output";

/**
 * Rows of the output schema as NDJSON text values (what a warehouse returned) into a Parquet file
 * of the output's columns and types, as `normalize` writes them; a column the rows lack is NULL.
 */
export async function outputRowsToParquet(ndjson: string, target: string): Promise<void> {
  const engine = await openEngine({ memoryLimit: "512MB" });
  try {
    const columns = OUTPUT_COLUMNS.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(", ");
    const names = OUTPUT_COLUMNS.map((c) => duckdb.ident(c.name)).join(", ");
    const text = `read_json(${sqlPath(ndjson)}, format = 'newline_delimited', columns = {${columns}})`;
    await engine.connection.run(
      `COPY (SELECT ${names} FROM ${typedOutput(text)}) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    engine.close();
  }
}
