import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { normalize, type NormalizeOptions } from "../../../runtime/normalize/run";
import type { Summary } from "../../../runtime/normalize/summary";
import { focusRelation } from "../../../runtime/normalize/unified";

export const FIXTURES = join(__dirname, "..", "..", "fixtures");
export const SAMPLES = join(__dirname, "..", "..", "..", "examples", "exports");

export const tempDir = (prefix = "costline-test-") => mkdtempSync(join(tmpdir(), prefix));

/**
 * Rewrites a Parquet file's footer to count `rows` where its row groups hold `held`, as a damaged
 * file or a faulty writer leaves one: DuckDB reads the row groups and says nothing. The footer's
 * num_rows (FileMetaData field 3, an i64 after the schema list, which holds no i64) is the first
 * compact-protocol field header 0x16 followed by the zigzag varint of `held`, one byte below 64.
 */
export function misstateParquetRows(path: string, held: number, rows: number): void {
  assert.ok(held < 64 && rows < 64, "one-byte varints only");
  const file = readFileSync(path);
  const footer = file.length - 8 - file.readUInt32LE(file.length - 8);
  const at = file.subarray(footer).indexOf(Buffer.from([0x16, held * 2]));
  assert.ok(at >= 0, `no num_rows of ${held} in the footer of ${path}`);
  file[footer + at + 1] = rows * 2;
  writeFileSync(path, file);
}

/** Runs the normalizer into a fresh folder and returns the summary and a query over what it wrote. */
export async function normalized(inputs: string[], opts: Partial<NormalizeOptions> = {}) {
  const out = opts.out ?? tempDir();
  const summary: Summary = await normalize({ inputs, out, engine: { memoryLimit: "512MB" }, ...opts });
  const format = summary.outputFormat;
  return {
    out,
    summary,
    /** Runs SQL where `focus` and `quarantine` name the written output. */
    query: async <T = Record<string, unknown>>(sql: string): Promise<T[]> => {
      const engine = await openEngine({ memoryLimit: "256MB" });
      try {
        const quarantine = `read_${format}('${join(out, "quarantine", "**", `*.${format}`)}')`;
        return await queryRows<T>(
          engine.connection,
          sql.replaceAll("{focus}", focusRelation(out, format)).replaceAll("{quarantine}", quarantine),
        );
      } finally {
        engine.close();
      }
    },
  };
}

/**
 * Two outputs (rows in one order, values as text) hold the same rows: decimals to 1e-9, as Parquet
 * holds amounts as DOUBLE; Tags as JSON objects, whose key order may differ.
 */
export function assertSameRows(
  actual: Record<string, string | null>[],
  expected: Record<string, string | null>[],
) {
  assert.equal(actual.length, expected.length);
  for (const [i, row] of expected.entries()) {
    for (const [column, value] of Object.entries(row)) {
      const other = actual[i]![column] ?? null;
      if (value !== null && other !== null && /^-?\d+\.\d+$/.test(value)) {
        assert.ok(Math.abs(Number(value) - Number(other)) < 1e-9, `row ${i} ${column}: ${value} vs ${other}`);
      } else if (column === "Tags" && value !== null && other !== null) {
        assert.deepEqual(JSON.parse(other), JSON.parse(value), `row ${i} ${column}`);
      } else {
        assert.equal(other, value, `row ${i} ${column}`);
      }
    }
  }
}
