import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { fromUnits, toUnits } from "../../../runtime/normalize/decimal";
import { normalized, tempDir } from "./helpers";

const COLUMNS = [
  "bill_billing_period_start_date",
  "bill_billing_period_end_date",
  "bill_payer_account_id",
  "line_item_usage_account_id",
  "line_item_line_item_type",
  "line_item_usage_start_date",
  "line_item_usage_end_date",
  "line_item_product_code",
  "line_item_currency_code",
  "line_item_unblended_cost",
  "line_item_net_unblended_cost",
  "resource_tags",
] as const;
type Column = (typeof COLUMNS)[number];

const plainDecimal = fc
  .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 99_999_999 }))
  .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(8, "0")}`);
const garbage = fc.oneof(
  fc.constantFrom("", " ", "NULL", "1,5", "12 USD", "NaN", "--1", "1e", "[]"),
  fc.string({ maxLength: 8 }).filter((s) => !/^\s*[+-]?[\d.]/.test(s)),
);
const date = fc.oneof(
  fc
    .date({ min: new Date("2023-01-01"), max: new Date("2026-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom("2024-13-45T00:00:00Z", "yesterday", ""),
);
const row: fc.Arbitrary<Record<Column, string>> = fc.record({
  bill_billing_period_start_date: fc.constantFrom(
    "2024-01-01T00:00:00Z",
    "2024-02-01T00:00:00Z",
    "not-a-date",
  ),
  bill_billing_period_end_date: fc.constantFrom("2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z"),
  bill_payer_account_id: fc.constantFrom("111111111111", ""),
  line_item_usage_account_id: fc.constantFrom("222222222222", "333333333333", ""),
  line_item_line_item_type: fc.constantFrom(
    "Usage",
    "Tax",
    "Credit",
    "RIFee",
    "SavingsPlanCoveredUsage",
    "Weird",
    "",
  ),
  line_item_usage_start_date: date,
  line_item_usage_end_date: date,
  line_item_product_code: fc.constantFrom("AmazonEC2", "AmazonS3", "prod-unknown", ""),
  line_item_currency_code: fc.constantFrom("USD", "EUR", ""),
  line_item_unblended_cost: fc.oneof(
    { weight: 4, arbitrary: plainDecimal },
    { weight: 1, arbitrary: garbage },
  ),
  line_item_net_unblended_cost: fc.oneof(fc.constant(""), plainDecimal, garbage),
  resource_tags: fc.oneof(
    fc.constant(""),
    fc
      .dictionary(fc.constantFrom("user_env", "env", "user_team", 'a"b'), fc.string({ maxLength: 5 }))
      .map((o) => JSON.stringify(o)),
    fc.constantFrom("{broken", "[1,2]", '"x"'),
  ),
});

const csvCell = (v: string) => (/[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replaceAll('"', '""')}"` : v);
const isPlain = (v: string) => /^[+-]?\d+(\.\d+)?$/.test(v.trim());

describe("normalize on random and malformed CUR rows (fast-check)", function () {
  this.timeout(300000);
  it("never crashes, accounts for every row and reconciles cost per currency", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        const file = join(tempDir(), "random.csv");
        writeFileSync(
          file,
          `${COLUMNS.join(",")}\n${rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(",")).join("\n")}\n`,
        );
        const { summary, query } = await normalized([file], { format: "aws-cur2" });
        // The one problem such a file can have: nothing of it written.
        const allQuarantined = summary.totals.rowsQuarantined === rows.length;
        assert.deepEqual(
          summary.problems.map((p) => p.replace(file, "FILE")),
          allQuarantined
            ? [
                `FILE: every row (${rows.length} of ${rows.length}) was quarantined, none written: see the reasons in quarantine/source_format=aws-cur2/`,
              ]
            : [],
        );
        assert.equal(summary.totals.rowsRead, rows.length);
        assert.equal(summary.totals.rowsWritten + summary.totals.rowsQuarantined, rows.length);
        const [{ n }] = (await query<{ n: string }>("SELECT count(*) AS n FROM {quarantine}").catch(() => [
          { n: "0" },
        ])) as [{ n: string }];
        assert.equal(Number(n), summary.totals.rowsQuarantined);
        // An independent oracle of the source totals, per currency.
        const expected = new Map<string, bigint>();
        for (const r of rows) {
          // BilledCost = COALESCE(net unblended, unblended), each NULL when missing or malformed.
          const cost = [r.line_item_net_unblended_cost, r.line_item_unblended_cost].find(isPlain);
          if (cost === undefined) continue;
          const currency = r.line_item_currency_code || "(none)";
          expected.set(currency, (expected.get(currency) ?? 0n) + toUnits(cost));
        }
        for (const c of summary.currencies) {
          assert.equal(c.reconciled, true);
          assert.equal(toUnits(c.sourceCost), expected.get(c.currency) ?? 0n, `${c.currency} source total`);
          assert.equal(
            fromUnits(toUnits(c.outputCost) + toUnits(c.quarantinedCost)),
            fromUnits(toUnits(c.sourceCost)),
          );
        }
      }),
      { numRuns: 25 },
    );
  });
});
