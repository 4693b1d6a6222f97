import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { Parser } from "node-sql-parser";
import { ChecksConfig } from "../../../runtime/checks/config";
import { ConnectionRecord } from "../../../runtime/checks/connection";
import { runChecks } from "../../../runtime/checks/run";
import type { Finding } from "../../../runtime/checks/types";
import { bigquery } from "../../../runtime/mapping/bigquery";
import type { Dialect } from "../../../runtime/mapping/dialect";
import { duckdb } from "../../../runtime/mapping/duckdb";
import { trino } from "../../../runtime/mapping/trino";
import { checkedPeriods, SAMPLE, warehouseChecks } from "../../../runtime/warehouse/checks";
import { type Charge, days, writeNormalized } from "../../fixtures/focus/normalized";
import { parseable } from "./parse";
import { matchesSnapshot } from "./snapshot";

const NOW = new Date("2024-01-21T06:00:00Z");
const CONNECTION = ConnectionRecord.parse({
  recordedAt: "2024-01-21T05:00:00Z",
  exports: [{ provider: "aws", name: "costline-acme-cur2", lastExportAt: "2024-01-21T01:00:00Z" }],
});
const CHECKS = ChecksConfig.parse({
  tagAliases: { "cost-center": ["CostCenter"] },
  requiredTags: { tags: ["cost-center", "owner"] },
  budgets: { budgets: [{ name: "all", amount: 2200 }] },
});

/** Steady EC2 and S3 charges through December and January, a jump on the last day, and an EUR charge without a rate. */
const charges = (): Charge[] => [
  ...days("2023-12-01", "2024-01-20").flatMap((day, i) => [
    { day, service: "Amazon EC2", cost: 40 + (i % 3), tags: { "cost-center": "cc-1", owner: "web" } },
    { day, service: "Amazon S3", cost: 10, tags: { CostCenter: "cc-2" } as Record<string, string> },
  ]),
  { day: "2024-01-20", service: "Amazon SageMaker", cost: 900, family: null },
  { day: "2024-01-19", service: "Amazon EC2", cost: 15, currency: "EUR", rateToUsd: null },
];

/**
 * What Athena hands back: every value as text (or NULL) under a lower-cased column name, because
 * Glue folds names. The SQL runs on DuckDB, so these tests judge the policies and the adapter
 * through the same text the warehouse returns; the Trino and BigQuery forms are parsed below.
 */
function athenaLike(conn: DuckDBConnection) {
  return async (sql: string) =>
    (await conn.runAndReadAll(sql))
      .getRowObjectsJson()
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k.toLowerCase(),
            v === null ? null : typeof v === "object" ? JSON.stringify(v) : String(v),
          ]),
        ),
      );
}

const byPolicy = (findings: Finding[], policy: string) => findings.filter((f) => f.policy === policy);

describe("warehouse checks", function () {
  this.timeout(120_000);
  let out: string;
  let db: DuckDBInstance;
  let conn: DuckDBConnection;

  /** The normalized rows as one table of the "warehouse", with its billing period column. */
  async function warehouseTable(name: string, rows: Charge[]): Promise<string> {
    const dir = await writeNormalized(mkdtempSync(join(tmpdir(), "costline-wh-checks-")), rows);
    await conn.run(
      `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM read_parquet('${join(dir, "focus")}/**/*.parquet', hive_partitioning = true)`,
    );
    return dir;
  }

  const run = (table: string, periods: string[], checks = CHECKS) =>
    warehouseChecks(checks)({
      tenantId: "acme",
      dialect: duckdb,
      table,
      periods,
      periodFilter: (ps) =>
        `x_BillingPeriod IN (${ps.map(duckdb.string).join(", ")}) AND x_TenantId = 'acme'`,
      connection: CONNECTION,
      now: NOW,
      query: athenaLike(conn),
    });

  before(async () => {
    db = await DuckDBInstance.create(":memory:");
    conn = await db.connect();
    out = await warehouseTable("normalized", charges());
  });
  after(() => {
    conn.closeSync();
    db.closeSync();
  });

  it("reads the periods written and the month the anomaly baseline reaches back into", () => {
    assert.deepEqual(checkedPeriods(["2024-01"], CHECKS), ["2023-12", "2024-01"]);
    assert.deepEqual(checkedPeriods(["2024-03", "2024-02"], CHECKS), ["2024-01", "2024-02", "2024-03"]);
    const long = ChecksConfig.parse({ anomalies: { baselineDays: 60, lookbackDays: 7 } });
    assert.deepEqual(checkedPeriods(["2024-03"], long), ["2023-12", "2024-01", "2024-02", "2024-03"]);
    const off = ChecksConfig.parse({ anomalies: { enabled: false } });
    assert.deepEqual(checkedPeriods(["2024-03"], off), ["2024-03"]);
  });

  it("gives the same findings from warehouse text as over the files, FOCUS conformance on a sample", async () => {
    const files = await runChecks({ input: out, checks: CHECKS, connection: CONNECTION, now: NOW });
    const warehouse = await run("normalized", ["2024-01"]);
    const other = (fs: Finding[]) => fs.filter((f) => f.policy !== "focus-conformance");
    assert.deepEqual(other(warehouse), other(files));
    // The data is not clean, so the comparison compares findings that can fail.
    const severities = new Map(other(warehouse).map((f) => [`${f.policy} ${f.subject}`, f.severity]));
    assert.equal(severities.get("anomalies Amazon SageMaker on 2024-01-20"), undefined); // no baseline yet
    assert.equal(severities.get("required-tags owner"), "warning");
    // S3 spells it CostCenter, an alias: without it, cost-center would cover EC2 only, as owner does.
    const [cc, owner] = byPolicy(warehouse, "required-tags").map((f) => Number(f.measured));
    assert.ok(cc! > owner!, `cost-center ${cc}%, owner ${owner}%`);
    assert.equal(severities.get("unmapped-services Amazon SageMaker"), "warning");
    assert.equal(severities.get("exchange-rates EUR"), "error");
    assert.equal(severities.get("budgets all (2024-01)"), "warning");

    const [conformance] = byPolicy(warehouse, "focus-conformance");
    const total = charges().length;
    assert.equal(conformance.severity, "ok", conformance.message);
    assert.match(
      conformance.message,
      new RegExp(`over a sample of \\d+ of ${total} rows \\(the latest ${SAMPLE.perKind} rows`),
    );
    const sampled = Number(/sample of (\d+)/.exec(conformance.message)![1]);
    assert.ok(sampled < total && sampled >= SAMPLE.perKind, `sampled ${sampled} of ${total}`);
  });

  it("finds a rule the warehouse rows break through the sample, typed as the warehouse types them", async () => {
    await conn.run(
      `CREATE OR REPLACE TABLE broken AS SELECT * REPLACE (CASE WHEN ServiceName = 'Amazon S3' THEN 'storage' ELSE ServiceCategory END AS ServiceCategory) FROM normalized`,
    );
    const findings = await run("broken", ["2024-01"]);
    const rule = byPolicy(findings, "focus-conformance").find((f) => f.subject === "ServiceCategory-C-003-M");
    // 51 days of S3 rows form one kind of charge, of which the sample takes the latest 50.
    assert.deepEqual([rule?.severity, rule?.measured], ["error", SAMPLE.perKind]);
  });

  it("judges only the periods it is given: older months stay out", async () => {
    await warehouseTable("with_october", [
      ...charges(),
      { day: "2023-10-03", service: "Amazon Lightsail", cost: 70, family: null },
    ]);
    const findings = await run("with_october", ["2024-01"]);
    const [unmapped] = byPolicy(findings, "unmapped-services");
    assert.equal(unmapped.subject, "Amazon SageMaker");
  });

  describe("the SQL each engine runs", () => {
    const parser = new Parser();
    /** One text row with every alias the policies read, so that every query of every policy is issued. */
    const ANSWER = {
      n: "3",
      d: "2024-01-20",
      total: "100",
      usd: "2000",
      rate: "1.1",
      t0: "50",
      t1: "90",
      unmapped: "5",
      cost: "12",
      first: "2024-01-02",
      last: "2024-01-19",
      provider: "aws",
      latest: "2024-01-21 00:00:00.000",
      service: "Amazon EC2",
      day: "2024-01-20",
      currency: "EUR",
    };

    for (const [d, table, filter] of [
      [trino, `"costline_acme"."normalized"`, `"billing_period" IN ('2023-12', '2024-01')`],
      [bigquery, "`acme-billing.costline_acme_normalized.focus_cost`", "`x_TenantId` = 'acme'"],
    ] as [Dialect, string, string][]) {
      it(`${d.name}: every policy's query parses in the engine's dialect and matches its reviewed snapshot`, async () => {
        const issued: string[] = [];
        await warehouseChecks(CHECKS)({
          tenantId: "acme",
          dialect: d,
          table,
          periods: ["2024-01"],
          periodFilter: () => filter,
          connection: CONNECTION,
          now: NOW,
          query: async (sql) => {
            issued.push(sql);
            return [ANSWER];
          },
        });
        assert.ok(issued.length >= 10, `${issued.length} queries`);
        for (const sql of issued) {
          assert.doesNotThrow(
            () => parser.astify(parseable(d.name as "trino" | "bigquery", sql), { database: d.name }),
            sql,
          );
        }
        matchesSnapshot(`checks.${d.name}.sql`, issued.join(";\n"));
      });
    }
  });
});
