import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { openEngine, queryRows, sqlPath } from "../../../runtime/engine/duckdb";
import { runCli as run } from "../../helpers/cli";
import { collectFolder, overlappedFiles, sampleStore, sumOver } from "../../helpers/stores";
import { SAMPLES, tempDir } from "../normalize/helpers";

const CUR2 = join(SAMPLES, "aws-cur2", "cur2-2025-03.csv");
const AWS_FOCUS = join(SAMPLES, "aws-focus", "focus-1-2-aws-2025-03.csv");
const GCP_JPY = join(SAMPLES, "gcp-billing", "gcp_billing_export_resource_v1_2025-03-jpy.ndjson");
const OPENCOST = join(SAMPLES, "opencost", "allocation-container-1d-2025-03-01.json");

const json = async (...argv: string[]) => {
  const r = await run("query", "--output-format", "json", ...argv);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as Record<string, string | null>[];
};

/** EffectiveCost per billing currency of the given files, summed by DuckDB alone. */
const effectiveCost = (files: string[]) => sumOver(files, "EffectiveCost", "BillingCurrency");

const close = (actual: Record<string, number>, expected: Record<string, number>) => {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const [c, v] of Object.entries(expected))
    assert.ok(Math.abs(actual[c]! - v) < 1e-6, `${c}: ${actual[c]} vs ${v}`);
};

describe("costline query", function () {
  this.timeout(120000);
  let store: string;
  before(async () => {
    store = await sampleStore();
  });

  it("totals over unified count AWS's CUR 2.0 and FOCUS exports of one account once: the FOCUS export's", async () => {
    const rows = await json(
      "--input",
      store,
      "SELECT billing_currency AS c, CAST(sum(effective_cost) AS DOUBLE) AS v FROM monthly_cost GROUP BY 1",
    );
    const totals = Object.fromEntries(rows.map((r) => [r.c!, Number(r.v)]));
    const { counted, overlapped } = overlappedFiles(store);
    assert.equal(overlapped.length, 1, counted.join("\n"));
    close(totals, await effectiveCost(counted));
    const everything = await effectiveCost([...counted, ...overlapped]);
    assert.ok(Math.abs(everything.USD! - totals.USD! - (await effectiveCost(overlapped)).USD!) < 1e-6);
  });

  it("prints a table, CSV and JSON of the same rows", async () => {
    const sql = "SELECT provider, count(*) AS n FROM unified GROUP BY 1 ORDER BY 1";
    const asJson = await json("--input", store, sql);
    const csv = await run("query", "--input", store, "--output-format", "csv", sql);
    assert.equal(csv.out, `provider,n\n${asJson.map((r) => `${r.provider},${r.n}`).join("\n")}\n`);
    const table = await run("query", "--input", store, sql);
    assert.match(table.out, /^provider +n\n-+ +-+\n/);
    assert.match(table.out, new RegExp(`\\(${asJson.length} rows\\)\\n$`));
    assert.ok(asJson.some((r) => r.provider === "kubernetes"));
  });

  it("puts OpenCost's cluster beside the cloud rows of its control plane and nodes", async () => {
    const view = "SELECT * FROM kubernetes_vs_cloud WHERE cluster = 'prod-eks'";
    // npm start's samples hold OpenCost's namespace allocation, which names no node: the cluster only.
    const [namespaces] = await json("--input", store, view);
    assert.equal(Number(namespaces!.cluster_resource_cost_usd), 2.4);
    assert.equal(namespaces!.node_cost_usd, null);
    // The container allocation names its node's instance, whose EC2 rows AWS's FOCUS export holds.
    const rows = await json("--input", await sampleStore([AWS_FOCUS, OPENCOST]), view);
    assert.equal(rows.length, 1);
    const engine = await openEngine({ memoryLimit: "256MB" });
    const [instance] = await queryRows<{ v: number }>(
      engine.connection,
      `SELECT CAST(sum(EffectiveCost) AS DOUBLE) AS v FROM read_csv(${sqlPath(AWS_FOCUS)}, header = true) WHERE ResourceId = 'i-0a1b2c3d4e5f60718'`,
    );
    engine.close();
    assert.ok(Math.abs(Number(rows[0]!.node_cost_usd) - instance!.v) < 1e-9);
    assert.equal(Number(rows[0]!.cluster_resource_cost_usd), 2.4);
    assert.ok(Number(rows[0]!.kubernetes_cost_usd) > 0);
  });

  it("reports tag coverage between 0 and 100% and commitment savings in the billing currency", async () => {
    const tags = await json("--input", store, "SELECT * FROM tag_coverage");
    assert.ok(tags.length > 0);
    for (const t of tags)
      assert.ok(Number(t.coverage_percent) > 0 && Number(t.coverage_percent) <= 100, JSON.stringify(t));
    const savings = await json("--input", store, "SELECT * FROM commitment_savings WHERE provider = 'aws'");
    const aws = savings.find((s) => s.billing_currency === "USD")!;
    assert.ok(Number(aws.savings) > 0 && Number(aws.commitment_covered_cost) > 0, JSON.stringify(aws));
  });

  it("over a collect folder, every view has a tenant column and covers each tenant", async () => {
    const health = (tenant: string) => ({
      tenant,
      clouds: [
        {
          cloud: "aws" as const,
          status: "connected" as const,
          lastSuccessfulRun: "2025-03-31T06:00:00Z",
          dataFreshness: "2025-03-31T00:00:00Z",
          problem: null,
        },
      ],
    });
    const root = await collectFolder({ a: [CUR2, AWS_FOCUS], b: [GCP_JPY, OPENCOST] }, [
      health("a"),
      health("b"),
    ]);
    const byTenant = await json(
      "--input",
      root,
      "SELECT tenant, provider, count(*) AS n FROM monthly_cost GROUP BY ALL ORDER BY ALL",
    );
    assert.deepEqual(
      byTenant.map((r) => [r.tenant, r.provider]),
      [
        ["a", "aws"],
        ["b", "gcp"],
        ["b", "kubernetes"],
      ],
    );
    // Tenant a's overlapping exports still count once; tenant b's are its own.
    const a = await json(
      "--input",
      root,
      "SELECT DISTINCT source_format AS f FROM unified WHERE tenant = 'a'",
    );
    assert.deepEqual(a, [{ f: "aws-focus" }]);
    for (const view of ["tag_coverage", "commitment_savings", "kubernetes_vs_cloud"]) {
      const r = await run("query", "--input", root, "--output-format", "csv", `SELECT * FROM ${view}`);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^tenant,/);
    }
  });

  it("fails without a stack on bad SQL, a missing store and an empty one", async () => {
    const bad = await run("query", "--input", store, "SELECT nope FROM unified");
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /^costline query: the query failed: Binder Error: .*nope.*\(views: focus, unified, monthly_cost/,
    );
    const missing = await run("query", "--input", join(store, "nowhere"), "SELECT 1");
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nowhere is not a folder: pass --input DIR/);
    const empty = tempDir();
    mkdirSync(join(empty, "focus"));
    const none = await run("query", "--input", empty, "SELECT 1");
    assert.equal(none.code, 2);
    assert.match(none.err, /holds no normalized data .*run costline normalize --input PATH\.\.\. --out/);
    const noSql = await run("query", "--input", store);
    assert.equal(noSql.code, 2);
    assert.match(noSql.err, /give one SQL statement, quoted/);
    for (const r of [bad, missing, none, noSql]) assert.doesNotMatch(r.err, /\n\s+at /);
  });
});
