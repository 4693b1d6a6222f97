import assert from "node:assert/strict";
import { join } from "node:path";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { focusRelation, SOURCE_PRECEDENCE, unifiedSelect } from "../../../runtime/normalize/unified";
import { duckdb } from "../../../runtime/mapping/duckdb";
import { FORMAT_IDS } from "../../../runtime/mapping/types";
import { writeNormalized } from "../../fixtures/focus/normalized";
import { normalized, SAMPLES, tempDir } from "./helpers";

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

  describe("canonical_tags", () => {
    const ALIASES = { cost_center: ["cost-center", "CostCenter"], env: ["Environment"] };
    /** Each charge's tags, as written, and as canonical_tags should read them. */
    const cases: [Record<string, string> | null, Record<string, string | null> | null][] = [
      [
        { CostCenter: "cc-1", team: "web" },
        { cost_center: "cc-1", team: "web" },
      ],
      // The canonical key's value wins, then the aliases' in the order declared.
      [{ "cost-center": "cc-9", cost_center: "cc-0", CostCenter: "cc-8" }, { cost_center: "cc-0" }],
      [{ CostCenter: "cc-8", "cost-center": "cc-9" }, { cost_center: "cc-9" }],
      // A blank value is no value: an alias's fills in, and a key with none is left out.
      [
        { cost_center: "", CostCenter: "cc-3", Environment: "prod" },
        { cost_center: "cc-3", env: "prod" },
      ],
      [{ "cost-center": " " }, null],
      [
        { team: "data", owner: "o@acme.example" },
        { team: "data", owner: "o@acme.example" },
      ],
      [null, null],
    ];

    async function unifiedTags(aliases?: typeof ALIASES) {
      const out = await writeNormalized(
        tempDir(),
        cases.map(([tags], i) => ({
          day: `2024-01-${String(i + 1).padStart(2, "0")}`,
          service: "Amazon EC2",
          cost: 1,
          tags,
        })),
      );
      // The fixture keeps x_Provider in its partition folders only.
      const relation = `read_parquet('${join(out, "focus")}/**/*.parquet', hive_partitioning = true)`;
      const engine = await openEngine({ memoryLimit: "256MB" });
      try {
        const rows = await queryRows<{ tags: string | null; canonical: string | null }>(
          engine.connection,
          `SELECT CAST(tags AS VARCHAR) AS tags, CAST(canonical_tags AS VARCHAR) AS canonical FROM (${unifiedSelect(relation, duckdb, [], aliases)}) ORDER BY date`,
        );
        return rows.map((r) => ({
          tags: r.tags === null ? null : JSON.parse(r.tags),
          canonical: r.canonical === null ? null : JSON.parse(r.canonical),
        }));
      } finally {
        engine.close();
      }
    }

    it("renames the tenant's aliases to their canonical keys, and keeps the raw tags beside them", async () => {
      const rows = await unifiedTags(ALIASES);
      assert.deepEqual(
        rows.map((r) => r.canonical),
        cases.map(([, canonical]) => canonical),
      );
      assert.deepEqual(
        rows.map((r) => r.tags),
        cases.map(([tags]) => tags),
      );
    });

    it("are the tags themselves without aliases", async () => {
      for (const r of await unifiedTags()) assert.deepEqual(r.canonical, r.tags);
    });
  });
});
