import { ISO_4217_NATIONAL } from "./currencies";
import { type Dataset, ident, literal } from "./dataset";
import type { Check, JsonCheckFunction } from "./model";

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
 * - JSON path checks (FOCUS 1.3) judge each element the path's last `[*]` selects: a requirement
 *   holds on a row when it holds for every element, a condition selects a row when it holds for
 *   every element, so that no row fails for an element its condition does not select. A missing
 *   or JSON-null value does not speak to a format check (nullability has rules of its own), and
 *   a cell that is not JSON speaks only to FormatJSON.
 */

/** A check this compiler cannot turn into SQL (a rule reference or an unknown function). */
export class UncompilableCheck extends Error {}

type Family = "string" | "json" | "numeric" | "float" | "datetime" | "map" | "struct" | "list" | "other";
export type ValueFamily = Family;

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

type JsonCheck = Extract<Check, { fn: JsonCheckFunction }> | Extract<Check, { fn: "JSONCheckPathSameValue" }>;

/** DuckDB's json_type names of the model's ExpectedType values. */
const JSON_TYPES: Record<string, string[]> = {
  Array: ["ARRAY"],
  Object: ["OBJECT"],
  String: ["VARCHAR"],
  Number: ["BIGINT", "UBIGINT", "HUGEINT", "DOUBLE"],
  // FOCUS's Decimal is any JSON number: an integer is a decimal with no fraction.
  Decimal: ["BIGINT", "UBIGINT", "HUGEINT", "DOUBLE"],
  Boolean: ["BOOLEAN"],
  Null: ["NULL"],
};

/**
 * A model path split at its last `[*]`: the path of the elements, and the path within each
 * (`$.Elements[*].Key` -> `$.Elements[*]` and `$.Key`); a path without `[*]` has one element, the cell.
 */
function splitPath(path: string): { elements?: string; within: string } {
  const at = path.lastIndexOf("[*]");
  if (at < 0) return { within: path };
  return { elements: path.slice(0, at + 3), within: `$${path.slice(at + 3)}` };
}

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

  /** The type family of a column of the dataset (how its values are held: text, typed, nested). */
  valueFamily(column: string): Family {
    return this.fam(column);
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

  /** The cell as DuckDB JSON, NULL where it is not JSON; nested Parquet types as their JSON form. */
  private json(column: string): string {
    const c = ident(column);
    const f = this.fam(column);
    if (f === "map" || f === "struct" || f === "list") return `to_json(${c})`;
    if (f === "json") return `(CASE WHEN json_valid(${c}::VARCHAR) THEN ${c} END)`;
    if (f === "string") return `(CASE WHEN json_valid(${c}) THEN ${c}::JSON END)`;
    return "CAST(NULL AS JSON)";
  }

  /** A JSON path check as a predicate over each element (`e`, JSON) that the path selects. */
  private jsonElement(check: JsonCheck, within: string): string {
    const p = literal(within);
    const exists = `json_exists(e, ${p})`;
    const type = `json_type(e, ${p})`;
    const present = `(${exists} AND ${type} <> 'NULL')`;
    const str = `json_extract_string(e, ${p})`;
    // A value that is missing or JSON null does not speak to a format.
    const format = (test: string) => `(NOT ${present} OR (${test}))`;
    const textValue = `(${type} = 'VARCHAR' AND NOT (trim(${str}) = '' OR lower(trim(${str})) IN (${NULL_PLACEHOLDERS.map(literal).join(", ")})))`;
    const numeric = `(${type} IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') OR (${type} = 'VARCHAR' AND regexp_full_match(${str}, ${literal(NUMERIC_TEXT)})))`;
    switch (check.fn) {
      case "JSONCheckPathKeyExists":
        return exists;
      case "JSONCheckPathType": {
        const types = JSON_TYPES[check.expectedType ?? ""];
        if (!types) throw new UncompilableCheck(`JSON type ${check.expectedType} is not known`);
        return `coalesce(${type} IN (${types.map(literal).join(", ")}), FALSE)`;
      }
      case "JSONCheckPathValue":
      case "JSONCheckPathNotValue": {
        const v = check.value ?? null;
        const is =
          v === null
            ? `NOT ${present}`
            : typeof v === "number"
              ? `coalesce(TRY_CAST(${str} AS DOUBLE) = ${v}, FALSE)`
              : `coalesce(${str} = ${literal(v)}, FALSE)`;
        return check.fn === "JSONCheckPathValue" ? `(${is})` : `(NOT (${is}))`;
      }
      case "JSONCheckPathKeyStartsWith": {
        const ignored = check.ignoreKeys?.length
          ? ` OR k IN (${check.ignoreKeys.map(literal).join(", ")})`
          : "";
        return format(
          `${type} = 'OBJECT' AND len(list_filter(json_keys(e, ${p}), lambda k: NOT (starts_with(k, ${literal(check.prefix ?? "")})${ignored}))) = 0`,
        );
      }
      case "JSONCheckPathKeyValueFormat": {
        const v = `json_extract(e, ${p})`;
        return format(
          `${type} = 'OBJECT' AND len(list_filter(json_extract(${v}, '$.*'), lambda v: json_type(v) IN ('OBJECT', 'ARRAY'))) = 0`,
        );
      }
      case "JSONCheckPathUnitFormat":
      case "JSONFormatUnit":
        return format(`${textValue} AND regexp_full_match(${str}, ${literal(UNIT_TEXT)})`);
      case "JSONCheckPathNumericFormat":
      case "JSONFormatNumeric":
        return format(numeric);
      case "JSONFormatString":
        return format(textValue);
      case "JSONCheckPathSameValue":
        return format(`${str} IS NOT DISTINCT FROM ${this.text(check.columnB)}`);
    }
  }

  /** A JSON path check on a row: it holds for every element the path selects (NULL for a cell that is not JSON). */
  private jsonPath(check: JsonCheck): string {
    const j = this.json(check.column);
    const { elements, within } = splitPath(check.path);
    const list = elements ? `json_extract(${j}, ${literal(elements)})` : `[${j}]`;
    const each = this.jsonElement(check, within);
    return `(CASE WHEN ${j} IS NULL THEN NULL ELSE len(list_filter(${list}, lambda e: NOT coalesce(${each}, FALSE))) = 0 END)`;
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
      case "FormatJSON":
        // JsonObjectFormat: a JSON object (as text, JSON, or a nested Parquet value).
        return this.onValue(
          check.column,
          `coalesce(json_type(${this.json(check.column)}) = 'OBJECT', FALSE)`,
        );
      case "CheckNoDuplicates": {
        const alias = `__rows_${this.windows.size}`;
        this.windows.set(alias, `count(*) OVER (PARTITION BY ${ident(check.column)})`);
        return this.onValue(check.column, `${ident(alias)} = 1`);
      }
      case "JSONCheckPathKeyExists":
      case "JSONCheckPathType":
      case "JSONCheckPathValue":
      case "JSONCheckPathNotValue":
      case "JSONCheckPathKeyStartsWith":
      case "JSONCheckPathKeyValueFormat":
      case "JSONCheckPathUnitFormat":
      case "JSONCheckPathNumericFormat":
      case "JSONFormatString":
      case "JSONFormatNumeric":
      case "JSONFormatUnit":
      case "JSONCheckPathSameValue":
        return this.jsonPath(check);
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
