import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, normalized, tempDir } from "./helpers";

type Row = Record<string, unknown>;
const GCP = join(FIXTURES, "gcp-billing");
// The four rows of the flattened fixtures are g1, g2, g4 and g6 of the nested export.ndjson.
const SUBSET = ["g1", "g2", "g4", "g6"];
const focusRows = async (run: Awaited<ReturnType<typeof normalized>>) =>
  run.query<Row>("SELECT * FROM {focus} ORDER BY ChargeDescription");
const text = (rows: Row[]) =>
  rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? `${v}` : v)));

const HEADER =
  "billing_account_id,service.description,sku.description,usage_start_time,usage_end_time,cost,currency,usage.amount_in_pricing_units,credits,invoice.month,cost_type";

describe("normalize gcp-billing saved flattened (CSV, JSON)", function () {
  this.timeout(60000);
  let nested: Row[];
  before(async () => {
    const all = await focusRows(await normalized([join(GCP, "export.ndjson")]));
    nested = all.filter((r) => SUBSET.some((g) => String(r.ChargeDescription).includes(g)));
    assert.equal(nested.length, 4);
  });

  for (const file of ["flattened-dotted.csv", "flattened-underscored.ndjson"]) {
    it(`gives ${file} the same FOCUS rows as the nested export, every column`, async () => {
      const run = await normalized([join(GCP, file)]);
      const [summary] = run.summary.files;
      assert.equal(summary!.format, "gcp-billing");
      assert.match(summary!.why!, /flattened/);
      assert.deepEqual([summary!.rowsRead, summary!.rowsWritten, summary!.rowsQuarantined], [4, 4, 0]);
      const rows = await focusRows(run);
      assert.deepEqual(text(rows), text(nested));
      // Credits from JSON text: g1 is 10 - 1.5 - 0.5, g2 is 5 - 5 under a commitment.
      assert.deepEqual(
        rows.map((r) => [Number(r.EffectiveCost), r.PricingCategory]),
        [
          [8, "Standard"],
          [0, "Committed"],
          [1.2, null],
          [9, "Standard"],
        ],
      );
      assert.deepEqual(JSON.parse(String(rows[0]!.Tags)), {
        env: "dev",
        team: "platform",
        owner: "alice",
        app: "web",
      });
      assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
    });
  }

  it("quarantines a row whose credits are not JSON, naming credits, and reconciles", async () => {
    const file = join(tempDir(), "bad-credits.csv");
    writeFileSync(
      file,
      `${HEADER}\n` +
        `01AAAA-BBBBBB-CCCCCC,Compute Engine,good,2024-03-15 10:00:00 UTC,2024-03-15 11:00:00 UTC,5.0,USD,1,"[{""name"":""SUD"",""amount"":-1.25}]",202403,regular\n` +
        `01AAAA-BBBBBB-CCCCCC,Compute Engine,bad,2024-03-15 10:00:00 UTC,2024-03-15 11:00:00 UTC,3.0,USD,1,"[{""name"":""SUD"",""amount"":-1",202403,regular\n`,
    );
    const run = await normalized([file]);
    const q = await run.query<{ reason: string; row_number: bigint }>(
      "SELECT reason, row_number FROM {quarantine}",
    );
    assert.deepEqual(
      q.map((r) => [r.reason, Number(r.row_number)]),
      [['bad JSON list in credits: [{"name":"SUD","amount":-1', 2]],
    );
    const [good] = await run.query<Row>("SELECT EffectiveCost FROM {focus}");
    assert.equal(Number(good!.EffectiveCost), 3.75);
    const usd = run.summary.currencies.find((c) => c.currency === "USD")!;
    assert.deepEqual([usd.sourceCost, usd.outputCost, usd.quarantinedCost], ["8", "5", "3"]);
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
  });

  it("rejects a flattened file without invoice.month, naming both spellings looked for", async () => {
    const file = join(tempDir(), "no-invoice.csv");
    writeFileSync(
      file,
      `${HEADER.replace(",invoice.month", "")}\n` +
        `01AAAA-BBBBBB-CCCCCC,Compute Engine,x,2024-03-15 10:00:00 UTC,2024-03-15 11:00:00 UTC,5.0,USD,1,[],regular\n`,
    );
    const run = await normalized([file], { format: "gcp-billing" });
    const [summary] = run.summary.files;
    assert.equal(summary!.status, "rejected");
    assert.equal(
      summary!.error,
      "missing required column(s) for gcp-billing: invoice.month or invoice_month; is this a gcp-billing export?",
    );
  });
});
