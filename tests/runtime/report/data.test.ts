import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ChecksConfig } from "../../../runtime/checks/config";
import { runChecks } from "../../../runtime/checks/run";
import { openStoreQuery } from "../../../runtime/query/open";
import type { StoreSummary } from "../../../runtime/normalize/store";
import { MOVER_DAYS, reportData } from "../../../runtime/report/data";
import { validateFocus } from "../../../runtime/validate/validator";
import { collectFolder, focusFiles, overlappedFiles, sampleStore, sumOver } from "../../helpers/stores";
import { SAMPLES } from "../normalize/helpers";

const CHECKED_AT = new Date("2025-03-31T18:00:00Z");
const CUR2 = join(SAMPLES, "aws-cur2", "cur2-2025-03.csv");
const AWS_FOCUS = join(SAMPLES, "aws-focus", "focus-1-2-aws-2025-03.csv");
const GCP = join(SAMPLES, "gcp-billing", "gcp_billing_export_resource_v1_2025-03-jpy.ndjson");

async function dataOf(root: string, checks?: ChecksConfig) {
  const session = await openStoreQuery(root);
  try {
    return await reportData({
      layout: session.layout,
      query: session.query,
      ...(checks ? { runChecks: (s) => runChecks({ input: s.dir, checks, now: CHECKED_AT }) } : {}),
      validate: (s) => validateFocus(s.files.parquet),
      now: CHECKED_AT,
      title: "test",
    });
  } finally {
    session.close();
  }
}

const near = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);

describe("report data", function () {
  this.timeout(180000);
  let store: string;
  before(async () => {
    store = await sampleStore();
  });

  it("totals the USD EffectiveCost of every file but the export another one duplicates", async () => {
    const data = await dataOf(store);
    const { counted, overlapped } = overlappedFiles(store);
    assert.equal(overlapped.length, 1);
    near(data.total, (await sumOver(counted, "x_EffectiveCostUsd")).all!, "total");
    // The daily series chart the same money, by provider and by category alike.
    near(
      data.byProvider.reduce((n, d) => n + d.cost, 0),
      data.total,
      "by provider",
    );
    near(
      data.byCategory.reduce((n, d) => n + d.cost, 0),
      data.total,
      "by category",
    );
    const rows = await sumOver(counted, "1");
    assert.equal(
      data.periods.reduce((n, p) => n + p.rows, 0),
      rows.all,
    );
  });

  it("ranks the top services of the latest period and the movers of the last days", async () => {
    const data = await dataOf(store);
    assert.ok(data.topServices.length > 0 && data.topServices.length <= 10);
    for (let i = 1; i < data.topServices.length; i++)
      assert.ok(data.topServices[i - 1]!.cost >= data.topServices[i]!.cost);
    // The samples' charges run from February to 1 April: two windows of MOVER_DAYS fit.
    assert.deepEqual(data.moversWindow, {
      from: "2025-03-26",
      to: "2025-04-01",
      previousFrom: "2025-03-19",
      previousTo: "2025-03-25",
    });
    const { counted } = overlappedFiles(store);
    const window = (from: string, to: string) =>
      sumOver(
        counted,
        "x_EffectiveCostUsd",
        `CASE WHEN x_ChargeDate BETWEEN DATE '${from}' AND DATE '${to}' THEN ServiceName || ' (' || x_Provider || ')' END`,
      );
    const recent = await window(data.moversWindow!.from, data.moversWindow!.to);
    const before = await window(data.moversWindow!.previousFrom, data.moversWindow!.previousTo);
    assert.ok(data.movers.length > 0);
    for (const m of data.movers) {
      const key = `${m.service} (${m.provider})`;
      near(m.cost, recent[key] ?? 0, `${key} recent`);
      near(m.previous, before[key] ?? 0, `${key} before`);
      near(m.change, m.cost - m.previous, key);
    }
    assert.equal(MOVER_DAYS, 7);
  });

  it("lists every source the store holds, the set-aside one too, with the run that wrote it", async () => {
    const data = await dataOf(store);
    const summary = JSON.parse(readFileSync(join(store, "summary.json"), "utf8")) as StoreSummary;
    assert.equal(data.sources.length, summary.store.sources.length);
    assert.equal(data.sources.length, focusFiles(store).length);
    assert.ok(data.sources.some((s) => s.format === "aws-cur2"));
    for (const s of data.sources) {
      assert.ok(s.writtenAt, JSON.stringify(s));
      assert.match(s.newestCharge!, /^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    near(
      data.sources.reduce((n, s) => n + s.rows, 0),
      (await sumOver(focusFiles(store), "1")).all!,
      "rows",
    );
  });

  it("runs the tenant's budgets and anomalies only when given its checks, and validates FOCUS", async () => {
    const without = await dataOf(store);
    assert.equal(without.findings, undefined);
    const checks = ChecksConfig.parse({ budgets: { budgets: [{ name: "all", amount: 100 }] } });
    const data = await dataOf(store, checks);
    const budget = data.findings!.filter((f) => f.policy === "budgets");
    assert.ok(budget.length > 0);
    assert.ok(budget.some((f) => /forecast/.test(f.message)));
    assert.equal(data.conformance.length, 1);
    const c = data.conformance[0]!;
    assert.equal(c.passed + c.failed + c.skipped, c.rules);
    assert.equal(c.failures.length, c.failed);
  });

  it("over a collect folder: each tenant's sources and connections, and the total of both", async () => {
    const clouds = (cloud: "aws" | "gcp", status: "connected" | "failing") => [
      {
        cloud,
        status,
        lastSuccessfulRun: "2025-03-31T06:00:00Z",
        dataFreshness: "2025-03-31T00:00:00Z",
        problem: status === "failing" ? "AccessDenied: s3:GetObject" : null,
      },
    ];
    const root = await collectFolder({ a: [CUR2, AWS_FOCUS], b: [GCP] }, [
      { tenant: "a", clouds: clouds("aws", "connected") },
      { tenant: "b", clouds: clouds("gcp", "failing") },
    ]);
    const data = await dataOf(root);
    assert.deepEqual([...new Set(data.sources.map((s) => s.tenant))], ["a", "b"]);
    assert.deepEqual(
      data.connections!.map((t) => [t.tenant, t.clouds[0]!.status]),
      [
        ["a", "connected"],
        ["b", "failing"],
      ],
    );
    assert.equal(data.conformance.length, 2);
    const a = overlappedFiles(join(root, "tenants", "a")).counted;
    const b = focusFiles(join(root, "tenants", "b"));
    near(data.total, (await sumOver([...a, ...b], "x_EffectiveCostUsd")).all!, "total");
    // Each tenant's own cost, counted once (tenant a's CUR 2.0 beside its FOCUS export is set aside).
    const tenant = Object.fromEntries(data.byTenant!.map((t) => [t.tenant, t]));
    near(tenant.a!.cost, (await sumOver(a, "x_EffectiveCostUsd")).all!, "a");
    near(tenant.b!.cost, (await sumOver(b, "x_EffectiveCostUsd")).all!, "b");
    near(tenant.a!.latestCost, tenant.a!.cost, "a's one period");
  });
});
