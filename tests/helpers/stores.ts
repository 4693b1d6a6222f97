import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sampleInputs } from "../../runtime/cli/demo";
import { readRatesFile } from "../../runtime/currency/rates";
import { openEngine, queryRows, sqlPath } from "../../runtime/engine/duckdb";
import { normalize } from "../../runtime/normalize/run";
import type { CollectRecord } from "../../runtime/query/store";
import { tempDir } from "../runtime/normalize/helpers";

const RATES = join(__dirname, "..", "..", "runtime", "data", "rates.csv");

/** Normalizes inputs (the bundled samples, as `npm start` does, by default) into a fresh store. */
export async function sampleStore(
  inputs = sampleInputs(),
  out = tempDir("costline-store-"),
  tenantId = "acme",
) {
  const summary = await normalize({
    inputs,
    out,
    tenantId,
    rates: readRatesFile(RATES),
  });
  if (!summary.reconciled) throw new Error(`the samples did not reconcile: ${summary.problems.join("; ")}`);
  return out;
}

/**
 * A collect folder as `costline collect --out` writes it: `tenants/<id>/` each a normalize store
 * of its own inputs, and `collect.json` with each tenant's connection health.
 */
export async function collectFolder(tenants: Record<string, string[]>, health: CollectRecord["tenants"]) {
  const root = tempDir("costline-collect-");
  for (const [tenant, inputs] of Object.entries(tenants)) {
    await sampleStore(inputs, join(root, "tenants", tenant), tenant);
  }
  const record: CollectRecord = { collectedAt: "2025-03-31T18:00:00.000Z", tenants: health };
  writeFileSync(join(root, "collect.json"), `${JSON.stringify(record, null, 2)}\n`);
  return root;
}

/** Every normalized Parquet file of a store. */
export const focusFiles = (store: string) =>
  readdirSync(join(store, "focus"), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".parquet"))
    .map((f) => join(store, "focus", f));

/**
 * A sample store's files split as the unified view counts them: the CUR 2.0 file of the AWS
 * partition that also holds the same account's FOCUS export is the one overlapped (set aside).
 */
export function overlappedFiles(store: string): { counted: string[]; overlapped: string[] } {
  const files = focusFiles(store);
  const overlapped = files.filter(
    (f) => /aws-cur2-/.test(f) && files.includes(f.replace("aws-cur2-", "aws-focus-")),
  );
  return { counted: files.filter((f) => !overlapped.includes(f)), overlapped };
}

/** A sum over files, by DuckDB alone (no view of ours): `expression` per group of `by`. */
export async function sumOver(
  files: string[],
  expression: string,
  by = "'all'",
): Promise<Record<string, number>> {
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    const rows = await queryRows<{ c: string; v: number }>(
      engine.connection,
      `SELECT ${by} AS c, CAST(sum(${expression}) AS DOUBLE) AS v FROM read_parquet([${files.map(sqlPath).join(", ")}], union_by_name = true) GROUP BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.c, r.v]));
  } finally {
    engine.close();
  }
}
