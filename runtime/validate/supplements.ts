import type { CheckCompiler, ValueFamily } from "./compile";

/**
 * Checks for Dynamic rules (rules the model gives no machine check for) that the data can still
 * judge. Most only refute: a violated condition fails the rule, a satisfied one leaves it
 * skipped for review with the condition reported as holding. Those that `decide` are the whole
 * rule (a format rule is about the values' spelling, which the data shows): they pass or fail it.
 */
export type Supplement = RowSupplement | AttributeSupplement;

/** A condition over named columns, all of which the dataset must have. */
export interface RowSupplement {
  /** The condition, in words, for the report. */
  describe: string;
  decides?: false;
  columns: string[];
  /** The row predicate (FALSE = the rule is violated on this row). */
  predicate: (sql: CheckCompiler) => string;
}

/** The value formats of FOCUS columns, as the model's Format checks name them. */
export type ValueFormat = "DateTime" | "Numeric" | "String" | "KeyValue" | "JSON";

/** A condition on every value of every column of one value format the dataset has. */
export interface AttributeSupplement {
  describe: string;
  decides: boolean;
  format: ValueFormat;
  /** Only the columns the model says must not be null (StringHandling's "not-nullable" columns). */
  notNullable?: boolean;
  /**
   * The predicate over one cell (`column`, a quoted identifier, of the type family `family`);
   * FALSE = violated. A NULL cell is not judged. Typed values (a Parquet TIMESTAMP, DECIMAL,
   * MAP) have no spelling to get wrong, so the format rules hold for them by their type.
   */
  value: (column: string, family: ValueFamily) => string;
}

/** An exclusive end bound is after the start, and a period that starts on the hour ends on one. */
const exclusiveEnd = (start: string, end: string): RowSupplement => ({
  describe: `${end} is after ${start} and, when ${start} is on the hour, on the hour too (an inclusive end such as 23:59:59 is not)`,
  columns: [start, end],
  predicate: (sql) => {
    const s = sql.timestamp(start);
    const e = sql.timestamp(end);
    return `(${e} > ${s} AND (epoch(${s}) % 3600 <> 0 OR epoch(${e}) % 3600 = 0))`;
  },
});

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** True for a text value matching (anywhere) the regular expression. */
const has = (text: string, pattern: string) => `regexp_matches(${text}, ${sqlString(pattern)})`;
const full = (text: string, pattern: string) => `regexp_full_match(${text}, ${sqlString(pattern)})`;

/**
 * A format rule on text values: typed values of the format's own family hold by their type, and
 * values of another type get `other` (not in the format: FALSE; not the rule's concern: NULL).
 */
const onText =
  (typed: readonly ValueFamily[], test: (text: string) => string, other = "FALSE") =>
  (column: string, family: ValueFamily) =>
    typed.includes(family)
      ? "TRUE"
      : family === "string" || family === "json"
        ? `(${test(`${column}::VARCHAR`)})`
        : other;

const dateTime = (describe: string, test: (text: string) => string): AttributeSupplement => ({
  describe,
  decides: true,
  format: "DateTime",
  value: onText(["datetime"], test),
});

const numeric = (describe: string, test: (text: string) => string): AttributeSupplement => ({
  describe,
  decides: true,
  format: "Numeric",
  value: onText(["numeric", "float"], (t) => `trim(${t}) = '' OR (${test(t)})`),
});

/** A cell as JSON: text that parses, or a nested Parquet value (MAP, STRUCT, LIST) as the JSON it writes; else NULL. */
function asJson(column: string, family: ValueFamily): string {
  if (family === "map" || family === "struct" || family === "list") return `to_json(${column})`;
  if (family === "string" || family === "json")
    return `(CASE WHEN json_valid(${column}::VARCHAR) THEN ${column}::VARCHAR::JSON END)`;
  return "CAST(NULL AS JSON)";
}
/** A rule on a cell as JSON (`j`). */
const objectTest =
  (test: (json: string) => string) =>
  (column: string, family: ValueFamily): string =>
    `(${test(asJson(column, family))})`;
/** The object rule: a value that is no JSON object, or no JSON at all, violates it. */
const isObject = (j: string) => `coalesce(json_type(${j}) = 'OBJECT', FALSE)`;
/** A rule on an object's content: a value that is no object is the object rule's failure, not judged here. */
const inObject = (j: string, test: string) => `CASE WHEN json_type(${j}) = 'OBJECT' THEN ${test} END`;
const uniqueKeys = (j: string) => inObject(j, `len(json_keys(${j})) = len(list_distinct(json_keys(${j})))`);
const scalarValues = (j: string) =>
  inObject(
    j,
    `len(list_filter(json_extract(${j}, '$.*'), lambda v: json_type(v) IN ('OBJECT', 'ARRAY'))) = 0`,
  );
/** Each array that is a value of the object, tested element by element (`a`, a JSON array). */
const arrays = (j: string, test: (a: string) => string) =>
  inObject(
    j,
    `len(list_filter(json_extract(${j}, '$.*'), lambda a: json_type(a) = 'ARRAY' AND NOT coalesce(${test("a")}, FALSE))) = 0`,
  );

const NO_BLANK_STRINGS: AttributeSupplement = {
  describe: "not-nullable string columns hold no empty or blank strings",
  decides: true,
  format: "String",
  notNullable: true,
  value: onText([], (t) => `trim(${t}) <> ''`, "NULL"),
};

export const SUPPLEMENTS: Readonly<Record<string, Supplement>> = {
  "BillingPeriodEnd-C-004-M": exclusiveEnd("BillingPeriodStart", "BillingPeriodEnd"),
  "ChargePeriodEnd-C-004-M": exclusiveEnd("ChargePeriodStart", "ChargePeriodEnd"),

  // DateTimeFormat: every date/time column, as FOCUS spells it (YYYY-MM-DDTHH:mm:ssZ).
  "DateTimeFormat-A-001-M": dateTime("date/time values end in Z or +00:00 (UTC)", (t) =>
    has(t, "(Z|[+-]00:?00)$"),
  ),
  "DateTimeFormat-A-002-M": dateTime(
    "date/time values are ISO 8601 (YYYY-MM-DD, then T, time and offset)",
    (t) => full(t, String.raw`\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?`),
  ),
  "DateTimeFormat-A-004-M": dateTime("date/time values have a date and a time separated by T", (t) =>
    has(t, String.raw`^\d{4}-\d{2}-\d{2}T\d`),
  ),
  "DateTimeFormat-A-005-M": dateTime("date/time values have two-digit hours, minutes and seconds", (t) =>
    has(t, String.raw`[T ]\d{2}:\d{2}:\d{2}([.Z+-]|$)`),
  ),
  "DateTimeFormat-A-006-M": dateTime("date/time values end with Z", (t) => has(t, "Z$")),

  // NumericFormat: every numeric column written as text (a CSV), one aspect of the spelling each.
  "NumericFormat-A-002-M": numeric(
    "numeric values are one value (no spaces, ; or | between numbers)",
    (t) => `NOT ${has(t, String.raw`\d[\s;|]+[-+]?\.?\d`)}`,
  ),
  "NumericFormat-A-003-M": numeric("numeric values are integers, decimals or E notation", (t) =>
    full(t, String.raw`-?(\d+(\.\d+)?|\.\d+)([eE]-?\d+)?`),
  ),
  "NumericFormat-A-004-M": numeric(
    "numeric values are not fractions (1/2)",
    (t) => `NOT ${has(t, String.raw`\d\s*/\s*\d`)}`,
  ),
  "NumericFormat-A-005-M": numeric(
    "scientific notation is mEn (1.5E-3, not 1.5x10^-3)",
    (t) =>
      `NOT ${has(t, String.raw`[eE]|\^|[xX×]\s*10`)} OR ${full(t, String.raw`-?(\d+(\.\d+)?|\.\d+)[eE][-+]?\d+`)}`,
  ),
  "NumericFormat-A-006-M": numeric(
    "an exponent has a sign only when negative (1E5, not 1E+5)",
    (t) => `NOT ${has(t, String.raw`[eE]\+`)}`,
  ),
  "NumericFormat-A-007-M": numeric(
    "numeric values hold no mathematical symbols, functions or operators",
    (t) => `NOT ${has(t, String.raw`[*/^=()%]|\d\s*[-+]\s*\d`)}`,
  ),
  "NumericFormat-A-008-M": numeric(
    "numeric values hold no currency symbols, units or other qualifiers",
    (t) => `NOT ${has(t, String.raw`[^0-9eE.,+\-\s()*/^=%]`)}`,
  ),
  "NumericFormat-A-009-M": numeric(
    "numeric values hold no commas and at most one decimal point",
    (t) => `NOT ${has(t, String.raw`,|\..*\.`)}`,
  ),
  "NumericFormat-A-010-M": numeric(
    "positive values have no + sign",
    (t) => `NOT ${has(t, String.raw`^\s*\+`)}`,
  ),
  "NumericFormat-A-011-M": numeric(
    "negative values are written with -, not in parentheses or with a trailing sign",
    (t) => `NOT ${has(t, String.raw`^\s*\(.*\)\s*$|\d-\s*$`)}`,
  ),

  // StringHandling: a not-nullable string column holds no empty or blank strings (SHOULD NOT;
  // 1.2 numbers the rule -M, 1.3 -O).
  "StringHandling-A-007-M": NO_BLANK_STRINGS,
  "StringHandling-A-007-O": NO_BLANK_STRINGS,
  // NullHandling: no empty strings or placeholder words for a missing value (a necessary condition only).
  "NullHandling-A-002-M": {
    describe: `string columns use NULL, not "" or a placeholder (NULL, N/A, Not Applicable, none, -), for a missing value`,
    decides: false,
    format: "String",
    value: onText(
      [],
      (t) =>
        `NOT (trim(${t}) = '' OR lower(trim(${t})) IN ('null', 'n/a', 'na', 'not applicable', 'none', '-'))`,
      "NULL",
    ),
  },

  // KeyValueFormat: Tags, SkuPriceDetails, AllocatedTags.
  "KeyValueFormat-A-001-M": {
    describe: "key-value columns hold a serialized JSON object",
    decides: true,
    format: "KeyValue",
    value: objectTest(isObject),
  },
  "KeyValueFormat-A-002-M": {
    describe: "keys are unique within a key-value object",
    decides: true,
    format: "KeyValue",
    value: objectTest(uniqueKeys),
  },
  "KeyValueFormat-A-003-M": {
    describe: "key-value values are numbers, strings, true, false or null",
    decides: true,
    format: "KeyValue",
    value: objectTest(scalarValues),
  },
  "KeyValueFormat-A-004-M": {
    describe: "key-value values are not objects or arrays",
    decides: true,
    format: "KeyValue",
    value: objectTest(scalarValues),
  },

  // JsonObjectFormat (1.3): ContractApplied, AllocatedMethodDetails. Nested objects and arrays
  // below the top level are not looked into: those rules can only fail here.
  "JsonObjectFormat-A-001-M": {
    describe: "JSON object columns hold a serialized JSON object",
    decides: true,
    format: "JSON",
    value: objectTest(isObject),
  },
  "JsonObjectFormat-A-003-M": {
    describe: "the top-level object's keys are unique",
    decides: false,
    format: "JSON",
    value: objectTest(uniqueKeys),
  },
  "JsonObjectFormat-A-006-M": {
    describe: "each array among the top-level values holds elements of one type",
    decides: false,
    format: "JSON",
    value: objectTest((j) =>
      arrays(
        j,
        (a) => `len(list_distinct(list_transform(json_extract(${a}, '$[*]'), lambda e: json_type(e)))) <= 1`,
      ),
    ),
  },
  "JsonObjectFormat-A-007-M": {
    describe: "no array among the top-level values repeats an element",
    decides: false,
    format: "JSON",
    value: objectTest((j) =>
      arrays(j, (a) => `json_array_length(${a}) = len(list_distinct(json_extract(${a}, '$[*]')::VARCHAR[]))`),
    ),
  },
  "JsonObjectFormat-A-008-M": {
    describe: "no array among the top-level values has a null element",
    decides: false,
    format: "JSON",
    value: objectTest((j) =>
      arrays(j, (a) => `len(list_filter(json_extract(${a}, '$[*]'), lambda e: json_type(e) = 'NULL')) = 0`),
    ),
  },
};

/** The supplement of a rule of any version (1.3 prefixes its rule ids with the dataset). */
export function supplementOf(id: string): Supplement | undefined {
  return SUPPLEMENTS[id.replace(/^(CAU|CCT)-/, "")];
}
