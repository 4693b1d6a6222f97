import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { cur2CsvToParquet } from "../../../bench/sample-parquet";
import { FIXTURES, misstateParquetRows, normalized, SAMPLES, tempDir } from "./helpers";

/** tests/fixtures/aws-cur2/cur2.csv: 13 data records. */
const CUR2 = join(FIXTURES, "aws-cur2", "cur2.csv");
const CUR2_ROWS = 13;

describe("normalize: every input read as it is", () => {
  it("reads a file whose name holds glob characters as that file only", async () => {
    const dir = tempDir();
    copyFileSync(CUR2, join(dir, "cur-2025-0[3].csv"));
    // What the name would match as a pattern: one record (the header and the first data line).
    const [header, first] = readFileSync(CUR2, "utf8").split("\n");
    writeFileSync(join(dir, "cur-2025-03.csv"), `${header}\n${first}\n`);
    const { summary } = await normalized([join(dir, "cur-2025-0[3].csv")]);
    assert.equal(summary.files.length, 1);
    assert.equal(summary.files[0]!.rowsRead, CUR2_ROWS);
  });

  it("reads `a*.csv` beside `abc.csv` once each", async () => {
    const dir = tempDir();
    copyFileSync(CUR2, join(dir, "a*.csv"));
    copyFileSync(CUR2, join(dir, "abc.csv"));
    const { summary } = await normalized([dir]);
    assert.deepEqual(
      summary.files.map((f) => f.rowsRead),
      [CUR2_ROWS, CUR2_ROWS],
    );
    assert.equal(summary.totals.rowsRead, 2 * CUR2_ROWS);
  });
});

describe("normalize: a compressed file is read to its end", () => {
  const gzipped = (cut: (gz: Buffer) => Buffer) => {
    const dir = tempDir();
    const path = join(dir, "cur2.csv.gz");
    writeFileSync(path, cut(gzipSync(readFileSync(CUR2))));
    return path;
  };

  it("fails a .csv.gz cut short (no gzip trailer), naming the file; the run is not reconciled", async () => {
    const path = gzipped((gz) => gz.subarray(0, gz.length - 12));
    const { summary } = await normalized([path], { format: "aws-cur2" });
    assert.equal(summary.files[0]!.status, "failed");
    assert.match(summary.files[0]!.error!, /cut short|damaged/);
    assert.equal(summary.files[0]!.rowsRead, 0);
    assert.equal(summary.reconciled, false);
    assert.match(summary.problems[0]!, /cur2\.csv\.gz: failed: /);
  });

  it("fails a .csv.gz cut short whose format is detected, with the gzip problem as the reason", async () => {
    // The check runs while the file is detected and staged: its finding still decides the outcome.
    const path = gzipped((gz) => gz.subarray(0, gz.length - 12));
    const { summary } = await normalized([path]);
    assert.equal(summary.files[0]!.status, "failed");
    assert.match(summary.files[0]!.error!, /cut short|damaged/);
    assert.equal(summary.totals.rowsRead, 0);
    assert.equal(summary.reconciled, false);
  });

  it("fails a .csv.gz whose CRC does not match its data", async () => {
    // The trailer is CRC-32 then length (RFC 1952, 2.3.1): flip a bit of the CRC.
    const path = gzipped((gz) => {
      const bad = Buffer.from(gz);
      bad[bad.length - 8]! ^= 1;
      return bad;
    });
    const { summary } = await normalized([path], { format: "aws-cur2" });
    assert.equal(summary.files[0]!.status, "failed");
    assert.match(summary.files[0]!.error!, /cut short|damaged/);
  });

  it("reads a whole .csv.gz", async () => {
    const path = gzipped((gz) => gz);
    const { summary } = await normalized([path], { format: "aws-cur2" });
    assert.equal(summary.files[0]!.rowsRead, CUR2_ROWS);
    assert.equal(summary.reconciled, true);
  });
});

describe("normalize: every record of a file is read, by a count apart from the reader", () => {
  const parquet = async (dir = tempDir()) => {
    const path = join(dir, "cur2.parquet");
    await cur2CsvToParquet(CUR2, path);
    return path;
  };
  /** cur2.csv with each record's description spread over three lines (LF, then CRLF). */
  const multiline = (dir = tempDir()) => {
    const path = join(dir, "cur2-multiline.csv");
    writeFileSync(
      path,
      readFileSync(CUR2, "utf8").replace(/,row (\d+),/g, (_, n) => `,"row ${n}\nof the\r\nexport",`),
    );
    return path;
  };

  it("fails a Parquet file whose footer counts a row more than its row groups hold, naming both counts", async () => {
    const dir = tempDir();
    const short = await parquet(dir);
    misstateParquetRows(short, CUR2_ROWS, CUR2_ROWS + 1);
    copyFileSync(CUR2, join(dir, "cur2.csv"));
    const { summary, query } = await normalized([dir], { format: "aws-cur2" });
    const failed = summary.files.find((f) => f.file === short)!;
    assert.equal(failed.status, "failed");
    assert.equal(
      failed.error,
      `read short: DuckDB read 13 rows of ${short}, where its Parquet footer counts 14; none of the file is written.` +
        " Copy or export the file again if it changed during the run; if a whole copy is read short too, report it to Costline with the file",
    );
    assert.equal(summary.reconciled, false);
    assert.deepEqual(summary.problems, [`${short}: failed: ${failed.error}`]);
    // The CSV of the same rows, read in the same pass, is written alone and reconciles.
    const csv = summary.files.find((f) => f.file.endsWith("cur2.csv"))!;
    assert.deepEqual([csv.status, csv.rowsRead, failed.rowsRead], ["normalized", CUR2_ROWS, 0]);
    assert.equal(summary.totals.rowsWritten, summary.expectedRowsWritten);
    assert.ok(summary.currencies.every((c) => c.reconciled));
    const [written] = await query<{ n: string }>("SELECT CAST(count(*) AS VARCHAR) AS n FROM {focus}");
    assert.equal(Number(written!.n), csv.rowsWritten);
  });

  it("reads a whole Parquet file, its footer and its rows agreeing", async () => {
    const { summary } = await normalized([await parquet()], { format: "aws-cur2" });
    assert.equal(summary.files[0]!.rowsRead, CUR2_ROWS);
    assert.equal(summary.reconciled, true, summary.problems.join("\n"));
  });

  it("fails a Parquet file its reader reads a row short of", async () => {
    const path = await parquet();
    const { summary } = await normalized([path], {
      format: "aws-cur2",
      reader: (sql) => `(SELECT * FROM ${sql} WHERE file_row_number <> 4)`,
    });
    assert.equal(summary.files[0]!.status, "failed");
    assert.match(
      summary.files[0]!.error!,
      /^read short: DuckDB read 12 rows of .*, where its Parquet footer counts 13;/,
    );
    assert.equal(summary.reconciled, false);
  });

  it("counts a CSV record that spans lines once: 13 records over 40 lines", async () => {
    const path = multiline();
    assert.equal(readFileSync(path, "utf8").split("\n").length - 1, 1 + 3 * CUR2_ROWS);
    const { summary, query } = await normalized([path], { format: "aws-cur2" });
    assert.equal(summary.files[0]!.status, "normalized", summary.files[0]!.error);
    assert.equal(summary.files[0]!.rowsRead, CUR2_ROWS);
    assert.equal(summary.reconciled, true, summary.problems.join("\n"));
    const [row] = await query<{ d: string }>(
      "SELECT ChargeDescription AS d FROM {focus} WHERE ChargeDescription LIKE 'row 1\n%'",
    );
    assert.equal(row!.d, "row 1\nof the\r\nexport");
  });

  for (const gzip of [false, true]) {
    it(`fails a ${gzip ? ".csv.gz" : "CSV"} file DuckDB reads a record short of: a problem (exit 1), not reconciled`, async () => {
      const plain = multiline();
      const path = gzip ? `${plain}.gz` : plain;
      if (gzip) writeFileSync(path, gzipSync(readFileSync(plain)));
      const { summary } = await normalized([path], {
        format: "aws-cur2",
        reader: (sql, file) => (file === path ? `(SELECT * FROM ${sql} LIMIT 12)` : sql),
      });
      const f = summary.files[0]!;
      assert.equal(f.status, "failed");
      assert.equal(
        f.error,
        `read short: DuckDB read 12 records of ${path}, where a count apart from its CSV reader finds 13; none of the file is written.` +
          " Copy or export the file again if it changed during the run; if a whole copy is read short too, report it to Costline with the file",
      );
      assert.deepEqual(summary.problems, [`${path}: failed: ${f.error}`]);
      assert.equal(summary.reconciled, false);
      assert.equal(summary.totals.rowsWritten, 0);
    });
  }

  it("counts malformed CSV records as read, and names them when the two counts part", async () => {
    const [header, first, second] = readFileSync(CUR2, "utf8").split(/\r?\n/);
    const path = join(tempDir(), "cur2-malformed.csv");
    writeFileSync(path, `${header}\n${first}\n2024-01-01T00:00:00Z,oops\n${second}\n`);
    const whole = await normalized([path], { format: "aws-cur2" });
    assert.deepEqual([whole.summary.files[0]!.rowsRead, whole.summary.files[0]!.malformedRecords], [3, 1]);
    assert.equal(whole.summary.reconciled, true, whole.summary.problems.join("\n"));
    // A reader that makes up a row: more read than the file holds.
    const long = await normalized([path], {
      format: "aws-cur2",
      reader: (sql) => `(SELECT * FROM ${sql} UNION ALL (SELECT * FROM ${sql} LIMIT 1))`,
    });
    assert.match(
      long.summary.files[0]!.error!,
      /^read long: DuckDB read 4 records of .* \(1 of them malformed, the first at line 3\), where a count apart from its CSV reader finds 3; none of the file is written\. Mend the malformed records/,
    );
  });
});

describe("normalize: JSON nesting is bounded before parsing", () => {
  const nested = (depth: number, dir = tempDir()) => {
    const path = join(dir, "deep.ndjson");
    // A bracket inside a string is text, not nesting.
    writeFileSync(path, `{"s":"[[[[","a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}\n`);
    return path;
  };

  it("fails a file nested 100,000 levels deep (DuckDB's reader died of it) and goes on", async () => {
    const dir = tempDir();
    nested(100_000, dir);
    copyFileSync(CUR2, join(dir, "cur2.csv"));
    const { summary } = await normalized([dir]);
    const deep = summary.files.find((f) => f.file.endsWith("deep.ndjson"))!;
    assert.equal(deep.status, "failed");
    assert.match(deep.error!, /JSON nested deeper than 64 levels in .*deep\.ndjson/);
    assert.equal(summary.files.find((f) => f.file.endsWith("cur2.csv"))!.rowsRead, CUR2_ROWS);
  });
});

describe("normalize: an NDJSON file's records are counted apart from DuckDB's reader", () => {
  const sample = join(SAMPLES, "gcp-billing", "gcp_billing_export_v1_2025-03.ndjson");

  it("reconciles a whole file, blank lines and all", async () => {
    const path = join(tempDir(), "gcp.ndjson");
    writeFileSync(path, `\n${readFileSync(sample, "utf8").replaceAll("\n", "\n\n")}`);
    const { summary } = await normalized([path], { format: "gcp-billing" });
    assert.equal(summary.files[0]!.status, "normalized", summary.files[0]!.error);
    assert.equal(summary.files[0]!.rowsRead, 18);
    assert.equal(summary.reconciled, true, summary.problems.join("\n"));
  });

  it("fails a file DuckDB reads a record short of: a problem, nothing written, not reconciled", async () => {
    const { summary } = await normalized([sample], {
      format: "gcp-billing",
      reader: (sql) => `(SELECT * FROM ${sql} LIMIT 17)`,
    });
    const f = summary.files[0]!;
    assert.equal(f.status, "failed");
    assert.equal(
      f.error,
      `read short: DuckDB read 17 records of ${sample}, where a count apart from its JSON reader finds 18; none of the file is written.` +
        " Copy or export the file again if it changed during the run; if a whole copy is read short too, report it to Costline with the file",
    );
    assert.equal(summary.reconciled, false);
    assert.equal(summary.totals.rowsWritten, 0);
  });
});

describe("normalize: one format in several file forms", () => {
  it("reads a CUR 2.0 CSV (maps as JSON text) and a CUR 2.0 Parquet (maps as MAPs) together, to the same rows", async () => {
    const dir = tempDir();
    const sample = join(__dirname, "..", "..", "..", "examples", "exports", "aws-cur2", "cur2-2025-03.csv");
    copyFileSync(sample, join(dir, "cur2.csv"));
    await cur2CsvToParquet(sample, join(dir, "cur2.parquet"));
    const run = await normalized([join(dir, "cur2.csv"), join(dir, "cur2.parquet")]);
    // Before, the union of text and MAP failed both files.
    assert.deepEqual(
      run.summary.files.map((f) => [f.status, f.rowsRead, f.rowsWritten]),
      [
        ["normalized", 25, 27],
        ["normalized", 25, 27],
      ],
    );
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
    // Each file's 27 rows equal the other's in every column: every distinct row is there twice.
    const groups = await run.query<{ copies: string; n: string }>(
      "SELECT CAST(copies AS VARCHAR) AS copies, CAST(count(*) AS VARCHAR) AS n FROM (SELECT t.*, count(*) AS copies FROM (SELECT CAST(COLUMNS(*) AS VARCHAR) FROM {focus}) AS t GROUP BY ALL) GROUP BY 1",
    );
    assert.deepEqual(groups, [{ copies: "2", n: "27" }]);
  });
});
