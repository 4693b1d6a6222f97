import assert from "node:assert/strict";
import { CreatePartitionCommand, UpdatePartitionCommand } from "@aws-sdk/client-glue";
import { StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import type { Finding } from "../../../../runtime/checks/types";
import { awsJobConfig } from "../../../../runtime/jobs/aws/config";
import { runAwsJob } from "../../../../runtime/jobs/aws/job";
import type { RunRecord } from "../../../../runtime/jobs/shared/run-record";
import type { WarehouseChecksInput } from "../../../../runtime/warehouse/checks";
import { BUCKET, DATA, ENV, FakeAws, SECRET_VALUE } from "./fake-aws";

const NOW = new Date("2026-11-24T06:00:00Z");
const config = () => awsJobConfig(ENV);

describe("AWS job", () => {
  let aws: FakeAws;
  let checked: WarehouseChecksInput[];
  const checks = async (input: WarehouseChecksInput): Promise<Finding[]> => {
    checked.push(input);
    return [
      {
        policy: "required-tags",
        severity: "warning",
        subject: "team",
        measured: 0.5,
        threshold: 0.9,
        message: "half the cost lacks team",
      },
    ];
  };
  const run = () => runAwsJob(config(), { ...aws.deps(), checks, now: () => NOW });
  const record = (r: RunRecord) =>
    JSON.parse(aws.putBodies.get(`normalized/_costline/runs/${r.runId}.json`)!) as RunRecord;

  beforeEach(() => {
    aws = new FakeAws();
    checked = [];
  });
  afterEach(() => aws.restore());

  it("normalizes new and open periods into fresh locations, registers them and records what it did", async () => {
    aws.deliver("2026-10", "2026-11-03T04:00:00Z");
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    aws.accounting.set("2026-10", { read: 120, quarantined: 2, expected: 118 });
    aws.accounting.set("2026-11", { read: 40, quarantined: 0, expected: 40 });
    const result = await run();

    assert.equal(result.status, "succeeded", result.error);
    for (const [period, rows] of [
      ["2026-10", 118],
      ["2026-11", 40],
    ] as const) {
      const p = aws.partitions.get(period)!;
      assert.equal(p.location, `s3://${BUCKET}/normalized/billing_period=${period}/run=run-2/`);
      assert.equal(p.parameters["costline.run_id"], "run-2");
      assert.equal(aws.visibleRows(period), rows);
    }
    assert.equal(aws.glue.commandCalls(CreatePartitionCommand).length, 2);
    const unloads = aws.queries.filter((q) => q.sql.startsWith("UNLOAD") && !q.sql.includes("/_costline/"));
    assert.equal(unloads.length, 2);
    // The two quarantined rows of 2026-10 are kept, with their reasons, before the partition switched.
    const quarantine = aws.queries.filter((q) => q.sql.includes("/_costline/quarantine/"));
    assert.equal(quarantine.length, 1);
    assert.match(
      quarantine[0]!.sql,
      /^UNLOAD \(SELECT __file AS source_file, __row AS row_number, __reason AS reason/,
    );
    assert.ok(
      aws.queries.indexOf(quarantine[0]!) < aws.queries.indexOf(unloads[0]!),
      "the quarantine is written before the period's data",
    );
    assert.match(unloads[0]!.sql, /FROM "costline_acme"\."cur2" WHERE "billing_period" = '2026-10'/);
    assert.match(
      unloads[0]!.sql,
      /TO 's3:\/\/costline-acme-111111111111-eu-west-1\/normalized\/billing_period=2026-10\/run=run-2\/' WITH \(format = 'PARQUET'/,
    );
    const stored = record(result);
    assert.deepEqual(
      stored.written.map((w) => [w.target, w.rows]),
      [
        [`s3://${BUCKET}/normalized/_costline/quarantine/billing_period=2026-10/run=run-2/`, 2],
        [`s3://${BUCKET}/normalized/billing_period=2026-10/run=run-2/`, 118],
        [`s3://${BUCKET}/normalized/billing_period=2026-11/run=run-2/`, 40],
      ],
    );
    assert.ok(stored.written.every((w) => w.queryId?.startsWith("q-") && (w.bytes ?? 0) > 0));
    assert.deepEqual(
      stored.read.map((r) => r.rows),
      [120, 40],
    );
    assert.deepEqual(
      checked.map((c) => c.periods),
      [["2026-10", "2026-11"]],
    );
    // The checks read this tenant's rows of the periods asked, pruned by the partition column.
    assert.equal(
      checked[0]!.periodFilter(["2026-09", "2026-10"]),
      `"billing_period" IN ('2026-09', '2026-10') AND "x_TenantId" = 'acme'`,
    );
    assert.deepEqual(checked[0]!.connection?.exports, [
      { provider: "aws", name: DATA, lastExportAt: "2026-11-24T03:00:00.000Z" },
    ]);
    assert.deepEqual(
      stored.checks.map((c) => c.policy),
      ["required-tags"],
    );
    // The freshness metric: one embedded-metric line, hours since the newest manifest.
    assert.equal(aws.metricLines.length, 1);
    const metric = JSON.parse(aws.metricLines[0]!);
    assert.equal(metric.ExportAgeHours, 3);
    assert.equal(metric.TenantId, "acme");
    assert.deepEqual(metric._aws.CloudWatchMetrics[0], {
      Namespace: "Costline",
      Dimensions: [["TenantId"]],
      Metrics: [{ Name: "ExportAgeHours", Unit: "None" }],
    });
    // The secret was loaded, and its value never reaches a log line.
    assert.ok(!JSON.stringify(aws.logs()).includes(SECRET_VALUE));
    assert.ok(
      aws
        .logs()
        .some(
          (l) =>
            l.message === "rows failed their checks and are not in the output; they are in the quarantine" &&
            l.quarantined === 2,
        ),
    );
  });

  it("replaces a restated period: new files, one partition switch, then the old files go", async () => {
    aws.normalizedBefore("2026-08", "run-1", 50, "2026-09-03T00:00:00Z");
    aws.deliver("2026-08", "2026-11-20T00:00:00Z"); // AWS rewrote a closed period
    aws.accounting.set("2026-08", { read: 55, quarantined: 0, expected: 55 });
    const result = await run();

    assert.equal(result.status, "succeeded", result.error);
    assert.equal(aws.glue.commandCalls(UpdatePartitionCommand).length, 1);
    assert.equal(
      aws.partitions.get("2026-08")!.location,
      `s3://${BUCKET}/normalized/billing_period=2026-08/run=run-2/`,
    );
    assert.equal(
      aws.partitions.get("2026-08")!.parameters["costline.source_last_modified"],
      "2026-11-20T00:00:00.000Z",
    );
    assert.equal(aws.visibleRows("2026-08"), 55);
    assert.deepEqual(
      [...aws.objects.keys()].filter((k) => k.startsWith("normalized/billing_period=2026-08/")),
      ["normalized/billing_period=2026-08/run=run-2/part-00000.snappy.parquet"],
      "no duplicates: the previous run's files are gone",
    );
  });

  it("leaves files the partition pointed at outside the period's own folder, and says so", async () => {
    aws.normalizedBefore("2026-07", "run-1", 30, "2026-08-03T00:00:00Z");
    aws.normalizedBefore("2026-08", "run-1", 50, "2026-09-03T00:00:00Z");
    // Someone pointed August at July's files (or at the table's root): deleting "the previous
    // location" would take July's rows from readers.
    aws.partitions.get("2026-08")!.location = `s3://${BUCKET}/normalized/billing_period=2026-07/run=run-1/`;
    aws.deliver("2026-08", "2026-11-20T00:00:00Z");
    aws.accounting.set("2026-08", { read: 55, quarantined: 0, expected: 55 });
    const result = await run();

    assert.equal(result.status, "succeeded", result.error);
    assert.equal(aws.visibleRows("2026-08"), 55);
    assert.equal(aws.visibleRows("2026-07"), 30, "July's files are still there");
    assert.deepEqual(
      [...aws.objects.keys()].filter((k) => k.startsWith("normalized/billing_period=2026-08/")),
      ["normalized/billing_period=2026-08/run=run-2/part-00000.snappy.parquet"],
    );
    const warning = aws
      .logs()
      .find(
        (l) =>
          l.message === "the period's previous location is not its own folder; its files were left in place",
      );
    assert.equal(warning?.location, `s3://${BUCKET}/normalized/billing_period=2026-07/run=run-1/`);
  });

  it("replaces unified and the named cost views beside the table after writing, in Athena's SQL", async () => {
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    aws.accounting.set("2026-11", { read: 40, quarantined: 0, expected: 40 });
    const result = await run();
    assert.equal(result.status, "succeeded", result.error);
    const views = aws.queries.filter((q) => q.sql.startsWith("CREATE OR REPLACE VIEW"));
    assert.deepEqual(
      views.map((q) => /^CREATE OR REPLACE VIEW ("[^"]+"\."[^"]+")/.exec(q.sql)![1]),
      ["unified", "monthly_cost", "tag_coverage", "commitment_savings", "kubernetes_vs_cloud"].map(
        (v) => `"costline_acme"."${v}"`,
      ),
    );
    assert.match(views[0]!.sql, /FROM "costline_acme"\."normalized"/);
    assert.match(views[1]!.sql, /FROM "costline_acme"\.unified/);
    // After the data: the views are replaced once the periods are written.
    const lastUnload = aws.queries.findLastIndex((q) => q.sql.startsWith("UNLOAD"));
    assert.ok(aws.queries.indexOf(views[0]!) > lastUnload);
  });

  it("renames the tenant's tag aliases in unified's canonical_tags", async () => {
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    aws.accounting.set("2026-11", { read: 40, quarantined: 0, expected: 40 });
    const tagAliases = { cost_center: ["CostCenter"] };
    const result = await runAwsJob(config(), { ...aws.deps(), checks, tagAliases, now: () => NOW });
    assert.equal(result.status, "succeeded", result.error);
    const unified = aws.queries.find((q) =>
      q.sql.startsWith('CREATE OR REPLACE VIEW "costline_acme"."unified"'),
    );
    assert.match(unified!.sql, /'CostCenter'.* AS "canonical_tags"/);
  });

  it("a view Athena refuses fails the run, and the written data stays", async () => {
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    aws.accounting.set("2026-11", { read: 40, quarantined: 0, expected: 40 });
    aws.outcomes.view = { fail: { message: "AccessDeniedException: glue:UpdateTable" } };
    const result = await run();
    assert.equal(result.status, "failed");
    assert.match(result.error!, /view unified: .*glue:UpdateTable/);
    assert.equal(aws.visibleRows("2026-11"), 40);
  });

  it("leaves a closed period alone when the export has not changed since it was normalized", async () => {
    aws.normalizedBefore("2026-08", "run-1", 50, "2026-09-03T00:00:00Z");
    aws.deliver("2026-08", "2026-09-03T00:00:00Z");
    const result = await run();
    assert.equal(result.status, "succeeded");
    assert.equal(aws.queries.length, 0);
    assert.deepEqual(checked, []);
    assert.equal(aws.partitions.get("2026-08")!.parameters["costline.run_id"], "run-1");
  });

  it("retries throttled Athena calls and finishes", async () => {
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    aws.accounting.set("2026-11", { read: 4, quarantined: 0, expected: 4 });
    aws.outcomes.unload = { throttle: 2 };
    const result = await run();
    assert.equal(result.status, "succeeded", result.error);
    assert.equal(
      aws.athena
        .commandCalls(StartQueryExecutionCommand)
        .filter((c) => c.args[0].input.QueryString?.startsWith("UNLOAD")).length,
      3,
    );
    assert.equal(aws.visibleRows("2026-11"), 4);
    assert.ok(aws.logs().some((l) => l.message === "athena call throttled or failed; retrying"));
  });

  it("a failed UNLOAD leaves the previous data visible and removes its partial files", async () => {
    aws.normalizedBefore("2026-10", "run-1", 50, "2026-11-01T00:00:00Z");
    aws.deliver("2026-10", "2026-11-10T00:00:00Z");
    aws.accounting.set("2026-10", { read: 60, quarantined: 0, expected: 60 });
    aws.outcomes.unload = { fail: { message: "HIVE_BAD_DATA: malformed Parquet" } };
    const result = await run();

    assert.equal(result.status, "failed");
    assert.match(result.error!, /2026-10: Athena query q-\d+ \(unload 2026-10\) FAILED: HIVE_BAD_DATA/);
    assert.equal(aws.glue.commandCalls(UpdatePartitionCommand).length, 0);
    assert.equal(
      aws.partitions.get("2026-10")!.location,
      `s3://${BUCKET}/normalized/billing_period=2026-10/run=run-1/`,
    );
    assert.equal(aws.visibleRows("2026-10"), 50);
    assert.ok(![...aws.objects.keys()].some((k) => k.includes("run=run-2")), "partial files removed");
    assert.equal(record(result).status, "failed");
  });

  it("retries a query Athena marks retryable, emptying the UNLOAD location first", async () => {
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    aws.accounting.set("2026-11", { read: 4, quarantined: 0, expected: 4 });
    aws.outcomes.unload = { fail: { message: "Query exhausted resources", retryable: true } };
    const result = await run();
    assert.equal(result.status, "failed");
    assert.equal(aws.queries.filter((q) => q.sql.startsWith("UNLOAD")).length, 2);
    assert.equal(aws.partitions.get("2026-11"), undefined);
  });

  it("switches back when what readers see after the switch is not what was expected", async () => {
    aws.normalizedBefore("2026-10", "run-1", 50, "2026-11-01T00:00:00Z");
    aws.deliver("2026-10", "2026-11-10T00:00:00Z");
    aws.accounting.set("2026-10", { read: 60, quarantined: 0, expected: 60 });
    aws.unloadRows = 58; // the export was rewritten between the accounting query and the UNLOAD
    const result = await run();

    assert.equal(result.status, "failed");
    assert.match(result.error!, /58 rows are visible, not the 60 expected/);
    assert.equal(
      aws.partitions.get("2026-10")!.location,
      `s3://${BUCKET}/normalized/billing_period=2026-10/run=run-1/`,
    );
    assert.equal(aws.partitions.get("2026-10")!.parameters["costline.run_id"], "run-1");
    assert.equal(aws.visibleRows("2026-10"), 50);
    assert.ok(![...aws.objects.keys()].some((k) => k.includes("run=run-2")));
  });

  it("refuses a normalized table with partition projection, naming the fix, and writes nothing", async () => {
    aws.projection = true;
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    const result = await run();
    assert.equal(result.status, "failed");
    assert.match(result.error!, /partition projection.*components\/aws\/catalog\.ts.*glue:UpdatePartition/);
    assert.equal(aws.queries.length, 0);
    assert.equal(record(result).status, "failed");
  });

  it("does the open periods first and leaves the rest to the next run when time runs out", async () => {
    aws.deliver("2026-02", "2026-11-20T00:00:00Z");
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    aws.accounting.set("2026-11", { read: 4, quarantined: 0, expected: 4 });
    // Out of time as soon as the first period has been written.
    const deadline = () =>
      aws.queries.some((q) => q.sql.startsWith("UNLOAD")) ? 0 : Number.MAX_SAFE_INTEGER;
    const result = await runAwsJob(config(), { ...aws.deps(), checks, now: () => NOW, deadline });
    assert.equal(result.status, "failed");
    assert.match(result.error!, /2026-02: not started, the run ran out of time/);
    assert.equal(aws.visibleRows("2026-11"), 4);
    assert.equal(aws.partitions.get("2026-02"), undefined);
  });

  it("unloads the FOCUS version the stack set (COSTLINE_FOCUS_VERSION), 1.2 when it set none", async () => {
    aws.deliver("2026-11", "2026-11-24T03:00:00Z");
    aws.accounting.set("2026-11", { read: 40, quarantined: 0, expected: 40 });
    const v13 = await runAwsJob(awsJobConfig({ ...ENV, COSTLINE_FOCUS_VERSION: "1.3" }), {
      ...aws.deps(),
      checks,
      now: () => NOW,
    });
    assert.equal(v13.status, "succeeded", v13.error);
    const unload = aws.queries.find((q) => q.sql.startsWith("UNLOAD") && !q.sql.includes("/_costline/"))!;
    assert.match(unload.sql, /AS "hostprovidername"/);
    assert.equal(awsJobConfig(ENV).focusVersion, undefined);
    assert.ok(checked.length > 0, "the checks ran");
    assert.deepEqual(
      checked.map((c) => c.focusVersion),
      checked.map(() => "1.3"),
      "the checks read the table's columns",
    );
  });

  it("names every misconfigured environment variable", () => {
    assert.throws(
      () =>
        awsJobConfig({
          ...ENV,
          COSTLINE_BUCKET: "",
          COSTLINE_GLUE_TABLES: "{}",
          COSTLINE_CUR2_DATA_PREFIX: "",
        }),
      /COSTLINE_BUCKET is not set.*COSTLINE_GLUE_TABLES must be a JSON object.*neither COSTLINE_CUR2_DATA_PREFIX nor COSTLINE_FOCUS_DATA_PREFIX/,
    );
    assert.throws(
      () => awsJobConfig({ ...ENV, COSTLINE_FOCUS_VERSION: "1.4" }),
      /COSTLINE_FOCUS_VERSION must be 1\.2 or 1\.3 \(got "1\.4"\)/,
    );
  });
});
