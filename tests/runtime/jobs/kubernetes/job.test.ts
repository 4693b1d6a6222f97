import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { type KubernetesJobDeps, runKubernetesJob } from "../../../../runtime/jobs/kubernetes/job";
import { ChecksConfig } from "../../../../runtime/checks/config";
import { outputChecks } from "../../../../runtime/jobs/shared/job-output";
import { Logger } from "../../../../runtime/jobs/shared/log";
import type { RunRecord } from "../../../../runtime/jobs/shared/run-record";
import { currentFiles } from "../../../../runtime/jobs/stores/publish";
import { s3Store } from "../../../../runtime/jobs/stores/s3";
import type { ObjectStore } from "../../../../runtime/jobs/stores/store";
import { normalize } from "../../../../runtime/normalize/run";
import { startS3rver, s3rverClient } from "../../../helpers/emulators";
import { openCost } from "../../../helpers/opencost-server";
import { queryPublished } from "../azure/published";

/** A store whose first upload of period data fails, as a dropped connection would. */
function failingOnFirstDataUpload(store: ObjectStore): ObjectStore {
  return {
    ...store,
    async putFile(key, file) {
      if (key.startsWith("focus/")) throw Object.assign(new Error("connection reset"), { code: "EBADF" });
      return store.putFile(key, file);
    },
  };
}

const monthTotals = (store: ObjectStore, period: string) =>
  queryPublished<{ days: number; rows: number; cost: number; cluster: string }>(
    store,
    "kubernetes",
    period,
    `SELECT count(DISTINCT ChargePeriodStart)::INTEGER AS days, count(*)::INTEGER AS rows,
            round(sum(BilledCost), 4)::DOUBLE AS cost, any_value(BillingAccountId) AS cluster FROM {period}`,
  ).then((r) => r[0]!);

describe("Kubernetes job end to end (OpenCost on loopback, S3 sink on s3rver)", function () {
  this.timeout(120_000);
  let output: ObjectStore;
  let closeS3: () => Promise<void>;
  let server: Awaited<ReturnType<typeof openCost>>;
  let now = new Date("2025-03-03T05:00:00Z");
  const logger = new Logger({
    format: "json",
    stream: { write: () => true } as unknown as NodeJS.WritableStream,
  });
  const config = {
    tenantId: "acme",
    cluster: "prod-eks",
    tempDir: mkdtempSync(join(tmpdir(), "k8s-job-")),
    memoryLimit: "512MiB",
    maxBackfillDays: 3,
  };
  const deps = (store = output): KubernetesJobDeps => ({
    output: store,
    opencost: { baseUrl: server.baseUrl },
    logger,
    now: () => now,
    normalize,
    checks: outputChecks(ChecksConfig.parse({})),
  });

  before(async () => {
    const s3 = await startS3rver();
    closeS3 = s3.close;
    const client = s3rverClient(s3.endpoint, "us-east-1");
    await client.send(new CreateBucketCommand({ Bucket: "costline-k8s" }));
    output = s3Store(client, "costline-k8s", "clusters/prod-eks");
    server = await openCost();
  });
  after(async () => {
    server?.close();
    await closeS3?.();
  });

  let rowsPerDay = 0;
  let costPerDay = 0;

  it("backfills the closed days, one window a day, and publishes each month they fall in", async () => {
    const result = await runKubernetesJob(deps(), config);
    assert.deepEqual(result.days, ["2025-02-28", "2025-03-01", "2025-03-02"]);
    assert.deepEqual(server.windows, [
      "2025-02-28T00:00:00Z,2025-03-01T00:00:00Z",
      "2025-03-01T00:00:00Z,2025-03-02T00:00:00Z",
      "2025-03-02T00:00:00Z,2025-03-03T00:00:00Z",
    ]);
    assert.deepEqual(result.periods, ["2025-02", "2025-03"]);
    const february = await monthTotals(output, "2025-02");
    assert.equal(february.days, 1);
    assert.equal(february.cluster, "prod-eks");
    rowsPerDay = february.rows;
    costPerDay = february.cost;
    assert.ok(rowsPerDay >= 4, "every allocation, idle included, has rows");
    assert.equal(costPerDay, 10.0837, "the sample day's total cost, idle included");
    const march = await monthTotals(output, "2025-03");
    assert.deepEqual([march.days, march.rows], [2, 2 * rowsPerDay]);
    assert.deepEqual(await output.list("raw/opencost/"), [
      "raw/opencost/day=2025-02-28.json",
      "raw/opencost/day=2025-03-01.json",
      "raw/opencost/day=2025-03-02.json",
    ]);
    const state = JSON.parse((await output.get("_state/kubernetes.json"))!.toString());
    assert.deepEqual(state, { cluster: "prod-eks", lastFetchedDay: "2025-03-02" });
    const record = JSON.parse((await output.get(`_runs/${result.runId}/run.json`))!.toString()) as RunRecord;
    assert.equal(record.status, "succeeded");
    assert.equal(record.read.length, 3);
  });

  it("fetches only the new day and rebuilds its month whole from the kept days", async () => {
    now = new Date("2025-03-04T05:00:00Z");
    server.windows.length = 0;
    const february = await currentFiles(output, "focus", "kubernetes", "2025-02");
    const result = await runKubernetesJob(deps(), config);
    assert.deepEqual(server.windows, ["2025-03-03T00:00:00Z,2025-03-04T00:00:00Z"]);
    assert.deepEqual(result.periods, ["2025-03"]);
    const march = await monthTotals(output, "2025-03");
    assert.deepEqual(
      [march.days, march.rows, march.cost],
      [3, 3 * rowsPerDay, Math.round(3 * costPerDay * 1e4) / 1e4],
    );
    assert.deepEqual(
      await currentFiles(output, "focus", "kubernetes", "2025-02"),
      february,
      "February is untouched",
    );
  });

  it("does nothing before the next day closes", async () => {
    server.windows.length = 0;
    const result = await runKubernetesJob(deps(), config);
    assert.deepEqual([result.days, server.windows], [[], []]);
  });

  it("keeps the previous month and state when the sink fails midway, and catches up after", async () => {
    now = new Date("2025-03-05T05:00:00Z");
    const before = await currentFiles(output, "focus", "kubernetes", "2025-03");
    const beforeTotals = await monthTotals(output, "2025-03");
    await assert.rejects(
      runKubernetesJob(deps(failingOnFirstDataUpload(output)), config),
      /previous data stays current: connection reset/,
    );
    assert.deepEqual(await currentFiles(output, "focus", "kubernetes", "2025-03"), before);
    assert.deepEqual(await monthTotals(output, "2025-03"), beforeTotals);
    const state = JSON.parse((await output.get("_state/kubernetes.json"))!.toString());
    assert.equal(state.lastFetchedDay, "2025-03-03", "the state did not move");

    server.windows.length = 0;
    await runKubernetesJob(deps(), config);
    assert.deepEqual(
      server.windows,
      ["2025-03-04T00:00:00Z,2025-03-05T00:00:00Z"],
      "the same day is fetched again",
    );
    assert.equal((await monthTotals(output, "2025-03")).days, 4);
  });

  it("publishes nothing when OpenCost cannot answer for a day", async () => {
    now = new Date("2025-03-06T05:00:00Z");
    server.failDays.add("2025-03-05");
    const before = await currentFiles(output, "focus", "kubernetes", "2025-03");
    await assert.rejects(
      runKubernetesJob(deps(), config),
      /OpenCost answered code 500: error querying prometheus/,
    );
    assert.deepEqual(await currentFiles(output, "focus", "kubernetes", "2025-03"), before);
  });

  it("refuses to write a second cluster's data into the same sink", async () => {
    await assert.rejects(
      runKubernetesJob(deps(), { ...config, cluster: "staging-eks" }),
      /already holds cluster "prod-eks"'s data; cluster "staging-eks" would replace its months/,
    );
  });
});
