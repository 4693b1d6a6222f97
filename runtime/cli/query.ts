import { NAMED_VIEWS } from "../query/views";
import { DEFAULT_STORE, parseFlags } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE = `costline query [--input DIR] [--output-format table|csv|json] "SQL"
costline query --views-for duckdb|athena|bigquery --table TABLE`;

/**
 * `costline query`: SQL over a normalize store or a collect folder, in DuckDB, with the views
 * `focus`, `unified` and the named views (runtime/query/views.ts); or, with --views-for, the
 * statements that create the same views in a warehouse over its normalized table.
 */
export async function queryCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const fail = (message: string): never => {
    throw new CliError(`costline query: ${message}\nusage: ${USAGE}`);
  };
  const sql: string[] = [];
  const flags = parseFlags(
    "query",
    argv,
    {
      input: { type: "string" },
      "output-format": { type: "string" },
      "views-for": { type: "string" },
      table: { type: "string" },
    },
    USAGE,
    [],
    sql,
  );
  if (flags["views-for"] !== undefined) {
    const { VIEW_ENGINES, viewStatements } =
      require("../query/warehouse") as typeof import("../query/warehouse");
    const engine = flags["views-for"];
    if (!(engine in VIEW_ENGINES))
      fail(`--views-for is one of ${Object.keys(VIEW_ENGINES).join(", ")}, not "${engine}"`);
    if (!flags.table) fail("--views-for needs --table TABLE, the normalized table the views read");
    if (sql.length) fail("--views-for prints the views' statements; it runs no SQL");
    out.write(`${viewStatements(engine, flags.table!)}\n`);
    return ExitCode.ok;
  }
  const { OUTPUT_FORMATS, renderResult } = require("../query/render") as typeof import("../query/render");
  const format = (flags["output-format"] ?? "table") as (typeof OUTPUT_FORMATS)[number];
  if (!OUTPUT_FORMATS.includes(format)) {
    fail(`--output-format is one of ${OUTPUT_FORMATS.join(", ")}, not "${format}"`);
  }
  if (sql.length !== 1 || !sql[0]!.trim()) {
    fail(
      `give one SQL statement, quoted, e.g. "SELECT * FROM monthly_cost"${sql.length > 1 ? ` (got ${sql.length} arguments: quote the whole statement)` : ""}`,
    );
  }
  // DuckDB loads only for this command.
  const { openStoreQuery } = require("../query/open") as typeof import("../query/open");
  const { QueryError } = require("../query/session") as typeof import("../query/session");
  const { StoreError } = require("../query/store") as typeof import("../query/store");
  try {
    const session = await openStoreQuery(flags.input ?? DEFAULT_STORE);
    try {
      out.write(`${renderResult(await session.query(sql[0]!), format)}\n`);
    } finally {
      session.close();
    }
  } catch (e) {
    if (e instanceof StoreError) fail((e as Error).message);
    if (e instanceof QueryError) {
      fail(
        `the query failed: ${(e as Error).message} (views: ${["focus", "unified", ...NAMED_VIEWS.map((v) => v.name)].join(", ")})`,
      );
    }
    throw e;
  }
  return ExitCode.ok;
}
