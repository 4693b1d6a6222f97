import type { DuckDBConnection } from "@duckdb/node-api";
import type { z } from "zod";
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

/** What a policy evaluates: the normalized data (open on `conn`), the connection record and the time. */
export interface CheckContext {
  conn: DuckDBConnection;
  data: Dataset;
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
