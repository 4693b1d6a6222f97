import { ISO_4217_NATIONAL } from "./currencies";
import { type Dataset, ident, literal } from "./dataset";
import type { Check } from "./model";

/**
 * Compiles the model's check functions to DuckDB SQL over one dataset.
 *
 * A requirement compiles to a row predicate in SQL's three-valued logic: TRUE where the row
 * satisfies it, FALSE where it violates it, and NULL where it does not speak about the row (a
 * value check on a NULL cell: nullability has rules of its own, so a NULL is never counted twice).
 * A row is offending when the predicate is FALSE.
 *
 * A condition selects the rows a requirement applies to and is two-valued: a NULL cell is not
 * "Usage", and it is "not Correction".
 *
 * Tolerances and formats this validator states (FOCUS leaves them implicit):
 * - ColumnByColumnEqualsColumnValue: |A x B - R| <= max(1e-6, 1e-4 x |R|) (providers round costs).
 * - FormatDateTime: `YYYY-MM-DDTHH:mm:ssZ`, with optional fractional seconds; typed timestamps pass.
 * - FormatNumeric: integer, decimal or E notation (`-1.5`, `.5`, `2E-3`); no `+`, commas, symbols.
 * - FormatString: not empty, not only spaces, not a null placeholder ("NULL", "N/A", "Not Applicable").
 */

/** A check this compiler cannot turn into SQL (a rule reference or an unknown function). */
export class UncompilableCheck extends Error {}

type Family = "string" | "json" | "numeric" | "float" | "datetime" | "map" | "struct" | "list" | "other";

/** The type family of a DuckDB column type. */
export function family(duckType: string): Family {
  const t = duckType.toUpperCase();
  if (t.endsWith("]")) return "list";
  if (t === "VARCHAR") return "string";
  if (t === "JSON") return "json";
  if (t === "DOUBLE" || t === "FLOAT" || t === "REAL") return "float";
  if (/^(DECIMAL|NUMERIC|U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?)/.test(t)) return "numeric";
  if (t.startsWith("TIMESTAMP")) return "datetime";
  if (t.startsWith("MAP(")) return "map";
  if (t.startsWith("STRUCT(")) return "struct";
  return "other";
}

const DATETIME_TEXT = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z`;
const NUMERIC_TEXT = String.raw`-?(\d+(\.\d+)?|\.\d+)([eE]-?\d+)?`;
// A unit (words, optionally with a leading count and "-" or "/" combinations): "GB-Hours",
// "1000 Requests", "Requests/Second".
const UNIT_TEXT = String.raw`(\d+ )?[A-Za-z][A-Za-z0-9]*( [A-Za-z][A-Za-z0-9]*)*([-/][A-Za-z][A-Za-z0-9]*( [A-Za-z][A-Za-z0-9]*)*)*`;
const NULL_PLACEHOLDERS = ["null", "n/a", "not applicable"];
const SCALAR_VALUE = /^(VARCHAR|BOOLEAN|DOUBLE|FLOAT|DECIMAL.*|U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|JSON)$/;
/** The tolerance of ColumnByColumnEqualsColumnValue, stated once. */
export const PRODUCT_TOLERANCE = { absolute: 1e-6, relative: 1e-4 } as const;

/** Compiles checks against one dataset's columns. */
export class CheckCompiler {
  /** Window columns that CheckDistinctCount needs, by alias: add them to the scanned relation. */
  readonly windows = new Map<string, string>();

  constructor(private readonly dataset: Pick<Dataset, "columns" | "format">) {}

  private type(column: string): string {
    const t = this.dataset.columns.get(column);
    if (t === undefined) throw new UncompilableCheck(`column ${column} is absent`);
    return t;
  }

  private fam(column: string): Family {
    return family(this.type(column));
  }

  /** NULL for a NULL cell, else the expression: value checks do not speak about missing values. */
  private onValue(column: string, expr: string): string {
    return `(CASE WHEN ${ident(column)} IS NULL THEN NULL ELSE (${expr}) END)`;
  }

  /** The column as DOUBLE: typed numbers as they are, text only when spelled as a FOCUS number. */
  private number(column: string): string {
    const c = ident(column);
    const f = this.fam(column);
    if (f === "numeric" || f === "float") return `CAST(${c} AS DOUBLE)`;
    if (f === "string" || f === "json") {
      return `(CASE WHEN regexp_full_match(${c}::VARCHAR, ${literal(NUMERIC_TEXT)}) THEN TRY_CAST(${c}::VARCHAR AS DOUBLE) END)`;
    }
    return "CAST(NULL AS DOUBLE)";
  }

  /** The column as TIMESTAMPTZ: typed timestamps as they are, text when it parses. */
  timestamp(column: string): string {
    const c = ident(column);
    const f = this.fam(column);
    if (f === "datetime") return `CAST(${c} AS TIMESTAMPTZ)`;
    if (f === "string") return `TRY_CAST(${c} AS TIMESTAMPTZ)`;
    return "CAST(NULL AS TIMESTAMPTZ)";
  }

  private text(column: string): string {
    return this.fam(column) === "string" ? ident(column) : `CAST(${ident(column)} AS VARCHAR)`;
  }

  private isNumeric(column: string): string {
    const c = ident(column);
    const f = this.fam(column);
    if (f === "numeric") return "TRUE";
    if (f === "float") return `isfinite(${c})`;
    if (f === "string") return `coalesce(isfinite(${this.number(column)}), FALSE)`;
    return "FALSE";
  }

  private isString(column: string): string {
    const f = this.fam(column);
    if (f !== "string" && f !== "json") return "FALSE";
    const t = `trim(${ident(column)}::VARCHAR)`;
    return `NOT (${t} = '' OR lower(${t}) IN (${NULL_PLACEHOLDERS.map(literal).join(", ")}))`;
  }

  private isKeyValue(column: string): string {
    const c = ident(column);
    const type = this.type(column).toUpperCase();
    const f = family(type);
    if (f === "map") {
      const value = /^MAP\((.+?), (.+)\)$/.exec(type)?.[2] ?? "";
      return SCALAR_VALUE.test(value) ? "TRUE" : "FALSE";
    }
    if (f !== "string" && f !== "json") return "FALSE";
    const j = `${c}::JSON`;
    return `(CASE WHEN json_valid(${c}::VARCHAR) AND json_type(${j}) = 'OBJECT' THEN
      len(json_keys(${j})) = len(list_distinct(json_keys(${j})))
      AND len(list_filter(json_extract(${j}, '$.*'), lambda v: json_type(v) IN ('OBJECT', 'ARRAY'))) = 0
      ELSE FALSE END)`;
  }

  private currencyCodes(): string {
    return [...ISO_4217_NATIONAL].map(literal).join(", ");
  }

  /** The requirement predicate (three-valued; FALSE = offending). */
  requirement(check: Check): string {
    switch (check.fn) {
      case "AND":
      case "OR":
        return `(${check.items.map((i) => this.requirement(i)).join(` ${check.fn} `)})`;
      case "CheckModelRule":
        throw new UncompilableCheck(`rule reference ${check.rule} inside a row check`);
      case "Unsupported":
        throw new UncompilableCheck(`check function ${check.name} is not implemented`);
      case "ColumnPresent":
        return this.dataset.columns.has(check.column) ? "TRUE" : "FALSE";
      case "TypeString": {
        const f = this.fam(check.column);
        return this.onValue(check.column, f === "string" || f === "json" ? "TRUE" : "FALSE");
      }
      case "TypeDecimal": {
        const f = this.fam(check.column);
        const csvText = this.dataset.format === "csv" && f === "string";
        return this.onValue(
          check.column,
          f === "numeric" || f === "float" || csvText ? this.isNumeric(check.column) : "FALSE",
        );
      }
      case "TypeDateTime": {
        const f = this.fam(check.column);
        if (f === "datetime") return this.onValue(check.column, "TRUE");
        if (this.dataset.format === "csv" && f === "string") {
          return this.onValue(check.column, `TRY_CAST(${ident(check.column)} AS TIMESTAMPTZ) IS NOT NULL`);
        }
        return this.onValue(check.column, "FALSE");
      }
      case "FormatDateTime": {
        const f = this.fam(check.column);
        if (f === "datetime") return this.onValue(check.column, "TRUE");
        if (f !== "string") return this.onValue(check.column, "FALSE");
        const c = ident(check.column);
        return this.onValue(
          check.column,
          `regexp_full_match(${c}, ${literal(DATETIME_TEXT)}) AND TRY_CAST(${c} AS TIMESTAMPTZ) IS NOT NULL`,
        );
      }
      case "FormatNumeric":
      case "CheckDecimalValue":
        return this.onValue(check.column, this.isNumeric(check.column));
      case "FormatString":
        return this.onValue(check.column, this.isString(check.column));
      case "FormatUnit":
        return this.onValue(
          check.column,
          `${this.isString(check.column)} AND regexp_full_match(${this.text(check.column)}, ${literal(UNIT_TEXT)})`,
        );
      case "FormatKeyValue":
        return this.onValue(check.column, this.isKeyValue(check.column));
      case "FormatCurrency": {
        // A national currency is its ISO 4217 code; anything else is a virtual currency, which
        // must be a proper string and must not look like a misspelled code ("usd", "EU1").
        const t = this.text(check.column);
        return this.onValue(
          check.column,
          `${t} IN (${this.currencyCodes()}) OR (${this.isString(check.column)} AND NOT regexp_full_match(${t}, '[A-Za-z0-9]{3}'))`,
        );
      }
      case "CheckNationalCurrency":
        return this.onValue(check.column, `${this.text(check.column)} IN (${this.currencyCodes()})`);
      case "CheckValue":
      case "CheckNotValue": {
        const c = ident(check.column);
        const positive =
          check.value === null
            ? `${c} IS NULL`
            : typeof check.value === "number"
              ? `${this.number(check.column)} = ${check.value}`
              : `${this.text(check.column)} = ${literal(check.value)}`;
        return check.fn === "CheckValue" ? `(${positive})` : `(NOT (${positive}))`;
      }
      case "CheckGreaterOrEqualThanValue":
        return `(${this.number(check.column)} >= ${Number(check.value)})`;
      case "CheckSameValue":
        return `(${this.text(check.columnA)} = ${this.text(check.columnB)})`;
      case "CheckNotSameValue":
        return `(${this.text(check.columnA)} <> ${this.text(check.columnB)})`;
      case "CheckDistinctCount": {
        const alias = `__distinct_${this.windows.size}`;
        this.windows.set(
          alias,
          `count(DISTINCT ${ident(check.columnB)}) OVER (PARTITION BY ${ident(check.columnA)})`,
        );
        return this.onValue(check.columnA, `${ident(alias)} = ${check.expectedCount}`);
      }
      case "ColumnByColumnEqualsColumnValue": {
        const a = this.number(check.columnA);
        const b = this.number(check.columnB);
        const r = this.number(check.result);
        return `(abs(${a} * ${b} - ${r}) <= greatest(${PRODUCT_TOLERANCE.absolute}, ${PRODUCT_TOLERANCE.relative} * abs(${r})))`;
      }
    }
  }

  /** The condition predicate (two-valued; TRUE = the requirement applies to the row). */
  condition(check: Check): string {
    switch (check.fn) {
      case "AND":
      case "OR":
        return `(${check.items.map((i) => this.condition(i)).join(` ${check.fn} `)})`;
      case "CheckNotValue":
        return `coalesce(${this.requirement(check)}, TRUE)`;
      case "CheckNotSameValue":
        return `(${this.text(check.columnA)} IS DISTINCT FROM ${this.text(check.columnB)})`;
      case "CheckSameValue":
        return `(${this.text(check.columnA)} IS NOT DISTINCT FROM ${this.text(check.columnB)})`;
      default:
        return `coalesce(${this.requirement(check)}, FALSE)`;
    }
  }
}
