import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const CURRENCIES = ["AUD", "BRL", "CAD", "CHF", "EUR", "GBP", "INR", "JPY"];
// Wide bands around early-2025 levels: a typo (a misplaced decimal point, an inverted rate) falls outside.
const BANDS: Record<string, [number, number]> = {
  EUR: [0.95, 1.2],
  GBP: [1.15, 1.4],
  JPY: [0.0058, 0.0078],
  INR: [0.0105, 0.0125],
  CHF: [1.0, 1.25],
  AUD: [0.55, 0.72],
  CAD: [0.64, 0.78],
  BRL: [0.15, 0.2],
};

describe("runtime/data/rates.csv", () => {
  const lines = readFileSync(join(__dirname, "../../../runtime/data/rates.csv"), "utf8")
    .trimEnd()
    .split("\n");

  it("has one plausible rate per currency per day from 2025-02-01 to 2025-04-30, and no USD row", () => {
    assert.equal(lines[0], "date,currency,usd_per_unit");
    const seen = new Set<string>();
    for (const line of lines.slice(1)) {
      const [date, currency, value] = line.split(",");
      assert.match(date, /^2025-0[234]-\d{2}$/, line);
      assert.ok(!Number.isNaN(Date.parse(`${date}T00:00:00Z`)), line);
      assert.ok(CURRENCIES.includes(currency), `unexpected currency in '${line}'`);
      const rate = Number(value);
      const [low, high] = BANDS[currency];
      assert.ok(rate >= low && rate <= high, `${line}: outside ${low}..${high}`);
      assert.ok(!seen.has(`${date},${currency}`), `duplicate ${date} ${currency}`);
      seen.add(`${date},${currency}`);
    }
    const days = (Date.UTC(2025, 3, 30) - Date.UTC(2025, 1, 1)) / 86_400_000 + 1;
    assert.equal(seen.size, days * CURRENCIES.length);
  });
});
