import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { CsvRecordCounter, csvFileCheck } from "../../../runtime/sources/csv-records";
import { csvReader } from "../../../runtime/sources/read";
import { tempDir } from "../normalize/helpers";

/** Data records of `text` fed whole, and fed again in chunks of every size up to 7 bytes. */
function counted(text: string): number {
  const bytes = Buffer.from(text);
  const whole = new CsvRecordCounter();
  whole.write(bytes);
  for (let size = 1; size <= 7; size++) {
    const chunked = new CsvRecordCounter();
    for (let i = 0; i < bytes.length; i += size) chunked.write(bytes.subarray(i, i + size));
    assert.equal(chunked.count(), whole.count(), `in chunks of ${size} bytes`);
  }
  return whole.count();
}

describe("CsvRecordCounter: data records of a CSV file, without DuckDB", () => {
  it("excludes the header, and counts a last record without a line end", () => {
    assert.equal(counted("a,b\n1,2\n3,4\n"), 2);
    assert.equal(counted("a,b\n1,2\n3,4"), 2);
  });

  it("counts no record in an empty file or a header alone", () => {
    assert.equal(counted(""), 0);
    assert.equal(counted("a,b"), 0);
    assert.equal(counted("a,b\n"), 0);
    assert.equal(counted("a,b\r\n"), 0);
  });

  it("ends a record at CRLF, LF or a CR alone, as DuckDB's reader does", () => {
    assert.equal(counted("a,b\r\n1,2\r\n3,4\r\n"), 2);
    assert.equal(counted("a,b\r1,2\r3,4\r"), 2);
    assert.equal(counted("a,b\n1,2\r\n3,4\r5,6"), 3);
  });

  it("counts no record for a blank line, at the end or between records", () => {
    assert.equal(counted("a,b\n1,2\n\n"), 1);
    assert.equal(counted("a,b\r\n1,2\r\n\r\n\r\n"), 1);
    assert.equal(counted("a,b\n1,2\n\n3,4\n"), 2);
    // A line of commas or spaces has bytes: a record (DuckDB reads the one, rejects the other).
    assert.equal(counted("a,b\n,\n  \n"), 2);
  });

  it("keeps line ends inside a quoted field in its record", () => {
    // Record 1 holds an LF, record 2 a CRLF, record 3 a CR and a comma: 3 records over 7 lines.
    assert.equal(counted('a,b\n"x\ny",1\n2,"p\r\nq"\n"\r,",3\n'), 3);
    // The header's quoted field spans two lines too.
    assert.equal(counted('"a\nb",c\n1,2\n'), 1);
  });

  it('reads "" inside a quoted field as a quote, not as its end', () => {
    // 1: `say "hi"` then an LF, still quoted; 2: a field that is one quote; 3: `"` then LF, quoted.
    assert.equal(counted('a,b\n"say ""hi""\nthere",1\n"""",2\n"x""\n",3\n'), 3);
  });

  it("takes a quote inside an unquoted field as text, as DuckDB's reader does", () => {
    // Not a quoted field: the line end after `x"y` ends the record, and `z",3` is a record of its own.
    assert.equal(counted('a,b\n1,x"y\nz",3\n4,5\n'), 3);
  });

  it("opens a quoted field after one space, or after a quoted part and spaces, as DuckDB's reader does", () => {
    // ` "x\ny"` is one quoted field; `  "x` (two spaces) is text, so its line end ends the record.
    assert.equal(counted('a,b\n1, "x\ny"\n2,3\n'), 2);
    assert.equal(counted('a,b\n1,  "x\ny"\n2,3\n'), 3);
    // `"x"  "y\nz"` is one field, `x  y` and a line end and `z`.
    assert.equal(counted('a,b\n1,"x"  "y\nz"\n2,3\n'), 2);
    // After a quoted part, text makes the rest of the field text: `"y` opens nothing.
    assert.equal(counted('a,b\n1,"x" a"y\nz",3\n'), 2);
  });

  it("runs an unterminated quoted field to the end of the file: one record", () => {
    assert.equal(counted('a,b\n1,"x\n2,3\n4,5\n'), 1);
  });

  it("skips a byte-order mark, so that a quoted first header field starts the file", () => {
    assert.equal(counted('\uFEFF"a\nb",c\n1,2\n'), 1);
  });

  const field = fc.stringMatching(/^[a-z0-9 ",\r\n]{0,6}$/);
  const serialized = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

  it("counts the records of any file written by RFC 4180 (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }).chain((columns) =>
          fc.record({
            records: fc.array(fc.array(field, { minLength: columns, maxLength: columns }), { maxLength: 20 }),
            header: fc.array(field, { minLength: columns, maxLength: columns }),
            end: fc.constantFrom("\n", "\r\n"),
            last: fc.constantFrom("", "\n", "\r\n"),
          }),
        ),
        ({ records, header, end, last }) => {
          const text = [header, ...records].map((r) => r.map(serialized).join(",")).join(end) + last;
          assert.equal(counted(text), records.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("CsvRecordCounter against DuckDB's reader (fast-check)", function () {
  this.timeout(120_000);
  let engine: Awaited<ReturnType<typeof openEngine>>;
  before(async () => {
    engine = await openEngine({ memoryLimit: "256MB" });
  });
  after(() => engine.close());

  /** Records DuckDB's reader reads of a file, and records it sets aside as malformed (one a line). */
  async function duckdbRecords(path: string): Promise<number> {
    const rejects = { table: "t_rejects", scan: "t_reject_scans" };
    try {
      const [read] = await queryRows<{ n: string }>(
        engine.connection,
        `SELECT CAST(count(*) AS VARCHAR) AS n FROM ${csvReader(path, rejects)}`,
      );
      const [rejected] = await queryRows<{ n: string }>(
        engine.connection,
        `SELECT CAST(count(DISTINCT line) AS VARCHAR) AS n FROM ${rejects.table}`,
      );
      return Number(read!.n) + Number(rejected!.n);
    } finally {
      await engine.connection.run(
        `DROP TABLE IF EXISTS ${rejects.table}; DROP TABLE IF EXISTS ${rejects.scan}`,
      );
    }
  }

  const value = fc.stringMatching(/^[a-z0-9 ",\r\n]{0,6}$/);
  // How an export writes a field: RFC 4180, or quoted after one space (hand-edited files do).
  const written = fc.tuple(value, fc.boolean()).map(([v, spaced]) => {
    const quoted = `"${v.replaceAll('"', '""')}"`;
    if (spaced) return ` ${quoted}`;
    return /[",\r\n]/.test(v) || v.startsWith(" ") ? quoted : v;
  });
  // A record is a line of fields, a blank line, or one with too few or too many fields (malformed).
  const line = (columns: number) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.array(written, { minLength: columns, maxLength: columns }) },
      { weight: 1, arbitrary: fc.constant([] as string[]) },
      { weight: 1, arbitrary: fc.array(written, { minLength: 2, maxLength: columns + 2 }) },
    );

  it("counts what DuckDB reads and sets aside, for files written by RFC 4180 or malformed by a field count", async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }).chain((columns) =>
          fc.record({
            lines: fc.array(line(columns), { maxLength: 12 }),
            columns: fc.constant(columns),
            end: fc.constantFrom("\n", "\r\n", "\r"),
            last: fc.boolean(),
            bom: fc.boolean(),
          }),
        ),
        async ({ lines, columns, end, last, bom }) => {
          const header = Array.from({ length: columns }, (_, i) => `c${i}`).join(",");
          const body = lines.map((fields) => fields.join(",")).join(end);
          const path = join(dir, "random.csv");
          writeFileSync(path, `${bom ? "\uFEFF" : ""}${header}${end}${body}${last ? end : ""}`);
          const counter = new CsvRecordCounter();
          counter.write(readFileSync(path));
          assert.equal(counter.count(), await duckdbRecords(path));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("csvFileCheck: one pass over a CSV file", () => {
  const TEXT = 'a,b\n"x\ny",1\n2,3\n';

  it("counts a plain file's records", async () => {
    const path = join(tempDir(), "plain.csv");
    writeFileSync(path, TEXT);
    assert.deepEqual(await csvFileCheck(path), { records: 2 });
  });

  it("counts a gzip file's records from the bytes its trailer check decompresses", async () => {
    const path = join(tempDir(), "whole.csv.gz");
    writeFileSync(path, gzipSync(TEXT));
    assert.deepEqual(await csvFileCheck(path), { records: 2 });
  });

  it("gives the gzip problem, not a count, for a file cut short", async () => {
    const path = join(tempDir(), "cut.csv.gz");
    const gz = gzipSync(TEXT);
    writeFileSync(path, gz.subarray(0, gz.length - 12));
    const check = await csvFileCheck(path);
    assert.ok("problem" in check);
    assert.match(check.problem, /cut short or damaged.*cut\.csv\.gz is not a whole export/);
  });
});
