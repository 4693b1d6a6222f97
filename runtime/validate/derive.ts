import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { ERRATA, erratumRuleId } from "./errata";
import {
  type CarriedModel,
  type CarriedRule,
  type Check,
  type ColumnCheckFunction,
  type JsonCheckFunction,
  type Keyword,
  MODEL_VERSIONS,
  type ModelVersion,
} from "./model";

/**
 * Derives the carried rules (`model/focus-<version>-rules.json`) from the FinOps Foundation's
 * FOCUS requirements models. Run it when a reference model changes:
 *
 *   npx tsx runtime/validate/derive.ts
 *
 * It runs at development time only; the product reads the carried files.
 */

/**
 * The published model of a version, carried verbatim with its provenance (`model/source/README.md`)
 * so that a clone can re-derive and test without anything beside it (docs/DESIGN.md, "Reference material").
 */
export const referenceModel = (v: ModelVersion) =>
  join(__dirname, "model", "source", `focus-${v}-requirements-model.json`);
export const carriedModel = (v: ModelVersion) => join(__dirname, "model", `focus-${v}-rules.json`);

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

const JSON_FUNCTIONS = new Set<JsonCheckFunction>([
  "JSONCheckPathKeyExists",
  "JSONCheckPathType",
  "JSONCheckPathValue",
  "JSONCheckPathNotValue",
  "JSONCheckPathKeyStartsWith",
  "JSONCheckPathKeyValueFormat",
  "JSONCheckPathUnitFormat",
  "JSONCheckPathNumericFormat",
  "JSONFormatString",
  "JSONFormatNumeric",
  "JSONFormatUnit",
]);

const STATUSES = new Set<CarriedRule["status"]>(["Active", "Deprecated", "Removed"]);
const DATASETS = new Set(["CostAndUsage", "ContractCommitment"]);

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
  if (JSON_FUNCTIONS.has(fn as JsonCheckFunction)) {
    const v = raw.Value;
    if (v !== undefined && v !== null && typeof v !== "string" && typeof v !== "number") {
      throw new ModelShapeError(`${rule}: ${fn} Value must be a string, a number or null`);
    }
    const ignore = raw.IgnoreKeys;
    if (ignore !== undefined && !(Array.isArray(ignore) && ignore.every((k) => typeof k === "string"))) {
      throw new ModelShapeError(`${rule}: ${fn} IgnoreKeys must be a list of strings`);
    }
    return {
      fn: fn as JsonCheckFunction,
      column: field(raw, "ColumnName", rule),
      path: field(raw, "Path", rule),
      ...(v !== undefined ? { value: v as string | number | null } : {}),
      ...(raw.ExpectedType !== undefined ? { expectedType: field(raw, "ExpectedType", rule) } : {}),
      ...(raw.Prefix !== undefined ? { prefix: field(raw, "Prefix", rule) } : {}),
      ...(ignore !== undefined ? { ignoreKeys: ignore as string[] } : {}),
    };
  }
  switch (fn) {
    case "FormatJSON":
    case "CheckNoDuplicates":
      return { fn, column: field(raw, "ColumnName", rule) };
    case "JSONCheckPathSameValue":
      // The model's one use compares a path with a whole column (PathB null); a path on both sides is not known.
      if (raw.PathB !== null) return { fn: "Unsupported", name: `${fn} with PathB` };
      return {
        fn,
        column: field(raw, "ColumnAName", rule),
        path: field(raw, "PathA", rule),
        columnB: field(raw, "ColumnBName", rule),
      };
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
  const version = String(details.FOCUSVersion);
  const errata = new Map(
    ERRATA.filter((e) => (e.versions as readonly string[]).includes(version)).map((e) => [
      `${erratumRuleId(e, version)}/${e.field}`,
      e,
    ]),
  );
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
    const status = (r.Status ?? "Active") as CarriedRule["status"];
    if (!STATUSES.has(status)) throw new ModelShapeError(`${id}: unknown status ${String(r.Status)}`);
    const dataset = r.DatasetId;
    if (dataset !== undefined && dataset !== null && !DATASETS.has(String(dataset))) {
      throw new ModelShapeError(`${id}: unknown dataset ${String(dataset)}`);
    }
    rules[id] = {
      ...(dataset ? { dataset: dataset as CarriedRule["dataset"] } : {}),
      status,
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
  for (const version of MODEL_VERSIONS) {
    const source = referenceModel(version);
    const target = carriedModel(version);
    const model = deriveFromFile(source);
    writeFileSync(target, `${JSON.stringify(model, null, 2)}\n`);
    // The repository's formatter owns JSON layout; the test compares parsed content, not text.
    execFileSync(join(__dirname, "..", "..", "node_modules", ".bin", "biome"), ["format", "--write", target]);
    process.stdout.write(`wrote ${target}: ${Object.keys(model.rules).length} rules from ${source}\n`);
  }
}
