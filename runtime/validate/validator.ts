import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { CheckCompiler, UncompilableCheck } from "./compile";
import { type Dataset, ident, openDataset } from "./dataset";
import { type AttributeSupplement, supplementOf, type ValueFormat } from "./supplements";
import { focusVersionOf } from "../mappings/focus-versions";
import {
  type CarriedModel,
  type CarriedRule,
  type Check,
  checkColumns,
  focusRules,
  type ModelVersion,
  strength,
} from "./model";

/**
 * The FOCUS conformance validator: runs every model rule it can check as SQL over DuckDB and
 * says, for each of the model's rules, pass, fail or skipped (with why).
 *
 * Semantics (the model leaves them implicit):
 * - A rule's Requirement is what must hold; its Keyword only says how strongly (a "MUST NOT be
 *   null" rule encodes "not null" and is MUST-strength).
 * - A rule's Condition, and the Conditions and ApplicabilityCriteria of the composites that
 *   include it, select where it applies. A rule included by two composites takes the deeper one's.
 * - A composite passes when every included rule at least as strong as itself passes, fails when
 *   one fails, and is otherwise skipped (e.g. about absent columns). An AND whose checkable parts
 *   pass and whose other parts need a person passes partly: it names those parts (uncheckedParts).
 * - Rules the model has no check for are judged where the data can judge them
 *   (supplements.ts: the value-format attribute rules, over every column of their format).
 * - MAY rules grant an option and cannot be violated: skipped as permissions.
 * - Rules about an absent column are skipped (its presence rule says whether that is allowed);
 *   rules whose ApplicabilityCriteria were not declared are skipped as not applicable.
 * - A dataset is judged by the model of its FOCUS version (1.3 when it has a column 1.3 added,
 *   else 1.2) and, in 1.3, by the rules of its kind (Cost and Usage, or Contract Commitment when
 *   it has ContractCommitmentId and no ChargeCategory); the other kind's rules are not reported.
 *   A rule the version removed is reported as skipped, and its composites judged without it.
 */

export type RuleStatus = "pass" | "fail" | "skipped";
export type SkipReason =
  /** The model has no machine check for the rule (Type Dynamic). */
  | "dynamic"
  /** A MAY rule: it permits, it cannot be violated. */
  | "permission"
  /** The rule depends on provider capabilities that were not declared with --applicability. */
  | "not-applicable"
  /** A column the rule reads is not in the dataset. */
  | "column-absent"
  /** A composite whose checkable parts passed but some parts cannot be checked automatically. */
  | "partial"
  /** The specification removed the rule in this version; the model keeps it for the record. */
  | "removed"
  /** The rule uses a check function this validator does not implement. */
  | "unsupported";

export interface RuleResult {
  id: string;
  keyword: CarriedRule["keyword"];
  reference: string;
  status: RuleStatus;
  reason?: SkipReason;
  /** Why it was skipped or how it failed, in words. */
  detail?: string;
  mustSatisfy: string;
  /** Rows the rule applied to (leaf rules that ran as SQL). */
  checkedRows?: number;
  /** Rows that violate it. */
  failingRows?: number;
  /** Up to three offending rows, with the columns the rule reads. */
  examples?: Record<string, string | null>[];
  /** Rules of a composite that failed, when it failed. */
  failedParts?: string[];
  /** Rules under a passing composite that were not checked (they need a person): it passes partly. */
  uncheckedParts?: string[];
  /** Set when the validator corrected the model's encoding of this rule. */
  erratum?: string;
}

export interface ValidationSummary {
  rules: number;
  /** Rules with a verdict (pass or fail). */
  executed: number;
  passed: number;
  failed: number;
  skipped: number;
  skippedBy: Record<SkipReason, number>;
  /** Passed composites with parts that were not checked (see RuleResult.uncheckedParts). */
  passedPartly: number;
  /** Failed MUST / MUST NOT rules: any makes the dataset non-conformant. */
  mandatoryFailures: number;
  /** Failed SHOULD / SHOULD NOT / RECOMMENDED rules. */
  advisoryFailures: number;
}

export interface ValidationReport {
  input: string;
  format: Dataset["format"];
  rows: number;
  columns: number;
  focusVersion: string;
  /** The FOCUS dataset the rows are. */
  dataset: DatasetKind;
  /** Provider capabilities declared for the run. */
  applicability: string[];
  summary: ValidationSummary;
  results: RuleResult[];
}

export interface ValidateOptions {
  /** Provider capabilities that hold for the data (`ALL` for every criterion of the model). */
  applicability?: readonly string[] | "ALL";
  /** The model to run; by default the carried rules of the dataset's version (`datasetVersion`). */
  model?: CarriedModel;
  /** The dataset the rows are; by default what their columns say (`datasetKind`). */
  dataset?: DatasetKind;
}

/** The datasets of FOCUS 1.3 (1.2 has Cost and Usage only). */
export type DatasetKind = "CostAndUsage" | "ContractCommitment";

/** What a dataset's columns say it is. */
export function datasetKind(columns: Iterable<string>): DatasetKind {
  const has = new Set(columns);
  return has.has("ContractCommitmentId") && !has.has("ChargeCategory")
    ? "ContractCommitment"
    : "CostAndUsage";
}

/** The version of the carried model that judges a dataset with these columns. */
export function datasetVersion(columns: Iterable<string>): ModelVersion {
  const names = [...columns];
  return datasetKind(names) === "ContractCommitment" || focusVersionOf(names) === "1.3" ? "1.3" : "1.2";
}

/** Thrown for an applicability criterion the model does not define. */
export class ApplicabilityError extends Error {}

interface Context {
  conditions: Check[];
  applicability: string[];
}

const EXAMPLES = 3;
// Aggregates per scan: one query per this many leaf rules keeps the SQL small.
const BATCH = 120;

function ruleRefs(check: Check | null): string[] {
  if (!check) return [];
  if (check.fn === "CheckModelRule") return [check.rule];
  if (check.fn === "AND" || check.fn === "OR") return check.items.flatMap(ruleRefs);
  return [];
}

function isRuleComposite(check: Check): check is { fn: "AND" | "OR"; items: Check[] } {
  return (check.fn === "AND" || check.fn === "OR") && check.items.every((i) => i.fn === "CheckModelRule");
}

/** Resolves --applicability against the model. */
export function resolveApplicability(
  model: CarriedModel,
  declared: ValidateOptions["applicability"],
): string[] {
  const known = Object.keys(model.applicabilityCriteria);
  if (declared === "ALL") return known;
  const unknown = (declared ?? []).filter((c) => !known.includes(c));
  if (unknown.length) {
    throw new ApplicabilityError(
      `unknown applicability criteria: ${unknown.join(", ")}; use ALL or some of: ${known.join(", ")}`,
    );
  }
  return [...new Set(declared ?? [])];
}

/** The model's Format check functions by the value format they check. */
const FORMAT_CHECKS: Partial<Record<Check["fn"], ValueFormat>> = {
  FormatDateTime: "DateTime",
  FormatNumeric: "Numeric",
  FormatString: "String",
  FormatKeyValue: "KeyValue",
  FormatJSON: "JSON",
};

/**
 * The columns of each value format, as the model's column rules check them (a JSON object
 * column is not also a String one), and the columns that must never be null: those with an
 * unconditional "MUST NOT be null" rule, nothing above it narrowing where it applies.
 */
function valueFormats(model: CarriedModel, ctx: Map<string, Context>) {
  const byFormat = new Map<ValueFormat, Set<string>>();
  const walk = (check: Check | null) => {
    if (!check) return;
    if (check.fn === "AND" || check.fn === "OR") for (const i of check.items) walk(i);
    const format = FORMAT_CHECKS[check.fn];
    if (format && "column" in check) {
      if (!byFormat.has(format)) byFormat.set(format, new Set());
      byFormat.get(format)!.add(check.column);
    }
  };
  const notNullable = new Set<string>();
  for (const [id, rule] of Object.entries(model.rules)) {
    walk(rule.requirement);
    const r = rule.requirement;
    const c = ctx.get(id)!;
    if (
      r?.fn === "CheckNotValue" &&
      r.value === null &&
      !rule.condition &&
      !rule.applicability.length &&
      !c.conditions.length &&
      !c.applicability.length
    )
      notNullable.add(r.column);
  }
  const json = byFormat.get("JSON") ?? new Set();
  return {
    get: (format: ValueFormat) =>
      [...(byFormat.get(format) ?? [])].filter((c) => format !== "String" || !json.has(c)).sort(),
    notNullable,
  };
}

/** Each rule's inherited context: the conditions and criteria of the composites above it. */
function contexts(model: CarriedModel): Map<string, Context> {
  const parents = new Map<string, string[]>();
  for (const [id, rule] of Object.entries(model.rules)) {
    for (const child of ruleRefs(rule.requirement)) parents.set(child, [...(parents.get(child) ?? []), id]);
  }
  const depth = new Map<string, number>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const d = Math.max(-1, ...(parents.get(id) ?? []).map(depthOf)) + 1;
    depth.set(id, d);
    return d;
  };
  const out = new Map<string, Context>();
  const contextOf = (id: string): Context => {
    const known = out.get(id);
    if (known) return known;
    const ps = parents.get(id) ?? [];
    let ctx: Context = { conditions: [], applicability: [] };
    if (ps.length) {
      const parent = ps.reduce((a, b) => (depthOf(b) > depthOf(a) ? b : a));
      const above = contextOf(parent);
      const p = model.rules[parent];
      ctx = {
        conditions: p.condition ? [...above.conditions, p.condition] : above.conditions,
        applicability: [...new Set([...above.applicability, ...p.applicability])],
      };
    }
    out.set(id, ctx);
    return ctx;
  };
  for (const id of Object.keys(model.rules)) contextOf(id);
  return out;
}

interface LeafQuery {
  id: string;
  condition: string;
  requirement: string;
  columns: string[];
}

function rowValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** Validates a dataset already opened on `conn`. */
export async function validateDataset(
  conn: DuckDBConnection,
  dataset: Dataset,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const model = options.model ?? focusRules(datasetVersion(dataset.columns.keys()));
  const kind = options.dataset ?? datasetKind(dataset.columns.keys());
  const judged = (id: string) => {
    const of = model.rules[id]!.dataset;
    return of === undefined || of === kind;
  };
  const declared = resolveApplicability(model, options.applicability);
  const ctx = contexts(model);
  const formats = valueFormats(model, ctx);
  const attributeColumns = (sup: AttributeSupplement) =>
    formats.get(sup.format).filter((c) => !sup.notNullable || formats.notNullable.has(c));
  const compiler = new CheckCompiler(dataset);
  const results = new Map<string, RuleResult>();
  const queries: LeafQuery[] = [];

  const base = (id: string): RuleResult => {
    const r = model.rules[id];
    return {
      id,
      keyword: r.keyword,
      reference: r.reference,
      status: "skipped",
      mustSatisfy: r.mustSatisfy,
      ...(r.erratum ? { erratum: r.erratum } : {}),
    };
  };
  const skip = (id: string, reason: SkipReason, detail: string): RuleResult => ({
    ...base(id),
    reason,
    detail,
  });

  // Pass 1: verdicts that need no data, and the SQL for the rest.
  const pending = new Set<string>();
  for (const [id, rule] of Object.entries(model.rules)) {
    if (!judged(id)) continue;
    const c = ctx.get(id)!;
    const missingCriteria = [...new Set([...c.applicability, ...rule.applicability])].filter(
      (a) => !declared.includes(a),
    );
    if (rule.status === "Removed") {
      results.set(id, skip(id, "removed", `FOCUS ${model.source.focusVersion} removed this rule`));
    } else if (rule.keyword === "MAY") {
      results.set(id, skip(id, "permission", "a MAY rule grants an option; it cannot be violated"));
    } else if (missingCriteria.length) {
      results.set(
        id,
        skip(id, "not-applicable", `applies when the provider declares ${missingCriteria.join(" and ")}`),
      );
    } else if (!rule.requirement && supplementOf(id)) {
      const sup = supplementOf(id)!;
      if ("format" in sup) {
        const columns = attributeColumns(sup).filter((col) => dataset.columns.has(col));
        if (!columns.length) {
          results.set(id, skip(id, "column-absent", `no ${sup.format} column is in the dataset`));
        } else {
          const each = columns.map(
            (col) =>
              `(CASE WHEN ${ident(col)} IS NULL THEN NULL ELSE ${sup.value(ident(col), compiler.valueFamily(col))} END)`,
          );
          queries.push({ id, requirement: each.join(" AND "), condition: "TRUE", columns });
        }
      } else {
        const absent = sup.columns.filter((col) => !dataset.columns.has(col));
        if (absent.length) {
          results.set(id, skip(id, "column-absent", `column ${absent.join(", ")} is not in the dataset`));
        } else {
          queries.push({ id, requirement: sup.predicate(compiler), condition: "TRUE", columns: sup.columns });
        }
      }
    } else if (!rule.requirement) {
      const why = rule.erratum ?? "the model has no machine check for this rule";
      results.set(id, skip(id, "dynamic", `${why}; review it by hand`));
    } else if (ruleRefs(rule.requirement).length) {
      if (!isRuleComposite(rule.requirement)) {
        results.set(id, skip(id, "unsupported", "mixes rule references with row checks"));
      } else pending.add(id);
    } else if (rule.requirement.fn === "ColumnPresent") {
      const present = dataset.columns.has(rule.requirement.column);
      results.set(id, {
        ...base(id),
        status: present ? "pass" : "fail",
        ...(present ? {} : { detail: `column ${rule.requirement.column} is not in the dataset` }),
      });
    } else {
      const conditions = [...c.conditions, ...(rule.condition ? [rule.condition] : [])];
      const columns = [...new Set([...checkColumns(rule.requirement), ...conditions.flatMap(checkColumns)])];
      const absent = columns.filter((col) => !dataset.columns.has(col));
      if (absent.length) {
        results.set(id, skip(id, "column-absent", `column ${absent.join(", ")} is not in the dataset`));
        continue;
      }
      try {
        queries.push({
          id,
          requirement: compiler.requirement(rule.requirement),
          condition: conditions.length ? conditions.map((k) => compiler.condition(k)).join(" AND ") : "TRUE",
          columns,
        });
      } catch (e) {
        if (!(e instanceof UncompilableCheck)) throw e;
        results.set(id, skip(id, "unsupported", e.message));
      }
    }
  }

  // Pass 2: run the leaf rules, a batch of aggregates per scan.
  const windows = [...compiler.windows].map(([alias, sql]) => `, ${sql} AS ${ident(alias)}`).join("");
  const scanned = `(SELECT *${windows} FROM ${dataset.relation}) AS focus_rows`;
  for (let i = 0; i < queries.length; i += BATCH) {
    const batch = queries.slice(i, i + BATCH);
    const select = batch
      .map(
        (q, k) =>
          `count(*) FILTER (WHERE ${q.condition})::DOUBLE AS c${k}, count(*) FILTER (WHERE (${q.condition}) AND NOT (${q.requirement}))::DOUBLE AS f${k}`,
      )
      .join(",\n");
    const row = (await conn.runAndReadAll(`SELECT ${select} FROM ${scanned}`)).getRowObjectsJson()[0];
    for (const [k, q] of batch.entries()) {
      const failing = Number(row[`f${k}`]);
      const supplement = supplementOf(q.id);
      if (supplement && !supplement.decides && failing === 0) {
        results.set(
          q.id,
          skip(
            q.id,
            "dynamic",
            `needs review; a necessary condition holds on every row: ${supplement.describe}`,
          ),
        );
        continue;
      }
      const result: RuleResult = {
        ...base(q.id),
        status: failing > 0 ? "fail" : "pass",
        checkedRows: Number(row[`c${k}`]),
        failingRows: failing,
      };
      if (failing > 0) {
        const examples = await conn.runAndReadAll(
          `SELECT ${q.columns.map((c) => `${ident(c)}::VARCHAR AS ${ident(c)}`).join(", ")} FROM ${scanned}
           WHERE (${q.condition}) AND NOT (${q.requirement}) LIMIT ${EXAMPLES}`,
        );
        result.examples = examples
          .getRowObjectsJson()
          .map((r) => Object.fromEntries(Object.entries(r).map(([c, v]) => [c, rowValue(v)])));
        result.detail = !supplement
          ? `${failing} of ${result.checkedRows} rows violate it`
          : supplement.decides
            ? `${failing} of ${result.checkedRows} rows violate it: ${supplement.describe}`
            : `${failing} of ${result.checkedRows} rows break a necessary condition: ${supplement.describe}`;
      } else if (supplement?.decides) {
        result.detail = `checked on ${q.columns.join(", ")}: ${supplement.describe}`;
      }
      results.set(q.id, result);
    }
  }

  // Pass 3: composites, from their parts.
  const resolve = (id: string): RuleResult => {
    const known = results.get(id);
    if (known) return known;
    const rule = model.rules[id];
    const requirement = rule.requirement as {
      fn: "AND" | "OR";
      items: { fn: "CheckModelRule"; rule: string }[];
    };
    const parts = requirement.items
      .map((i) => i.rule)
      .filter((p) => strength(model.rules[p].keyword) >= strength(rule.keyword))
      .filter((p) => model.rules[p].status !== "Removed")
      .map(resolve);
    const failed = parts.filter((p) => p.status === "fail");
    const passed = parts.filter((p) => p.status === "pass");
    const open = parts.filter((p) => p.status === "skipped");
    let result: RuleResult;
    const fails =
      requirement.fn === "AND"
        ? failed.length > 0
        : parts.length > 0 && passed.length === 0 && open.length === 0;
    const passes = requirement.fn === "AND" ? failed.length === 0 && open.length === 0 : passed.length > 0;
    // An AND whose checkable parts all pass and whose other parts only need a person passes as
    // far as the data can tell, and says which parts were not checked.
    const needsPerson = (p: RuleResult) => p.reason === "dynamic" || p.reason === "partial";
    const passesPartly =
      requirement.fn === "AND" && failed.length === 0 && passed.length > 0 && open.every(needsPerson);
    const unchecked = (p: RuleResult): string[] =>
      p.status === "skipped" ? [p.id] : (p.uncheckedParts ?? []);
    if (fails) {
      result = {
        ...base(id),
        status: "fail",
        failedParts: failed.map((p) => p.id),
        detail: `failed: ${failed.map((p) => p.id).join(", ")}`,
      };
    } else if (passes || passesPartly) {
      const notChecked = [...new Set((requirement.fn === "AND" ? parts : passed).flatMap(unchecked))];
      result = notChecked.length
        ? {
            ...base(id),
            status: "pass",
            uncheckedParts: notChecked,
            detail: `its checkable parts pass; not checked (review by hand): ${notChecked.join(", ")}`,
          }
        : { ...base(id), status: "pass" };
    } else {
      const reasons = new Set(open.map((p) => p.reason));
      const reason: SkipReason = reasons.size === 1 ? [...reasons][0]! : "partial";
      result = skip(
        id,
        reason === "dynamic" || reason === "permission" ? "partial" : reason,
        `${passed.length} of ${parts.length} parts checked and passed; not checked: ${open.map((p) => `${p.id} (${p.reason})`).join(", ")}`,
      );
    }
    results.set(id, result);
    return result;
  };
  for (const id of pending) resolve(id);

  const ordered = Object.keys(model.rules)
    .filter(judged)
    .map((id) => results.get(id)!);
  return {
    input: dataset.source,
    format: dataset.format,
    rows: dataset.rows,
    columns: dataset.columns.size,
    focusVersion: model.source.focusVersion,
    dataset: kind,
    applicability: declared,
    summary: summarize(ordered),
    results: ordered,
  };
}

function summarize(results: RuleResult[]): ValidationSummary {
  const skippedBy: Record<SkipReason, number> = {
    dynamic: 0,
    permission: 0,
    "not-applicable": 0,
    "column-absent": 0,
    partial: 0,
    unsupported: 0,
    removed: 0,
  };
  for (const r of results) if (r.reason) skippedBy[r.reason]++;
  const failed = results.filter((r) => r.status === "fail");
  return {
    rules: results.length,
    executed: results.filter((r) => r.status !== "skipped").length,
    passed: results.filter((r) => r.status === "pass").length,
    passedPartly: results.filter((r) => r.uncheckedParts?.length).length,
    failed: failed.length,
    skipped: results.filter((r) => r.status === "skipped").length,
    skippedBy,
    mandatoryFailures: failed.filter((r) => strength(r.keyword) === 2).length,
    advisoryFailures: failed.filter((r) => strength(r.keyword) === 1).length,
  };
}

/** Opens Parquet/CSV files or folders, as one dataset, in a private in-memory DuckDB and validates it. */
export async function validateFocus(
  path: string | string[],
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    return await validateDataset(conn, await openDataset(conn, path), options);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
