import { sqlType } from "../schema/output";
import type { ScalarType } from "./ast";
import type { Dialect } from "./dialect";

const str = (value: string) => `'${value.replaceAll("'", "''")}'`;
const scalar: Record<ScalarType, string> = {
  string: "VARCHAR",
  decimal: sqlType("decimal", "duckdb"),
  timestamp: "TIMESTAMP",
  date: "DATE",
  json: "JSON",
};

type ObjectForm = "json" | "map" | "entries";

/** The {key, value} entries (text values) of a JSON object text, a MAP, or a list of {key, value} structs. */
function entriesOf(sql: string, form: ObjectForm): string {
  if (form === "json") return `map_entries(json_transform(${sql}, '"MAP(VARCHAR, VARCHAR)"'))`;
  const list = form === "map" ? `map_entries(${sql})` : `list_filter(${sql}, x -> x.key IS NOT NULL)`;
  return `list_transform(${list}, x -> {'key': CAST(x.key AS VARCHAR), 'value': CAST(x.value AS VARCHAR)})`;
}

/**
 * A JSON object text (NULL when empty) from {key, value} entries, keys rewritten (prefix stripped
 * or added). On duplicate keys the last entry wins; where stripping makes `user_env` collide with
 * an existing `env`, the unprefixed original wins. Entries are sorted by key (then that rank) and
 * a key is kept when the next entry's differs; the list is bound once through a one-element list.
 */
function objectFromEntries(entries: string, stripPrefix?: string, addPrefix?: string): string {
  let key = "e.key";
  let rank = "1";
  if (stripPrefix) {
    const has = `starts_with(e.key, ${str(stripPrefix)})`;
    key = `CASE WHEN ${has} THEN e.key[${stripPrefix.length + 1}:] ELSE e.key END`;
    rank = `CASE WHEN ${has} THEN 0 ELSE 1 END`;
  }
  if (addPrefix) key = `${str(addPrefix)} || ${key}`;
  const sorted = `list_sort(list_transform(${entries}, e -> {'key': ${key}, 'rank': ${rank}, 'value': e.value}))`;
  const unique = "list_filter(l, (x, i) -> i = len(l) OR l[i + 1].key <> x.key)";
  const json = `list_transform([${sorted}], l -> CAST(to_json(map_from_entries(list_transform(${unique}, z -> {'key': z.key, 'value': z.value}))) AS VARCHAR))[1]`;
  return `NULLIF(${json}, '{}')`;
}

/** DuckDB (the embedded engine). The session runs in UTC (see engine/duckdb.ts). */
export const duckdb: Dialect = {
  name: "duckdb",
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  string: str,
  columnType: (type) => sqlType(type, "duckdb"),
  cast: (sql, to) => `CAST(${sql} AS ${scalar[to]})`,
  tryDecimal: (sql, isText) =>
    isText
      ? `CASE WHEN regexp_full_match(trim(${sql}), '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?') THEN TRY_CAST(trim(${sql}) AS ${scalar.decimal}) END`
      : `TRY_CAST(${sql} AS ${scalar.decimal})`,
  tryTimestamp: (sql, isText) =>
    isText
      ? `COALESCE(CAST(TRY_CAST(${sql} AS TIMESTAMPTZ) AS TIMESTAMP), try_strptime(${sql}, '%m/%d/%Y'))`
      : `TRY_CAST(${sql} AS TIMESTAMP)`,
  tryJsonObject: (sql, isText) => {
    // A MAP or struct is well-formed by its type; it stays as it is (see tagObject's "map" form).
    if (!isText) return sql;
    const trimmed = `trim(CAST(${sql} AS VARCHAR))`;
    const braced = `CASE WHEN starts_with(${trimmed}, '{') THEN ${trimmed} ELSE '{' || ${trimmed} || '}' END`;
    // Only validated here (every row, for the checks); tagObject rebuilds it for the good rows.
    return `CASE WHEN json_valid(${braced}) AND json_type(${braced}) = 'OBJECT' THEN ${braced} END`;
  },
  monthKey: (sql) => `strftime(${sql}, '%Y-%m')`,
  // 128-bit decimal products cost ~6x a double product per row. Products are derived values
  // (USD conversions, price x quantity), never reconciled totals, so double precision is enough.
  multiply: (left, right) => `CAST(CAST(${left} AS DOUBLE) * CAST(${right} AS DOUBLE) AS ${scalar.decimal})`,
  addDays: (sql, days) => `(${sql} + INTERVAL ${days} DAY)`,
  addMonths: (sql, months) => `(${sql} + INTERVAL ${months} MONTH)`,
  truncMonth: (sql) => `CAST(date_trunc('month', ${sql}) AS TIMESTAMP)`,
  zonedMonth: (sql, timeZone, months) =>
    `CAST(timezone(${str(timeZone)}, try_strptime(CAST(${sql} AS VARCHAR) || '01', '%Y%m%d') + INTERVAL ${months} MONTH) AS TIMESTAMP)`,
  structField: (sql, field) => `(${sql}).${`"${field}"`}`,
  keyOf: (sql, key, isMap) =>
    isMap
      ? `CAST(map_extract_value(${sql}, ${str(key)}) AS VARCHAR)`
      : `json_extract_string(CAST(${sql} AS JSON), ${str(`$."${key}"`)})`,
  // NULL when any present amount is malformed, so that the row cannot silently lose a credit.
  listSum: (sql, field) => {
    const amounts = `list_transform(${sql}, x -> {'raw': x."${field}", 'value': TRY_CAST(x."${field}" AS ${scalar.decimal})})`;
    return `list_transform([${amounts}], l -> CASE WHEN len(list_filter(l, a -> a.raw IS NOT NULL AND a.value IS NULL)) = 0 THEN COALESCE(list_sum(list_transform(l, a -> a.value)), 0) END)[1]`;
  },
  listHas: (sql, field, values) =>
    `COALESCE(len(list_filter(${sql}, x -> x."${field}" IN (${values.map(str).join(", ")}))) > 0, FALSE)`,
  tagObject: (sql, form, stripPrefix, addPrefix) => {
    // A MAP has unique keys: without key rewriting it needs no rebuild. JSON text may repeat keys
    // or hold non-string values, so it is always rebuilt.
    if (!stripPrefix && !addPrefix && form === "map") return `NULLIF(CAST(to_json(${sql}) AS VARCHAR), '{}')`;
    return objectFromEntries(entriesOf(sql, form), stripPrefix, addPrefix);
  },
  mergeObjects: (objects) =>
    objects.length === 1
      ? objects[0]
      : `NULLIF(CAST(json_merge_patch(${objects.map((o) => `COALESCE(${o}, '{}')`).join(", ")}) AS VARCHAR), '{}')`,
  containsIgnoreCase: (sql, needle) => `contains(lower(${sql}), ${str(needle.toLowerCase())})`,
  normKey: (sql) => `lower(replace(CAST(${sql} AS VARCHAR), ' ', ''))`,
  explode: (relation, items, alias) => {
    const structs = items.map(
      (fields) =>
        `{${Object.entries(fields)
          .map(([k, v]) => `${str(k)}: ${v}`)
          .join(", ")}}`,
    );
    return `(SELECT *, unnest([${structs.join(", ")}]) AS ${alias} FROM ${relation})`;
  },
  jsonObject: (entries) =>
    `CAST(json_object(${entries.map(([k, v]) => `${str(k)}, CAST(${v} AS VARCHAR)`).join(", ")}) AS VARCHAR)`,
};
