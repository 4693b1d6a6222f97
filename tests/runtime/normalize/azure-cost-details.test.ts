import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, normalized, tempDir } from "./helpers";

type Row = Record<string, string | null>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const DIR = join(FIXTURES, "azure-cost-details");

describe("normalize azure-cost-details (EA actual and amortized read together, MCA actual)", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof normalized>>;
  let rows: Map<string, Row>;
  before(async () => {
    run = await normalized([DIR]);
    const all = await run.query<Row>(
      `SELECT * REPLACE (CAST(BillingPeriodEnd AS VARCHAR) AS BillingPeriodEnd, CAST(ChargePeriodStart AS VARCHAR) AS ChargePeriodStart,
         CAST(ChargePeriodEnd AS VARCHAR) AS ChargePeriodEnd, CAST(Tags AS VARCHAR) AS Tags) FROM {focus}`,
    );
    rows = new Map(all.map((r) => [r.ChargeDescription!.slice(0, 2), r]));
  });

  const costs = (id: string) => {
    const r = rows.get(id)!;
    return [r.ChargeCategory, r.ChargeClass, num(r.BilledCost), num(r.EffectiveCost)];
  };

  it("reads EA US dates, makes ChargePeriodEnd Date + 1 day and the billing period end exclusive", () => {
    const a1 = rows.get("a1")!;
    assert.deepEqual(
      [a1.ChargePeriodStart, a1.ChargePeriodEnd, a1.BillingPeriodEnd],
      ["2025-03-01 00:00:00", "2025-03-02 00:00:00", "2025-04-01 00:00:00"],
    );
    assert.deepEqual(
      [a1.BillingCurrency, a1.RegionId, a1.SubAccountId, a1.ServiceCategory],
      ["EUR", "westeurope", "sub-1", "Compute"],
    );
  });

  it("parses EA Tags without braces and MCA tags with them", () => {
    assert.deepEqual(JSON.parse(rows.get("a1")!.Tags!), { team: "payments", env: "prod" });
    assert.deepEqual(JSON.parse(rows.get("m1")!.Tags!), { team: "web" });
    assert.equal(rows.get("a3")!.Tags, null);
  });

  it("actual with amortized: commitment usage is billed 0, purchases and refunds (from the actual data) have EffectiveCost 0", () => {
    assert.deepEqual(costs("a1"), ["Usage", null, 3.36, 3.36]);
    assert.deepEqual(costs("a2"), ["Usage", null, 0, 2.88]);
    assert.deepEqual(costs("a3"), ["Usage", null, 0, 0.36]);
    assert.deepEqual(costs("a4"), ["Purchase", null, 162, 0]);
    assert.deepEqual(costs("a5"), ["Purchase", "Correction", -54, 0]);
    assert.deepEqual(costs("a6"), ["Usage", null, 0, 1.896]);
  });

  it("tells reservations (capacity) from savings plans (billing benefits) and used from unused", () => {
    const commitment = (id: string) => {
      const r = rows.get(id)!;
      return [
        r.CommitmentDiscountCategory,
        r.CommitmentDiscountType,
        r.CommitmentDiscountStatus,
        r.PricingCategory,
      ];
    };
    assert.deepEqual(commitment("a2"), ["Usage", "Reservation", "Used", "Committed"]);
    assert.deepEqual(commitment("a3"), ["Usage", "Reservation", "Unused", "Committed"]);
    assert.deepEqual(commitment("a6"), ["Spend", "Savings Plan", "Used", "Committed"]);
    assert.deepEqual(commitment("a4").slice(0, 3), ["Usage", "Reservation", null]);
    assert.deepEqual(commitment("a1"), [null, null, null, "Standard"]);
  });

  it("actual (MCA camelCase): the purchase keeps its EffectiveCost, covered usage costs 0", () => {
    assert.deepEqual(costs("m1"), ["Usage", null, 4.608, 4.608]);
    assert.deepEqual(costs("m2"), ["Usage", null, 0, 0]);
    assert.deepEqual(costs("m3"), ["Purchase", null, 52.56, 52.56]);
    assert.equal(num(rows.get("m1")!.ListCost), 4.608);
    assert.equal(rows.get("m3")!.ServiceName, "m3 reservation purchase");
  });

  it("notes that actual-cost EffectiveCost is not amortized (and what to export instead), and rows without a list price", () => {
    const notes = Object.fromEntries(run.summary.files.map((f) => [f.file.split("/").pop(), f.notes]));
    // a4 states no PayGPrice: its ListCost is its ContractedCost (the EA test file checks the values).
    // Read with the amortized data, the EA actual data is not said to lack amortization.
    assert.equal(notes["ea-actualcost.csv"]?.length, 2);
    assert.match(notes["ea-actualcost.csv"]![0]!, /^rows without a list price/);
    assert.match(
      notes["ea-actualcost.csv"]![1]!,
      /^ActualCost data \(by its rows\), read with the AmortizedCost data/,
    );
    assert.equal(notes["ea-amortizedcost.csv"]?.length, 1);
    assert.match(
      notes["ea-amortizedcost.csv"]![0]!,
      /^AmortizedCost data \(by its rows\), read with the ActualCost data/,
    );
    // m3, a reservation purchase, states no PayGPrice either.
    assert.equal(notes["mca-actualcost.csv"]?.length, 2);
    assert.match(notes["mca-actualcost.csv"]![0]!, /^actual-cost data: .*export AmortizedCost or FocusCost/);
    assert.match(notes["mca-actualcost.csv"]![1]!, /^rows without a list price/);
  });

  it("reconciles the source cost with BilledCost, or EffectiveCost on commitment usage, and the superseded rows", () => {
    const s = run.summary;
    assert.equal(s.reconciled, true, s.problems.join("\n"));
    const eur = s.currencies.find((c) => c.currency === "EUR")!;
    // Amortized 3.36 + 2.88 + 0.36 + 1.896 = 8.496; actual 3.36 + 0 + 162 - 54 + 0 = 111.36, of
    // which a1, a2 and a6 (3.36) are the amortized data's charges again.
    assert.deepEqual([eur.sourceCost, eur.outputCost, eur.supersededCost], ["119.856", "116.496", "3.36"]);
    const actual = s.files.find((f) => f.file.endsWith("ea-actualcost.csv"))!;
    assert.deepEqual([actual.rowsRead, actual.rowsWritten, actual.rowsSuperseded], [5, 2, 3]);
  });
});

describe("normalize azure-cost-details: a Tax row", function () {
  this.timeout(60000);

  it("has no SKU, price or pricing quantity, whatever its row states; its list and contracted cost are its cost", async () => {
    const header = readFileSync(join(DIR, "mca-actualcost.csv"), "utf8").split(/\r?\n/)[0]!;
    // MCA states tax as a charge of its own, here with the quantity 1 and unit price 0 such rows carry.
    const dir = tempDir();
    writeFileSync(
      join(dir, "mca-tax.csv"),
      `${header}\nba-mca,Acme MCA,03/01/2025,03/31/2025,03/31/2025,,,t1 sales tax,sub-2,acme-us,,1,1,Tax,USD,USD,7.25,0,1,,0,OneTime,OnDemand,0,,\n`,
    );
    const run = await normalized([dir]);
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
    const [t] = await run.query<Row>(
      `SELECT ChargeCategory, PricingQuantity, PricingUnit, ListUnitPrice, ContractedUnitPrice, SkuId, SkuPriceId,
         SkuMeter, BilledCost, ListCost, ContractedCost FROM {focus}`,
    );
    assert.deepEqual(
      [t!.ChargeCategory, t!.PricingQuantity, t!.PricingUnit, t!.ListUnitPrice, t!.ContractedUnitPrice],
      ["Tax", null, null, null, null],
    );
    assert.deepEqual([t!.SkuId, t!.SkuPriceId, t!.SkuMeter], [null, null, null]);
    assert.deepEqual([num(t!.BilledCost), num(t!.ListCost), num(t!.ContractedCost)], [7.25, 7.25, 7.25]);
    // Not a row "without a list price": a tax has none to miss.
    assert.equal(
      run.summary.files[0]!.notes?.some((n) => n.startsWith("rows without a list price")),
      false,
    );
  });
});
