import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { accountHash } from "../../../runtime/normalize/store";
import { focusRelation, unifiedSelect } from "../../../runtime/normalize/unified";
import { outputColumns, sqlType } from "../../../runtime/schema/output";
import { FIXTURES, normalized, tempDir } from "./helpers";

const CUR = join(FIXTURES, "aws-cur2", "cur2.csv");
const partitionFiles = (out: string, period: string) =>
  readdirSync(join(out, "focus", "x_Provider=aws", `x_BillingPeriod=${period}`)).sort();
/** The partition's files by inode: a file renamed in over another is a new one. */
const inodes = (out: string, period: string) =>
  partitionFiles(out, period).map(
    (f) => statSync(join(out, "focus", "x_Provider=aws", `x_BillingPeriod=${period}`, f)).ino,
  );

/** The fixture moved to February 2024 (billing period and usage dates). */
function februaryCopy(): string {
  const file = join(tempDir(), "cur2-2024-02.csv");
  writeFileSync(
    file,
    readFileSync(CUR, "utf8").replaceAll("2024-02-01", "2024-03-01").replaceAll("2024-01-", "2024-02-"),
  );
  return file;
}

/** Normalizes the inputs and returns the run with its "writing billing period" progress lines. */
async function periodsWritten(inputs: string[]) {
  const said: string[] = [];
  const run = await normalized(inputs, { progress: (m) => said.push(m) });
  return { run, writes: said.filter((m) => m.includes("writing billing period")) };
}

describe("output layout", function () {
  this.timeout(60000);

  it("a rerun of a period replaces exactly that period's partition", async () => {
    const out = tempDir();
    const january = await normalized([CUR], { out });
    const february = await normalized([februaryCopy()], { out });
    assert.deepEqual(february.summary.partitions, ["focus/x_Provider=aws/x_BillingPeriod=2024-02"]);
    const februaryFile = inodes(out, "2024-02");
    const firstJanuary = inodes(out, "2024-01");

    const again = await normalized([CUR], { out });
    assert.deepEqual(again.summary.partitions, ["focus/x_Provider=aws/x_BillingPeriod=2024-01"]);
    assert.deepEqual(again.summary.sources, [
      {
        provider: "aws",
        billingAccountId: "111111111111",
        format: "aws-cur2",
        period: "2024-01",
        file: `focus/x_Provider=aws/x_BillingPeriod=2024-01/aws-cur2-${accountHash("111111111111")}.parquet`,
      },
    ]);
    assert.deepEqual(partitionFiles(out, "2024-01"), [`aws-cur2-${accountHash("111111111111")}.parquet`]);
    assert.notDeepEqual(inodes(out, "2024-01"), firstJanuary, "January was rewritten");
    assert.deepEqual(inodes(out, "2024-02"), februaryFile, "February was not touched");
    const [counts] = await again.query<{ jan: string; feb: string }>(
      `SELECT count(*) FILTER (WHERE BillingPeriodStart = '2024-01-01') AS jan,
              count(*) FILTER (WHERE BillingPeriodStart = '2024-02-01') AS feb FROM {focus}`,
    );
    // 13 lines a period, two of them commitment fees that also write their unused commitment.
    assert.deepEqual([Number(counts!.jan), Number(counts!.feb)], [15, 15]);
    assert.equal(january.summary.totals.rowsWritten, 15);
  });

  it("splits inputs spanning two periods into both partitions, each written from the files that have it", async () => {
    const { run, writes } = await periodsWritten([CUR, februaryCopy()]);
    assert.deepEqual(writes, [
      "aws-cur2: writing billing period 2024-01 from 1 of 2 file(s)",
      "aws-cur2: writing billing period 2024-02 from 1 of 2 file(s)",
    ]);
    assert.deepEqual(run.summary.partitions, [
      "focus/x_Provider=aws/x_BillingPeriod=2024-01",
      "focus/x_Provider=aws/x_BillingPeriod=2024-02",
    ]);
    const [n] = await run.query<{ n: string }>("SELECT count(*) n FROM {focus}");
    assert.equal(Number(n!.n), 30);
    assert.equal(run.summary.reconciled, true);
  });

  it("reads a file spanning periods for each of them, filtered, beside a file of one period", async () => {
    const both = join(tempDir(), "cur2-2024-01-and-02.csv");
    const [header, ...january] = readFileSync(CUR, "utf8").trimEnd().split("\n");
    const february = readFileSync(februaryCopy(), "utf8").trimEnd().split("\n").slice(1);
    writeFileSync(both, `${[header, ...january, ...february].join("\n")}\n`);
    const { run, writes } = await periodsWritten([both, februaryCopy()]);
    assert.deepEqual(writes, [
      "aws-cur2: writing billing period 2024-01 from 1 of 2 file(s)",
      "aws-cur2: writing billing period 2024-02 from 2 of 2 file(s)",
    ]);
    const counts = await run.query<{ p: string; n: string }>(
      "SELECT strftime(BillingPeriodStart, '%Y-%m') p, count(*) n FROM {focus} GROUP BY 1 ORDER BY 1",
    );
    assert.deepEqual(
      counts.map((c) => [c.p, Number(c.n)]),
      [
        ["2024-01", 15],
        ["2024-02", 30],
      ],
    );
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
  });

  it("writes the output columns in schema order with their types", async () => {
    const run = await normalized([CUR]);
    const cols = await run.query<{ column_name: string; column_type: string }>(
      "DESCRIBE SELECT * FROM {focus}",
    );
    assert.deepEqual(
      cols.map((c) => [c.column_name, c.column_type]),
      outputColumns().map((c) => [c.name, sqlType(c.type, "duckdb")]),
    );
  });

  it("the unified view reads the output with USD cost", async () => {
    const run = await normalized([CUR], {
      rates: [{ date: "2024-01-01", currency: "EUR", usdPerUnit: "2" }],
    });
    const [row] = await run.query<Record<string, string>>(
      `SELECT tenant_id, account_id, provider, CAST(date AS VARCHAR) AS date, service, region, CAST(cost AS DOUBLE) AS cost
       FROM (${unifiedSelect(focusRelation(run.out, "parquet"))}) WHERE cost = 4`,
    );
    assert.deepEqual(row, {
      tenant_id: "default",
      account_id: "222222222222",
      provider: "aws",
      date: "2024-01-20",
      service: "Amazon Elastic Compute Cloud",
      region: "us-east-1",
      cost: 4,
    });
    assert.match(
      readFileSync(join(run.out, "unified.sql"), "utf8"),
      /^CREATE OR REPLACE VIEW unified AS SELECT/,
    );
  });
});
