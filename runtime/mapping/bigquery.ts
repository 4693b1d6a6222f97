import { sqlType } from "../schema/output";
import type { ScalarType } from "./ast";
import type { Dialect, TagSource } from "./dialect";

/** GoogleSQL string literals escape with backslashes; a doubled quote is not an escape there. */
const str = (value: string) =>
  `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\n", "\\n").replaceAll("\r", "\\r")}'`;
const ident = (name: string) => `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``;
const DECIMAL = sqlType("decimal", "bigquery");

const scalar: Record<Exclude<ScalarType, "json">, string> = {
  string: "STRING",
  decimal: DECIMAL,
  timestamp: "TIMESTAMP",
  date: "DATE",
};

const isPath = (sql: string) => /^(`[^`]*`|\w+)(\.(`[^`]*`|\w+))*$/.test(sql);

/** A number or its text as BIGNUMERIC; FLOAT64 goes through its shortest text so that 0.1 stays 0.1. */
const exactDecimal = (sql: string) => `SAFE_CAST(SAFE_CAST(${sql} AS STRING) AS ${DECIMAL})`;

/**
 * Rows (k, v, r, o) of the top-level members of JSON object text: v is a scalar's text or a nested
 * value's JSON text. JSON_KEYS quotes keys with special characters as JSON strings; they are decoded.
 */
function jsonRows(text: string, rank: number): string {
  const key = `CASE WHEN STARTS_WITH(__path, '"') THEN JSON_VALUE(CONCAT('[', __path, ']'), '$[0]') ELSE __path END`;
  const member = "__j.j[__key]";
  const value = `CASE JSON_TYPE(${member}) WHEN 'null' THEN NULL WHEN 'object' THEN TO_JSON_STRING(${member}) WHEN 'array' THEN TO_JSON_STRING(${member}) ELSE LAX_STRING(${member}) END`;
  return (
    `SELECT __key AS k, ${value} AS v, ${rank} AS r, o FROM (SELECT SAFE.PARSE_JSON(${text}) AS j) AS __j,` +
    ` UNNEST(ARRAY(SELECT ${key} FROM UNNEST(JSON_KEYS(__j.j, 1)) AS __path)) AS __key WITH OFFSET AS o`
  );
}

/**
 * JSON object text (NULL when empty) from rows (k, v, r, o): per key the row of highest rank wins,
 * then the later one; keys sorted, values as JSON strings (TO_JSON_STRING escapes them).
 */
function objectText(rows: string): string {
  const unique = `SELECT k, ARRAY_AGG(STRUCT(v) ORDER BY r DESC, o DESC LIMIT 1)[OFFSET(0)].v AS v FROM (${rows}) AS __rows GROUP BY k`;
  const members = `ARRAY(SELECT CONCAT(TO_JSON_STRING(k), ':', TO_JSON_STRING(v)) FROM (${unique}) AS __members ORDER BY k)`;
  return `(SELECT NULLIF(CONCAT('{', ARRAY_TO_STRING(${members}, ','), '}'), '{}'))`;
}

/** One tag source as JSON object text (NULL when empty). */
function tagObject(sql: string, form: TagSource["form"], stripPrefix?: string, addPrefix?: string): string {
  if (form === "json" && !stripPrefix && !addPrefix) return `NULLIF(${sql}, '{}')`;
  // A stripped key ranks below an unprefixed original of the same name, which wins.
  const rows = (key: string, value: string, from: string) => {
    let k = key;
    let rank = "1";
    if (stripPrefix) {
      const has = `STARTS_WITH(${key}, ${str(stripPrefix)})`;
      k = `CASE WHEN ${has} THEN SUBSTR(${key}, ${stripPrefix.length + 1}) ELSE ${key} END`;
      rank = `CASE WHEN ${has} THEN 0 ELSE 1 END`;
    }
    if (addPrefix) k = `CONCAT(${str(addPrefix)}, ${k})`;
    return `SELECT ${k} AS k, ${value} AS v, ${rank} AS r, o FROM ${from}`;
  };
  if (form === "json") return objectText(rows("e.k", "e.v", `(${jsonRows(sql, 0)}) AS e`));
  return objectText(
    rows(
      "CAST(e.key AS STRING)",
      "CAST(e.value AS STRING)",
      `UNNEST(${sql}) AS e WITH OFFSET AS o WHERE e.key IS NOT NULL`,
    ),
  );
}

/** BigQuery (GoogleSQL). Maps do not exist there: tag-like values are lists of {key, value} or JSON text. */
export const bigquery: Dialect = {
  name: "bigquery",
  ident,
  string: str,
  columnType: (type) => sqlType(type, "bigquery"),
  // JSON travels as text and becomes the JSON type only where it is written.
  cast: (sql, to) => (to === "json" ? `PARSE_JSON(${sql})` : `CAST(${sql} AS ${scalar[to]})`),
  tryDecimal: (sql, isText) =>
    isText
      ? `CASE WHEN REGEXP_CONTAINS(TRIM(${sql}), r'^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$') THEN SAFE_CAST(TRIM(${sql}) AS ${DECIMAL}) END`
      : exactDecimal(sql),
  tryTimestamp: (sql, isText) =>
    isText
      ? `COALESCE(SAFE_CAST(TRIM(${sql}) AS TIMESTAMP), SAFE.PARSE_TIMESTAMP('%m/%d/%Y', TRIM(${sql})))`
      : `CAST(${sql} AS TIMESTAMP)`,
  tryJsonObject: (sql, isText) => {
    if (!isText) return sql;
    const trimmed = `TRIM(CAST(${sql} AS STRING))`;
    const braced = `CASE WHEN STARTS_WITH(${trimmed}, '{') THEN ${trimmed} ELSE CONCAT('{', ${trimmed}, '}') END`;
    return `CASE WHEN ${braced} = '{}' THEN '{}' WHEN JSON_TYPE(SAFE.PARSE_JSON(${braced})) = 'object' THEN COALESCE(${objectText(jsonRows(braced, 0))}, '{}') END`;
  },
  tryJson: (sql, isText) => {
    if (!isText) return `TO_JSON_STRING(${sql})`;
    const t = `TRIM(CAST(${sql} AS STRING))`;
    return `CASE WHEN JSON_TYPE(SAFE.PARSE_JSON(${t})) = 'object' THEN ${t} END`;
  },
  monthKey: (sql) => `FORMAT_TIMESTAMP('%Y-%m', ${sql})`,
  multiply: (left, right) => `(CAST(${left} AS ${DECIMAL}) * CAST(${right} AS ${DECIMAL}))`,
  divide: (left, right) => `(${left} / ${right})`,
  addDays: (sql, days) => `TIMESTAMP_ADD(${sql}, INTERVAL ${days} DAY)`,
  // TIMESTAMP_ADD has no MONTH part: months are added to the UTC civil time.
  addMonths: (sql, months) =>
    `TIMESTAMP(DATETIME_ADD(DATETIME(${sql}, 'UTC'), INTERVAL ${months} MONTH), 'UTC')`,
  truncMonth: (sql) => `TIMESTAMP_TRUNC(${sql}, MONTH)`,
  zonedMonth: (sql, timeZone, months) =>
    `TIMESTAMP(DATETIME_ADD(DATETIME(SAFE.PARSE_DATE('%Y%m%d', CONCAT(CAST(${sql} AS STRING), '01'))), INTERVAL ${months} MONTH), ${str(timeZone)})`,
  structField: (sql, field) => (isPath(sql) ? `${sql}.${ident(field)}` : `(${sql}).${ident(field)}`),
  keyOf: (sql, key, isMap) =>
    isMap
      ? `(SELECT CAST(e.value AS STRING) FROM UNNEST(${sql}) AS e WHERE e.key = ${str(key)} LIMIT 1)`
      : `JSON_VALUE(${sql}, ${str(`$."${key}"`)})`,
  // NULL when any present amount is malformed, so that the row cannot silently lose a credit.
  listSum: (sql, field) => {
    const amount = exactDecimal(`c.${ident(field)}`);
    return `(SELECT CASE WHEN COUNTIF(c.${ident(field)} IS NOT NULL AND ${amount} IS NULL) = 0 THEN COALESCE(SUM(${amount}), 0) END FROM UNNEST(${sql}) AS c)`;
  },
  listHas: (sql, field, values) =>
    `EXISTS(SELECT 1 FROM UNNEST(${sql}) AS c WHERE c.${ident(field)} IN (${values.map(str).join(", ")}))`,
  // Each source's rows ranked by its place: the later source wins on a shared key.
  keyValue: (sources) => {
    const objects = sources.map((t) => tagObject(t.sql, t.form, t.stripPrefix, t.addPrefix));
    return objects.length === 1
      ? objects[0]!
      : objectText(objects.map((o, i) => jsonRows(o, i)).join(" UNION ALL "));
  },
  // No JSON function removes a key on a row's condition: the members are rebuilt, without the
  // patched keys, plus the entries that have a value.
  patchObject: (sql, entries) => {
    const keys = entries.map(([k]) => str(k)).join(", ");
    const kept = `SELECT * FROM (${jsonRows(`TO_JSON_STRING(${sql})`, 0)}) AS __kept WHERE k NOT IN (${keys})`;
    const set = `SELECT k, v, 1 AS r, 0 AS o FROM UNNEST([${entries.map(([k, v]) => `STRUCT(${str(k)} AS k, CAST(${v} AS STRING) AS v)`).join(", ")}]) WHERE v IS NOT NULL`;
    return `PARSE_JSON(${objectText(`${kept} UNION ALL ${set}`)})`;
  },
  containsIgnoreCase: (sql, needle) => `(STRPOS(LOWER(${sql}), ${str(needle.toLowerCase())}) > 0)`,
  // REGEXP_EXTRACT returns the pattern's only capturing group: NULL where nothing matches, "" where it matched nothing.
  regexExtract: (sql, pattern) => `NULLIF(REGEXP_EXTRACT(${sql}, ${str(pattern)}), '')`,
  normKey: (sql) => `LOWER(REPLACE(CAST(${sql} AS STRING), ' ', ''))`,
  slug: (sql) => `NULLIF(TRIM(REGEXP_REPLACE(LOWER(${sql}), r'[^a-z0-9]+', '-'), '-'), '')`,
  explode: (relation, items, alias) => {
    const structs = items.map(
      (fields) =>
        `STRUCT(${Object.entries(fields)
          .map(([k, v]) => `${v} AS ${ident(k)}`)
          .join(", ")})`,
    );
    return `(SELECT __exploding.*, ${alias} FROM ${relation} AS __exploding, UNNEST([${structs.join(", ")}]) AS ${alias})`;
  },
  jsonObject: (entries) =>
    `TO_JSON_STRING(JSON_OBJECT(${entries.map(([k, v]) => `${str(k)}, ${v}`).join(", ")}))`,
};
