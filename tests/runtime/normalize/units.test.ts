import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES, normalized } from "./helpers";

type Row = Record<string, string | null>;
const UNITS = join(FIXTURES, "units");
const COLUMNS = [
  "PricingUnit",
  "PricingQuantity",
  "ConsumedUnit",
  "ConsumedQuantity",
  "ContractedUnitPrice",
  "ContractedCost",
  "ListUnitPrice",
  "ListCost",
] as const;
/** Values as numbers where they are, so that a decimal's trailing zeros do not matter. */
const shown = (r: Row) =>
  COLUMNS.map((c) => (r[c] !== null && /^-?[\d.]+$/.test(r[c]!) ? Number(r[c]) : r[c]));

describe("normalize: units in FOCUS UnitFormat, blocks in the quantities", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof normalized>>;
  let rows: Map<string, Row>;
  before(async () => {
    run = await normalized([
      join(UNITS, "azure-ea-units.csv"),
      join(UNITS, "aws-cur2-units.csv"),
      join(UNITS, "gcp-units.ndjson"),
    ]);
    const all = await run.query<Row>(
      `SELECT ChargeDescription, ${COLUMNS.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(", ")} FROM {focus}`,
    );
    rows = new Map(all.map((r) => [r.ChargeDescription!, r]));
  });

  it("writes Azure's block units with their count, and counts consumption in things", () => {
    // "10K" is 10,000 Units: 3.5 blocks at 0.004 a block bill 0.014 (list: 3.5 x 0.005 = 0.0175),
    // and consume 3.5 x 10,000 = 35,000 Units. Unit price x PricingQuantity is the cost, exactly.
    assert.deepEqual(shown(rows.get("Blob Storage - Hot LRS - Write Operations")!), [
      "10000 Units",
      3.5,
      "Units",
      35000,
      0.004,
      0.014,
      0.005,
      0.0175,
    ]);
    // "100 Hours": 0.24 blocks of 100 hours at 1.5 a block = 0.36, 24 hours consumed.
    assert.deepEqual(shown(rows.get("Azure App Service Premium v3 Plan - P1 v3 - EU West")!), [
      "100 Hours",
      0.24,
      "Hours",
      24,
      1.5,
      0.36,
      1.5,
      0.36,
    ]);
    // One GB a month: no block, 750 x 0.0172 = 12.9.
    assert.deepEqual(shown(rows.get("Blob Storage - Hot LRS - Data Stored")!), [
      "GB/Month",
      750,
      "GB/Month",
      750,
      0.0172,
      12.9,
      0.0172,
      12.9,
    ]);
    // "1 /Month" as EA spaces it is "1/Month": half a disk-month at 5.28 = 2.64.
    assert.deepEqual(shown(rows.get("Standard SSD Managed Disks - E10 LRS - EU West")!), [
      "Units/Month",
      0.5,
      "Units/Month",
      0.5,
      5.28,
      2.64,
      5.28,
      2.64,
    ]);
  });

  it("keeps a unit the table lacks as given, its quantities as stated, and counts it", () => {
    assert.deepEqual(shown(rows.get("Azure Data Factory v2 - Cloud Orchestration Activity Run")!), [
      "1000 Activity Runs",
      2,
      "1000 Activity Runs",
      2,
      1,
      2,
      1,
      2,
    ]);
    assert.deepEqual(run.summary.unknownUnits, [
      { provider: "azure", format: "azure-cost-details", unit: "1000 Activity Runs", rows: 1 },
    ]);
  });

  it("writes AWS pricing units in FOCUS's words", () => {
    assert.deepEqual(shown(rows.get("$0.085 per On Demand Linux c5.large Instance Hour")!), [
      "Hours",
      24,
      "Hours",
      24,
      0.085,
      2.04,
      0.085,
      2.04,
    ]);
    assert.deepEqual(shown(rows.get("$0.023 per GB - first 50 TB / month of storage used")!), [
      "GB-Months",
      100,
      "GB-Months",
      100,
      0.023,
      2.3,
      0.023,
      2.3,
    ]);
    // 4,000 GB-seconds at 0.0000166667 = 0.0666668.
    assert.deepEqual(shown(rows.get("AWS Lambda - Total Compute - US East (Northern Virginia)")!), [
      "GB-Seconds",
      4000,
      "GB-Seconds",
      4000,
      0.0000166667,
      0.0666668,
      0.0000166667,
      0.0666668,
    ]);
  });

  it("writes a block AWS names with its count, and counts the things consumed", () => {
    // Bedrock's "1K tokens": 400 thousands at 0.003 a thousand = 1.2, 400,000 Tokens consumed.
    assert.deepEqual(shown(rows.get("Claude input tokens in US East (N. Virginia)")!), [
      "1000 Tokens",
      400,
      "Tokens",
      400000,
      0.003,
      1.2,
      0.003,
      1.2,
    ]);
  });

  it("writes GCP's pricing and base units in FOCUS's words, each with its own quantity", () => {
    // 10 GiB for a day: 10 x 2^30 x 86,400 byte-seconds, 0.33 GiB-months at 0.02 = 0.0066.
    assert.deepEqual(shown(rows.get("Standard Storage US Multi-region")!), [
      "GiB-Months",
      0.33,
      "B-Seconds",
      927712935936000,
      0.02,
      0.0066,
      0.02,
      0.0066,
    ]);
    // Half a TiB scanned (2^39 bytes) at 6.25 a TiB = 3.125.
    assert.deepEqual(shown(rows.get("Analysis")!), ["TiB", 0.5, "B", 549755813888, 6.25, 3.125, 6.25, 3.125]);
    // 3,000 blocks of "1k characters" at 0.00015 = 0.45; usage.amount counts the 3,000,000 in its own unit.
    assert.deepEqual(shown(rows.get("Gemini 2.0 Flash Input Text Tokens")!), [
      "1000 Characters",
      3000,
      "Count",
      3000000,
      0.00015,
      0.45,
      0.00015,
      0.45,
    ]);
  });

  it("reconciles as before: units change no cost", () => {
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
  });

  it("writes the same units as FOCUS 1.3, whose priced rows keep their quantities", async () => {
    const v13 = await normalized([join(UNITS, "azure-ea-units.csv")], { focusVersion: "1.3" });
    const [row] = await v13.query<Row>(
      `SELECT ${COLUMNS.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(", ")}, SkuPriceId FROM {focus}` +
        " WHERE ChargeDescription = 'Blob Storage - Hot LRS - Write Operations'",
    );
    assert.ok(row!.SkuPriceId);
    assert.deepEqual(shown(row!), ["10000 Units", 3.5, "Units", 35000, 0.004, 0.014, 0.005, 0.0175]);
    assert.deepEqual(v13.summary.unknownUnits, run.summary.unknownUnits);
  });
});
