import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ERRATA } from "./errata";
import type { CarriedModel, CarriedRule, Check, ColumnCheckFunction, Keyword } from "./model";

/**
 * Derives the carried rules (`model/focus-1.2-rules.json`) from the FinOps Foundation's FOCUS
 * requirements model. Run it when the reference model changes:
 *
 *   npx tsx runtime/validate/derive.ts [path/to/focus-1.2-requirements-model.json]
 *
 * It runs at development time only; the product reads the carried file.
 */

/**
 * The published model, carried verbatim with its provenance (`model/source/README.md`) so that a
 * clone can re-derive and test without anything beside it (docs/DESIGN.md, "Reference material").
 */
export const REFERENCE_MODEL = join(__dirname, "model", "source", "focus-1.2-requirements-model.json");
export const CARRIED_MODEL = join(__dirname, "model", "focus-1.2-rules.json");

type Raw = Record<string, unknown>;

const COLUMN_FUNCTIONS = new Set<ColumnCheckFunction>([
  "ColumnPresent",
  "TypeString",
  "TypeDecimal",
  "TypeDateTime",
  "FormatString",
  "FormatNumeric",
  "FormatDateTime",
  "FormatUnit",
  "FormatKeyValue",
  "FormatCurrency",
  "CheckNationalCurrency",
  "CheckDecimalValue",
]);

const KEYWORDS = new Set<Keyword>(["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "RECOMMENDED", "MAY"]);

/** Thrown when the model has a shape this derivation does not understand; names the rule. */
export class ModelShapeError extends Error {}

function field(raw: Raw, key: string, rule: string): string {
  const v = raw[key];
  if (typeof v !== "string" || !v) throw new ModelShapeError(`${rule}: ${key} must be a non-empty string`);
  return v;
}

/** Normalizes one raw check; an empty object means "no check". */
export function normalizeCheck(raw: Raw, rule: string): Check | null {
  if (Object.keys(raw).length === 0) return null;
  const fn = field(raw, "CheckFunction", rule);
  if (fn === "AND" || fn === "OR") {
    const items = raw.Items;
    if (!Array.isArray(items) || items.length === 0) throw new ModelShapeError(`${rule}: ${fn} needs Items`);
    return {
      fn,
      items: items.map((i) => {
        const c = normalizeCheck(i as Raw, rule);
        if (!c) throw new ModelShapeError(`${rule}: empty item in ${fn}`);
        return c;
      }),
    };
  }
  if (fn === "CheckModelRule") return { fn, rule: field(raw, "ModelRuleId", rule) };
  if (COLUMN_FUNCTIONS.has(fn as ColumnCheckFunction)) {
    return { fn: fn as ColumnCheckFunction, column: field(raw, "ColumnName", rule) };
  }
  switch (fn) {
    case "CheckValue":
    case "CheckNotValue":
    case "CheckGreaterOrEqualThanValue": {
      const v = raw.Value;
      if (v !== null && typeof v !== "string" && typeof v !== "number") {
        throw new ModelShapeError(`${rule}: ${fn} Value must be a string, a number or null`);
      }
      return { fn, column: field(raw, "ColumnName", rule), value: v };
    }
    case "CheckSameValue":
    case "CheckNotSameValue":
      return { fn, columnA: field(raw, "ColumnAName", rule), columnB: field(raw, "ColumnBName", rule) };
    case "CheckDistinctCount": {
      const n = raw.ExpectedCount;
      if (typeof n !== "number") throw new ModelShapeError(`${rule}: ExpectedCount must be a number`);
      return {
        fn,
        columnA: field(raw, "ColumnAName", rule),
        columnB: field(raw, "ColumnBName", rule),
        expectedCount: n,
      };
    }
    case "ColumnByColumnEqualsColumnValue":
      return {
        fn,
        columnA: field(raw, "ColumnAName", rule),
        columnB: field(raw, "ColumnBName", rule),
        result: field(raw, "ResultColumnName", rule),
      };
    default:
      return { fn: "Unsupported", name: fn };
  }
}

const canonical = (v: unknown) => JSON.stringify(v);

/** Derives the carried model from the reference model's parsed JSON. */
export function deriveRules(model: Raw, sourceText: string, sourceFile: string): CarriedModel {
  const details = model.Details as Raw;
  const rawRules = model.ModelRules as Record<string, Raw>;
  const errata = new Map(ERRATA.map((e) => [`${e.rule}/${e.field}`, e]));
  const rules: Record<string, CarriedRule> = {};
  for (const [id, r] of Object.entries(rawRules)) {
    const vc = r.ValidationCriteria as Raw;
    const keyword = field(vc, "Keyword", id) as Keyword;
    if (!KEYWORDS.has(keyword)) throw new ModelShapeError(`${id}: unknown keyword ${keyword}`);
    const reasons: string[] = [];
    const part = (name: "Requirement" | "Condition") => {
      const found = (vc[name] ?? {}) as Raw;
      const fix = errata.get(`${id}/${name}`);
      if (!fix) return normalizeCheck(found, id);
      if (canonical(found) !== canonical(fix.found)) {
        throw new ModelShapeError(
          `${id}: the model's ${name} changed since the erratum was written; review runtime/validate/errata.ts`,
        );
      }
      errata.delete(`${id}/${name}`);
      reasons.push(fix.reason);
      return normalizeCheck(fix.use, id);
    };
    const requirement = part("Requirement");
    const condition = part("Condition");
    rules[id] = {
      reference: field(r, "Reference", id),
      entityType: field(r, "EntityType", id) as CarriedRule["entityType"],
      function: field(r, "Function", id),
      type: field(r, "Type", id) as CarriedRule["type"],
      keyword,
      mustSatisfy: field(vc, "MustSatisfy", id),
      applicability: (r.ApplicabilityCriteria as string[]) ?? [],
      requirement,
      condition,
      ...(reasons.length ? { erratum: reasons.join("; ") } : {}),
    };
  }
  if (errata.size > 0) {
    throw new ModelShapeError(`errata for rules the model does not have: ${[...errata.keys()].join(", ")}`);
  }
  const criteria = model.ApplicabilityCriteria as Record<string, { Description: string }>;
  return {
    source: {
      file: sourceFile,
      sha256: createHash("sha256").update(sourceText).digest("hex"),
      modelVersion: String(details.ModelVersion),
      focusVersion: String(details.FOCUSVersion),
    },
    applicabilityCriteria: Object.fromEntries(Object.entries(criteria).map(([k, v]) => [k, v.Description])),
    rules,
  };
}

/** Reads a reference model file and derives the carried model from it. */
export function deriveFromFile(path: string): CarriedModel {
  const text = readFileSync(path, "utf8");
  return deriveRules(JSON.parse(text) as Raw, text, basename(path));
}

if (require.main === module) {
  const source = process.argv[2] ?? REFERENCE_MODEL;
  const model = deriveFromFile(source);
  writeFileSync(CARRIED_MODEL, `${JSON.stringify(model, null, 2)}\n`);
  // The repository's formatter owns JSON layout; the test compares parsed content, not text.
  execFileSync(join(__dirname, "..", "..", "node_modules", ".bin", "biome"), [
    "format",
    "--write",
    CARRIED_MODEL,
  ]);
  process.stdout.write(`wrote ${CARRIED_MODEL}: ${Object.keys(model.rules).length} rules from ${source}\n`);
}
