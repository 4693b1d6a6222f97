import assert from "node:assert/strict";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { loadDailyRates, parseRates, RatesError } from "../../../runtime/currency/rates";

describe("rates file", () => {
  it("parses date,currency,usd_per_unit and refuses malformed lines by line number", () => {
    assert.deepEqual(parseRates("date,currency,usd_per_unit\n2024-01-02,EUR,1.1\n\n", "r.csv"), [
      { date: "2024-01-02", currency: "EUR", usdPerUnit: "1.1" },
    ]);
    assert.throws(
      () => parseRates("day,ccy,rate\n", "r.csv"),
      /r\.csv: the first line must be "date,currency,usd_per_unit"/,
    );
    assert.throws(
      () => parseRates("date,currency,usd_per_unit\n2024-13-01,EUR,1\n", "r.csv"),
      /r\.csv:2: date must be YYYY-MM-DD/,
    );
    assert.throws(
      () => parseRates("date,currency,usd_per_unit\n2024-01-01,eur,1\n", "r.csv"),
      /currency must be an ISO 4217 code/,
    );
    assert.throws(() => parseRates("date,currency,usd_per_unit\n2024-01-01,EUR,0\n", "r.csv"), RatesError);
  });

  it("gives each day the rate of the nearest earlier (or same) date, none before the first", async () => {
    const engine = await openEngine({ memoryLimit: "128MB" });
    try {
      await loadDailyRates(
        engine.connection,
        "rates",
        parseRates(
          "date,currency,usd_per_unit\n2024-01-10,EUR,1.1\n2024-01-20,EUR,1.2\n2024-01-15,JPY,0.0067\n",
          "t",
        ),
      );
      const rate = async (currency: string, date: string) => {
        const [r] = await queryRows<{ r: string }>(
          engine.connection,
          `SELECT CAST(usd_per_unit AS VARCHAR) r FROM rates WHERE currency = '${currency}' AND date = DATE '${date}'`,
        );
        return r ? Number(r.r) : null;
      };
      assert.equal(await rate("EUR", "2024-01-09"), null);
      assert.equal(await rate("EUR", "2024-01-10"), 1.1);
      assert.equal(await rate("EUR", "2024-01-19"), 1.1);
      assert.equal(await rate("EUR", "2024-01-20"), 1.2);
      assert.equal(await rate("EUR", "2024-06-30"), 1.2);
      assert.equal(await rate("JPY", "2024-01-20"), 0.0067);
    } finally {
      engine.close();
    }
  });
});
