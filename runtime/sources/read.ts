import { closeSync, openSync, readSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, sqlPath, sqlString } from "../engine/duckdb";
import { entryListMap } from "../mapping/duckdb";
import type { RawColumn, SourceMapping } from "../mapping/types";
import { cur2Name } from "./aws-cur";
import { type FileKind, InputError } from "./files";
import { flattenedGcpNames, GCP_JSON_COLUMNS, isFlattenedGcp, nestedGcpSql } from "./gcp-schema";

export interface SourceColumn {
  name: string;
  type: string;
}

/** The first bytes of a file as text (gunzipped when compressed), for sniffing. */
export function peek(path: string, bytes = 65536): string {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    const head = buffer.subarray(0, n);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      try {
        return gunzipSync(head, { finishFlush: 2 }).toString("utf8");
      } catch {
        return "";
      }
    }
    return head.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

/**
 * JSON files: NDJSON has a record a line; an OpenCost `/allocation` response is one document with
 * `code` and `data`; anything else is not a billing export.
 */
export function jsonShape(path: string): "opencost" | "ndjson" | "other" {
  const text = peek(path).trimStart();
  const firstLine = text.split("\n", 1)[0] ?? "";
  try {
    const record = JSON.parse(firstLine) as Record<string, unknown>;
    if (record && typeof record === "object" && !("data" in record && "code" in record)) return "ndjson";
  } catch {
    // a document spanning lines: not NDJSON
  }
  return /^\{[\s\S]*"code"\s*:[\s\S]*"data"\s*:\s*\[/.test(text) ? "opencost" : "other";
}

/**
 * The column names of a CSV file's header record (RFC 4180: comma-separated, `"` quotes with `""`
 * escapes), byte-order mark removed; an empty name becomes `column<n>` and a repeated one gets
 * `_<k>`, as DuckDB's own sniffer names them.
 */
export function csvHeader(path: string): string[] {
  const text = peek(path).replace(/^\uFEFF/, "");
  const names: string[] = [];
  let field = "";
  let quoted = false;
  let ended = false;
  for (let i = 0; i < text.length && !ended; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      names.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") ended = true;
    else field += ch;
  }
  // peek() reads 64 KiB: a header without its end in there was cut off.
  if (!ended && Buffer.byteLength(text) >= 65536) {
    throw new InputError(`unreadable data: no end of the header line in the first 64 KiB of ${path}`);
  }
  names.push(field);
  const seen = new Map<string, number>();
  return names.map((raw, n) => {
    const name = raw.trim() || `column${n}`;
    const count = seen.get(name.toLowerCase()) ?? 0;
    seen.set(name.toLowerCase(), count + 1);
    return count ? `${name}_${count}` : name;
  });
}

/**
 * The null tokens of every CSV reader (read_csv options): an unquoted empty field and the bare token
 * `NULL`, which the FinOps Foundation's FOCUS sample data writes for a missing value. These match
 * the official FOCUS validator's CSV loader (focus_validator, data_loaders/csv_data_loader.py): it
 * reads with Polars' `null_values` containing "NULL" (case-sensitive, matched before quotes are
 * parsed, so a quoted "NULL" stays text). Its other tokens (INVALID, BAD_DATE, ...) are invalid
 * values made null, which would hide errors, so they are not matched; nor are pandas' NA/N/A/nan.
 */
export const CSV_NULLS = "nullstr = ['', 'NULL'], allow_quoted_nulls = false";

/**
 * DuckDB's CSV reader on an export's dialect, every column as text, no sniffing: a sniffer that
 * meets a malformed record in its sample guesses another dialect (or none) for the whole file.
 * With `rejects`, malformed records (wrong column count, unterminated quote, invalid UTF-8) are
 * skipped and recorded in those temporary tables instead of failing the read.
 */
export function csvReader(path: string, rejects?: { table: string; scan: string }): string {
  const columns = csvHeader(path).map((n) => `${sqlString(n)}: 'VARCHAR'`);
  const store = rejects
    ? `, store_rejects = true, rejects_table = ${sqlString(rejects.table)}, rejects_scan = ${sqlString(rejects.scan)}`
    : "";
  return `read_csv(${sqlPath(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ${CSV_NULLS}, columns = {${columns.join(", ")}}${store})`;
}

/**
 * A CSV file as its format's relation: a GCP billing export saved flattened is read as the nested
 * export (see nestedGcpSql); with `rejects`, see csvReader.
 */
export function csvSource(path: string, format: string, rejects?: { table: string; scan: string }): string {
  const reader = csvReader(path, rejects);
  if (format !== "gcp-billing") return reader;
  const names = new Map(csvHeader(path).map((n) => [bare(n), n]));
  return isFlattenedGcp(new Set(names.keys())) ? nestedGcpSql(reader, names) : reader;
}

/** The keys of a JSON file's first record (none when it is not one). */
function firstRecord(path: string): Record<string, unknown> {
  try {
    const record = JSON.parse(peek(path).trimStart().split("\n", 1)[0] ?? "");
    return record && typeof record === "object" ? record : {};
  } catch {
    return {};
  }
}

/** The table function reading one file with every column as the export wrote it (CSV as text). */
export function readerSql(path: string, kind: FileKind, format: string): string {
  const file = sqlPath(path);
  if (kind === "parquet") return `read_parquet(${file}, file_row_number = true)`;
  if (kind === "csv") return csvSource(path, format);
  if (format === "gcp-billing") {
    if (!isFlattenedGcp(new Set(Object.keys(firstRecord(path)).map(bare)))) {
      return `read_json(${file}, format = 'newline_delimited', columns = ${GCP_JSON_COLUMNS}, maximum_object_size = 67108864)`;
    }
    const flat = flattenedGcpNames();
    // Every name in both spellings is read: a field NULL on the first line may be left out there.
    const columns = flat.map((n) => `${sqlString(n)}: 'VARCHAR'`);
    const reader = `read_json(${file}, format = 'newline_delimited', columns = {${columns.join(", ")}}, maximum_object_size = 67108864)`;
    return nestedGcpSql(reader, new Map(flat.map((n) => [n, n])));
  }
  if (format === "opencost") return opencostSql(file);
  return `read_json_auto(${file}, format = 'newline_delimited')`;
}

/**
 * An OpenCost `/allocation` response flattened to one row per allocation and step: the scalar
 * fields as text and the label maps as JSON, in the shape the opencost mapping declares.
 */
function opencostSql(file: string): string {
  const scalars = [
    "name",
    "start",
    "end",
    "minutes",
    "cpuCoreHours",
    "cpuCost",
    "cpuCostAdjustment",
    "gpuHours",
    "gpuCost",
    "gpuCostAdjustment",
    "ramByteHours",
    "ramCost",
    "ramCostAdjustment",
    "pvByteHours",
    "pvCost",
    "pvCostAdjustment",
    "networkTransferBytes",
    "networkCost",
    "networkCostAdjustment",
    "loadBalancerCost",
    "loadBalancerCostAdjustment",
    "sharedCost",
    "externalCost",
    "totalCost",
  ];
  const props = [
    "cluster",
    "node",
    "namespace",
    "pod",
    "container",
    "controller",
    "controllerKind",
    "providerID",
  ];
  const value = (path: string) => `json_extract_string(e.value, ${sqlString(path)})`;
  // The hours each load balancer served the allocation (`lbAllocations{}.hours`, OpenCost 1.110+),
  // summed: NULL when there are none or one states no hours (older versions), and a value that is
  // not a number is passed on as it is, for the typed read to quarantine the row naming it.
  const lbHours = `list_transform(json_extract(e.value, '$.lbAllocations.*'), lb -> json_extract_string(lb, '$.hours'))`;
  const lbAllocationHours =
    `list_transform([${lbHours}], hs -> CASE WHEN len(hs) > 0 AND list_bool_and(list_transform(hs, h -> h IS NOT NULL))` +
    ` THEN COALESCE(list_filter(hs, h -> TRY_CAST(h AS DOUBLE) IS NULL)[1], CAST(list_sum(list_transform(hs, h -> TRY_CAST(h AS DOUBLE))) AS VARCHAR)) END)[1]`;
  return (
    `(SELECT ${[
      "e.key AS allocation_key",
      ...scalars.map((s) => `${value(`$.${s}`)} AS "${s}"`),
      `${lbAllocationHours} AS lbAllocationHours`,
      ...props.map((p) => `${value(`$.properties.${p}`)} AS "${p}"`),
      `${value("$.window.start")} AS windowStart`,
      `${value("$.window.end")} AS windowEnd`,
      `json_extract(e.value, '$.properties.labels') AS labels`,
      `json_extract(e.value, '$.properties.namespaceLabels') AS namespaceLabels`,
    ].join(", ")} FROM (SELECT unnest(map_entries(json_transform(step, '"MAP(VARCHAR, JSON)"'))) AS e` +
    ` FROM (SELECT unnest(json_transform(json -> '$.data', '["JSON"]')) AS step FROM read_json_objects(${file}, format = 'auto'))))`
  );
}

export async function describe(connection: DuckDBConnection, reader: string): Promise<SourceColumn[]> {
  try {
    const rows = await queryRows<{ column_name: string; column_type: string }>(
      connection,
      `DESCRIBE SELECT * FROM ${reader}`,
    );
    return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
  } catch (e) {
    throw new InputError(unreadableData(e));
  }
}

/** What a file that DuckDB's reader failed on says: the reader's first line. */
export const unreadableData = (e: unknown) => `unreadable data: ${(e as Error).message.split("\n")[0]}`;

const bare = (name: string) =>
  name
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase();

/** Where each logical raw column comes from in one file (SQL), or undefined when the file lacks it. */
export function resolveColumns(
  mapping: SourceMapping,
  columns: SourceColumn[],
): { resolved: Record<string, { sql: string } | undefined>; missing: string[] } {
  const spelled = (c: SourceColumn) =>
    bare(mapping.columnNames === "cur2" ? cur2Name(c.name.replace(/^\uFEFF/, "").trim()) : c.name);
  const byName = new Map(columns.map((c) => [spelled(c), c]));
  const resolved: Record<string, { sql: string } | undefined> = {};
  const missing: string[] = [];
  for (const [logical, column] of Object.entries(mapping.raw)) {
    resolved[logical] = column.entries
      ? assembled(column.entries, columns, spelled)
      : find(column, logical, byName);
    if (!resolved[logical] && column.required) missing.push(spelledOut(column.names ?? [logical]));
  }
  return { resolved, missing };
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The MAP of a RawColumn's `entries` over the file's columns, or undefined when it has none. A
 * key that two columns spell alike (names differing in case only) takes the first column's value.
 */
function assembled(
  from: NonNullable<RawColumn["entries"]>,
  columns: SourceColumn[],
  spelled: (c: SourceColumn) => string,
): { sql: string } | undefined {
  const keys = new Set<string>();
  const entries: string[] = [];
  for (const c of columns) {
    const name = spelled(c);
    const key = name.slice(from.prefix.length);
    if (!name.startsWith(from.prefix) || !key || from.except?.includes(name) || keys.has(key)) continue;
    keys.add(key);
    entries.push(`{'key': ${sqlString(key)}, 'value': NULLIF(trim(CAST(${quoted(c.name)} AS VARCHAR)), '')}`);
  }
  if (!entries.length) return undefined;
  return { sql: `map_from_entries(list_filter([${entries.join(", ")}], e -> e.value IS NOT NULL))` };
}

/** The names looked for, a nested path also in its flattened spelling (see nestedGcpSql). */
const spelledOut = (names: string[]) =>
  [...new Set(names.flatMap((n) => [n, n.replaceAll(".", "_")]))].join(" or ");

/** A list of structs with `key` and `value` fields, as DuckDB names its type. */
const isEntryList = (type: string) =>
  /^STRUCT\((?=(?:.*, )?"?key"? )(?=(?:.*, )?"?value"? ).*\)\[\]$/i.test(type);

function find(column: RawColumn, logical: string, byName: Map<string, SourceColumn>) {
  for (const name of column.names ?? [logical]) {
    const [top, ...path] = name.split(".");
    const source = byName.get(bare(top!));
    if (!source) continue;
    const sql = [quoted(source.name), ...path.map((p) => `"${p}"`)].join(".");
    // Tags as {key, value} entries (Google's FOCUS view) are the object they list.
    if (column.type === "object" && !path.length && isEntryList(source.type))
      return { sql: entryListMap(sql) };
    return { sql };
  }
  return undefined;
}

/** The 1-based row number of a record as `readerSql` reads the file. */
export const rowNumberSql = (kind: FileKind) =>
  kind === "parquet" ? "file_row_number + 1" : "row_number() OVER ()";

/**
 * One file as the relation the compiled pipeline reads: logical columns, `__file`, `__row` (from
 * `row`, see rowNumberSql) and `__problem` (the reader's, when `problem`; see PipelineInput); a
 * logical column the file lacks is a NULL of `nullType(name)`.
 */
export function fileRelation(
  path: string,
  row: string,
  reader: string,
  resolved: Record<string, { sql: string } | undefined>,
  nullType: (logical: string) => string,
  problem: boolean,
): string {
  const cols = Object.entries(resolved).map(
    ([logical, r]) => `${r ? r.sql : `CAST(NULL AS ${nullType(logical)})`} AS "${logical}"`,
  );
  const problemSql = problem ? "__problem" : "CAST(NULL AS VARCHAR)";
  return `SELECT ${sqlString(path)} AS __file, ${row} AS __row, ${problemSql} AS __problem, ${cols.join(", ")} FROM ${reader}`;
}
