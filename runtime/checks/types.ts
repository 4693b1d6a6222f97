import type { DuckDBConnection } from "@duckdb/node-api";
import type { z } from "zod";
import type { Dialect } from "../mapping/dialect";
import type { TagAliases } from "../mapping/tags";
import type { Dataset } from "../validate/dataset";
import type { ConnectionRecord } from "./connection";

/** How much a finding needs attention; `ok` records a check that passed, with what it measured. */
export type Severity = "ok" | "info" | "warning" | "error";

export const SEVERITIES: readonly Severity[] = ["ok", "info", "warning", "error"];

/** One result of one policy, as structured JSON. */
export interface Finding {
  /** The policy's name, e.g. `required-tags`. */
  policy: string;
  severity: Severity;
  /** What the finding is about: a tag key, a budget, a service and day, a credential... */
  subject: string;
  /** What was measured (a number in `unit`, or a text value). */
  measured: number | string | null;
  /** The limit it was held against, in the same unit. */
  threshold: number | string | null;
  unit?: string;
  message: string;
  /** What to do about it; absent on passing checks. */
  hint?: string;
}

/**
 * The normalized rows as a policy queries them, in whichever engine holds them: DuckDB over files
 * (`costline check`, the Azure and Kubernetes jobs) or the warehouse a job normalized into (Athena,
 * BigQuery). Policies write their SQL through `dialect`, the seam the mappings compile through.
 */
export interface CheckData {
  dialect: Dialect;
  /** The rows, as a relation to select from. */
  relation: string;
  /** Column name -> the engine's type. */
  columns: ReadonlyMap<string, string>;
  /** Runs a read-only query; values come back as JSON values or as text (numbers included). */
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** The rows open in DuckDB for the FOCUS validator: all of them, or a sample copied out of a warehouse. */
  focusRows(): Promise<FocusRows>;
}

/** Rows the FOCUS validator reads. */
export interface FocusRows {
  conn: DuckDBConnection;
  dataset: Dataset;
  /** Set when the rows are a sample: how many of how many, chosen how. */
  sample?: { rows: number; of: number; method: string };
}

/** What a policy evaluates: the normalized data, the connection record and the time. */
export interface CheckContext {
  data: CheckData;
  /** The tenant's tag aliases: a policy reading Tags reads each key with them (runtime/mapping/tags.ts). */
  tagAliases: TagAliases;
  /** What the jobs recorded about the connection (exports, credentials); absent when not written. */
  connection?: ConnectionRecord;
  now: Date;
}

/** A declared policy: small, named, with its own configuration schema. */
export interface Policy<C extends z.ZodType = z.ZodType> {
  /** Kebab-case name, as findings carry it. */
  name: string;
  /** The key of its settings under the tenant's `checks:` section. */
  configKey: string;
  description: string;
  /** The severity it reports a failure at, unless its configuration says otherwise. */
  severity: Severity;
  config: C;
  evaluate(ctx: CheckContext, config: z.output<C>): Promise<Finding[]>;
}

/** Declares a policy with its configuration type inferred. */
export function definePolicy<C extends z.ZodType>(policy: Policy<C>): Policy<C> {
  return policy;
}
