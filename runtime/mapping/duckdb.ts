import { sqlType } from "../schema/output";
import type { ScalarType } from "./ast";
import type { Dialect, TagSource } from "./dialect";

const str = (value: string) => `'${value.replaceAll("'", "''")}'`;
const scalar: Record<ScalarType, string> = {
  string: "VARCHAR",
  decimal: sqlType("decimal", "duckdb"),
  timestamp: "TIMESTAMP",
  date: "DATE",
  json: "JSON",
};

/** The {key, value} entries (text values) of a JSON object text, a MAP, or a list of {key, value} structs. */
function entriesOf(sql: string, form: TagSource["form"]): string {
  if (form === "json") return `map_entries(json_transform(${sql}, '"MAP(VARCHAR, VARCHAR)"'))`;
  const list = form === "map" ? `map_entries(${sql})` : `list_filter(${sql}, x -> x.key IS NOT NULL)`;
  return `list_transform(${list}, x -> {'key': CAST(x.key AS VARCHAR), 'value': CAST(x.value AS VARCHAR)})`;
}

/**
 * A list of {key, value} structs (Google's FOCUS view writes Tags so, with the resource's own labels
 * first) as a MAP of text values: the first entry of a repeated key is kept, entries without a key
 * are dropped.
 */
export function entryListMap(list: string): string {
  const entries = entriesOf(list, "entries");
  return `map_from_entries(list_filter(${entries}, (e, i) -> list_position(list_transform(${entries}, x -> x.key), e.key) = i))`;
}

/**
 * Tag sources merged into one JSON object text (NULL when empty), in a single sort: every entry of
 * every source becomes {key, src, rank, pos, value} (key rewritten, rank 0 for a key made by
 * stripping the prefix), the list is sorted, and the last entry of each key is kept: the later
 * source, then the unprefixed original, then the later duplicate. Neighbours are compared by
 * zipping the sorted list with itself shifted by one, which binds no list inside a lambda (a
 * captured list is copied for each element). The text is built directly, keys in sorted order.
 */
function mergedObject(sources: readonly TagSource[]): string {
  const lists = sources.map((t, src) => {
    let key = "e.key";
    let rank = "1";
    if (t.stripPrefix) {
      const has = `starts_with(e.key, ${str(t.stripPrefix)})`;
      key = `CASE WHEN ${has} THEN e.key[${t.stripPrefix.length + 1}:] ELSE e.key END`;
      rank = `CASE WHEN ${has} THEN 0 ELSE 1 END`;
    }
    if (t.addPrefix) key = `${str(t.addPrefix)} || ${key}`;
    return `list_transform(${entriesOf(t.sql, t.form)}, (e, pos) -> {'key': ${key}, 'src': ${src}, 'rank': ${rank}, 'pos': pos, 'value': e.value})`;
  });
  const sorted = `list_sort(${lists.length === 1 ? lists[0] : `list_concat(${lists.join(", ")})`})`;
  const kept = `list_filter(list_zip(${sorted}, ${sorted}[2:]), p -> p[2] IS NULL OR p[2].key <> p[1].key)`;
  const members = `list_transform(${kept}, p -> to_json(p[1].key) || ':' || COALESCE(to_json(p[1].value), 'null'))`;
  return `NULLIF('{' || array_to_string(${members}, ',') || '}', '{}')`;
}

/**
 * A MAP's JSON text with `prefix` stripped from its keys, edited as text where no stripped key can
 * meet an unprefixed one: when every key has the prefix or none has (a MAP's keys are unique).
 * In compact JSON object text, `{"` and `,"` occur only where a key starts (a quote inside a
 * string is escaped), so the prefix is removed there; a row with both kinds of key takes the
 * `merged` rebuild, which resolves collisions. About a third of the rebuild's cost.
 */
function strippedMapObject(map: string, text: string, prefix: string, merged: string): string {
  const stripped = `replace(replace(${text}, ${str(`{"${prefix}`)}, '{"'), ${str(`,"${prefix}`)}, ',"')`;
  const everyKey = `length(${text}) - length(${stripped}) = ${prefix.length} * cardinality(${map})`;
  return `CASE WHEN ${stripped} = ${text} OR ${everyKey} THEN NULLIF(${stripped}, '{}') ELSE ${merged} END`;
}

/**
 * A JSON object text's entries as an object of text values, read as a MAP and written back when
 * no key repeats (then every entry is kept, in the object's order); a repeated key takes the
 * `merged` rebuild, which keeps its last value. About half the rebuild's cost.
 */
function uniqueKeysObject(json: string, merged: string): string {
  const map = `json_transform(${json}, '"MAP(VARCHAR, VARCHAR)"')`;
  return `CASE WHEN COALESCE(list_unique(map_keys(${map})) = cardinality(${map}), TRUE) THEN NULLIF(CAST(to_json(${map}) AS VARCHAR), '{}') ELSE ${merged} END`;
}

/**
 * A product of DOUBLE operands (see `toDouble`), exact to the output's 18 digits for operands of
 * up to 15 significant and 10 fractional digits, with no binary tail (DOUBLE alone left
 * 122.880000000000016384 for 1.28 x 96). An operand is the decimal of at most 9 fractional digits
 * whose nearest DOUBLE it is, when there is one: two such multiply in 64-bit decimals into exactly
 * scale 18. Otherwise both take 10 fractional digits (128-bit, whose rounding to scale 18 costs
 * some 40 times as much; DECIMAL(38,18) operands would overflow from 100, their scale being 36),
 * unless one is NULL (a currency without a rate): DuckDB evaluates that costly branch for the
 * rows that reach it even when its result is NULL.
 */
function exactProduct(left: string, right: string): string {
  const at9 = (x: string) => `TRY_CAST(${x} AS DECIMAL(18,9))`;
  const fits9 = (x: string) => `CAST(${at9(x)} AS DOUBLE) = ${x}`;
  const at10 = (x: string) => `CAST(${x} AS DECIMAL(38,10))`;
  return (
    `CASE WHEN ${fits9(left)} AND ${fits9(right)} THEN CAST(${at9(left)} * ${at9(right)} AS ${scalar.decimal})` +
    ` WHEN ${left} IS NOT NULL AND ${right} IS NOT NULL THEN CAST(${at10(left)} * ${at10(right)} AS ${scalar.decimal}) END`
  );
}

/** 10^-k for k = 0..18, exact decimals of the output's scale. */
const TENTHS = `CAST([${Array.from({ length: 19 }, (_, k) => `'1e-${k}'`).join(", ")}] AS DECIMAL(19,18)[])`;

/**
 * A DOUBLE rounded to 15 significant digits (at most 18 fractional ones) as an exact decimal.
 * DuckDB divides decimals in DOUBLE only; a quotient of decimal operands is within 1.7e-16 of the
 * true one, inside half a unit of its 15th digit (5e-16 at least), so that a quotient of at most
 * 15 significant digits (0.3 / 3) comes out exact. DuckDB's own cast scales the DOUBLE by 10^18
 * in DOUBLE and keeps that product's binary error (0.099999999999999984); here the 15 digits are
 * a 64-bit integer, exact in DOUBLE, times an exact power of ten.
 */
function fifteenDigits(sql: string): string {
  // Zero has no logarithm: GREATEST skips the NULL, and 0 x 10^0 is 0.
  const k = `LEAST(18, GREATEST(0, 14 - floor(log10(NULLIF(abs(${sql}), 0)))))`;
  return `CAST(CAST(CAST(round(${sql} * pow(10, ${k})) AS BIGINT) AS DECIMAL(18,0)) * ${TENTHS}[CAST(${k} AS INTEGER) + 1] AS ${scalar.decimal})`;
}

/** DuckDB (the embedded engine). The session runs in UTC (see engine/duckdb.ts). */
export const duckdb: Dialect = {
  name: "duckdb",
  ident: (name) => `"${name.replaceAll('"', '""')}"`,
  string: str,
  columnType: (type) => sqlType(type, "duckdb"),
  cast: (sql, to) => `CAST(${sql} AS ${scalar[to]})`,
  tryDecimal: (sql, isText) => {
    if (!isText) return `TRY_CAST(${sql} AS ${scalar.decimal})`;
    const text = `trim(${sql})`;
    // Text parses into DECIMAL(38,18) in 128-bit arithmetic, ~20x slower, once its value passes
    // 2^63 / 10^18 (about 9.22). A plain decimal of at most 9 + 9 digits parses exactly into
    // DECIMAL(18,9) (64-bit) and widens without loss; anything else takes the general path.
    return (
      `CASE WHEN regexp_full_match(${text}, '[+-]?[0-9]{1,9}([.][0-9]{0,9})?') THEN CAST(TRY_CAST(${text} AS DECIMAL(18,9)) AS ${scalar.decimal})` +
      ` WHEN regexp_full_match(${text}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?') THEN TRY_CAST(${text} AS ${scalar.decimal}) END`
    );
  },
  // DuckDB's cast wants seconds where a zone follows (Oracle's FOCUS reports write 2025-03-01T00:00Z,
  // valid ISO 8601 that Trino and BigQuery read as it is).
  tryTimestamp: (sql, isText) =>
    isText
      ? `COALESCE(CAST(TRY_CAST(${sql} AS TIMESTAMPTZ) AS TIMESTAMP), try_strptime(${sql}, '%m/%d/%Y'), try_strptime(${sql}, '%Y-%m-%dT%H:%MZ'), CAST(try_strptime(${sql}, '%Y-%m-%dT%H:%M%z') AS TIMESTAMP))`
      : `TRY_CAST(${sql} AS TIMESTAMP)`,
  tryJsonObject: (sql, isText) => {
    // A MAP or struct is well-formed by its type; it stays as it is (see keyValue's "map" form).
    if (!isText) return sql;
    const trimmed = `trim(CAST(${sql} AS VARCHAR))`;
    const braced = `CASE WHEN starts_with(${trimmed}, '{') THEN ${trimmed} ELSE '{' || ${trimmed} || '}' END`;
    // A JSON array of {key, value} objects (a FOCUS view's Tags saved as JSON) becomes the object
    // it lists; an element without a key leaves the value malformed.
    const entries = `json_transform(${trimmed}, '[{"key":"VARCHAR","value":"VARCHAR"}]')`;
    const listed = `CASE WHEN COALESCE(list_bool_and(list_transform(${entries}, x -> x."key" IS NOT NULL)), TRUE) THEN CAST(to_json(${entryListMap(entries)}) AS VARCHAR) END`;
    // Only validated here (every row, for the checks); keyValue rebuilds it for the good rows.
    return `CASE WHEN starts_with(${trimmed}, '[') THEN CASE WHEN json_valid(${trimmed}) THEN ${listed} END WHEN json_valid(${braced}) AND json_type(${braced}) = 'OBJECT' THEN ${braced} END`;
  },
  tryJson: (sql, isText) => {
    if (!isText) return `CAST(to_json(${sql}) AS VARCHAR)`;
    const t = `trim(CAST(${sql} AS VARCHAR))`;
    return `CASE WHEN json_valid(${t}) AND json_type(${t}) = 'OBJECT' THEN ${t} END`;
  },
  monthKey: (sql) => `strftime(${sql}, '%Y-%m')`,
  multiply: exactProduct,
  divide: (left, right) => fifteenDigits(`(${left} / ${right})`),
  // DuckDB casts DECIMAL(38,18) to DOUBLE exactly, through 128-bit division: ~0.3 µs a value,
  // against ~0.01 µs from DOUBLE or text, which a billing export's numbers are.
  toDouble: (sql, isText) => (isText ? `TRY_CAST(trim(${sql}) AS DOUBLE)` : `CAST(${sql} AS DOUBLE)`),
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
  keyValue: (sources) => {
    const [only] = sources;
    if (sources.length !== 1 || only!.addPrefix) return mergedObject(sources);
    // A MAP has unique keys: alone and without key rewriting it needs no rebuild.
    if (only!.form === "map") {
      const text = `CAST(to_json(${only!.sql}) AS VARCHAR)`;
      if (!only!.stripPrefix) return `NULLIF(${text}, '{}')`;
      return strippedMapObject(only!.sql, text, only!.stripPrefix, mergedObject(sources));
    }
    if (only!.form === "json" && !only!.stripPrefix)
      return uniqueKeysObject(only!.sql, mergedObject(sources));
    return mergedObject(sources);
  },
  // json_merge_patch returns the patch itself over a NULL object, so NULL becomes {} first.
  patchObject: (sql, entries) =>
    `NULLIF(json_merge_patch(COALESCE(CAST(${sql} AS JSON), '{}'), json_object(${entries.map(([k, v]) => `${str(k)}, CAST(${v} AS VARCHAR)`).join(", ")})), '{}')`,
  containsIgnoreCase: (sql, needle) => `contains(lower(${sql}), ${str(needle.toLowerCase())})`,
  // regexp_extract yields "" where nothing matches.
  regexExtract: (sql, pattern) => `NULLIF(regexp_extract(${sql}, ${str(pattern)}, 1), '')`,
  normKey: (sql) => `lower(replace(CAST(${sql} AS VARCHAR), ' ', ''))`,
  // DuckDB replaces only the first match unless told 'g'.
  slug: (sql) => `NULLIF(trim(regexp_replace(lower(${sql}), '[^a-z0-9]+', '-', 'g'), '-'), '')`,
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
