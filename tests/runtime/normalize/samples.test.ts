import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readRatesFile } from "../../../runtime/currency/rates";
import { toUnits } from "../../../runtime/normalize/decimal";
import { normalized, SAMPLES } from "./helpers";

/** The bundled samples' hand-worked expectations (written with the samples, examples/exports/README.md). */
interface Expected {
  /** Samples read in one run (`together`); an entry of `files` reads its own file. */
  inputs?: string[];
  format: string;
  rows?: number;
  allocations?: number;
  quarantined?: number;
  /** Rows read but not written: another dataset of the run holds the same charges. */
  rowsSuperseded?: number;
  /** Rows written where a source row can yield more than one (CUR commitment fees: the fee and its unused commitment). */
  rowsWritten?: number;
  billedCostTotal?: string;
  effectiveCostTotal?: string;
  effectiveCostByChargeCategory?: Record<string, string>;
  billedCostByChargeCategory?: Record<string, string>;
  nonZeroComponentCharges?: number;
  correctionRows?: number;
  rowExpectations?: { expect: Record<string, unknown> }[];
}
const { files: FILES, together: TOGETHER } = JSON.parse(
  readFileSync(join(SAMPLES, "EXPECTED.json"), "utf8"),
) as {
  files: Record<string, Expected>;
  together: Record<string, Expected>;
};
const EXPECTED = { ...FILES, ...TOGETHER };
const RATES = readRatesFile(join(__dirname, "..", "..", "..", "runtime", "data", "rates.csv"));

type Row = Record<string, string | null>;

/** An output value equals an expected one: decimals within 1e-9, timestamps in FOCUS spelling, Tags as a superset. */
function matches(actual: string | null, expected: unknown): boolean {
  if (expected !== null && typeof expected === "object") {
    if (!actual) return false;
    const tags = JSON.parse(actual) as Record<string, unknown>;
    return Object.entries(expected).every(([k, v]) => tags[k] === v);
  }
  const e = String(expected);
  if (/^-?\d+(\.\d+)?$/.test(e)) return actual !== null && Math.abs(Number(actual) - Number(e)) <= 1e-9;
  if (/^\d{4}-\d{2}-\d{2}T/.test(e)) return actual === e.replace("T", " ").replace("Z", "");
  return actual === e;
}

/** Per category sums; GCP commitment fees are Purchases here, which the expectations count as Usage. */
function byCategory(rows: Row[], column: string, format: string): Record<string, bigint> {
  const sums: Record<string, bigint> = {};
  for (const r of rows) {
    const category =
      format === "gcp-billing" && r.ChargeCategory === "Purchase" ? "Usage" : r.ChargeCategory!;
    sums[category] = (sums[category] ?? 0n) + toUnits(r[column] ?? "0");
  }
  return sums;
}

describe("bundled sample exports (examples/exports)", function () {
  this.timeout(120000);
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file} normalizes to the hand-worked expectations`, async () => {
      const inputs = expected.inputs ?? [file];
      const run = await normalized(
        inputs.map((f) => join(SAMPLES, f)),
        { rates: RATES },
      );
      const s = run.summary;
      assert.equal(s.reconciled, true, s.problems.join("\n"));
      assert.equal(s.files[0]!.format, expected.format, "detected format");
      const read = expected.rows ?? expected.allocations;
      if (read !== undefined) assert.equal(s.totals.rowsRead, read, "rows read");
      assert.equal(s.totals.rowsQuarantined, expected.quarantined ?? 0, "rows quarantined");
      assert.equal(s.totals.rowsSuperseded, expected.rowsSuperseded ?? 0, "rows superseded");
      if (expected.rowsWritten !== undefined) {
        assert.equal(s.totals.rowsWritten, expected.rowsWritten, "rows written");
      }
      if (expected.nonZeroComponentCharges !== undefined) {
        assert.equal(s.totals.rowsWritten, expected.nonZeroComponentCharges, "charges written");
      }
      const rows = await run.query<Row>(
        `SELECT * REPLACE (CAST(BilledCost AS VARCHAR) AS BilledCost, CAST(EffectiveCost AS VARCHAR) AS EffectiveCost,
           CAST(BillingPeriodStart AS VARCHAR) AS BillingPeriodStart, CAST(BillingPeriodEnd AS VARCHAR) AS BillingPeriodEnd,
           CAST(ChargePeriodStart AS VARCHAR) AS ChargePeriodStart, CAST(ChargePeriodEnd AS VARCHAR) AS ChargePeriodEnd,
           CAST(x_ChargeDate AS VARCHAR) AS x_ChargeDate, CAST(Tags AS VARCHAR) AS Tags,
           CAST(x_ExchangeRateToUsd AS VARCHAR) AS x_ExchangeRateToUsd, CAST(x_EffectiveCostUsd AS VARCHAR) AS x_EffectiveCostUsd)
         FROM {focus}`,
      );
      const total = (column: string) => rows.reduce((n, r) => n + toUnits(r[column] ?? "0"), 0n);
      if (expected.billedCostTotal)
        assert.equal(total("BilledCost"), toUnits(expected.billedCostTotal), "BilledCost total");
      if (expected.effectiveCostTotal) {
        assert.equal(total("EffectiveCost"), toUnits(expected.effectiveCostTotal), "EffectiveCost total");
      }
      for (const [column, wanted] of [
        ["EffectiveCost", expected.effectiveCostByChargeCategory],
        ["BilledCost", expected.billedCostByChargeCategory],
      ] as const) {
        if (!wanted) continue;
        const got = byCategory(rows, column, expected.format);
        for (const [category, amount] of Object.entries(wanted)) {
          assert.equal(got[category] ?? 0n, toUnits(amount), `${column} of ${category}`);
        }
      }
      if (expected.correctionRows !== undefined) {
        assert.equal(
          rows.filter((r) => r.ChargeClass === "Correction").length,
          expected.correctionRows,
          "corrections",
        );
      }
      for (const { expect } of expected.rowExpectations ?? []) {
        const found = rows.some((r) => Object.entries(expect).every(([k, v]) => matches(r[k] ?? null, v)));
        assert.ok(found, `no output row has ${JSON.stringify(expect)}`);
      }
    });
  }
});
