import type { TagAliases } from "./tags";

/**
 * The engine-neutral expression language of the mappings. A mapping is data: one `Expr` per
 * output column over the raw columns of a source format. `compile.ts` turns it into SQL through a
 * `Dialect` (DuckDB today; Trino and BigQuery are further dialects of the same interface), so no
 * mapping is ever written twice.
 */

/** Scalar types an expression can be cast to. */
export type ScalarType = "string" | "decimal" | "timestamp" | "date" | "json";

/**
 * Tables a mapping may look values up in: the service and region taxonomies, joined on the
 * mapping's keys, the billing account names given to the run (runtime/taxonomy/
 * billing-account-names.ts), joined on the row's BillingAccountId, and the units table
 * (runtime/taxonomy/units.ts), joined on the row's pricing unit and on its consumed unit (see
 * `SourceMapping.units`).
 */
export type LookupTable = "service" | "region" | "billingAccount" | "pricingUnit" | "consumedUnit";

export type BinaryOp = "+" | "-" | "*" | "/" | "=" | "<>" | "<" | "<=" | ">" | ">=" | "and" | "or";

/** One source of tags for `keyValue`: its shape in the export, and how its keys are rewritten. */
export interface TagSource {
  expr: Expr;
  /** `json`: a raw column of type `object` (JSON object text); `entries`: a list of {key, value} structs. */
  form: "json" | "entries";
  /** A key prefix removed where present (e.g. AWS legacy `user_`). */
  stripPrefix?: string;
  /** A prefix added to every key (e.g. to keep namespaces of different sources apart). */
  addPrefix?: string;
}

export type Expr =
  /** A column of the (typed) source row. */
  | { k: "col"; name: string }
  /** A field of a struct-valued expression, e.g. GCP `service.description`. */
  | { k: "field"; of: Expr; name: string }
  /** A field of the current exploded item (see `SourceMapping.explode`). */
  | { k: "item"; name: string }
  /** A value looked up in a table joined on its key (see `LookupTable`); NULL where the key has no row. */
  | { k: "lookup"; table: LookupTable; column: string }
  /** Another output column of the FOCUS layer (only in `x_` columns). */
  | { k: "out"; name: string }
  /** A run parameter: the tenant id, or the tenant's reporting currency (ISO 4217). */
  | { k: "param"; name: "tenantId" | "reportingCurrency" }
  /** USD per unit of the row's BillingCurrency from the daily rates table (only in `x_` columns). */
  | { k: "rate" }
  /** USD per unit of the reporting currency on the row's charge day (only in `x_` columns). */
  | { k: "reportingRate" }
  | { k: "lit"; value: string | number | boolean | null }
  /** True when the input files have the raw column (a file of an older version may lack it). */
  | { k: "present"; name: string }
  | { k: "coalesce"; args: Expr[] }
  | { k: "case"; when: [Expr, Expr][]; else?: Expr }
  | { k: "bin"; op: BinaryOp; left: Expr; right: Expr }
  | { k: "not"; arg: Expr }
  | { k: "isNull"; arg: Expr }
  | { k: "in"; arg: Expr; values: readonly string[] }
  /** Case-insensitive substring test. */
  | { k: "contains"; arg: Expr; needle: string }
  | { k: "concat"; args: Expr[] }
  /**
   * The text the pattern's one capturing group matched at the first match, NULL when nothing
   * matches or the group matched nothing. Patterns are the RE2 subset all engines share
   * (Trino's Java regexes included): classes, anchors, `(?:...)`, `(?i)`; exactly one capturing
   * group, because BigQuery extracts only that.
   */
  | { k: "regexExtract"; arg: Expr; pattern: string }
  | { k: "lower"; arg: Expr }
  /** The text's characters in reverse order. */
  | { k: "reverse"; arg: Expr }
  | { k: "nullIf"; arg: Expr; value: Expr }
  /** Empty or whitespace-only text becomes NULL (FOCUS: missing is NULL, never ""). */
  | { k: "blankToNull"; arg: Expr }
  | { k: "cast"; arg: Expr; to: ScalarType }
  | { k: "addDays"; arg: Expr; days: number }
  | { k: "addMonths"; arg: Expr; months: number }
  | { k: "truncMonth"; arg: Expr }
  /** Start of the month named by `YYYYMM` text in a time zone, plus `months`, as a UTC timestamp. */
  | { k: "zonedMonth"; arg: Expr; timeZone: string; months: number }
  /** A key of a MAP or JSON object, as text. */
  | { k: "keyOf"; of: Expr; key: string }
  /** Sum of one numeric field over a list of structs (e.g. GCP `credits[].amount`). */
  | { k: "listSum"; list: Expr; field: string }
  /** True when any struct of a list has `field` equal to one of `values`. */
  | { k: "listHas"; list: Expr; field: string; values: string[] }
  /** One JSON object of string values merged from several tag sources; later sources win on collision. */
  | { k: "keyValue"; sources: TagSource[] }
  /** A tags object with each alias renamed to its canonical key (runtime/mapping/tags.ts `canonicalTags`). */
  | { k: "canonicalTags"; of: Expr; aliases: TagAliases }
  /** A key normalized for taxonomy joins: lower case, spaces removed. */
  | { k: "normKey"; arg: Expr }
  /**
   * A name as a safe identifier: lower case, each run of characters other than a-z and 0-9 one
   * `-`, none at either end; NULL where nothing is left (e.g. "Snowflake Inc." -> "snowflake-inc").
   */
  | { k: "slug"; arg: Expr };

export const col = (name: string): Expr => ({ k: "col", name });
export const field = (of: Expr, name: string): Expr => ({ k: "field", of, name });
export const item = (name: string): Expr => ({ k: "item", name });
export const lookup = (table: LookupTable, column: string): Expr => ({ k: "lookup", table, column });
export const out = (name: string): Expr => ({ k: "out", name });
export const param = (name: "tenantId" | "reportingCurrency"): Expr => ({ k: "param", name });
export const rate = (): Expr => ({ k: "rate" });
export const reportingRate = (): Expr => ({ k: "reportingRate" });
export const lit = (value: string | number | boolean | null): Expr => ({ k: "lit", value });
export const NULL: Expr = lit(null);
export const present = (name: string): Expr => ({ k: "present", name });
export const coalesce = (...args: Expr[]): Expr => ({ k: "coalesce", args });
export const when = (cases: [Expr, Expr][], otherwise?: Expr): Expr =>
  otherwise ? { k: "case", when: cases, else: otherwise } : { k: "case", when: cases };
export const bin = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ k: "bin", op, left, right });
export const add = (...args: Expr[]): Expr => args.reduce((a, b) => bin("+", a, b));
export const sub = (left: Expr, right: Expr): Expr => bin("-", left, right);
export const mul = (left: Expr, right: Expr): Expr => bin("*", left, right);
export const div = (left: Expr, right: Expr): Expr => bin("/", left, nullIf(right, lit(0)));
export const eq = (left: Expr, right: Expr | string): Expr =>
  bin("=", left, typeof right === "string" ? lit(right) : right);
export const gt = (left: Expr, right: Expr): Expr => bin(">", left, right);
export const and = (...args: Expr[]): Expr => args.reduce((a, b) => bin("and", a, b));
export const or = (...args: Expr[]): Expr => args.reduce((a, b) => bin("or", a, b));
export const not = (arg: Expr): Expr => ({ k: "not", arg });
export const isNull = (arg: Expr): Expr => ({ k: "isNull", arg });
export const notNull = (arg: Expr): Expr => not(isNull(arg));
export const isIn = (arg: Expr, values: readonly string[]): Expr => ({ k: "in", arg, values });
export const contains = (arg: Expr, needle: string): Expr => ({ k: "contains", arg, needle });
export const concat = (...args: Expr[]): Expr => ({ k: "concat", args });
export const regexExtract = (arg: Expr, pattern: string): Expr => ({ k: "regexExtract", arg, pattern });
export const lower = (arg: Expr): Expr => ({ k: "lower", arg });
export const reverse = (arg: Expr): Expr => ({ k: "reverse", arg });
export const nullIf = (arg: Expr, value: Expr): Expr => ({ k: "nullIf", arg, value });
export const text = (arg: Expr): Expr => ({ k: "blankToNull", arg: cast(arg, "string") });
export const cast = (arg: Expr, to: ScalarType): Expr => ({ k: "cast", arg, to });
export const addDays = (arg: Expr, days: number): Expr => ({ k: "addDays", arg, days });
export const addMonths = (arg: Expr, months: number): Expr => ({ k: "addMonths", arg, months });
export const truncMonth = (arg: Expr): Expr => ({ k: "truncMonth", arg });
export const zonedMonth = (arg: Expr, timeZone: string, months = 0): Expr => ({
  k: "zonedMonth",
  arg,
  timeZone,
  months,
});
export const keyOf = (of: Expr, key: string): Expr => ({ k: "keyOf", of, key });
export const listSum = (list: Expr, fieldName: string): Expr => ({ k: "listSum", list, field: fieldName });
export const listHas = (list: Expr, fieldName: string, values: string[]): Expr => ({
  k: "listHas",
  list,
  field: fieldName,
  values,
});
export const keyValue = (...sources: TagSource[]): Expr => ({ k: "keyValue", sources });
export const canonicalTags = (of: Expr, aliases: TagAliases): Expr => ({ k: "canonicalTags", of, aliases });
export const normKey = (arg: Expr): Expr => ({ k: "normKey", arg });
export const slug = (arg: Expr): Expr => ({ k: "slug", arg });
/** The first operand unless it is NULL, then zero: cost arithmetic over optional columns. */
export const zeroIfNull = (arg: Expr): Expr => coalesce(arg, lit(0));

/** The direct sub-expressions of an expression. */
export function children(e: Expr): Expr[] {
  switch (e.k) {
    case "field":
    case "keyOf":
    case "canonicalTags":
      return [e.of];
    case "listSum":
    case "listHas":
      return [e.list];
    case "coalesce":
    case "concat":
      return e.args;
    case "case":
      return [...e.when.flat(), ...(e.else ? [e.else] : [])];
    case "bin":
      return [e.left, e.right];
    case "nullIf":
      return [e.arg, e.value];
    case "keyValue":
      return e.sources.map((s) => s.expr);
    case "not":
    case "isNull":
    case "in":
    case "contains":
    case "regexExtract":
    case "lower":
    case "reverse":
    case "blankToNull":
    case "cast":
    case "addDays":
    case "addMonths":
    case "truncMonth":
    case "zonedMonth":
    case "normKey":
    case "slug":
      return [e.arg];
    default:
      return [];
  }
}

/** Every node of an expression, depth first. */
export function nodes(e: Expr): Expr[] {
  return [e, ...children(e).flatMap(nodes)];
}
