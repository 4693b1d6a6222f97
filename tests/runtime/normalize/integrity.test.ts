import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, normalized, tempDir } from "./helpers";

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
