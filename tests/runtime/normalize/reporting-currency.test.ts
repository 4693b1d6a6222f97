import assert from "node:assert/strict";
import { join } from "node:path";
import { readRatesFile } from "../../../runtime/currency/rates";
import { normalized, SAMPLES } from "./helpers";

const RATES = readRatesFile(join(__dirname, "..", "..", "..", "runtime", "data", "rates.csv"));
const CUR2 = join(SAMPLES, "aws-cur2", "cur2-2025-03.csv");
const EA = join(SAMPLES, "azure-cost-details", "ea-amortizedcost-2025-03.csv");

interface Row {
  c: string;
  billing: string;
  effective: string;
  usd: string | null;
  reporting: string | null;
  day: string;
}

describe("normalize: cost in the tenant's reporting currency", function () {
  this.timeout(60000);

  it("keeps a row billed in it, converts the others through USD at the day's rate", async () => {
    const { query, summary } = await normalized([CUR2, EA], { reportingCurrency: "EUR", rates: RATES });
    assert.equal(summary.reconciled, true, summary.problems.join("; "));
    const rows = await query<Row>(
      `SELECT x_ReportingCurrency AS c, BillingCurrency AS billing, CAST(EffectiveCost AS VARCHAR) AS effective,
         CAST(x_EffectiveCostUsd AS VARCHAR) AS usd, CAST(x_EffectiveCostReporting AS VARCHAR) AS reporting,
         CAST(x_ChargeDate AS VARCHAR) AS day FROM {focus}`,
    );
    assert.ok(rows.some((r) => r.billing === "EUR") && rows.some((r) => r.billing === "USD"));
    const eurPerDay = new Map(RATES.filter((r) => r.currency === "EUR").map((r) => [r.date, r.usdPerUnit]));
    for (const r of rows) {
      assert.equal(r.c, "EUR");
      if (r.billing === "EUR") {
        // Exactly as billed: no round trip through USD.
        assert.equal(Number(r.reporting), Number(r.effective), JSON.stringify(r));
      } else {
        const rate = eurPerDay.get(r.day);
        if (rate === undefined) {
          assert.equal(r.reporting, null, `no EUR rate on ${r.day}: ${JSON.stringify(r)}`);
          continue;
        }
        const expected = Number(r.usd) / Number(rate);
        assert.ok(
          Math.abs(Number(r.reporting) - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
          JSON.stringify(r),
        );
      }
    }
  });

  it("a USD tenant's amount is its USD amount, to the last digit", async () => {
    const { query } = await normalized([CUR2, EA], { rates: RATES });
    const [differ] = await query<{ n: bigint; c: string }>(
      "SELECT count(*) FILTER (WHERE x_EffectiveCostReporting IS DISTINCT FROM x_EffectiveCostUsd) AS n, min(x_ReportingCurrency) AS c FROM {focus}",
    );
    assert.equal(Number(differ!.n), 0);
    assert.equal(differ!.c, "USD");
  });
});
