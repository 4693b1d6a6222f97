import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { normalize, type NormalizeOptions } from "../../../runtime/normalize/run";
import type { Summary } from "../../../runtime/normalize/summary";
import { focusRelation } from "../../../runtime/normalize/unified";

export const FIXTURES = join(__dirname, "..", "..", "fixtures");
export const SAMPLES = join(__dirname, "..", "..", "..", "examples", "exports");

export const tempDir = (prefix = "costline-test-") => mkdtempSync(join(tmpdir(), prefix));

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
