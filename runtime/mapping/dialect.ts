import type { ColumnType } from "../schema/output";
import type { ScalarType } from "./ast";

/** One source of tags for `Dialect.keyValue`. */
export interface TagSource {
  sql: string;
  /** `json`: object text as tryJsonObject validated it; `map`: a MAP; `entries`: a list of {key, value} structs. */
  form: "json" | "map" | "entries";
  stripPrefix?: string;
  addPrefix?: string;
}

/**
 * What differs between SQL engines. The compiler writes everything else (CASE, COALESCE,
 * arithmetic, the pipeline's CTEs and joins) in plain SQL; a new engine (Trino for Athena,
 * BigQuery) is one more object implementing this interface, and no mapping changes.
 * Arguments and results are SQL fragments.
 */
export interface Dialect {
  readonly name: "duckdb" | "trino" | "bigquery";
  ident(name: string): string;
  string(value: string): string;
  /** The engine type of an output column type. */
  columnType(type: ColumnType): string;
  cast(sql: string, to: ScalarType): string;
  /**
   * A number or text -> decimal, NULL where it is not a finite number. Text must be a plain decimal
   * (optionally with exponent): no thousands separators, currency symbols, NaN or Infinity.
   */
  tryDecimal(sql: string, isText: boolean): string;
  /**
   * A timestamp or text -> UTC timestamp, NULL where it is not a date. Text may be ISO 8601 with an
   * offset or zone name, or US `MM/DD/YYYY`; a timestamp with time zone is converted to UTC.
   */
  tryTimestamp(sql: string, isText: boolean): string;
  /**
   * A tag-like value, validated: text holding a JSON object (braces optional; `isText`) -> that
   * object's text, NULL where it is not an object; a MAP or struct -> itself.
   */
  tryJsonObject(sql: string, isText: boolean): string;
  /**
   * A JSON object of any nesting as JSON text, NULL where text is not one (a nested value of a
   * typed file as its JSON text).
   */
  tryJson(sql: string, isText: boolean): string;
  /** `YYYY-MM` of a timestamp (the billing-period partition key). */
  monthKey(sql: string): string;
  /**
   * Multiplication (costs from unit prices, USD conversions): exact to the output's scale for
   * operands of up to 10 fractional digits; never a binary tail.
   */
  multiply(left: string, right: string): string;
  /**
   * Division (unit prices, rates), the divisor never 0 (`div` makes 0 NULL): rounded to the
   * output's scale, or, where the engine divides in DOUBLE, to 15 significant digits, so that a
   * quotient with no more digits is exact; never a binary tail.
   */
  divide(left: string, right: string): string;
  /**
   * Set by an engine that multiplies and divides in DOUBLE: a number or number text (`isText`) as
   * DOUBLE, which the operands of `multiply` and `divide` then are. The compiler reads a decimal
   * source column's operand from the source value, not its parsed DECIMAL, whose cast to DOUBLE
   * may cost far more.
   */
  toDouble?(sql: string, isText: boolean): string;
  addDays(sql: string, days: number): string;
  addMonths(sql: string, months: number): string;
  truncMonth(sql: string): string;
  /** `YYYYMM` text -> the UTC instant the month starts in `timeZone`, shifted by `months`. */
  zonedMonth(sql: string, timeZone: string, months: number): string;
  structField(sql: string, field: string): string;
  /** A key of a MAP (`isMap`) or of JSON object text, as text. */
  keyOf(sql: string, key: string, isMap: boolean): string;
  listSum(sql: string, field: string): string;
  /** True when any struct of the list has `field` in `values` (FALSE for an empty or NULL list). */
  listHas(sql: string, field: string, values: string[]): string;
  /**
   * Tag sources -> one JSON object text with string values (NULL when empty). Later sources win
   * on a shared key; within a source the last duplicate wins, and where stripping the prefix makes
   * `user_env` collide with an existing `env`, the unprefixed original wins.
   */
  keyValue(sources: readonly TagSource[]): string;
  /**
   * A flat JSON merge patch (RFC 7396) on a JSON object as a normalized table holds Tags (JSON in
   * DuckDB, where JSON text also reads, and in BigQuery; JSON text in Trino): each entry's key set
   * to its text value, or removed where the value is NULL; the other keys as they are. NULL when
   * the object is NULL or the result empty.
   */
  patchObject(sql: string, entries: readonly (readonly [key: string, value: string])[]): string;
  containsIgnoreCase(sql: string, needle: string): string;
  /**
   * What the one capturing group of `pattern` matched at the first match, as text; NULL (never "")
   * when the text is NULL, nothing matches, or the group matched the empty string.
   */
  regexExtract(sql: string, pattern: string): string;
  /** Text with every character of `chars` removed and lower-cased (taxonomy join keys). */
  normKey(sql: string): string;
  /** See the AST's `slug`: lower case, runs of other characters than a-z0-9 as one `-`, trimmed; NULL when empty. */
  slug(sql: string): string;
  /** A relation with one row per item of a list of structs, `alias` naming the item. */
  explode(relation: string, items: Record<string, string>[], alias: string): string;
  /** A JSON object text of named values, for quarantined raw rows. */
  jsonObject(entries: [string, string][]): string;
}
