/**
 * The part of the FOCUS requirements models that the validator carries in the repository
 * (`model/focus-<version>-rules.json`), derived from the FinOps Foundation's machine-readable model by
 * `derive.ts`. The product reads only this copy; a test proves it equals what `derive.ts` makes
 * of the reference model.
 */

/** Normative keywords of the model (RFC 2119 words as the model spells them). */
export type Keyword = "MUST" | "MUST NOT" | "SHOULD" | "SHOULD NOT" | "RECOMMENDED" | "MAY";

/** Check functions that test one column. */
export type ColumnCheckFunction =
  | "ColumnPresent"
  | "TypeString"
  | "TypeDecimal"
  | "TypeDateTime"
  | "FormatString"
  | "FormatNumeric"
  | "FormatDateTime"
  | "FormatUnit"
  | "FormatKeyValue"
  | "FormatCurrency"
  | "CheckNationalCurrency"
  | "CheckDecimalValue";

/** Check functions of FOCUS 1.3 that test the values at a JSON path of one column (`$.Elements[*].Key`). */
export type JsonCheckFunction =
  | "JSONCheckPathKeyExists"
  | "JSONCheckPathType"
  | "JSONCheckPathValue"
  | "JSONCheckPathNotValue"
  | "JSONCheckPathKeyStartsWith"
  | "JSONCheckPathKeyValueFormat"
  | "JSONCheckPathUnitFormat"
  | "JSONCheckPathNumericFormat"
  | "JSONFormatString"
  | "JSONFormatNumeric"
  | "JSONFormatUnit";

/** One check of the model, normalized: the model's `CheckFunction` objects with camel-case fields. */
export type Check =
  | { fn: "AND" | "OR"; items: Check[] }
  | { fn: "CheckModelRule"; rule: string }
  | { fn: ColumnCheckFunction; column: string }
  /** The column holds a JSON object (JsonObjectFormat). */
  | { fn: "FormatJSON"; column: string }
  /** No value of the column appears on two rows. */
  | { fn: "CheckNoDuplicates"; column: string }
  | {
      fn: JsonCheckFunction;
      column: string;
      path: string;
      /** JSONCheckPathValue / NotValue: the value (null: JSON null or absent). */
      value?: string | number | null;
      /** JSONCheckPathType: Array, Object, String, Number, Boolean or Null. */
      expectedType?: string;
      /** JSONCheckPathKeyStartsWith: the prefix every key has, but the keys ignored. */
      prefix?: string;
      ignoreKeys?: string[];
    }
  /** The values at a JSON path of one column equal another column. */
  | { fn: "JSONCheckPathSameValue"; column: string; path: string; columnB: string }
  | {
      fn: "CheckValue" | "CheckNotValue" | "CheckGreaterOrEqualThanValue";
      column: string;
      value: string | number | null;
    }
  | { fn: "CheckSameValue" | "CheckNotSameValue"; columnA: string; columnB: string }
  | { fn: "CheckDistinctCount"; columnA: string; columnB: string; expectedCount: number }
  | { fn: "ColumnByColumnEqualsColumnValue"; columnA: string; columnB: string; result: string }
  /** A check function this validator does not know; the rule is reported as skipped. */
  | { fn: "Unsupported"; name: string };

/** One model rule as carried. */
export interface CarriedRule {
  /** The dataset the rule is about (FOCUS 1.3 has two); absent for attributes, which hold for any. */
  dataset?: "CostAndUsage" | "ContractCommitment";
  /** The rule's status in its version: a Removed rule is carried, and reported, but never run. */
  status: "Active" | "Deprecated" | "Removed";
  /** The column, attribute or dataset the rule is about (`Reference`). */
  reference: string;
  entityType: "Dataset" | "Attribute" | "Column";
  /** Presence, Type, Format, Nullability, Validation or Composite. */
  function: string;
  /** Static rules are machine-checkable; Dynamic ones need a person or outside knowledge. */
  type: "Static" | "Dynamic";
  keyword: Keyword;
  /** The requirement's text. */
  mustSatisfy: string;
  /** Provider capabilities the rule depends on (all must hold). */
  applicability: string[];
  /** What must hold; null for a rule the model gives no check for. */
  requirement: Check | null;
  /** Rows the requirement applies to; null for all rows. */
  condition: Check | null;
  /** Why this validator corrected the model's encoding of the rule, when it did. */
  erratum?: string;
}

/** The carried model file. */
export interface CarriedModel {
  source: { file: string; sha256: string; modelVersion: string; focusVersion: string };
  /** Provider capabilities named by rules, with their description. */
  applicabilityCriteria: Record<string, string>;
  rules: Record<string, CarriedRule>;
}

/** The FOCUS versions the validator carries the rules of. */
export const MODEL_VERSIONS = ["1.2", "1.3"] as const;
export type ModelVersion = (typeof MODEL_VERSIONS)[number];

const cached = new Map<ModelVersion, CarriedModel>();

/**
 * The carried rules of a FOCUS version (loaded once). Required rather than read from disk, so
 * that the job bundles carry the rules inside them.
 */
export function focusRules(version: ModelVersion = "1.2"): CarriedModel {
  let model = cached.get(version);
  if (!model) {
    model = (
      version === "1.2" ? require("./model/focus-1.2-rules.json") : require("./model/focus-1.3-rules.json")
    ) as CarriedModel;
    cached.set(version, model);
  }
  return model;
}

/** How strongly a keyword binds: 2 for MUST/MUST NOT, 1 for SHOULD/SHOULD NOT/RECOMMENDED, 0 for MAY. */
export function strength(keyword: Keyword): 0 | 1 | 2 {
  if (keyword === "MUST" || keyword === "MUST NOT") return 2;
  if (keyword === "MAY") return 0;
  return 1;
}

/** Every column a check names. */
export function checkColumns(check: Check | null): string[] {
  if (!check) return [];
  switch (check.fn) {
    case "AND":
    case "OR":
      return [...new Set(check.items.flatMap(checkColumns))];
    case "CheckModelRule":
    case "Unsupported":
      return [];
    case "CheckSameValue":
    case "CheckNotSameValue":
    case "CheckDistinctCount":
      return [check.columnA, check.columnB];
    case "ColumnByColumnEqualsColumnValue":
      return [check.columnA, check.columnB, check.result];
    case "JSONCheckPathSameValue":
      return [check.column, check.columnB];
    default:
      return [check.column];
  }
}
