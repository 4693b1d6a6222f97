import assert from "node:assert/strict";
import { join } from "node:path";
import { focusRelation, SOURCE_PRECEDENCE, unifiedSelect } from "../../../runtime/normalize/unified";
import { FORMAT_IDS } from "../../../runtime/mapping/types";
import { normalized, SAMPLES } from "./helpers";

/** Two exports of payer 111111111111's March 2025 (the same costs), and another payer's legacy CUR. */
const CUR2 = join(SAMPLES, "aws-cur2", "cur2-2025-03.csv");
const AWS_FOCUS = join(SAMPLES, "aws-focus", "focus-1-2-aws-2025-03.csv");
const LEGACY = join(SAMPLES, "aws-cur", "cur-legacy-2025-03.csv");

describe("the unified view", function () {
  this.timeout(60000);

  it("ranks every source format", () => {
    assert.deepEqual([...SOURCE_PRECEDENCE].sort(), [...FORMAT_IDS].sort());
  });

  // Every combination of the overlapping pair, beside a source of another account that always stays.
  const cases: [string, string[], string | undefined][] = [
    [
      "CUR 2.0 and AWS FOCUS of one account and month: AWS's own FOCUS export only",
      [CUR2, AWS_FOCUS],
      "aws-focus",
    ],
    ["CUR 2.0 alone", [CUR2], "aws-cur2"],
    ["AWS FOCUS alone", [AWS_FOCUS], "aws-focus"],
    ["neither", [], undefined],
  ];
  for (const [name, overlapping, kept] of cases) {
    it(`${name}; the other payer's legacy CUR is kept`, async () => {
      const run = await normalized([...overlapping, LEGACY]);
      assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
      const q = (sql: string) => run.query<Record<string, string>>(sql);
      const byOutput = await q(
        "SELECT x_SourceFormat AS f, CAST(sum(x_EffectiveCostUsd) AS VARCHAR) AS usd, CAST(count(*) AS VARCHAR) AS n FROM {focus} GROUP BY 1 ORDER BY 1",
      );
      const unified = await q(
        `SELECT source_format AS f, CAST(sum(cost) AS VARCHAR) AS usd, CAST(count(*) AS VARCHAR) AS n FROM (${unifiedSelect(focusRelation(run.out, "parquet"))}) GROUP BY 1 ORDER BY 1`,
      );
      // The view holds exactly the kept source's rows and the legacy CUR's, with their totals.
      assert.deepEqual(
        unified,
        byOutput.filter((r) => r.f === "aws-cur" || r.f === kept),
      );
    });
  }
});
