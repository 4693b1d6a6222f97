import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { focusRelation } from "../../../runtime/normalize/unified";
import { cur2CsvToParquet } from "../../../bench/sample-parquet";
import { FIXTURES, misstateParquetRows, tempDir } from "../normalize/helpers";
import { runCli as run } from "../../helpers/cli";

const CUR = join(FIXTURES, "aws-cur2", "cur2.csv");
const files = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe("costline normalize", function () {
  this.timeout(60000);

  it("writes focus/ partitioned by provider and period, quarantine/, summary.json and prints the summary", async () => {
    const out = tempDir();
    const r = await run(
      "normalize",
      "--input",
      join(FIXTURES, "aws-cur2"),
      "--out",
      out,
      "--tenant-id",
      "acme",
    );
    assert.equal(r.code, 0, r.err);
    // Two of the 13 lines are commitment fees that also write their unused commitment.
    assert.match(r.out, /cur2\.csv: aws-cur2 \(detected\): read 13, written 15, quarantined 0/);
    assert.match(r.out, /Reconciled/);
    assert.match(
      r.out,
      /\nReplaced in .*: 1 source\(s\) \(provider, billing account, format, period\); its other sources are as they were\n {2}aws 111111111111 aws-cur2 2024-01\n/,
    );
    const written = files(out);
    assert.ok(
      written.some((f) => /^focus\/x_Provider=aws\/x_BillingPeriod=2024-01\/aws-cur2-.*\.parquet$/.test(f)),
      written.join("\n"),
    );
    assert.ok(written.some((f) => /^quarantine\/source_format=aws-cur2\/.*\.parquet$/.test(f)));
    assert.ok(written.includes("summary.json") && written.includes("unified.sql"));
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    assert.equal(summary.lastRun.tenantId, "acme");
    assert.equal(summary.lastRun.totals.rowsQuarantined, 4);
    assert.deepEqual(
      summary.store.sources.map((s: { billingAccountId: string; period: string }) => [
        s.billingAccountId,
        s.period,
      ]),
      [["111111111111", "2024-01"]],
    );
    assert.deepEqual(
      summary.history.map((h: { status: string }) => h.status),
      ["reconciled"],
    );
  });

  it("prints a file's notes under it: actual-cost data is not amortized", async () => {
    const r = await run("normalize", "--input", join(FIXTURES, "azure-cost-details"), "--out", tempDir());
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /mca-actualcost\.csv: azure-cost-details \(detected\): .*\n {4}note: actual-cost data: /,
    );
    assert.doesNotMatch(r.out, /ea-amortizedcost\.csv: .*\n {4}note: actual-cost data/);
  });

  it("--json prints the summary, --output-format csv writes FOCUS timestamps", async () => {
    const out = tempDir();
    const r = await run(
      "normalize",
      "--format",
      "aws-cur2",
      "--input",
      CUR,
      "--out",
      out,
      "--output-format",
      "csv",
      "--json",
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).files[0].formatChosenBy, "flag");
    const csv = files(out).find((f) => f.endsWith(".csv"))!;
    const text = readFileSync(join(out, csv), "utf8");
    assert.match(text.split("\n")[0]!, /^AvailabilityZone,BilledCost,/);
    assert.match(text, /2024-01-15T10:00:00Z/);
  });

  it("--input PATH... takes several paths after one flag, and repeated flags; a stray argument exits 2", async () => {
    const gcp = join(FIXTURES, "gcp-billing", "export.ndjson");
    const mca = join(FIXTURES, "azure-cost-details", "mca-actualcost.csv");
    const r = await run("normalize", "--input", CUR, gcp, "--out", tempDir(), "--input", mca, "--json");
    assert.equal(r.code, 0, r.err);
    const formats = JSON.parse(r.out).files.map((f: { file: string; format: string }) => [
      f.file.split("/").pop(),
      f.format,
    ]);
    // Sorted by path, as every run is.
    assert.deepEqual(formats, [
      ["cur2.csv", "aws-cur2"],
      ["mca-actualcost.csv", "azure-cost-details"],
      ["export.ndjson", "gcp-billing"],
    ]);
    const stray = await run("normalize", "--input", CUR, "--out", tempDir(), gcp);
    assert.equal(stray.code, 2);
    assert.match(
      stray.err,
      /costline normalize: unexpected argument ".*export\.ndjson"\nusage: costline normalize/,
    );
  });

  it("says which units it kept as the export writes them", async () => {
    const r = await run("normalize", "--input", join(FIXTURES, "units"), "--out", tempDir());
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /unknown azure unit "1000 Activity Runs" \(1 row\(s\)\): kept as the export writes it/,
    );
  });

  it("exits 2 naming a missing input, an unknown format or a bad rates file", async () => {
    const out = tempDir();
    const missing = await run("normalize", "--input", "/no/such/export.csv", "--out", out);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /input not found: \/no\/such\/export\.csv/);
    const format = await run("normalize", "--format", "aws-cur3", "--input", CUR, "--out", out);
    assert.equal(format.code, 2);
    assert.match(format.err, /unknown format "aws-cur3"; use one of aws-cur2, aws-cur, aws-focus/);
    const rates = join(out, "rates.csv");
    writeFileSync(rates, "date,currency,usd_per_unit\n2024-01-01,EUR,-1\n");
    const badRates = await run("normalize", "--input", CUR, "--out", out, "--rates", rates);
    assert.equal(badRates.code, 2);
    assert.match(badRates.err, /rates\.csv:2: usd_per_unit must be a positive decimal/);
    const noInput = await run("normalize", "--out", out);
    assert.equal(noInput.code, 2);
    assert.match(noInput.err, /--input PATH is required/);
  });

  it("--focus-version 1.3 writes FOCUS 1.3 and says so; another version exits 2, and so does mixing versions in one --out", async () => {
    const out = tempDir();
    const ok = await run("normalize", "--input", CUR, "--out", out, "--focus-version", "1.3");
    assert.equal(ok.code, 0, ok.all);
    assert.match(ok.out, /FOCUS 1\.3/);
    assert.equal(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).store.focusVersion, "1.3");
    const bad = await run("normalize", "--input", CUR, "--out", tempDir(), "--focus-version", "1.4");
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--focus-version must be 1\.2 or 1\.3, not "1\.4"/);
    // The store holds 1.3 rows; a 1.2 run into it would leave two schemas under one view.
    const mixed = await run("normalize", "--input", CUR, "--out", out);
    assert.equal(mixed.code, 2, mixed.all);
    assert.match(
      mixed.err,
      /holds FOCUS 1\.3 output; this run writes FOCUS 1\.2, and one store holds one version: normalize into a new --out, or pass --focus-version 1\.3/,
    );
    assert.equal(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).store.focusVersion, "1.3");
  });

  it("--billing-account-name ID=NAME names the accounts the export leaves unnamed; a malformed value exits 2", async () => {
    const gcp = join(FIXTURES, "gcp-billing", "export.ndjson");
    const out = tempDir();
    const r = await run(
      "normalize",
      "--input",
      gcp,
      "--out",
      out,
      "--billing-account-name",
      "01AAAA-BBBBBB-CCCCCC=ACME = Production",
      "--billing-account-name",
      " 01CCCC-CCCCCC-CCCCCC = Unused ",
    );
    assert.equal(r.code, 0, r.err);
    const engine = await openEngine({ memoryLimit: "256MB" });
    try {
      const names = await queryRows<{ id: string; name: string | null }>(
        engine.connection,
        `SELECT DISTINCT BillingAccountId AS id, BillingAccountName AS name FROM ${focusRelation(out, "parquet")} ORDER BY 1`,
      );
      assert.deepEqual(names, [
        { id: "01AAAA-BBBBBB-CCCCCC", name: "ACME = Production" },
        { id: "01EEEE-EEEEEE-EEEEEE", name: null },
      ]);
    } finally {
      engine.close();
    }
    for (const [value, problem] of [
      [
        "01AAAA-BBBBBB-CCCCCC",
        /--billing-account-name must be ID=NAME \(e\.g\. .*\), not "01AAAA-BBBBBB-CCCCCC"/,
      ],
      ["01AAAA-BBBBBB-CCCCCC=", /the name of billing account 01AAAA-BBBBBB-CCCCCC is empty/],
      ["=ACME", /the billing account id is empty/],
    ] as const) {
      const bad = await run("normalize", "--input", gcp, "--out", tempDir(), "--billing-account-name", value);
      assert.equal(bad.code, 2, value);
      assert.match(bad.err, problem);
    }
    const twice = await run(
      "normalize",
      "--input",
      gcp,
      "--out",
      tempDir(),
      "--billing-account-name",
      "01AAAA-BBBBBB-CCCCCC=A",
      "--billing-account-name",
      "01AAAA-BBBBBB-CCCCCC=B",
    );
    assert.equal(twice.code, 2);
    assert.match(twice.err, /billing account 01AAAA-BBBBBB-CCCCCC is named twice/);
  });

  it("a file with every row quarantined is a problem printed first, with exit 1, not 'Reconciled'", async () => {
    const [header, first, second] = readFileSync(CUR, "utf8").trim().split("\n");
    // Both usage rows with their start date spelled as a US date: not a timestamp.
    const usDate = (line: string) => line.replaceAll("2024-01-15T10:00:00Z", "01/15/2024 10:00");
    assert.ok(first!.includes("2024-01-15T10:00:00Z") && second!.includes("2024-01-15T10:00:00Z"));
    const file = join(tempDir(), "all-bad.csv");
    writeFileSync(file, `${header}\n${usDate(first!)}\n${usDate(second!)}\n`);
    const r = await run("normalize", "--input", file, "--out", tempDir());
    assert.equal(r.code, 1, r.all);
    const problem = `PROBLEM: ${file}: every row (2 of 2) was quarantined, none written: see the reasons in quarantine/source_format=aws-cur2/`;
    assert.equal(r.out.split("\n")[2], problem, r.out);
    assert.match(r.out, /all-bad\.csv: aws-cur2 \(detected\): read 2, written 0, quarantined 2/);
    assert.doesNotMatch(r.out, /Reconciled/);
    assert.match(r.out, /\nNOT reconciled: 1 problem\(s\), listed first\.\n$/);
  });

  it("a file read short is a problem printed first, with exit 1, naming the file and both counts", async () => {
    const file = join(tempDir(), "cur2.parquet");
    await cur2CsvToParquet(CUR, file);
    misstateParquetRows(file, 13, 14);
    const r = await run("normalize", "--input", file, "--out", tempDir());
    assert.equal(r.code, 1, r.all);
    assert.match(
      r.out.split("\n")[2]!,
      new RegExp(
        `^PROBLEM: ${file}: failed: read short: DuckDB read 13 rows of ${file}, where its Parquet footer counts 14; none of the file is written\\. Copy or export the file again`,
      ),
    );
    assert.doesNotMatch(r.out, /Reconciled/);
    assert.match(r.out, /\nNOT reconciled: 1 problem\(s\), listed first\.\n$/);
  });

  it("rejects a file missing a required column whole, and unreadable data, with exit 1", async () => {
    const dir = tempDir();
    const [header, ...rows] = readFileSync(CUR, "utf8").trim().split("\n");
    const cols = header!.split(",");
    const drop = cols.indexOf("line_item_unblended_cost");
    const strip = (line: string) =>
      line
        .split(",")
        .filter((_, i) => i !== drop)
        .join(",");
    writeFileSync(join(dir, "no-cost.csv"), `${strip(header!)}\n${strip(rows[0]!)}\n`);
    writeFileSync(join(dir, "garbage.parquet"), "this is not parquet");
    const out = tempDir();
    const r = await run("normalize", "--format", "aws-cur2", "--input", dir, "--out", out, "--json");
    assert.equal(r.code, 1);
    const summary = JSON.parse(r.out);
    const byName = Object.fromEntries(
      summary.files.map((f: { file: string }) => [f.file.split("/").pop(), f]),
    );
    assert.equal(byName["no-cost.csv"].status, "rejected");
    assert.match(
      byName["no-cost.csv"].error,
      /missing required column\(s\) for aws-cur2: line_item_unblended_cost/,
    );
    assert.equal(byName["garbage.parquet"].status, "rejected");
    assert.match(byName["garbage.parquet"].error, /unreadable data/);
    assert.equal(summary.reconciled, false);
  });
});
