import { sqlType } from "../schema/output";
import type { ScalarType } from "./ast";
import { ALIAS } from "./compile";
import type { Dialect, TagSource } from "./dialect";

const str = (value: string) => `'${value.replaceAll("'", "''")}'`;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const DECIMAL = sqlType("decimal", "trino");
const TEXT_MAP = "MAP(VARCHAR, VARCHAR)";

/**
 * JSON values travel as JSON text (VARCHAR): the Glue table stores JSON columns as strings, UNLOAD
 * cannot write Trino's JSON type, and CAST(varchar AS JSON) would make a JSON string, not parse it.
 */
const scalar: Record<ScalarType, string> = {
  string: "VARCHAR",
  decimal: DECIMAL,
  timestamp: sqlType("datetime", "trino"),
  date: "DATE",
  json: "VARCHAR",
};

/** A dotted column reference, which Trino dereferences without parentheses. */
const isPath = (sql: string) => /^("[^"]*"|\w+)(\.("[^"]*"|\w+))*$/.test(sql);

/** JSON text of a MAP(VARCHAR, VARCHAR), NULL when the map is empty or NULL. Trino sorts the keys. */
const mapText = (map: string) => `NULLIF(json_format(CAST(${map} AS JSON)), '{}')`;

/** A MAP(VARCHAR, VARCHAR) from JSON object text with string values (as the typed stage makes it). */
const textMap = (json: string) => `CAST(json_parse(${json}) AS ${TEXT_MAP})`;

/**
 * A MAP(VARCHAR, VARCHAR) of a tag source. For a list of {key, value} structs the last entry of a
 * key wins (multimap keeps the entries in order).
 */
function sourceMap(sql: string, form: TagSource["form"]): string {
  if (form === "json") return textMap(sql);
  if (form === "map") return `CAST(${sql} AS ${TEXT_MAP})`;
  const pairs = `transform(filter(${sql}, e -> e.key IS NOT NULL), e -> ROW(CAST(e.key AS VARCHAR), CAST(e.value AS VARCHAR)))`;
  return `transform_values(multimap_from_entries(${pairs}), (k, v) -> element_at(v, -1))`;
}

/**
 * Keys rewritten: a stripped prefix yields to an existing unprefixed key (map_concat keeps the
 * value of the last map that has a key), and an added prefix applies to every key.
 */
function rewriteKeys(map: string, stripPrefix?: string, addPrefix?: string): string {
  let out = map;
  if (stripPrefix) {
    const has = `starts_with(k, ${str(stripPrefix)})`;
    const stripped = `transform_keys(map_filter(${out}, (k, v) -> ${has}), (k, v) -> substr(k, ${stripPrefix.length + 1}))`;
    out = `map_concat(${stripped}, map_filter(${out}, (k, v) -> NOT ${has}))`;
  }
  if (addPrefix) out = `transform_keys(${out}, (k, v) -> ${str(addPrefix)} || k)`;
  return out;
}

/** One tag source as JSON object text (NULL when empty). */
function tagObject(sql: string, form: TagSource["form"], stripPrefix?: string, addPrefix?: string): string {
  // Typed JSON text already has unique, sorted keys: without key rewriting it needs no rebuild.
  if (form === "json" && !stripPrefix && !addPrefix) return `NULLIF(${sql}, '{}')`;
  return mapText(rewriteKeys(sourceMap(sql, form), stripPrefix, addPrefix));
}

/** The flattened column an exploded item's field lives in (Trino cannot name ROW fields without types). */
const itemColumn = (field: string) => ident(`${ALIAS.item}_${field}`);

/** Trino, as Athena engine version 3 runs it. Athena sessions run in UTC. */
export const trino: Dialect = {
  name: "trino",
  ident,
  string: str,
  columnType: (type) => sqlType(type, "trino"),
  cast: (sql, to) => `CAST(${sql} AS ${scalar[to]})`,
  tryDecimal: (sql, isText) =>
    isText
      ? `CASE WHEN regexp_like(trim(${sql}), '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN TRY_CAST(trim(${sql}) AS ${DECIMAL}) END`
      : `TRY_CAST(${sql} AS ${DECIMAL})`,
  tryTimestamp: (sql, isText) => {
    if (!isText) return `CAST(${sql} AS ${scalar.timestamp})`;
    const text = `trim(${sql})`;
    // ISO 8601 with "T" or a space, with or without an offset (none means UTC: Athena sessions run in UTC).
    return `COALESCE(CAST(at_timezone(try(from_iso8601_timestamp(replace(${text}, ' ', 'T'))), 'UTC') AS ${scalar.timestamp}), try(date_parse(${text}, '%m/%d/%Y')))`;
  },
  tryJsonObject: (sql, isText) => {
    if (!isText) return sql;
    const trimmed = `trim(CAST(${sql} AS VARCHAR))`;
    const braced = `CASE WHEN starts_with(${trimmed}, '{') THEN ${trimmed} ELSE '{' || ${trimmed} || '}' END`;
    // Scalars become their text, nested values their JSON text, as the DuckDB form does.
    const values = `transform_values(try(CAST(json_parse(${braced}) AS MAP(VARCHAR, JSON))), (k, v) -> CASE WHEN is_json_scalar(v) THEN json_extract_scalar(v, '$') ELSE json_format(v) END)`;
    return `CASE WHEN ${braced} = '{}' THEN '{}' ELSE json_format(CAST(${values} AS JSON)) END`;
  },
  tryJson: (sql, isText) => {
    if (!isText) return `json_format(CAST(${sql} AS JSON))`;
    const t = `trim(CAST(${sql} AS VARCHAR))`;
    return `CASE WHEN try(CAST(json_parse(${t}) AS MAP(VARCHAR, JSON))) IS NOT NULL THEN ${t} END`;
  },
  monthKey: (sql) => `date_format(${sql}, '%Y-%m')`,
  multiply: (left, right) => `(CAST(${left} AS DECIMAL(38,12)) * CAST(${right} AS DECIMAL(38,12)))`,
  divide: (left, right) => `(${left} / ${right})`,
  addDays: (sql, days) => `date_add('day', ${days}, ${sql})`,
  addMonths: (sql, months) => `date_add('month', ${months}, ${sql})`,
  truncMonth: (sql) => `date_trunc('month', ${sql})`,
  zonedMonth: (sql, timeZone, months) => {
    const local = `date_add('month', ${months}, try(date_parse(CAST(${sql} AS VARCHAR) || '01', '%Y%m%d')))`;
    return `CAST(at_timezone(with_timezone(${local}, ${str(timeZone)}), 'UTC') AS ${scalar.timestamp})`;
  },
  structField: (sql, field) => {
    if (sql === ALIAS.item) return itemColumn(field);
    if (sql.endsWith(`.${ALIAS.item}`)) return `${sql.slice(0, -ALIAS.item.length)}${itemColumn(field)}`;
    return isPath(sql) ? `${sql}.${ident(field)}` : `(${sql}).${ident(field)}`;
  },
  keyOf: (sql, key, isMap) =>
    isMap ? `element_at(${sql}, ${str(key)})` : `json_extract_scalar(${sql}, ${str(`$["${key}"]`)})`,
  // NULL when any present amount is malformed, so that the row cannot silently lose a credit.
  listSum: (sql, field) => {
    const amount = (x: string) => `TRY_CAST(${x}.${ident(field)} AS ${DECIMAL})`;
    const malformed = `filter(${sql}, x -> x.${ident(field)} IS NOT NULL AND ${amount("x")} IS NULL)`;
    const sum = `reduce(${sql}, CAST(0 AS ${DECIMAL}), (s, x) -> s + COALESCE(${amount("x")}, 0), s -> s)`;
    return `CASE WHEN cardinality(${malformed}) = 0 THEN ${sum} END`;
  },
  listHas: (sql, field, values) =>
    `COALESCE(cardinality(filter(${sql}, x -> x.${ident(field)} IN (${values.map(str).join(", ")}))) > 0, FALSE)`,
  // Each source as an object, merged with map_concat (the later map wins on a shared key).
  keyValue: (sources) => {
    const objects = sources.map((t) => tagObject(t.sql, t.form, t.stripPrefix, t.addPrefix));
    return objects.length === 1
      ? objects[0]!
      : mapText(`map_concat(${objects.map((o) => `COALESCE(${textMap(o)}, MAP())`).join(", ")})`);
  },
  patchObject: (sql, entries) => {
    const keys = `ARRAY[${entries.map(([k]) => str(k)).join(", ")}]`;
    const values = `ARRAY[${entries.map(([, v]) => `CAST(${v} AS VARCHAR)`).join(", ")}]`;
    const kept = `map_filter(${textMap(sql)}, (k, v) -> NOT contains(${keys}, k))`;
    return mapText(`map_concat(${kept}, map_filter(MAP(${keys}, ${values}), (k, v) -> v IS NOT NULL))`);
  },
  containsIgnoreCase: (sql, needle) => `(strpos(lower(${sql}), ${str(needle.toLowerCase())}) > 0)`,
  // NULL where nothing matches, but "" where the group matched nothing.
  regexExtract: (sql, pattern) => `NULLIF(regexp_extract(${sql}, ${str(pattern)}, 1), '')`,
  normKey: (sql) => `lower(replace(CAST(${sql} AS VARCHAR), ' ', ''))`,
  slug: (sql) => `NULLIF(trim(BOTH '-' FROM regexp_replace(lower(${sql}), '[^a-z0-9]+', '-')), '')`,
  // One column an item field (see structField), unnested in step from one array a field.
  explode: (relation, items, alias) => {
    if (alias !== ALIAS.item)
      throw new Error(`trino explode supports the alias ${ALIAS.item} only, not ${alias}`);
    const fields = Object.keys(items[0] ?? {});
    const arrays = fields.map((f) => `ARRAY[${items.map((i) => i[f] ?? "NULL").join(", ")}]`);
    return `(SELECT * FROM ${relation} AS __exploding CROSS JOIN UNNEST(${arrays.join(", ")}) AS __items(${fields.map(itemColumn).join(", ")}))`;
  },
  jsonObject: (entries) =>
    `json_format(CAST(MAP(ARRAY[${entries.map(([k]) => str(k)).join(", ")}], ARRAY[${entries.map(([, v]) => `CAST(${v} AS JSON)`).join(", ")}]) AS JSON))`,
};
