import assert from "node:assert/strict";
import { join } from "node:path";
import { cur2CsvToParquet, gcpNdjsonToParquet } from "../../../bench/sample-parquet";
import { assertSameRows, normalized, SAMPLES, tempDir } from "./helpers";

type Row = Record<string, string | null>;

/** The output, order-independent, with every value as text. */
const SNAPSHOT = `SELECT * FROM (SELECT COLUMNS(*)::VARCHAR FROM {focus}) ORDER BY ALL`;

/**
 * The same export as text and as typed Parquet (MAP tags, STRUCT/LIST nesting, TIMESTAMP and
 * DOUBLE columns) must normalize to the same FOCUS rows.
 */
describe("Parquet and text forms of the samples normalize alike", function () {
  this.timeout(60000);
  const cases = [
    ["aws-cur2", "aws-cur2/cur2-2025-03.csv", cur2CsvToParquet],
    ["gcp-billing", "gcp-billing/gcp_billing_export_v1_2025-03.ndjson", gcpNdjsonToParquet],
  ] as const;
  for (const [format, file, toParquet] of cases) {
    it(format, async () => {
      const parquet = join(tempDir(), `${format}.parquet`);
      await toParquet(join(SAMPLES, file), parquet);
      const text = await normalized([join(SAMPLES, file)]);
      const typed = await normalized([parquet]);
      assert.equal(typed.summary.files[0]!.format, format);
      assert.equal(typed.summary.reconciled, true, typed.summary.problems.join("\n"));
      assertSameRows(await typed.query<Row>(SNAPSHOT), await text.query<Row>(SNAPSHOT));
    });
  }
});
