import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, normalized, SAMPLES, tempDir } from "./helpers";

type Row = Record<string, string | null>;

describe("normalize opencost", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof normalized>>;
  let rows: Row[];
  before(async () => {
    run = await normalized([join(FIXTURES, "opencost", "allocation.json")]);
    rows = await run.query<Row>(
      `SELECT ResourceName, SkuMeter, CAST(BilledCost AS DOUBLE)::VARCHAR AS cost, CAST(EffectiveCost AS DOUBLE)::VARCHAR AS eff,
         CAST(ConsumedQuantity AS DOUBLE)::VARCHAR AS qty, ConsumedUnit,
         CAST(PricingQuantity AS DOUBLE)::VARCHAR AS pqty, PricingUnit, ServiceName, ServiceCategory, x_ServiceFamily, SubAccountId,
         CAST(Tags AS VARCHAR) Tags, CAST(ChargePeriodStart AS VARCHAR) cps, CAST(ChargePeriodEnd AS VARCHAR) cpe,
         CAST(BillingPeriodStart AS VARCHAR) bps, CAST(BillingPeriodEnd AS VARCHAR) bpe, ChargeCategory, BillingAccountId, x_Provider
       FROM {focus} ORDER BY ResourceName, SkuMeter`,
    );
  });

  it("writes one charge per cost component with cost or usage, idle included", () => {
    assert.deepEqual(
      rows.map((r) => [r.ResourceName, r.SkuMeter, r.cost, r.qty, r.ConsumedUnit]),
      [
        ["__idle__", "cpu", "2.0", "48.0", "Core-Hours"],
        ["__idle__", "ram", "1.0", "0.0", "GiB-Hours"],
        ["checkout", "cpu", "0.5", "11.0", "Core-Hours"],
        // Two load balancers served it 22 hours each.
        ["checkout", "loadBalancer", "0.44", "44.0", "Hours"],
        // 2^31 bytes sent within the zone: usage at no cost.
        ["checkout", "network", "0.0", "2.0", "GiB"],
        // cpuCost 1.0 + cpuCostAdjustment 0.25
        ["payments", "cpu", "1.25", "24.0", "Core-Hours"],
        // No networkTransferBytes in the response: no quantity, and so no unit.
        ["payments", "network", "0.1", null, null],
        ["payments", "ram", "0.5", "48.0", "GiB-Hours"],
        // Its load balancer states no hours (OpenCost before 1.110).
        ["search", "loadBalancer", "0.2", null, null],
        ["search", "network", "0.05", "1.0", "GiB"],
      ],
    );
    assert.ok(
      rows.every((r) => r.cost === r.eff && r.ChargeCategory === "Usage" && r.x_Provider === "kubernetes"),
    );
  });

  it("charges each allocation for when it ran (its start and end in the window), in that UTC month", () => {
    // The window is 2024-05-31 00:00 to 06-01 00:00; every allocation ran from 02:00.
    for (const r of rows) {
      assert.deepEqual(
        [r.cps, r.cpe, r.bps, r.bpe],
        ["2024-05-31 02:00:00", "2024-06-01 00:00:00", "2024-05-01 00:00:00", "2024-06-01 00:00:00"],
      );
    }
  });

  it("joins components to the service taxonomy and merges namespace < pod labels", () => {
    const cpu = rows.find((r) => r.ResourceName === "payments" && r.SkuMeter === "cpu")!;
    assert.deepEqual(
      [cpu.ServiceName, cpu.ServiceCategory, cpu.x_ServiceFamily, cpu.SubAccountId, cpu.BillingAccountId],
      ["Kubernetes CPU", "Compute", "kubernetes", "payments", "c1"],
    );
    assert.deepEqual(JSON.parse(cpu.Tags!), { team: "pods", tier: "gold", app: "api" });
    assert.equal(rows.find((r) => r.ResourceName === "__idle__")!.Tags, null);
  });

  it("states each quantity in the unit it is priced in", () => {
    assert.ok(rows.every((r) => r.pqty === r.qty && r.PricingUnit === r.ConsumedUnit));
  });

  it("accounts 4 allocations as 10 charges and reconciles the cost", () => {
    const s = run.summary;
    assert.equal(s.reconciled, true, s.problems.join("\n"));
    assert.deepEqual([s.totals.rowsRead, s.totals.rowsWritten, s.totals.rowsQuarantined], [4, 10, 0]);
    assert.deepEqual(s.currencies, [
      {
        currency: "USD",
        sourceCost: "6.04",
        outputCost: "6.04",
        quarantinedCost: "0",
        supersededCost: "0",
        difference: "0",
        reconciled: true,
      },
    ]);
  });
});

describe("normalize opencost quantities", function () {
  this.timeout(60000);

  it("gives every component of the bundled samples a quantity, shared and external cost in the hours the allocation ran", async () => {
    const files = [
      "allocation-container-1d-2025-03-01.json",
      "allocation-label-team-1d-2025-03-01.json",
      "allocation-namespace-1d-2025-03-01_03.json",
    ];
    const run = await normalized(files.map((f) => join(SAMPLES, "opencost", f)));
    // 16 allocations; every one has cpu and ram, 7 send bytes, 4 are served by a load balancer.
    const meters = await run.query<{ SkuMeter: string; charges: string; without: string }>(
      `SELECT SkuMeter, count(*)::VARCHAR AS charges, count(*) FILTER (PricingQuantity IS NULL)::VARCHAR AS without
       FROM {focus} GROUP BY SkuMeter ORDER BY SkuMeter`,
    );
    assert.deepEqual(
      meters.map((m) => [m.SkuMeter, m.charges, m.without]),
      [
        ["cpu", "16", "0"],
        ["external", "3", "0"],
        ["gpu", "3", "0"],
        ["loadBalancer", "4", "0"],
        ["network", "7", "0"],
        ["pv", "7", "0"],
        ["ram", "16", "0"],
        ["shared", "4", "0"],
      ],
    );
    // label-team's "data" ran the whole day (1440 minutes) and carried 1.75 of external cost.
    const [external] = await run.query<Record<string, string>>(
      `SELECT PricingQuantity::VARCHAR q, PricingUnit u, ConsumedQuantity::VARCHAR cq, ConsumedUnit cu,
         ListUnitPrice::VARCHAR p, SkuPriceId id, BilledCost::VARCHAR c
       FROM {focus} WHERE SkuMeter = 'external' AND ResourceName = 'data'`,
    );
    assert.deepEqual(
      [
        Number(external.q),
        external.u,
        Number(external.cq),
        external.cu,
        Number(external.c),
        external.id !== null,
      ],
      [24, "Hours", 24, "Hours", 1.75, true],
    );
    // 1.75 / 24 h = 0.0729166...: the rate times the hours is the cost again, to the cent.
    assert.ok(Math.abs(Number(external.p) * 24 - 1.75) < 1e-9, external.p);
  });

  it("quarantines an allocation whose load balancer hours are not a number, naming the field", async () => {
    const dir = tempDir();
    const response = JSON.parse(readFileSync(join(FIXTURES, "opencost", "allocation.json"), "utf8"));
    response.data[0].checkout.lbAllocations["c1/checkout/web"].hours = "22h";
    const file = join(dir, "allocation.json");
    writeFileSync(file, JSON.stringify(response));
    const run = await normalized([file]);
    const quarantined = await run.query<{ reason: string }>("SELECT reason FROM {quarantine}");
    assert.deepEqual(
      quarantined.map((q) => q.reason),
      ["bad number in lbAllocationHours: 22h"],
    );
    assert.equal(run.summary.totals.rowsRead, 4);
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
  });

  it("a workload that started late in a multi-day window is charged from then, in its own month", async () => {
    const response = JSON.parse(readFileSync(join(FIXTURES, "opencost", "allocation.json"), "utf8"));
    const window = { start: "2024-05-30T00:00:00Z", end: "2024-06-02T00:00:00Z" };
    for (const a of Object.values(response.data[0]) as Record<string, unknown>[]) a.window = window;
    // checkout started on 1 June, two days into the window; payments ran through it.
    Object.assign(response.data[0].checkout, { start: "2024-06-01T06:00:00Z", end: "2024-06-02T00:00:00Z" });
    Object.assign(response.data[0].payments, { start: "2024-05-30T00:00:00Z", end: "2024-06-02T00:00:00Z" });
    const file = join(tempDir(), "allocation-3d.json");
    writeFileSync(file, JSON.stringify(response));
    const run = await normalized([file]);
    const periods = await run.query<Record<string, string>>(
      `SELECT DISTINCT ResourceName, CAST(ChargePeriodStart AS VARCHAR) cps, CAST(ChargePeriodEnd AS VARCHAR) cpe,
         CAST(BillingPeriodStart AS VARCHAR) bps FROM {focus} WHERE ResourceName IN ('checkout', 'payments') ORDER BY 1`,
    );
    assert.deepEqual(periods, [
      {
        ResourceName: "checkout",
        cps: "2024-06-01 06:00:00",
        cpe: "2024-06-02 00:00:00",
        bps: "2024-06-01 00:00:00",
      },
      {
        ResourceName: "payments",
        cps: "2024-05-30 00:00:00",
        cpe: "2024-06-02 00:00:00",
        bps: "2024-05-01 00:00:00",
      },
    ]);
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
  });

  it("says so when an allocation's stated totalCost disagrees with its components, and charges the components", async () => {
    const response = JSON.parse(readFileSync(join(FIXTURES, "opencost", "allocation.json"), "utf8"));
    // payments' components add up to 1.85; a total of 1.90 is off by more than a cent.
    response.data[0].payments.totalCost = 1.9;
    const file = join(tempDir(), "allocation.json");
    writeFileSync(file, JSON.stringify(response));
    const run = await normalized([file]);
    assert.deepEqual(run.summary.files[0]!.notes, [
      "some allocations state a totalCost that differs from the sum of their cost components by more than 0.01: the components are written as the charges (their sum is the cost), the stated totalCost is not; check OpenCost's pricing configuration",
    ]);
    assert.equal(run.summary.currencies[0]!.sourceCost, "6.04");
    // Within a cent is rounding: no note.
    response.data[0].payments.totalCost = 1.855;
    writeFileSync(file, JSON.stringify(response));
    assert.equal((await normalized([file])).summary.files[0]!.notes, undefined);
  });
});
