import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { duckdb } from "../mapping/duckdb";
import { type Dataset, openDataset } from "../validate/dataset";
import { ChecksConfig } from "./config";
import type { ConnectionRecord } from "./connection";
import { evaluatePolicies } from "./evaluate";
import type { CheckData, Finding, Severity } from "./types";
import { SEVERITIES } from "./types";

export interface RunChecksOptions {
  /** The normalizer's output folder (its `focus/` is read) or a FOCUS file or folder. */
  input: string;
  /** The tenant's checks settings (defaults when omitted). */
  checks?: ChecksConfig;
  /** The connection record the jobs wrote; absent means export times and credentials are not checked. */
  connection?: ConnectionRecord;
  /** The time to judge lags and ages against (now by default). */
  now?: Date;
}

/** The data a check run reads: `<input>/focus` when the input is an output folder, else the input. */
export function dataPath(input: string): string {
  const focus = join(input, "focus");
  return existsSync(focus) && statSync(focus).isDirectory() ? focus : input;
}

/** A dataset open in DuckDB as the data policies query. */
export function duckdbCheckData(conn: DuckDBConnection, dataset: Dataset): CheckData {
  return {
    dialect: duckdb,
    relation: dataset.relation,
    columns: dataset.columns,
    rows: async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
    focusRows: async () => ({ conn, dataset }),
  };
}

/** Runs every enabled policy over normalized files and returns their findings. */
export async function runChecks(options: RunChecksOptions): Promise<Finding[]> {
  const checks = options.checks ?? ChecksConfig.parse({});
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const dataset = await openDataset(conn, dataPath(options.input), "normalized");
    return await evaluatePolicies(
      duckdbCheckData(conn, dataset),
      checks,
      options.connection,
      options.now ?? new Date(),
    );
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The worst severity among findings (`ok` when there are none). */
export function worstSeverity(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>(
    (w, f) => (SEVERITIES.indexOf(f.severity) > SEVERITIES.indexOf(w) ? f.severity : w),
    "ok",
  );
}
