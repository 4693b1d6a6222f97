import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES, normalized } from "./helpers";

type Row = Record<string, string | null>;

describe("normalize opencost", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof normalized>>;
  let rows: Row[];
  before(async () => {
    run = await normalized([join(FIXTURES, "opencost", "allocation.json")]);
    rows = await run.query<Row>(
      `SELECT ResourceName, SkuMeter, CAST(BilledCost AS DOUBLE)::VARCHAR AS cost, CAST(EffectiveCost AS DOUBLE)::VARCHAR AS eff,
         CAST(ConsumedQuantity AS DOUBLE)::VARCHAR AS qty, ConsumedUnit, ServiceName, ServiceCategory, x_ServiceFamily, SubAccountId,
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
        // cpuCost 1.0 + cpuCostAdjustment 0.25
        ["payments", "cpu", "1.25", "24.0", "Core-Hours"],
        ["payments", "network", "0.1", null, null],
        ["payments", "ram", "0.5", "48.0", "GiB-Hours"],
      ],
    );
    assert.ok(
      rows.every((r) => r.cost === r.eff && r.ChargeCategory === "Usage" && r.x_Provider === "kubernetes"),
    );
  });

  it("uses the step window as charge period and its UTC month as billing period", () => {
    for (const r of rows) {
      assert.deepEqual(
        [r.cps, r.cpe, r.bps, r.bpe],
        ["2024-05-31 00:00:00", "2024-06-01 00:00:00", "2024-05-01 00:00:00", "2024-06-01 00:00:00"],
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

  it("accounts 2 allocations as 5 charges and reconciles the cost", () => {
    const s = run.summary;
    assert.equal(s.reconciled, true, s.problems.join("\n"));
    assert.deepEqual([s.totals.rowsRead, s.totals.rowsWritten, s.totals.rowsQuarantined], [2, 5, 0]);
    assert.deepEqual(s.currencies, [
      {
        currency: "USD",
        sourceCost: "4.85",
        outputCost: "4.85",
        quarantinedCost: "0",
        difference: "0",
        reconciled: true,
      },
    ]);
  });
});
