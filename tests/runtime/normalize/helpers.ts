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
