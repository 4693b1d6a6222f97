import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toUnits } from "../../../runtime/normalize/decimal";
import { csvHeader } from "../../../runtime/sources/read";
import { FIXTURES, normalized, tempDir } from "./helpers";

const lines = (name: string) =>
  readFileSync(join(FIXTURES, "aws-cur2", name), "utf8")
    .trim()
    .split(/\r?\n/);

describe("normalize: malformed CSV records", function () {
  this.timeout(60_000);
  const [header, ...good] = lines("cur2.csv");
  const [, badValue] = lines("cur2-bad-rows.csv");
  let run: Awaited<ReturnType<typeof normalized>>;
  let file: string;

  before(async () => {
    const dir = tempDir();
    file = join(dir, "cur2-malformed.csv");
    // Data rows: 1 good, 2 too few columns, 3 a bad number, 4 too many columns, 5 good, 6 an
    // unterminated quote (it runs to the end of the file).
    const body = [
      header,
      good[0],
      "2024-01-01T00:00:00Z,oops",
      badValue,
      `${good[1]},extra`,
      good[2],
      '"unterminated,x',
    ];
    writeFileSync(file, `${body.join("\n")}\n`);
    run = await normalized([file], { format: "aws-cur2" });
  });

  it("quarantines each malformed record with its file, line and reason, and normalizes the rest", async () => {
    const f = run.summary.files[0]!;
    assert.equal(f.status, "normalized", f.error);
    assert.deepEqual([f.rowsRead, f.rowsWritten, f.rowsQuarantined, f.malformedRecords], [6, 2, 4, 3]);
    const rows = await run.query<{
      row_number: string;
      reason: string;
      source_file: string;
      raw_row: string;
    }>(
      "SELECT CAST(row_number AS VARCHAR) row_number, reason, source_file, raw_row FROM {quarantine} ORDER BY row_number",
    );
    assert.deepEqual(
      rows.map((r) => r.row_number),
      ["2", "3", "4", "6"],
    );
    assert.ok(rows.every((r) => r.source_file === file));
    assert.match(
      rows[0]!.reason,
      /^malformed CSV record at line 3: MISSING COLUMNS: Expected Number of Columns: \d+ Found: 2/,
    );
    // A row after a malformed record keeps its own data row number (the reader skipped one record).
    assert.equal(rows[1]!.reason, "bad number in line_item_unblended_cost: abc");
    assert.match(rows[2]!.reason, /^malformed CSV record at line 5: TOO MANY COLUMNS/);
    assert.match(rows[3]!.reason, /^malformed CSV record at line 7: .*unterminated quote/);
    assert.deepEqual(JSON.parse(rows[0]!.raw_row), { csv_record: "2024-01-01T00:00:00Z,oops" });
  });

  it("still reconciles: a malformed record is read and quarantined but carries no cost", async () => {
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
    assert.deepEqual(
      run.summary.currencies.map((c) => c.currency),
      ["USD"],
      "no currency bucket for records whose currency cannot be read",
    );
    const [written] = await run.query<{ cost: string }>(
      "SELECT CAST(sum(BilledCost) AS VARCHAR) AS cost FROM {focus}",
    );
    const usd = run.summary.currencies[0]!;
    assert.equal(toUnits(usd.outputCost), toUnits(written!.cost));
    assert.equal(toUnits(usd.sourceCost), toUnits(usd.outputCost) + toUnits(usd.quarantinedCost));
  });

  it("numbers the rows of a large file by their place in it, though the file is read in parallel", async () => {
    const path = join(tempDir(), "cur2-large.csv");
    const bad = new Set([7, 45_678, 99_990]);
    const body = [header];
    for (let row = 1; row <= 100_000; row++) {
      if (row === 50_000) body.push("2024-01-01T00:00:00Z,oops");
      else body.push(bad.has(row) ? badValue! : good[row % good.length]!);
    }
    writeFileSync(path, `${body.join("\n")}\n`);
    const large = await normalized([path], { format: "aws-cur2" });
    const rows = await large.query<{ row_number: string; reason: string }>(
      "SELECT CAST(row_number AS VARCHAR) row_number, reason FROM {quarantine} ORDER BY CAST(row_number AS BIGINT)",
    );
    assert.deepEqual(
      rows.map((r) => [r.row_number, r.reason.split(":")[0]]),
      [
        ["7", "bad number in line_item_unblended_cost"],
        ["45678", "bad number in line_item_unblended_cost"],
        ["50000", "malformed CSV record at line 50001"],
        ["99990", "bad number in line_item_unblended_cost"],
      ],
    );
    assert.equal(large.summary.reconciled, true, large.summary.problems.join("\n"));
  });

  it("quarantines malformed records alone when every readable row passes its checks", async () => {
    const path = join(tempDir(), "cur2-only-malformed.csv");
    writeFileSync(path, `${[header, good[0], `${good[1]},extra`, good[2]].join("\n")}\n`);
    const only = await normalized([path], { format: "aws-cur2" });
    const f = only.summary.files[0]!;
    assert.deepEqual([f.rowsRead, f.rowsWritten, f.rowsQuarantined, f.malformedRecords], [3, 2, 1, 1]);
    const rows = await only.query<{ row_number: string; reason: string }>(
      "SELECT CAST(row_number AS VARCHAR) row_number, reason FROM {quarantine}",
    );
    assert.deepEqual(
      rows.map((r) => r.row_number),
      ["2"],
    );
    assert.match(rows[0]!.reason, /^malformed CSV record at line 3: TOO MANY COLUMNS/);
  });

  it("reads the header without sniffing, so a malformed record cannot change the dialect", () => {
    const dir = tempDir();
    const path = join(dir, "h.csv");
    writeFileSync(path, '\uFEFFa,"b ""quoted"", c",,a\r\n1,"2\n');
    assert.deepEqual(csvHeader(path), ["a", 'b "quoted", c', "column2", "a_1"]);
  });
});
