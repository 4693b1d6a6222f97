import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { normalize } from "../../../runtime/normalize/run";
import type { StoreSummary } from "../../../runtime/normalize/store";
import { tempDir } from "./helpers";
import { ACCOUNTS, curSource, curSources, PERIODS, storeTotals } from "./store-sources";

/** A version of a source: how many of the fixture's rows its export holds. */
const VERSIONS = [13, 8, 3];
const SOURCES = ACCOUNTS.flatMap((account) => PERIODS.map((period) => ({ account, period })));
const run = (inputs: string[], out: string) => normalize({ inputs, out, engine: { memoryLimit: "512MB" } });

/** A run: some sources, each at a version, in one file each or all in one file. */
const aRun = fc.record({
  sources: fc.subarray(
    SOURCES.map((_, i) => i),
    { minLength: 1 },
  ),
  versions: fc.array(fc.constantFrom(...VERSIONS), { minLength: SOURCES.length, maxLength: SOURCES.length }),
  oneFile: fc.boolean(),
});

describe("output store (property)", function () {
  this.timeout(600000);
  const inputs = tempDir();
  /** Each source version normalized alone into an empty store: what the store must hold of it. */
  const alone = new Map<string, Record<string, string>>();

  before(async () => {
    for (const { account, period } of SOURCES) {
      for (const lines of VERSIONS) {
        const out = tempDir();
        await run([curSource(inputs, account, period, lines)], out);
        alone.set(`${account} ${period} ${lines}`, await storeTotals(out));
      }
    }
  });

  it("holds the union of the latest run of each source, its totals reconciled", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(aRun, { minLength: 1, maxLength: 3 }), async (runs) => {
        const out = tempDir();
        const latest = new Map<string, number>();
        for (const r of runs) {
          const chosen = r.sources.map((i) => ({ ...SOURCES[i]!, lines: r.versions[i]! }));
          const files = r.oneFile
            ? [curSources(join(inputs, `run-${n++}.csv`), chosen)]
            : chosen.map((s) => curSource(inputs, s.account, s.period, s.lines));
          const summary = await run(files, out);
          assert.equal(summary.reconciled, true, summary.problems.join("\n"));
          for (const s of chosen) latest.set(`${s.account} ${s.period}`, s.lines);
        }
        const expected = Object.fromEntries(
          [...latest].flatMap(([source, lines]) => Object.entries(alone.get(`${source} ${lines}`)!)).sort(),
        );
        assert.deepEqual(await storeTotals(out), expected);
        const state = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as StoreSummary;
        assert.deepEqual(
          state.store.sources.map((s) => `${s.billingAccountId} ${s.period}`),
          [...latest.keys()].sort(),
        );
        assert.equal(state.history.length, runs.length);
      }),
      { numRuns: 6 },
    );
  });
});
