import type { Dialect } from "../mapping/dialect";
import type { RawColumn, SourceMapping } from "../mapping/types";

/** A column of a warehouse table as its catalog describes it (Glue: Hive types; BigQuery: schema fields). */
export interface WarehouseColumn {
  name: string;
  /** The catalog's type: `string`, `double`, `map<string,string>` (Glue) or `STRING`, `FLOAT`, `RECORD` (BigQuery). */
  type: string;
  /** BigQuery `REPEATED` fields. */
  repeated?: boolean;
  /** Fields of a struct (BigQuery RECORD). */
  fields?: WarehouseColumn[];
}

/** One export table the normalization reads. */
export interface SourceTable {
  /** The table reference, quoted for the engine. */
  from: string;
  /** What `__file` says for its rows (a label; Athena uses each row's object path instead). */
  label: string;
  columns: WarehouseColumn[];
  /** A filter that prunes the scan to one billing period (partition predicates). */
  where: string;
}

/** The relation a compiled mapping reads in the warehouse, with what the compiler must know about it. */
export interface SourceRelation {
  relation: string;
  textColumns: Set<string>;
  absentColumns: Set<string>;
}

export class SourceSchemaError extends Error {}

const TEXT_TYPES = /^(string|varchar(\(\d+\))?|char(\(\d+\))?)$/i;
const isMap = (c: WarehouseColumn) => /^map</i.test(c.type);
const isNested = (c: WarehouseColumn) => !!c.repeated || !!c.fields || /^(array|struct|record)/i.test(c.type);

/** The column at a dotted path (case-insensitive, as Glue and BigQuery compare names). */
function findPath(columns: readonly WarehouseColumn[], path: string[]): WarehouseColumn[] | undefined {
  const [head, ...rest] = path;
  const column = columns.find((c) => c.name.toLowerCase() === head!.toLowerCase());
  if (!column) return undefined;
  if (!rest.length) return [column];
  const inner = column.repeated ? undefined : findPath(column.fields ?? [], rest);
  return inner ? [column, ...inner] : undefined;
}

/** A BigQuery type from a schema field (for the typed NULL of a column one table lacks). */
function bigQueryType(c: WarehouseColumn): string {
  const scalar: Record<string, string> = {
    FLOAT: "FLOAT64",
    INTEGER: "INT64",
    BOOLEAN: "BOOL",
    RECORD: "STRUCT",
  };
  const base = c.fields
    ? `STRUCT<${c.fields.map((f) => `${f.name} ${bigQueryType(f)}`).join(", ")}>`
    : (scalar[c.type.toUpperCase()] ?? c.type.toUpperCase());
  return c.repeated ? `ARRAY<${base}>` : base;
}

/** A Trino type from a Glue (Hive) scalar type. */
function trinoType(c: WarehouseColumn): string {
  if (TEXT_TYPES.test(c.type)) return "VARCHAR";
  const simple: Record<string, string> = {
    double: "DOUBLE",
    bigint: "BIGINT",
    timestamp: "TIMESTAMP(3)",
    date: "DATE",
  };
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/i.exec(c.type);
  const type = decimal ? `DECIMAL(${decimal[1]},${decimal[2]})` : simple[c.type.toLowerCase()];
  if (!type)
    throw new SourceSchemaError(`column ${c.name} has type ${c.type}, which a union of tables cannot fill`);
  return type;
}

interface Resolved {
  sql: string;
  text: boolean;
  column: WarehouseColumn;
}

function resolve(d: Dialect, table: SourceTable, logical: string, raw: RawColumn): Resolved | undefined {
  for (const name of raw.names ?? [logical]) {
    const path = findPath(table.columns, name.split("."));
    if (!path) continue;
    const column = path.at(-1)!;
    const sql = path.map((p) => d.ident(p.name)).join(".");
    // Trino MAPs of tag-like objects travel as JSON text, so that every object column reads one way
    // (and a passed-through MAP can become a JSON text column, which Athena tables hold).
    if (raw.type === "object" && isMap(column)) {
      if (d.name !== "trino") throw new SourceSchemaError(`${d.name} has no MAP columns (${name})`);
      return { sql: `json_format(CAST(${sql} AS JSON))`, text: true, column };
    }
    if (raw.type === "object" && d.name === "bigquery" && column.type.toUpperCase() === "JSON") {
      return { sql: `TO_JSON_STRING(${sql})`, text: true, column };
    }
    return { sql, text: TEXT_TYPES.test(column.type) && !isNested(column), column };
  }
  return undefined;
}

/**
 * The relation over one or more export tables (UNION ALL) with the mapping's logical raw columns,
 * `__file` and `__row`. Required columns missing from a table are an error naming them; optional
 * ones are typed NULLs (absent from every table: the compiler's empty lists and NULLs).
 */
export function sourceRelation(
  mapping: SourceMapping,
  d: Dialect,
  tables: readonly SourceTable[],
): SourceRelation {
  if (!tables.length) throw new SourceSchemaError(`${mapping.format}: no export table to read`);
  if (mapping.facts && Object.keys(mapping.facts).length) {
    throw new SourceSchemaError(
      `${mapping.format} needs per-file facts, which the warehouse jobs do not compute`,
    );
  }
  const resolved = tables.map((t) =>
    Object.fromEntries(Object.entries(mapping.raw).map(([n, c]) => [n, resolve(d, t, n, c)] as const)),
  );
  const textColumns = new Set<string>();
  const absentColumns = new Set<string>();
  for (const [name, raw] of Object.entries(mapping.raw)) {
    const found = resolved.map((r) => r[name]);
    const missing = tables.filter((_, i) => !found[i]).map((t) => t.label);
    if (raw.required && missing.length) {
      throw new SourceSchemaError(
        `${mapping.format}: ${missing.join(", ")} lack(s) the required column ${(raw.names ?? [name]).join(" or ")}; is this the export the mapping reads?`,
      );
    }
    const present = found.filter((f) => f !== undefined);
    if (!present.length) absentColumns.add(name);
    if (!present.length || present.some((f) => f.text)) textColumns.add(name);
    if (present.some((f) => f.text) && present.some((f) => !f.text)) {
      throw new SourceSchemaError(
        `${mapping.format}: column ${name} is text in some tables and typed in others`,
      );
    }
  }
  const selects = tables.map((t, i) => {
    const file = d.name === "trino" ? `"$path"` : d.string(t.label);
    const cols = Object.keys(mapping.raw).map((name) => {
      const mine = resolved[i]![name];
      if (mine) return `${mine.sql} AS ${d.ident(name)}`;
      const other = resolved.map((r) => r[name]).find((f) => f !== undefined);
      const type =
        !other || other.text
          ? d.columnType("string")
          : d.name === "bigquery"
            ? bigQueryType(other.column)
            : trinoType(other.column);
      return `CAST(NULL AS ${type}) AS ${d.ident(name)}`;
    });
    // Row numbers are for quarantine files of the local runs; numbering a warehouse scan would serialize it.
    const row = `CAST(NULL AS ${d.name === "trino" ? "BIGINT" : "INT64"})`;
    return `SELECT ${file} AS __file, ${row} AS __row, ${cols.join(", ")} FROM ${t.from} WHERE ${t.where}`;
  });
  return { relation: `(${selects.join(" UNION ALL ")})`, textColumns, absentColumns };
}
