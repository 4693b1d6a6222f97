/**
 * node-sql-parser 5.4 ("trino" and "bigquery" grammars) does not know a few constructs that the
 * engines do. Before parsing, exactly these are rewritten to a construct of the same shape that it
 * knows; nothing else is touched, and parse.test.ts proves each rewrite is needed and sufficient:
 *
 * - Trino `CAST(x AS MAP(VARCHAR, VARCHAR|JSON))`: the grammar has no MAP type -> `JSON`.
 * - BigQuery `BIGNUMERIC`: not in its type list -> `NUMERIC`.
 * - BigQuery `CAST(x AS BIGINT)` (an alias of INT64) -> `INT64`.
 * - BigQuery JSON field subscript `j[__key]` (a field name from a column): the grammar knows only
 *   `[OFFSET(n)]` subscripts -> `[OFFSET(0)]`.
 *
 * Statements it cannot parse at all are validated otherwise: Athena's `UNLOAD (...) TO ... WITH`
 * (its inner SELECT is parsed, the wrapper is a fixed template asserted by a test) and BigQuery's
 * scripting (`BEGIN ... EXCEPTION ... END`, `IF`, `RAISE`; its DELETE and INSERT are parsed alone).
 */
export const PARSER_REWRITES = {
  trino: [[/MAP\(VARCHAR, (?:VARCHAR|JSON)\)/g, "JSON"]],
  bigquery: [
    [/\bBIGNUMERIC\b/g, "NUMERIC"],
    [/AS BIGINT\)/g, "AS INT64)"],
    [/\[__key\]/g, "[OFFSET(0)]"],
  ],
} as const satisfies Record<string, readonly (readonly [RegExp, string])[]>;

export function parseable(dialect: "trino" | "bigquery", sql: string): string {
  return PARSER_REWRITES[dialect].reduce((s, [pattern, replacement]) => s.replace(pattern, replacement), sql);
}
