import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { openDataset } from "../validate/dataset";
import { ChecksConfig } from "./config";
import type { ConnectionRecord } from "./connection";
import { POLICIES } from "./policies";
import { type Finding, type Severity, SEVERITIES } from "./types";

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

/** Runs every enabled policy over the normalized data and returns their findings. */
export async function runChecks(options: RunChecksOptions): Promise<Finding[]> {
  const checks = options.checks ?? ChecksConfig.parse({});
  const instance = await DuckDBInstance.create(":memory:");
  const conn = await instance.connect();
  try {
    const data = await openDataset(conn, dataPath(options.input), "normalized");
    const ctx = { conn, data, connection: options.connection, now: options.now ?? new Date() };
    const findings: Finding[] = [];
    for (const policy of POLICIES) {
      const settings = (checks as Record<string, { enabled: boolean }>)[policy.configKey];
      if (!settings.enabled) continue;
      // Each policy's settings were validated by its own schema inside ChecksConfig.
      findings.push(...(await policy.evaluate(ctx, settings as never)));
    }
    return findings;
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
