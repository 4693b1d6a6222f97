import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES, normalized } from "./helpers";

type Row = Record<string, string | null>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

describe("normalize gcp-billing", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof normalized>>;
  let rows: Map<string, Row>;
  before(async () => {
    run = await normalized([join(FIXTURES, "gcp-billing", "export.ndjson")], {
      billingAccountNames: {
        "01AAAA-BBBBBB-CCCCCC": "ACME Production",
        "01FFFF-FFFFFF-FFFFFF": "Not billed",
      },
    });
    const all = await run.query<Row>(
      `SELECT * REPLACE (CAST(BillingPeriodStart AS VARCHAR) AS BillingPeriodStart, CAST(BillingPeriodEnd AS VARCHAR) AS BillingPeriodEnd,
         CAST(ChargePeriodStart AS VARCHAR) AS ChargePeriodStart, CAST(Tags AS VARCHAR) AS Tags) FROM {focus}`,
    );
    rows = new Map(all.map((r) => [r.ChargeDescription!.replace(/.* (g\d)$/, "$1").slice(0, 2), r]));
  });

  it("bills in Pacific time: invoice.month 202403 spans 08:00Z on 1 March to 07:00Z on 1 April (DST), end exclusive", () => {
    const g1 = rows.get("g1")!;
    assert.equal(g1.BillingPeriodStart, "2024-03-01 08:00:00");
    assert.equal(g1.BillingPeriodEnd, "2024-04-01 07:00:00");
    // used after midnight UTC on 1 April, still on the March invoice
    assert.equal(g1.ChargePeriodStart, "2024-04-01 03:00:00");
  });

  it("names a billing account by the names given to the run, and leaves an account without one NULL", () => {
    const [named, unnamed] = [rows.get("g1")!, rows.get("g6")!];
    assert.deepEqual(
      [named.BillingAccountId, named.BillingAccountName],
      ["01AAAA-BBBBBB-CCCCCC", "ACME Production"],
    );
    // Never the id in its place, nor an invented name.
    assert.deepEqual([unnamed.BillingAccountId, unnamed.BillingAccountName], ["01EEEE-EEEEEE-EEEEEE", null]);
    assert.equal(
      [...rows.values()].filter(
        (r) => r.BillingAccountId === "01AAAA-BBBBBB-CCCCCC" && r.BillingAccountName !== "ACME Production",
      ).length,
      0,
    );
  });

  it("takes EffectiveCost as cost plus credits, ListCost from cost_at_list", () => {
    const g1 = rows.get("g1")!;
    assert.deepEqual([num(g1.BilledCost), num(g1.EffectiveCost), num(g1.ListCost)], [10, 8, 12]);
    assert.deepEqual(
      [g1.ChargeCategory, g1.PricingCategory, g1.ChargeFrequency],
      ["Usage", "Standard", "Usage-Based"],
    );
    assert.deepEqual(
      [num(g1.ConsumedQuantity), g1.ConsumedUnit, num(g1.PricingQuantity), g1.PricingUnit],
      [3600, "Seconds", 1, "Hours"],
    );
    assert.deepEqual(
      [g1.SubAccountId, g1.SubAccountName, g1.RegionId, g1.ServiceCategory],
      ["acme-web", "Acme Web", "us-central1", "Compute"],
    );
  });

  it("merges project labels < tags < resource labels into one object", () => {
    assert.deepEqual(JSON.parse(rows.get("g1")!.Tags!), {
      env: "dev",
      team: "platform",
      owner: "alice",
      app: "web",
    });
    assert.deepEqual(JSON.parse(rows.get("g2")!.Tags!), { env: "prod", team: "core" });
  });

  it("maps committed use discounts, commitment fees, tax and adjustments", () => {
    const g2 = rows.get("g2")!;
    assert.deepEqual(
      [
        num(g2.BilledCost),
        num(g2.EffectiveCost),
        g2.PricingCategory,
        g2.CommitmentDiscountCategory,
        g2.CommitmentDiscountStatus,
      ],
      // The commitment is named only inside credits[]: without a CommitmentDiscountId, FOCUS wants
      // its category and status NULL; the price is still the committed one.
      [5, 0, "Committed", null, null],
    );
    const g3 = rows.get("g3")!;
    assert.deepEqual(
      [g3.ChargeCategory, g3.ChargeFrequency, num(g3.EffectiveCost)],
      ["Purchase", "Recurring", 3],
    );
    const g4 = rows.get("g4")!;
    assert.deepEqual([g4.ChargeCategory, num(g4.BilledCost), g4.ConsumedQuantity], ["Tax", 1.2, null]);
    // The tax row names SKU-1 (what it taxes); FOCUS gives a tax no SKU, price or pricing quantity.
    assert.deepEqual(
      [
        g4.SkuId,
        g4.SkuPriceId,
        g4.SkuMeter,
        g4.PricingQuantity,
        g4.PricingUnit,
        g4.ListUnitPrice,
        g4.ContractedUnitPrice,
      ],
      [null, null, null, null, null, null, null],
    );
    const g5 = rows.get("g5")!;
    assert.deepEqual(
      [g5.ChargeCategory, g5.ChargeClass, num(g5.BilledCost)],
      ["Adjustment", "Correction", -2],
    );
  });

  it("converts with the export's currency_conversion_rate (billing units per USD) when no rates file is given", () => {
    const g6 = rows.get("g6")!;
    assert.equal(g6.BillingCurrency, "EUR");
    assert.ok(Math.abs(num(g6.x_ExchangeRateToUsd)! - 1 / 0.9) < 1e-12);
    assert.ok(Math.abs(num(g6.x_BilledCostUsd)! - 10) < 1e-9);
    assert.equal(g6.x_RegionGeo, "eu-west");
  });

  it("quarantines a malformed invoice month and reconciles per currency", async () => {
    const q = await run.query<Row>("SELECT reason FROM {quarantine}");
    assert.deepEqual(
      q.map((r) => r.reason),
      ["cannot derive BillingPeriodStart: a value it depends on is missing or malformed"],
    );
    const s = run.summary;
    assert.equal(s.reconciled, true, s.problems.join("\n"));
    const usd = s.currencies.find((c) => c.currency === "USD")!;
    assert.deepEqual([usd.sourceCost, usd.outputCost, usd.quarantinedCost], ["21.2", "17.2", "4"]);
    assert.deepEqual(s.currencies.find((c) => c.currency === "EUR")!.outputCost, "9");
  });
});
