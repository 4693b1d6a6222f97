import type { Provider } from "../taxonomy/services";
import type { Expr } from "./ast";

/** The source formats the runtime reads (docs/DESIGN.md, "Source formats"). */
export const FORMAT_IDS = [
  "aws-cur2",
  "aws-cur",
  "aws-focus",
  "gcp-billing",
  "azure-cost-details",
  "azure-focus",
  "opencost",
  "focus",
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/**
 * How a raw column is parsed before the mapping reads it. Text forms are parsed tolerantly; a
 * present value that does not parse sends the row to quarantine with the column named.
 * `object` is a tag-like JSON object or MAP; `json` a JSON object of any nesting (FOCUS 1.3's
 * ContractApplied), kept as JSON text; `nested` passes structs and lists through.
 */
export type RawType = "string" | "decimal" | "timestamp" | "object" | "json" | "nested";

export interface RawColumn {
  type: RawType;
  /** Column names in the export, tried in order, case-insensitively (e.g. EA vs MCA spellings). */
  names?: string[];
  /**
   * An `object` assembled from one column per key (a MAP of text values, blanks left out): every
   * column whose name starts with `prefix`, keyed by the rest of its name, but those in `except`.
   */
  entries?: { prefix: string; except?: readonly string[] };
  /** A file without this column is rejected whole. */
  required?: boolean;
  /** A row where this value is missing goes to quarantine. */
  notNull?: boolean;
  /** The values allowed (FOCUS enumerations in FOCUS-format exports); others go to quarantine. */
  oneOf?: readonly string[];
  /**
   * Other spellings of allowed values, by their lower-case form -> the value (e.g. `usage` ->
   * `Usage`, FOCUS 1.0-preview's `on-demand` -> `Standard`): read as that value before any check.
   */
  spellings?: Readonly<Record<string, string>>;
}

/** A row that reads but must not be written, and why (the reason is a text expression over the row). */
export interface RowCheck {
  failsWhen: Expr;
  reason: Expr;
}

/** Rows multiplied out of one source row (OpenCost: one charge per cost component). */
export interface Explode {
  items: Record<string, Expr>[];
  /** An item is kept when any of these fields is non-zero; the others are not charges (no cost, no usage). */
  keepIfNonZero: string[];
}

/**
 * One declarative mapping: a source format's raw rows -> every FOCUS version's columns and Costline's `x_` columns.
 * Every output column is an engine-neutral expression; nothing here is SQL.
 */
export interface SourceMapping {
  format: FormatId;
  /**
   * Whose data the rows are (`x_Provider`, the taxonomy joins, the output partition): the
   * provider of a provider's own export, or, for a FOCUS file of any provider, read from each row.
   */
  provider: Provider | { fromRow: Expr };
  /** Logical raw columns and how they are read; expressions refer to them by these names. */
  raw: Record<string, RawColumn>;
  /**
   * How a file's column names are matched to the raw names: `cur2` by the CUR 2.0 name of a legacy
   * CUR column (sources/aws-cur.ts); otherwise as they are.
   */
  columnNames?: "cur2";
  /** Per-file facts: boolean expressions over the typed rows, true when any row satisfies them. */
  facts?: Record<string, Expr>;
  /**
   * What the summary says of a file by the value of one of its facts: a limit of the data the
   * file holds that its FOCUS rows inherit, and what to export instead.
   */
  factNotes?: Record<string, { whenTrue?: string; whenFalse?: string }>;
  /**
   * Two datasets of one export that overlap, read together as one (see PairedDatasets); a file
   * of either alone is read as it is.
   */
  datasets?: PairedDatasets;
  explode?: Explode;
  /** Join keys of the service and region taxonomies. */
  serviceKey: Expr;
  /**
   * True for a row whose service category the source itself states and the output keeps: a
   * service the taxonomy lacks is then not reported as unknown (its output does not say Other).
   */
  keepsSourceService?: Expr;
  /** Rows to quarantine beyond the raw columns' own checks. */
  rowChecks?: RowCheck[];
  regionKey: Expr;
  /**
   * Join keys of the units table (over the row alone): the unit the export prices in and, where
   * the export counts consumption in another column, that unit. Without `consumed`, the consumed
   * unit is the pricing one. A key the table lacks is counted in the summary.
   */
  units?: { pricing: Expr; consumed?: Expr };
  /** Every FOCUS column (over raw columns, items and lookups). */
  focus: Record<string, Expr>;
  /** Every `x_` column (may also read FOCUS columns with `out` and the daily rate with `rate`). */
  extensions: Record<string, Expr>;
  /** USD per unit of BillingCurrency as the export states it, if it does (over raw columns). */
  providerRate?: Expr;
  /** How the summary reconciles cost: per currency, sum(source) = sum(output) + quarantined source. */
  reconcile: {
    /** The currency of a raw row. */
    currency: Expr;
    /** The cost a raw row carries in that currency. */
    sourceCost: Expr;
    /** The same cost recovered from the output columns (with `out`). */
    outputCost: Expr;
  };
}

/**
 * Two datasets of one export of which one, `whole`, holds nearly every charge and the other,
 * `partial`, adds what it lacks (Azure: AmortizedCost leaves commitment purchases and refunds out,
 * ActualCost has them). Files of both for one `key` (the same charges: account and month) are read
 * as one dataset: every row of `whole`, the rows of `partial` that `adds` selects; partial's other
 * rows are the same charges again, counted as superseded and not written. Which dataset a file is:
 * as its export's manifest states (`name`), else by its facts (`fact`); a file neither says is
 * refused where both datasets meet, as reading it either way could count its charges twice or lose them.
 */
export interface PairedDatasets {
  /** `note`: what the summary says of a whole-dataset file read without the partial one. */
  whole: { name: string; fact: string; note: string };
  partial: { name: string; fact: string };
  /** The rows of `partial` that `whole` lacks. */
  adds: Expr;
  /** What names the same charges in both datasets (text). */
  key: Expr;
  /** The facts that a paired partial file's kept rows take (their meaning beside `whole`). */
  pairedFacts: Record<string, boolean>;
}
