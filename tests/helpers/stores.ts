import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sampleInputs } from "../../runtime/cli/demo";
import { readRatesFile } from "../../runtime/currency/rates";
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
