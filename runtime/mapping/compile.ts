import {
  ALL_FOCUS_COLUMNS,
  DEFAULT_OUTPUT_VERSION,
  focusColumns,
  nullWithoutSkuPrice,
  type OutputVersion,
  outputColumns,
  REQUIRED_VALUES,
} from "../schema/output";
import { children, type Expr, isNull, type LookupTable, NULL, nodes, when } from "./ast";
import type { Dialect } from "./dialect";
import { canonicalTags } from "./tags";
import type { RawColumn, SourceMapping } from "./types";

/** Where the references of an expression point, by pipeline stage. */
interface Scope {
  /** `out(...)` and `rate()` are allowed (the `x_` layer). */
  final?: boolean;
  tenantId: string;
  /** ISO 4217: the currency `x_EffectiveCostReporting` is in (USD when not given). */
  reportingCurrency?: string;
  /** The mapping compiled; absent for expressions over output columns only (`compileOutputExpression`). */
  mapping?: SourceMapping;
  /** Relation alias the row's columns are qualified with, where joins bring other columns in. */
  qualifier?: string;
  /** Raw `object` columns the engine holds as MAPs (Parquet), not JSON text. */
  mapColumns?: ReadonlySet<string>;
  /** Raw columns no input file has: their lists and structs are empty, not typed NULLs. */
  absent?: ReadonlySet<string>;
  /** Raw columns the engine holds as text. */
  textColumns?: ReadonlySet<string>;
  /** Costly sub-expressions an inner SELECT already computed (see `shared`): the column, by `exprKey`. */
  shared?: ReadonlyMap<string, string>;
}

/** Aliases the compiled pipeline uses; fixed so that every dialect's SQL reads the same. */
export const ALIAS = {
  item: "__item",
  service: "__svc",
  region: "__rgn",
  billingAccount: "__acct",
  pricingUnit: "__punit",
  consumedUnit: "__cunit",
  rate: "__rate",
  reportingRate: "__rrate",
} as const;

const lookupCarry = (table: string, column: string) => `__${table}_${column}`;

/** A mapping whose consumed unit is its pricing unit joins the units table once, as the pricing unit. */
const unitAlias = (table: LookupTable, mapping: SourceMapping | undefined) =>
  table === "consumedUnit" && !mapping?.units?.consumed ? ALIAS.pricingUnit : ALIAS[table];

export class MappingError extends Error {}

const reportsInUsd = (currency: string | undefined) => currency === undefined || currency === "USD";

function compileExpr(e: Expr, d: Dialect, s: Scope): string {
  const computed = s.shared && SHARED_KINDS[e.k] ? s.shared.get(exprKey(e)) : undefined;
  if (computed) return computed;
  const c = (x: Expr) => compileExpr(x, d, s);
  switch (e.k) {
    case "col":
      if (!s.mapping?.raw[e.name] && !s.mapping?.facts?.[e.name]) {
        throw new MappingError(`${s.mapping?.format ?? "output"}: column "${e.name}" is not declared in raw`);
      }
      return s.qualifier ? `${s.qualifier}.${d.ident(e.name)}` : d.ident(e.name);
    case "field":
      return isAbsent(e.of, s) ? "NULL" : d.structField(c(e.of), e.name);
    case "item":
      return d.structField(s.qualifier ? `${s.qualifier}.${ALIAS.item}` : ALIAS.item, e.name);
    case "lookup":
      // In the x_ layer the joined tables are gone; the FOCUS layer carried the value forward.
      if (s.final) return d.ident(lookupCarry(e.table, e.column));
      return `${unitAlias(e.table, s.mapping)}.${d.ident(e.column)}`;
    case "out":
      if (!s.final)
        throw new MappingError(`${s.mapping?.format}: out("${e.name}") is only allowed in x_ columns`);
      return d.ident(e.name);
    case "rate":
      if (!s.final) throw new MappingError(`${s.mapping?.format}: rate() is only allowed in x_ columns`);
      return `${ALIAS.rate}.${d.ident("usd_per_unit")}`;
    case "reportingRate":
      if (!s.final)
        throw new MappingError(`${s.mapping?.format}: reportingRate() is only allowed in x_ columns`);
      // A USD tenant needs no rate, and its query no second join of the rates.
      return reportsInUsd(s.reportingCurrency) ? "1" : `${ALIAS.reportingRate}.${d.ident("usd_per_unit")}`;
    case "param":
      return d.string(e.name === "tenantId" ? s.tenantId : (s.reportingCurrency ?? "USD"));
    case "present":
      return s.absent?.has(e.name) ? "FALSE" : "TRUE";
    case "lit":
      if (e.value === null) return "NULL";
      if (typeof e.value === "string") return d.string(e.value);
      if (typeof e.value === "boolean") return e.value ? "TRUE" : "FALSE";
      return String(e.value);
    case "coalesce":
      return `COALESCE(${e.args.map(c).join(", ")})`;
    case "case":
      return `CASE ${e.when.map(([w, t]) => `WHEN ${c(w)} THEN ${c(t)}`).join(" ")}${e.else ? ` ELSE ${c(e.else)}` : ""} END`;
    case "bin": {
      const operand = (x: Expr) => (d.toDouble ? doubleOperand(x, d, s) : c(x));
      if (e.op === "*") return d.multiply(operand(e.left), operand(e.right));
      if (e.op === "/") return d.divide(operand(e.left), operand(e.right));
      return `(${c(e.left)} ${e.op.toUpperCase()} ${c(e.right)})`;
    }
    case "not":
      return `(NOT ${c(e.arg)})`;
    case "isNull":
      return `(${c(e.arg)} IS NULL)`;
    case "in":
      return `(${c(e.arg)} IN (${e.values.map(d.string).join(", ")}))`;
    case "contains":
      return d.containsIgnoreCase(c(e.arg), e.needle);
    case "regexExtract":
      if (capturingGroups(e.pattern) !== 1) {
        throw new MappingError(
          `${s.mapping?.format ?? "output"}: regexExtract pattern ${JSON.stringify(e.pattern)} must have exactly one capturing group (use (?:...) for the others)`,
        );
      }
      return d.regexExtract(c(e.arg), e.pattern);
    case "concat":
      return `(${e.args.map(c).join(" || ")})`;
    case "lower":
      return `lower(${c(e.arg)})`;
    case "reverse":
      return `reverse(${c(e.arg)})`;
    case "nullIf":
      return `NULLIF(${c(e.arg)}, ${c(e.value)})`;
    case "blankToNull":
      return `NULLIF(trim(${c(e.arg)}), '')`;
    case "cast":
      return d.cast(c(e.arg), e.to);
    case "addDays":
      return d.addDays(c(e.arg), e.days);
    case "addMonths":
      return d.addMonths(c(e.arg), e.months);
    case "truncMonth":
      return d.truncMonth(c(e.arg));
    case "zonedMonth":
      return d.zonedMonth(c(e.arg), e.timeZone, e.months);
    case "keyOf":
      return isAbsent(e.of, s) ? "NULL" : d.keyOf(c(e.of), e.key, isMapColumn(e.of, s));
    case "listSum":
      return isAbsent(e.list, s) ? "0" : d.listSum(c(e.list), e.field);
    case "listHas":
      return isAbsent(e.list, s) ? "FALSE" : d.listHas(c(e.list), e.field, e.values);
    case "keyValue": {
      const present = e.sources.filter((t) => !isAbsent(t.expr, s));
      if (!present.length) return "NULL";
      return d.keyValue(
        present.map((t) => ({
          sql: c(t.expr),
          form: isMapColumn(t.expr, s) ? "map" : t.form,
          stripPrefix: t.stripPrefix,
          addPrefix: t.addPrefix,
        })),
      );
    }
    case "canonicalTags":
      return canonicalTags(d, c(e.of), e.aliases);
    case "normKey":
      return d.normKey(c(e.arg));
    case "slug":
      return d.slug(c(e.arg));
  }
}

/** Capturing groups of a regular expression: `(` neither escaped, nor in a class, nor `(?`. */
function capturingGroups(pattern: string): number {
  let groups = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\") i++;
    else if (inClass) inClass = ch !== "]";
    else if (ch === "[") inClass = true;
    else if (ch === "(" && pattern[i + 1] !== "?") groups++;
  }
  return groups;
}

/**
 * An operand of a product or quotient in an engine that computes them in DOUBLE (see
 * `Dialect.toDouble`): its decimal source columns read as DOUBLE, the arithmetic over them kept
 * in DOUBLE, anything else cast.
 */
function doubleOperand(e: Expr, d: Dialect, s: Scope): string {
  const o = (x: Expr) => doubleOperand(x, d, s);
  const shared = s.shared && SHARED_KINDS[e.k] ? s.shared.get(exprKey(e)) : undefined;
  switch (e.k) {
    case "col":
      if (s.mapping?.raw[e.name]?.type !== "decimal" || isAbsent(e, s)) break;
      return d.toDouble!(
        `${s.qualifier ? `${s.qualifier}.` : ""}${d.ident(`raw$${e.name}`)}`,
        s.textColumns?.has(e.name) ?? false,
      );
    case "lit":
      if (typeof e.value === "number") return String(e.value);
      break;
    case "case":
      return `CASE ${e.when.map(([w, t]) => `WHEN ${compileExpr(w, d, s)} THEN ${o(t)}`).join(" ")}${e.else ? ` ELSE ${o(e.else)}` : ""} END`;
    case "coalesce":
      return `COALESCE(${e.args.map(o).join(", ")})`;
    case "nullIf":
      return `NULLIF(${o(e.arg)}, ${o(e.value)})`;
    case "bin":
      if (!shared && ["+", "-", "*", "/"].includes(e.op)) return `(${o(e.left)} ${e.op} ${o(e.right)})`;
      break;
  }
  return d.toDouble!(compileExpr(e, d, s), false);
}

/**
 * The expressions costly enough per row to be computed once where several columns name them, by
 * the name prefix of the column that holds them: regexes, the costliest functions a mapping calls,
 * and products and quotients (with their conversions to and from DOUBLE). DuckDB evaluates each
 * naming again, a CASE's every branch included.
 */
const SHARED_KINDS: Partial<Record<Expr["k"], string>> = { regexExtract: "__regex", bin: "__calc" };

/** Identifies an expression by its structure (the same in every naming). */
const exprKey = (e: Expr) => JSON.stringify(e);

/** A costly sub-expression computed once, in an inner SELECT, for the columns that name it. */
interface Shared {
  expr: Expr;
  column: string;
  /** Inner SELECTs before it: it reads the shared expressions it contains. */
  depth: number;
}

/**
 * The costly sub-expressions (SHARED_KINDS, products and quotients only) that the given
 * expressions name more than once, innermost first. Computed for every row, each must already be
 * evaluated for every row by one of its namings (not only under a CASE branch, a later COALESCE
 * argument or the right side of AND/OR), so that sharing adds neither work nor an overflow a
 * branch used to avoid; a regex cannot fail, and is shared wherever it is repeated (a
 * ResourceType rule names one extraction in up to ten branches).
 */
function sharedExpressions(exprs: Expr[]): Shared[] {
  const seen = new Map<string, { expr: Expr; count: number; everyRow: boolean }>();
  const visit = (e: Expr, everyRow: boolean) => {
    if (e.k === "regexExtract" || (e.k === "bin" && (e.op === "*" || e.op === "/"))) {
      const entry = seen.get(exprKey(e)) ?? { expr: e, count: 0, everyRow: false };
      seen.set(exprKey(e), { expr: e, count: entry.count + 1, everyRow: entry.everyRow || everyRow });
    }
    if (e.k === "case") {
      e.when.forEach(([w, t], i) => {
        visit(w, everyRow && i === 0);
        visit(t, false);
      });
      if (e.else) visit(e.else, false);
    } else if (e.k === "coalesce") {
      e.args.forEach((a, i) => {
        visit(a, everyRow && i === 0);
      });
    } else if (e.k === "bin" && (e.op === "and" || e.op === "or")) {
      visit(e.left, everyRow);
      visit(e.right, false);
    } else {
      for (const child of children(e)) visit(child, everyRow);
    }
  };
  for (const e of exprs) visit(e, true);
  const chosen = [...seen.values()].filter((v) => v.count > 1 && (v.expr.k === "regexExtract" || v.everyRow));
  const keys = new Set(chosen.map((v) => exprKey(v.expr)));
  const depthOf = (e: Expr): number =>
    Math.max(
      -1,
      ...children(e)
        .flatMap(nodes)
        .filter((n) => keys.has(exprKey(n)))
        .map(depthOf),
    ) + 1;
  const numbers = new Map<string, number>();
  return chosen
    .map(({ expr }) => {
      const prefix = SHARED_KINDS[expr.k]!;
      const n = numbers.get(prefix) ?? 0;
      numbers.set(prefix, n + 1);
      return { expr, column: `${prefix}${n}`, depth: depthOf(expr) };
    })
    .sort((a, b) => a.depth - b.depth);
}

const isAbsent = (e: Expr, s: Scope) => e.k === "col" && (s.absent?.has(e.name) ?? false);
const isMapColumn = (e: Expr, s: Scope) => e.k === "col" && (s.mapColumns?.has(e.name) ?? false);

/** Compiles an expression over output columns (`out`, literals, functions), e.g. the `unified` view. */
export function compileOutputExpression(expr: Expr, dialect: Dialect): string {
  return compileExpr(expr, dialect, { tenantId: "", final: true });
}

/** What the compiler needs to know about one run. */
export interface PipelineInput {
  /** A relation with the logical raw columns, `__file`, `__row` and the fact columns. */
  relation: string;
  /**
   * The relation also has `__problem`: why its reader could not read a record's value (e.g. a
   * list given as JSON text that is not JSON), NULL when it could. Such a record is quarantined with it.
   */
  problemColumn?: boolean;
  /** Logical raw columns whose engine type is text (objects held as JSON text, not MAP). */
  textColumns: ReadonlySet<string>;
  /** Logical raw columns no input file has. */
  absentColumns?: ReadonlySet<string>;
  tenantId: string;
  /** The tenant's reporting currency (ISO 4217) for `x_EffectiveCostReporting`; USD when absent. */
  reportingCurrency?: string;
  /**
   * Table names of the taxonomies (services, regions, units), of the daily rates `(currency,
   * date, usd_per_unit)` and of the billing account names given to the run `(id, name)` (joined
   * only by mappings that look them up).
   */
  tables: { services: string; regions: string; units: string; rates: string; billingAccounts: string };
  /** Accounting also by billing period, so that each period's output can be written on its own. */
  accountingByPeriod?: boolean;
  /** The FOCUS version to write (its columns and its value rules); 1.2 by default. */
  focusVersion?: OutputVersion;
}

/** The compiled SQL of one mapping: every query the normalizer runs. */
export interface CompiledPipeline {
  /** FOCUS + `x_` columns in output order, good rows only. */
  output: string;
  /**
   * `output` restricted to the rows of one billing period (`YYYY-MM` of BillingPeriodStart) and,
   * for a mapping that reads the provider from each row, of one provider.
   */
  outputInPeriod(period: string, provider?: string): string;
  /**
   * Per file, source currency, unknown service key and unknown pricing and consumed units (NULL
   * for known ones; see `SourceMapping.units`): rows, quarantined rows, expected output rows and
   * cost sums; with `accountingByPeriod`, also per billing period provider and billing account of
   * the good rows (`period`, `provider`, `billing_account`; NULL for quarantined rows).
   */
  accounting: string;
  /** Quarantined rows: source file, row number, reason, the raw values as JSON. */
  quarantine: string;
  /**
   * Good rows whose service is not in the taxonomy, by service key (they are kept, as `Other`),
   * where the key comes from exploded items; otherwise `accounting` counts them per source row
   * (`unknown_service`).
   */
  unknownServices?: string;
  /** Over written output (a relation name placeholder `{output}`): per currency, rows, cost sum, rows without a USD rate. */
  outputTotals: string;
}

function typedColumn(src: string, column: RawColumn, d: Dialect, isText: boolean): string {
  switch (column.type) {
    case "string": {
      const value = `NULLIF(trim(${d.cast(src, "string")}), '')`;
      if (!column.spellings) return value;
      const cases = Object.entries(column.spellings).map(
        ([from, to]) => `WHEN ${d.string(from)} THEN ${d.string(to)}`,
      );
      return `COALESCE(CASE lower(${value}) ${cases.join(" ")} END, ${value})`;
    }
    case "decimal":
      return d.tryDecimal(src, isText);
    case "timestamp":
      return d.tryTimestamp(src, isText);
    case "object":
      return d.tryJsonObject(src, isText);
    case "json":
      return d.tryJson(src, isText);
    case "nested":
      return src;
  }
}

/**
 * The typed stage: each logical raw column parsed (and kept raw as `raw$<name>` for checks). With
 * `only`, the other columns are kept raw alone, for `typedRest` to parse later.
 */
function typedStage(
  mapping: SourceMapping,
  d: Dialect,
  relation: string,
  textColumns: ReadonlySet<string>,
  withFacts: boolean,
  only?: ReadonlySet<string>,
  problemColumn = false,
): string {
  const facts = withFacts ? Object.keys(mapping.facts ?? {}).map((f) => `, ${d.ident(f)}`) : [];
  if (problemColumn) facts.push(", __problem");
  const columns = Object.entries(mapping.raw).map(([n, c]) => {
    const raw = `${d.ident(n)} AS ${d.ident(`raw$${n}`)}`;
    if (only && !only.has(n)) return raw;
    return `${raw}, ${typedColumn(d.ident(n), c, d, textColumns.has(n))} AS ${d.ident(n)}`;
  });
  return `SELECT __file, __row${facts.join("")}, ${columns.join(", ")} FROM ${relation}`;
}

/** The columns a `typedStage` with `only` kept raw, parsed. */
function typedRest(
  mapping: SourceMapping,
  d: Dialect,
  rows: string,
  textColumns: ReadonlySet<string>,
  only: ReadonlySet<string>,
): string {
  const rest = Object.entries(mapping.raw)
    .filter(([n]) => !only.has(n))
    .map(([n, c]) => `, ${typedColumn(d.ident(`raw$${n}`), c, d, textColumns.has(n))} AS ${d.ident(n)}`);
  return `SELECT *${rest.join("")} FROM ${rows} AS rest`;
}

/**
 * The query computing a file's facts (see `SourceMapping.facts`): one row, one boolean column a
 * fact; its values are added to that file's relation as constants.
 */
export function compileFacts(
  mapping: SourceMapping,
  d: Dialect,
  relation: string,
  textColumns: ReadonlySet<string>,
  absent: ReadonlySet<string>,
): string | undefined {
  const facts = Object.entries(mapping.facts ?? {});
  if (!facts.length) return undefined;
  const scope: Scope = { mapping, tenantId: "", absent, textColumns };
  return `SELECT ${facts
    .map(([name, e]) => `COALESCE(bool_or(${compileExpr(e, d, scope)}), FALSE) AS ${d.ident(name)}`)
    .join(", ")} FROM (${typedStage(mapping, d, relation, textColumns, false)}) AS typed`;
}

/**
 * The queries that pair a file of a `partial` dataset with its `whole` one (see PairedDatasets),
 * over the file's relation (without facts; with `__problem` when `problemColumn`): `keys`, its
 * distinct pairing keys; given the keys that the whole dataset covers, `split` gives `kept` (the
 * relation as it was, less the rows the whole dataset already holds) and `superseded` (those
 * rows' count and source cost per currency, which the accounting adds to the file's).
 */
export function compileDatasetQueries(
  mapping: SourceMapping,
  d: Dialect,
  relation: string,
  textColumns: ReadonlySet<string>,
  absent: ReadonlySet<string>,
  problemColumn: boolean,
): { keys: string; split: (paired: readonly string[]) => { kept: string; superseded: string } } {
  const datasets = mapping.datasets;
  if (!datasets) throw new MappingError(`${mapping.format}: declares no paired datasets`);
  const scope: Scope = { mapping, tenantId: "", absent, textColumns };
  const x = (e: Expr) => compileExpr(e, d, scope);
  const typed = `(${typedStage(mapping, d, relation, textColumns, false, undefined, problemColumn)}) AS typed`;
  const key = x(datasets.key);
  return {
    keys: `SELECT DISTINCT ${key} AS __key FROM ${typed} WHERE ${key} IS NOT NULL`,
    split: (paired) => {
      const superseded = paired.length
        ? `(COALESCE(${key} IN (${paired.map((k) => d.string(k)).join(", ")}), FALSE) AND NOT COALESCE(${x(datasets.adds)}, FALSE))`
        : "FALSE";
      const untyped = [
        "__file",
        "__row",
        ...(problemColumn ? ["__problem"] : []),
        ...Object.keys(mapping.raw).map((n) => `${d.ident(`raw$${n}`)} AS ${d.ident(n)}`),
      ];
      return {
        kept: `SELECT ${untyped.join(", ")} FROM ${typed} WHERE NOT ${superseded}`,
        superseded:
          `SELECT COALESCE(${x(mapping.reconcile.currency)}, '(none)') AS currency, count(*) AS ${d.ident("rows")},` +
          ` ${d.cast(`COALESCE(sum(${x(mapping.reconcile.sourceCost)}), 0)`, "string")} AS cost` +
          ` FROM ${typed} WHERE ${superseded} GROUP BY 1`,
      };
    },
  };
}

/** The nodes that read a joined table or the x_ layer: a lookup, an output column or a rate. */
const JOINED: readonly Expr["k"][] = ["lookup", "out", "rate", "reportingRate"];

/** True when an expression reads only the row (no exploded item, and nothing JOINED). */
const rowOnly = (e: Expr) => nodes(e).every((n) => n.k !== "item" && !JOINED.includes(n.k));

/** True when an expression reads a joined table or the x_ layer. */
const readsJoins = (e: Expr) => nodes(e).some((n) => JOINED.includes(n.k));

/**
 * The quarantine reason of a row: the first failing check, NULL when the row is good. Raw checks
 * name the column and value; derived checks catch values that parse but cannot make a FOCUS row.
 */
function reasonOf(
  mapping: SourceMapping,
  d: Dialect,
  derived: (focusColumn: string) => string | undefined,
  textColumns: ReadonlySet<string>,
  compileRow: (e: Expr) => string,
  problemColumn: boolean,
): string {
  const checks: string[] = problemColumn ? ["WHEN __problem IS NOT NULL THEN __problem"] : [];
  for (const [name, column] of Object.entries(mapping.raw)) {
    const raw = d.ident(`raw$${name}`);
    const typed = d.ident(name);
    const blank =
      column.type === "nested" || !textColumns.has(name)
        ? `(${raw} IS NULL)`
        : `(NULLIF(trim(${d.cast(raw, "string")}), '') IS NULL)`;
    if (column.notNull) checks.push(`WHEN ${blank} THEN ${d.string(`missing value in ${name}`)}`);
    const what = {
      decimal: "bad number",
      timestamp: "bad date",
      object: "bad JSON object",
      json: "bad JSON object",
    } as const;
    if (column.type !== "string" && column.type !== "nested") {
      const shown = `substr(${d.cast(raw, "string")}, 1, 80)`;
      checks.push(
        `WHEN NOT ${blank} AND ${typed} IS NULL THEN ${d.string(`${what[column.type]} in ${name}: `)} || ${shown}`,
      );
    }
    if (column.oneOf) {
      checks.push(
        `WHEN ${typed} NOT IN (${column.oneOf.map(d.string).join(", ")}) THEN ${d.string(`not a FOCUS value in ${name}: `)} || ${typed}`,
      );
    }
  }
  for (const check of mapping.rowChecks ?? []) {
    checks.push(`WHEN ${compileRow(check.failsWhen)} THEN ${compileRow(check.reason)}`);
  }
  for (const name of REQUIRED_VALUES) {
    const sql = derived(name);
    if (sql)
      checks.push(
        `WHEN ${sql} IS NULL THEN ${d.string(`cannot derive ${name}: a value it depends on is missing or malformed`)}`,
      );
  }
  for (const [start, end] of [
    ["ChargePeriodStart", "ChargePeriodEnd"],
    ["BillingPeriodStart", "BillingPeriodEnd"],
  ] as const) {
    const [s0, e0] = [derived(start), derived(end)];
    if (s0 && e0) checks.push(`WHEN ${e0} < ${s0} THEN ${d.string(`${end} is before ${start}`)}`);
  }
  return checks.length ? `CASE ${checks.join(" ")} END` : d.cast("NULL", "string");
}

/** The raw columns that expressions anywhere in `value` (a mapping or a part of one) read. */
function columnRefs(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) columnRefs(v, into);
  else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o.k === "col" && typeof o.name === "string") into.add(o.name);
    for (const v of Object.values(o)) columnRefs(v, into);
  }
  return into;
}

/**
 * A mapping's FOCUS expressions as a version wants them: its columns only, and its value rules
 * over them (1.3 nulls prices and quantities of a row without a SkuPriceId). A mapping declares
 * every version's columns once (the check names any it lacks); the versions differ only here.
 * Raw columns read only by columns the version does not write are not read either, so a value
 * the output does not carry (a 1.3 file's ContractApplied written as 1.2) cannot quarantine its row.
 */
export function forVersion(mapping: SourceMapping, version: OutputVersion): SourceMapping {
  const missing = ALL_FOCUS_COLUMNS.map((c) => c.name).filter((n) => !(n in mapping.focus));
  if (missing.length) throw new MappingError(`${mapping.format}: no expression for ${missing.join(", ")}`);
  const unpriced = isNull(mapping.focus.SkuPriceId!);
  const nulled = new Set(nullWithoutSkuPrice(version));
  const written = new Set(focusColumns(version).map((c) => c.name));
  const focus = Object.fromEntries(
    focusColumns(version).map((c) => {
      const e = mapping.focus[c.name]!;
      const alwaysNull = e.k === "lit" && e.value === null;
      return [c.name, nulled.has(c.name) && !alwaysNull ? when([[unpriced, NULL]], e) : e];
    }),
  );
  const used = columnRefs({ ...mapping, raw: {}, focus });
  const unwritten = columnRefs(Object.entries(mapping.focus).filter(([name]) => !written.has(name)));
  const raw = Object.fromEntries(
    Object.entries(mapping.raw).filter(([name]) => used.has(name) || !unwritten.has(name)),
  );
  return { ...mapping, raw, focus };
}

/** Compiles a mapping to the normalizer's queries in one dialect. */
export function compilePipeline(source: SourceMapping, d: Dialect, input: PipelineInput): CompiledPipeline {
  const version = input.focusVersion ?? DEFAULT_OUTPUT_VERSION;
  const mapping = forVersion(source, version);
  const FOCUS_COLUMNS = focusColumns(version);
  const OUTPUT_COLUMNS = outputColumns(version);
  const mapColumns = new Set(
    Object.entries(mapping.raw)
      .filter(([n, c]) => c.type === "object" && !input.textColumns.has(n))
      .map(([n]) => n),
  );
  const scope: Scope = {
    mapping,
    tenantId: input.tenantId,
    reportingCurrency: input.reportingCurrency,
    mapColumns,
    absent: input.absentColumns,
    textColumns: input.textColumns,
  };
  const x = (e: Expr) => compileExpr(e, d, scope);
  const fin = (e: Expr) => compileExpr(e, d, { ...scope, final: true });
  const typed = typedStage(
    mapping,
    d,
    input.relation,
    input.textColumns,
    true,
    undefined,
    input.problemColumn,
  );
  // The FOCUS columns the checks need (they read the row alone) are computed before the checks.
  const early = FOCUS_COLUMNS.filter((c) => rowOnly(mapping.focus[c.name]!));
  const earlyCol = (c: (typeof early)[number], compile = x) =>
    `, ${d.cast(compile(mapping.focus[c.name]!), castOf(c.type))} AS ${d.ident(`focus$${c.name}`)}`;
  const checkedEarly = early.filter((c) => REQUIRED_VALUES.includes(c.name));
  // BillingPeriodStart first: a period's query keeps its rows before computing the others.
  const [dating, undated] = [
    checkedEarly.filter((c) => c.name === "BillingPeriodStart"),
    checkedEarly.filter((c) => c.name !== "BillingPeriodStart"),
  ];
  const datedFrom = (typedRows: string) =>
    `SELECT *${dating.map((c) => earlyCol(c)).join("")} FROM (${typedRows}) AS typed`;
  const withEarlyFrom = (rows: string) =>
    `SELECT *${undated.map((c) => earlyCol(c)).join("")} FROM ${rows} AS dated`;
  const withEarly = withEarlyFrom(`(${datedFrom(typed)})`);
  const earlyRef = (name: string) =>
    checkedEarly.some((c) => c.name === name) ? d.ident(`focus$${name}`) : undefined;
  const reason = reasonOf(mapping, d, earlyRef, input.textColumns, x, input.problemColumn ?? false);
  const checkedFrom = (rows: string) => `SELECT *, ${reason} AS __reason FROM ${rows} AS early`;
  const checked = checkedFrom(`(${withEarly})`);

  const periodOf = earlyRef("BillingPeriodStart");
  if (!periodOf) {
    throw new MappingError(
      `${mapping.format}: BillingPeriodStart must derive from the row alone (no item, lookup or rate)`,
    );
  }
  const periodKey = d.monthKey(periodOf);
  // Rows of other billing periods are dropped once their period is known, before the other
  // columns are parsed, the other derived values and the checks (a file's small period, e.g.
  // GCP's hours on the other side of a Pacific month boundary, does not parse, derive and check
  // the whole file again).
  // A FOCUS file of any provider names the provider in each row (see SourceMapping.provider):
  // a partition's query keeps that provider's rows with its period's, before the rest is typed.
  const rowProvider = typeof mapping.provider === "string" ? undefined : mapping.provider.fromRow;
  const providerAt = (qualifier: string) =>
    rowProvider ? `${qualifier}.__provider` : d.string(mapping.provider as string);
  const columnsOf = (e: Expr | undefined) =>
    e ? nodes(e).flatMap((n) => (n.k === "col" && n.name in mapping.raw ? [n.name] : [])) : [];
  const firstColumns = new Set([...columnsOf(mapping.focus.BillingPeriodStart), ...columnsOf(rowProvider)]);
  const periodFirst = typedStage(
    mapping,
    d,
    input.relation,
    input.textColumns,
    true,
    firstColumns,
    input.problemColumn,
  );
  const ofProvider = (provider: string | undefined) =>
    rowProvider && provider !== undefined ? ` AND ${x(rowProvider)} = ${d.string(provider)}` : "";
  const inPeriod = (period: string, provider?: string) =>
    `(SELECT * FROM (${datedFrom(periodFirst)}) AS dated WHERE ${periodKey} = ${d.string(period)}${ofProvider(provider)})`;
  const goodRows = (period?: string, provider?: string) => {
    const rows =
      period === undefined
        ? `(${withEarly})`
        : `(${withEarlyFrom(`(${typedRest(mapping, d, inPeriod(period, provider), input.textColumns, firstColumns)})`)})`;
    return `(SELECT * FROM (${checkedFrom(rows)}) AS checked WHERE __reason IS NULL${period === undefined ? ofProvider(provider) : ""})`;
  };
  // The others that no join feeds (e.g. Tags, the unit prices), for the good rows of the period
  // only but before the taxonomy joins: list and JSON functions over the sliced vectors a join
  // emits cost many times more. A column with the same expression and type as one computed before
  // is read from it (e.g. GCP's pricing-currency amounts are its billing-currency ones).
  const beforeJoins = FOCUS_COLUMNS.filter(
    (c) => !checkedEarly.includes(c) && !readsJoins(mapping.focus[c.name]!),
  );
  const columnKey = (c: (typeof early)[number]) => `${castOf(c.type)} ${exprKey(mapping.focus[c.name]!)}`;
  const firstNamed = new Map<string, string>();
  const sourceOf = new Map<string, string>();
  for (const c of [...checkedEarly, ...beforeJoins]) {
    if (!firstNamed.has(columnKey(c))) firstNamed.set(columnKey(c), c.name);
    sourceOf.set(c.name, firstNamed.get(columnKey(c))!);
  }
  const ownColumns = beforeJoins.filter((c) => sourceOf.get(c.name) === c.name);
  // Costly expressions those columns name more than once are computed once, in inner SELECTs:
  // those of the row before the explode multiplies the rows, those of an item after it.
  const shared = sharedExpressions([
    mapping.serviceKey,
    mapping.regionKey,
    ...ownColumns.map((c) => mapping.focus[c.name]!),
  ]);
  const sharedScope = (except?: Shared): Scope => ({
    ...scope,
    shared: new Map(shared.filter((h) => h !== except).map((h) => [exprKey(h.expr), h.column])),
  });
  const withShared = (rows: string, group: Shared[]) =>
    [...new Set(group.map((h) => h.depth))].reduce(
      (inner, depth) =>
        `(SELECT *${group
          .filter((h) => h.depth === depth)
          .map((h) => `, ${compileExpr(h.expr, d, sharedScope(h))} AS ${h.column}`)
          .join("")} FROM ${inner} AS s${depth})`,
      rows,
    );
  const xs = (e: Expr) => compileExpr(e, d, sharedScope());
  const units = mapping.units;
  if ([units?.pricing, units?.consumed].some((key) => key && !rowOnly(key))) {
    throw new MappingError(
      `${mapping.format}: unit keys must derive from the row alone (no item, lookup or rate)`,
    );
  }
  const unitKeys = (compile: (e: Expr) => string) =>
    units
      ? `, ${compile(units.pricing)} AS __pricing_unit_key${units.consumed ? `, ${compile(units.consumed)} AS __consumed_unit_key` : ""}`
      : "";
  const unitJoin = (alias: string, key: string, qualifier: string) =>
    ` LEFT JOIN ${input.tables.units} AS ${alias} ON ${alias}.provider = ${providerAt(qualifier)} AND ${alias}.key = ${d.normKey(`${qualifier}.${key}`)}`;
  const unitJoins = (qualifier: string) =>
    units
      ? unitJoin(ALIAS.pricingUnit, "__pricing_unit_key", qualifier) +
        (units.consumed ? unitJoin(ALIAS.consumedUnit, "__consumed_unit_key", qualifier) : "")
      : "";
  const keyedFrom = (goodRows: string) => {
    const good = withShared(
      goodRows,
      shared.filter((h) => rowOnly(h.expr)),
    );
    const rows = mapping.explode
      ? `(SELECT * FROM ${d.explode(
          good,
          mapping.explode.items.map((i) => Object.fromEntries(Object.entries(i).map(([k, v]) => [k, x(v)]))),
          ALIAS.item,
        )} AS exploded WHERE ${keepItem(mapping.explode.keepIfNonZero, (f) => d.structField(ALIAS.item, f))})`
      : good;
    const columns = ownColumns.map((c) => earlyCol(c, xs)).join("");
    return (
      `(SELECT *, ${xs(mapping.serviceKey)} AS __service_key, ${xs(mapping.regionKey)} AS __region_key${unitKeys(xs)}${rowProvider ? `, ${xs(rowProvider)} AS __provider` : ""}${columns}` +
      ` FROM ${withShared(
        rows,
        shared.filter((h) => !rowOnly(h.expr)),
      )} AS r)`
    );
  };
  const xk = (e: Expr) => compileExpr(e, d, { ...scope, qualifier: "k" });
  const focusCols = FOCUS_COLUMNS.map((c) =>
    sourceOf.has(c.name)
      ? `k.${d.ident(`focus$${sourceOf.get(c.name)}`)} AS ${d.ident(c.name)}`
      : `${d.cast(xk(mapping.focus[c.name]!), castOf(c.type))} AS ${d.ident(c.name)}`,
  );
  const carried = Object.values(mapping.extensions)
    .flatMap(nodes)
    .flatMap((n) => (n.k === "lookup" ? [n] : []))
    .map((n) => `, ${xk(n)} AS ${d.ident(lookupCarry(n.table, n.column))}`);
  const mapped = (keyed: string) =>
    `SELECT ${focusCols.join(", ")}${[...new Set(carried)].join("")}${mapping.providerRate ? `, ${xk(mapping.providerRate)} AS __provider_rate` : ", NULL AS __provider_rate"}${rowProvider ? ", k.__provider AS __provider" : ""} FROM ${keyed} AS k` +
    ` LEFT JOIN ${input.tables.services} AS ${ALIAS.service} ON ${ALIAS.service}.provider = ${providerAt("k")} AND ${ALIAS.service}.key = ${d.normKey("k.__service_key")}` +
    ` LEFT JOIN ${input.tables.regions} AS ${ALIAS.region} ON ${ALIAS.region}.provider = ${providerAt("k")} AND ${ALIAS.region}.id = ${d.normKey("k.__region_key")}` +
    unitJoins("k") +
    billingAccountJoin(mapping, input.tables.billingAccounts, earlyRef("BillingAccountId"));

  const extensionCols = OUTPUT_COLUMNS.filter((c) => c.level === "costline");
  const missingX = extensionCols.map((c) => c.name).filter((n) => !(n in mapping.extensions));
  if (missingX.length) throw new MappingError(`${mapping.format}: no expression for ${missingX.join(", ")}`);
  const finalCols = OUTPUT_COLUMNS.map((c) =>
    c.level === "costline"
      ? `${d.cast(fin(mapping.extensions[c.name]!), castOf(c.type))} AS ${d.ident(c.name)}`
      : `m.${d.ident(c.name)}`,
  );
  const outputOf = (good: string) =>
    `SELECT ${finalCols.join(", ")}` +
    ` FROM (${mapped(keyedFrom(good))}) AS m LEFT JOIN ${input.tables.rates} AS ${ALIAS.rate} ON ${ALIAS.rate}.currency = m.${d.ident("BillingCurrency")}` +
    ` AND ${ALIAS.rate}.date = ${d.cast(`m.${d.ident("ChargePeriodStart")}`, "date")}` +
    (reportsInUsd(input.reportingCurrency)
      ? ""
      : ` LEFT JOIN ${input.tables.rates} AS ${ALIAS.reportingRate} ON ${ALIAS.reportingRate}.currency = ${d.string(input.reportingCurrency!)}` +
        ` AND ${ALIAS.reportingRate}.date = ${d.cast(`m.${d.ident("ChargePeriodStart")}`, "date")}`);

  const expected = mapping.explode
    ? `(${mapping.explode.items.map((i) => `CASE WHEN ${keepItem(mapping.explode!.keepIfNonZero, (f) => x(i[f]!))} THEN 1 ELSE 0 END`).join(" + ")})`
    : "1";
  const currency = `COALESCE(${x(mapping.reconcile.currency)}, '(none)')`;
  const cost = x(mapping.reconcile.sourceCost);
  const serviceJoin = (qualifier: string) =>
    ` LEFT JOIN ${input.tables.services} AS ${ALIAS.service} ON ${ALIAS.service}.provider = ${providerAt(qualifier)} AND ${ALIAS.service}.key = ${d.normKey(`${qualifier}.__service_key`)}`;
  // When the service key reads only the source row (also with exploded items, e.g. CUR's fee
  // split), the accounting pass counts the good rows whose service the taxonomy lacks, instead of
  // a scan of its own; only a key that comes from the items needs that scan.
  const keyPerRow = !mapping.explode || rowOnly(mapping.serviceKey);
  const serviceKey = keyPerRow ? x(mapping.serviceKey) : d.cast("NULL", "string");
  // With the period, the billing account: together with provider and format they name the
  // source a good row belongs to, the unit the CLI's store replaces (runtime/normalize/store.ts).
  const accountOf = earlyRef("BillingAccountId");
  if (input.accountingByPeriod && !accountOf) {
    throw new MappingError(
      `${mapping.format}: BillingAccountId must derive from the row alone (no item, lookup or rate)`,
    );
  }
  const period = input.accountingByPeriod
    ? `, CASE WHEN __reason IS NULL THEN ${periodKey} END AS __period, CASE WHEN __reason IS NULL THEN ${accountOf} END AS __account`
    : "";
  const byProvider = input.accountingByPeriod || rowProvider !== undefined;
  const providerColumn = rowProvider
    ? "CASE WHEN a.__reason IS NULL THEN a.__provider END"
    : d.string(mapping.provider as string);
  const perRowProvider = rowProvider ? `, ${x(rowProvider)} AS __provider` : "";
  const keeps = mapping.keepsSourceService
    ? `, COALESCE(${x(mapping.keepsSourceService)}, FALSE) AS __keeps_service`
    : "";
  const perRow = `SELECT __file, __reason, ${currency} AS __currency, ${cost} AS __cost, ${expected} AS __expected, ${serviceKey} AS __service_key${unitKeys(x)}${period}${perRowProvider}${keeps} FROM (${checked}) AS checked`;
  // A good row's unit the table lacks is kept as given; the summary counts it, by unit.
  const unknownUnit = (alias: string, key: string) =>
    `CASE WHEN a.__reason IS NULL AND a.${key} IS NOT NULL AND ${alias}.key IS NULL THEN ${d.cast(`a.${key}`, "string")} END`;
  const noUnit = d.cast("NULL", "string");
  const unknownWhen = `a.__reason IS NULL AND ${ALIAS.service}.key IS NULL${keeps ? " AND NOT a.__keeps_service" : ""}`;
  const accounting =
    `SELECT a.__file AS file, a.__currency AS currency,` +
    ` ${keyPerRow ? `CASE WHEN ${unknownWhen} THEN ${d.cast("a.__service_key", "string")} END` : d.cast("NULL", "string")} AS unknown_service,` +
    ` ${units ? unknownUnit(ALIAS.pricingUnit, "__pricing_unit_key") : noUnit} AS unknown_pricing_unit,` +
    ` ${units?.consumed ? unknownUnit(ALIAS.consumedUnit, "__consumed_unit_key") : noUnit} AS unknown_consumed_unit,` +
    ` count(*) AS rows_read, count(a.__reason) AS rows_quarantined,` +
    ` CAST(COALESCE(sum(CASE WHEN a.__reason IS NULL THEN a.__expected END), 0) AS BIGINT) AS rows_expected,` +
    ` ${d.cast("COALESCE(sum(a.__cost), 0)", "string")} AS source_cost,` +
    ` ${d.cast("COALESCE(sum(CASE WHEN a.__reason IS NOT NULL THEN a.__cost END), 0)", "string")} AS quarantined_cost,` +
    ` count(CASE WHEN a.__cost IS NULL THEN 1 END) AS rows_without_cost${input.accountingByPeriod ? ", a.__period AS period, a.__account AS billing_account" : ""}${byProvider ? `, ${providerColumn} AS provider` : ""}` +
    ` FROM (${perRow}) AS a${keyPerRow ? serviceJoin("a") : ""}${unitJoins("a")} GROUP BY 1, 2, 3, 4, 5${input.accountingByPeriod ? ", a.__period, a.__account" : ""}${rowProvider ? `, ${providerColumn}` : ""}`;

  const rawJson = d.jsonObject(Object.keys(mapping.raw).map((n) => [n, d.ident(`raw$${n}`)]));
  const quarantine =
    `SELECT __file AS source_file, __row AS row_number, __reason AS reason, ${d.string(mapping.format)} AS source_format, ${rawJson} AS raw_row` +
    ` FROM (${checked}) AS checked WHERE __reason IS NOT NULL`;

  const outputTotals =
    `SELECT ${d.ident("BillingCurrency")} AS currency, count(*) AS rows_written,` +
    ` ${d.cast(`COALESCE(sum(${fin(mapping.reconcile.outputCost)}), 0)`, "string")} AS output_cost,` +
    ` count(CASE WHEN ${d.ident("x_ExchangeRateToUsd")} IS NULL THEN 1 END) AS rows_without_rate FROM {output} GROUP BY 1`;
  const unknownServices = !keyPerRow
    ? `SELECT ${d.cast("k.__service_key", "string")} AS service, count(*) AS ${d.ident("rows")} FROM ${keyedFrom(goodRows())} AS k` +
      serviceJoin("k") +
      ` WHERE ${ALIAS.service}.key IS NULL GROUP BY 1 ORDER BY 2 DESC, 1`
    : undefined;
  return {
    output: outputOf(goodRows()),
    outputInPeriod: (p, provider) => outputOf(goodRows(p, provider)),
    accounting,
    quarantine,
    unknownServices,
    outputTotals,
  };
}

/**
 * The join of the billing account names, for a mapping that looks them up: on the row's
 * BillingAccountId, computed before the checks (it is a value a row cannot be written without).
 */
function billingAccountJoin(mapping: SourceMapping, table: string, accountId: string | undefined): string {
  const looksUp = [...Object.values(mapping.focus), ...Object.values(mapping.extensions)]
    .flatMap(nodes)
    .some((n) => n.k === "lookup" && n.table === "billingAccount");
  if (!looksUp) return "";
  if (!accountId) {
    throw new MappingError(
      `${mapping.format}: billing account names are looked up by BillingAccountId, which must then derive from the row alone`,
    );
  }
  return ` LEFT JOIN ${table} AS ${ALIAS.billingAccount} ON ${ALIAS.billingAccount}.id = k.${accountId}`;
}

/** An exploded item is a charge when any of the named fields is non-zero. */
function keepItem(fields: string[], fieldSql: (name: string) => string): string {
  return `(${fields.map((f) => `COALESCE(${fieldSql(f)} <> 0, FALSE)`).join(" OR ")})`;
}

const castOf = (type: string) =>
  (({ string: "string", decimal: "decimal", datetime: "timestamp", json: "json", date: "date" }) as const)[
    type as "string"
  ];
