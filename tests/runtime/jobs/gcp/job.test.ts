import assert from "node:assert/strict";
import { Parser } from "node-sql-parser";
import type { Finding } from "../../../../runtime/checks/types";
import { gcpJobEnv, parseSettings } from "../../../../runtime/jobs/gcp/config";
import { runGcpJob } from "../../../../runtime/jobs/gcp/job";
import type { WarehouseChecksInput } from "../../../../runtime/warehouse/checks";
import { parseable } from "../../warehouse/parse";
import { ENV, EXPORTED_AT, FakeBigQuery, SETTINGS } from "./fake-bigquery";

const NOW = new Date("2026-11-24T06:00:00Z");

describe("GCP job", () => {
  let bq: FakeBigQuery;
  let checked: WarehouseChecksInput[];
  const checks = async (input: WarehouseChecksInput): Promise<Finding[]> => {
    checked.push(input);
    return [];
  };
  const run = () => runGcpJob(ENV, { ...bq.runner(), checks, now: () => NOW, runId: "run-7" });
  const scripts = () => bq.jobs.filter((j) => j.sql.startsWith("BEGIN\n"));

  beforeEach(() => {
    bq = new FakeBigQuery();
    checked = [];
  });
  afterEach(() => bq.done_());

  it("replaces open and restated months in one transaction each, after a priced dry run", async () => {
    bq.lastRunStart = "2026-11-23T06:00:00Z";
    bq.normalizedTables.push("costline_runs");
    bq.changedMonths = ["202608"]; // a correction to a closed month
    bq.months.set("2026-08", 900);
    bq.exportRows.set("202608", { read: 1000, quarantined: 3 });
    bq.exportRows.set("202610", { read: 50, quarantined: 0 });
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    const result = await run();

    assert.equal(result.status, "succeeded", result.error);
    assert.deepEqual([...bq.months].sort(), [
      ["2026-08", 997],
      ["2026-10", 50],
      ["2026-11", 20],
    ]);
    assert.equal(scripts().length, 3);
    const script = scripts()[0]!.sql;
    assert.match(
      script,
      /^BEGIN\n {2}BEGIN TRANSACTION;\n {2}DELETE FROM `acme-billing\.costline_acme_normalized\.focus_cost` WHERE `x_TenantId` = 'acme' AND `x_Provider` = 'gcp' AND FORMAT_TIMESTAMP\('%Y-%m', `BillingPeriodStart`\) = '2026-08';\n {2}INSERT INTO/,
    );
    assert.match(script, /IF @@row_count != 997 THEN/);
    assert.match(script, /EXCEPTION WHEN ERROR THEN\n {2}ROLLBACK TRANSACTION;/);
    // Reads only the month and, through the ingestion partitions, not the export's whole history.
    assert.match(
      script,
      /invoice\.month = '202608' AND _PARTITIONTIME >= TIMESTAMP_SUB\(TIMESTAMP\('2026-08-01'\), INTERVAL 1 DAY\)/,
    );
    // The detailed table only: it holds the standard table's rows too.
    assert.match(script, /gcp_billing_export_resource_v1_0A1B2C_3D4E5F_6A7B8C/);
    assert.doesNotMatch(script, /gcp_billing_export_v1_/);
    // The restated-month discovery started from the last good run.
    assert.match(
      bq.jobs.find((j) => j.sql.includes("AS exported FROM"))!.sql,
      /export_time > TIMESTAMP\('2026-11-23T06:00:00Z'\)/,
    );
    // Dry runs of each delete and insert come before that month's transaction.
    const order = bq.jobs.map((j) => (j.dryRun ? "dry" : j.sql.startsWith("BEGIN\n") ? "script" : "query"));
    const firstScript = order.indexOf("script");
    assert.deepEqual(order.slice(0, firstScript).filter((k) => k === "dry").length, 2);
    const dry = bq.logs().filter((l) => l.message === "dry run");
    assert.equal(dry.length, 3);
    assert.equal(dry[0]!.totalBytesProcessed, 2 * 1024 ** 4);
    assert.equal(dry[0]!.estimatedCostUsd, 12.5);
    // The month's three quarantined rows are kept in the quarantine table before the replacement.
    const kept = bq.jobs.find((j) => j.sql.includes("costline_quarantine"))!.sql;
    assert.match(
      kept,
      /^CREATE TABLE IF NOT EXISTS `acme-billing\.costline_acme_normalized\.costline_quarantine`/,
    );
    assert.match(kept, /INSERT INTO .* SELECT 'acme', '[^']+', '2026-08', q\.source_format/);
    assert.deepEqual(
      result.written.map((w) => [w.target.split(" ")[1], w.rows]),
      [
        ["2026-08", 3],
        ["2026-08", 997],
        ["2026-10", 50],
        ["2026-11", 20],
      ],
    );
    assert.ok(result.written.every((w) => w.queryId?.startsWith("costline_acme_run_")));
    assert.deepEqual(
      checked.map((c) => c.periods),
      [["2026-08", "2026-10", "2026-11"]],
    );
    // The checks read this tenant's GCP rows of the months asked, pruned by day partition.
    const filter = checked[0]!.periodFilter(["2026-07", "2026-08"]);
    assert.equal(
      filter,
      "`x_TenantId` = 'acme' AND `x_Provider` = 'gcp' AND FORMAT_TIMESTAMP('%Y-%m', `BillingPeriodStart`) IN ('2026-07', '2026-08')" +
        " AND `x_ChargeDate` >= DATE_SUB(DATE '2026-07-01', INTERVAL 7 DAY)",
    );
    const select = `SELECT count(*) AS n FROM ${checked[0]!.table} WHERE ${filter}`;
    assert.doesNotThrow(() => new Parser().astify(parseable("bigquery", select), { database: "bigquery" }));
    assert.deepEqual(
      checked[0]!.connection?.exports.map((e) => [e.provider, e.lastExportAt]),
      [["gcp", EXPORTED_AT]],
    );
    const runRecord = bq.jobs.find((j) =>
      j.sql.startsWith("CREATE TABLE IF NOT EXISTS `acme-billing.costline_acme_normalized.costline_runs`"),
    );
    assert.ok(runRecord, "the run record is written next to the data");
    assert.match(runRecord.sql, /INSERT INTO .*'run-7', 'acme', 'gcp-normalize', 'succeeded'/);
  });

  it("a failed transaction leaves the month's previous rows and the other months are still done", async () => {
    bq.months.set("2026-10", 40);
    bq.exportRows.set("202610", { read: 50, quarantined: 0 });
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    bq.scriptFailure = {
      reason: "invalidQuery",
      message: "inserted 49 rows, not the 50 counted: the export changed during the run",
      times: 1,
    };
    const result = await run();

    assert.equal(result.status, "failed");
    assert.match(result.error!, /2026-10: BigQuery job .* failed: inserted 49 rows, not the 50 counted/);
    assert.equal(bq.months.get("2026-10"), 40);
    assert.equal(bq.months.get("2026-11"), 20);
    assert.deepEqual(
      checked.map((c) => c.periods),
      [["2026-11"]],
    );
  });

  it("retries BigQuery's rate limiting and a job that failed on a rate limit", async () => {
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    bq.throttleInserts = 2;
    bq.scriptFailure = {
      reason: "rateLimitExceeded",
      message: "Too many DML statements outstanding",
      times: 1,
    };
    const result = await run();
    assert.equal(result.status, "succeeded", result.error);
    assert.equal(scripts().length, 2);
    assert.equal(bq.months.get("2026-11"), 20);
    assert.ok(bq.logs().some((l) => l.message === "bigquery call throttled or failed; retrying"));
    assert.ok(bq.logs().some((l) => l.message === "bigquery job failed retryably; running it again"));
  });

  it("reports a missing export table with how to enable it, and normalizes what exists", async () => {
    bq.exportTables = ["gcp_billing_export_v1_0A1B2C_3D4E5F_6A7B8C"];
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    const result = await run();
    assert.equal(result.status, "succeeded", result.error);
    assert.equal(result.problems.length, 1);
    assert.match(
      result.problems[0]!,
      /gcp_billing_export_resource_v1_0A1B2C_3D4E5F_6A7B8C is missing .*https:\/\/console\.cloud\.google\.com\/billing\/0A1B2C-3D4E5F-6A7B8C\/export.*"Detailed usage cost".*acme-billing.*costline_acme_billing_export/,
    );
    assert.match(scripts()[0]!.sql, /gcp_billing_export_v1_0A1B2C_3D4E5F_6A7B8C/);
    assert.deepEqual(
      result.checks.map((c) => [c.policy, c.severity]),
      [["billing-export", "error"]],
    );
  });

  it("fails with the steps when no export table exists yet, writing nothing", async () => {
    bq.exportTables = [];
    const result = await run();
    assert.equal(result.status, "failed");
    assert.match(result.error!, /no billing export table exists yet/);
    assert.equal(result.problems.length, 2);
    assert.equal(scripts().length, 0);
  });

  it("names the billing accounts it was given in the insert, and warns about an account without a name", async () => {
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    await run();
    assert.match(
      scripts()[0]!.sql,
      /STRUCT\('0A1B2C-3D4E5F-6A7B8C' AS `id`,\s*'ACME Production' AS `name`\)/,
    );
    const warning = "billing accounts without a display name";
    assert.ok(!bq.logs().some((l) => String(l.message).startsWith(warning)), "every account is named");

    bq.done_();
    bq = new FakeBigQuery();
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    const result = await runGcpJob(
      { ...ENV, billingAccountNames: {} },
      { ...bq.runner(), checks, now: () => NOW, runId: "run-8" },
    );
    assert.equal(result.status, "succeeded", result.error);
    assert.doesNotMatch(scripts()[0]!.sql, /ACME Production/);
    const warned = bq.logs().find((l) => String(l.message).startsWith(warning));
    assert.ok(warned, "the unnamed account is reported");
    assert.deepEqual(warned.billingAccountIds, ["0A1B2C-3D4E5F-6A7B8C"]);
    assert.match(String(warned.message), /gcp\.billingAccountNames/);
  });

  it("every statement it sends parses as BigQuery SQL (after the documented parser substitutions)", async () => {
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    await run();
    const parser = new Parser();
    for (const job of bq.jobs) {
      const statements = job.sql.startsWith("BEGIN\n")
        ? job.sql
            .split("\n")
            .filter((l) => /^ {2}(DELETE|INSERT)/.test(l))
            .map((l) => l.trim().replace(/;$/, ""))
        : job.sql.split(";\n").map((s) => s.replace(/;$/, ""));
      for (const sql of statements) {
        if (sql.startsWith("CREATE TABLE")) continue; // DDL of the runs table: checked by the column list above
        assert.doesNotThrow(
          () => parser.astify(parseable("bigquery", sql), { database: "bigquery" }),
          sql.slice(0, 120),
        );
      }
    }
  });

  it("writes the FOCUS version its settings name: 1.3's columns, 1.2's when a secret names none", async () => {
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    bq.settings = { ...SETTINGS, focusVersion: "1.3" };
    const result = await run();
    assert.equal(result.status, "succeeded", result.error);
    const insert = scripts()[0]!.sql;
    assert.match(insert, /`HostProviderName`/);
    assert.match(insert, /`ServiceProviderName`/);
    assert.equal(parseSettings(SETTINGS, "acme").focusVersion, "1.2");
    assert.throws(() => parseSettings({ ...SETTINGS, focusVersion: "1.4" }, "acme"), /focusVersion/);
  });

  it("writes no 1.3 column for a 1.2 table", async () => {
    bq.exportRows.set("202611", { read: 20, quarantined: 0 });
    const result = await run();
    assert.equal(result.status, "succeeded", result.error);
    assert.doesNotMatch(scripts()[0]!.sql, /HostProviderName/);
  });

  it("reads its environment and settings as the GCP component writes them", () => {
    assert.deepEqual(
      gcpJobEnv({
        COSTLINE_TENANT_ID: "acme",
        COSTLINE_SETTINGS_SECRET: `projects/p1/secrets/tenant-acme-gcp-p1/versions/latest`,
      }),
      {
        tenantId: "acme",
        secretProject: "p1",
        secretId: "tenant-acme-gcp-p1",
        billingAccountNames: {},
      },
    );
    assert.deepEqual(
      gcpJobEnv({
        COSTLINE_TENANT_ID: "acme",
        COSTLINE_SETTINGS_SECRET: `projects/p1/secrets/tenant-acme-gcp-p1/versions/latest`,
        COSTLINE_BILLING_ACCOUNT_NAMES: '{"0A1B2C-3D4E5F-6A7B8C":"ACME Production"}',
      }).billingAccountNames,
      { "0A1B2C-3D4E5F-6A7B8C": "ACME Production" },
    );
    for (const [value, problem] of [
      ["{not json", /COSTLINE_BILLING_ACCOUNT_NAMES is not JSON/],
      [
        '["0A1B2C-3D4E5F-6A7B8C"]',
        /COSTLINE_BILLING_ACCOUNT_NAMES must be a JSON object of billing account id to name/,
      ],
      ['{"0A1B2C-3D4E5F-6A7B8C":" "}', /the name of billing account 0A1B2C-3D4E5F-6A7B8C is empty/],
      ['{"0A1B2C-3D4E5F-6A7B8C":7}', /the name of billing account 0A1B2C-3D4E5F-6A7B8C must be text/],
    ] as const) {
      assert.throws(
        () =>
          gcpJobEnv({
            COSTLINE_SETTINGS_SECRET: `projects/p1/secrets/tenant-acme-gcp-p1/versions/latest`,
            COSTLINE_BILLING_ACCOUNT_NAMES: value,
          }),
        // Every problem in one message: the names' and the missing tenant id's.
        (e: Error) => problem.test(e.message) && /COSTLINE_TENANT_ID is not set/.test(e.message),
        value,
      );
    }
    assert.throws(
      () => gcpJobEnv({ COSTLINE_SETTINGS_SECRET: "tenant-acme" }),
      /COSTLINE_TENANT_ID is not set.*COSTLINE_SETTINGS_SECRET must be projects/,
    );
    assert.throws(
      () =>
        parseSettings(
          { ...SETTINGS, billingExport: { ...SETTINGS.billingExport, expectedTables: [] } },
          "acme",
        ),
      /billingExport\.expectedTables/,
    );
    assert.throws(() => parseSettings(SETTINGS, "other"), /for tenant acme, but this function serves other/);
  });
});
