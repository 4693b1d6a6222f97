import assert from "node:assert/strict";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient, type ContainerClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { openEngine, sqlString } from "../../../../runtime/engine/duckdb";
import { blobDownloader } from "../../../../runtime/jobs/azure/clients";
import type { ExportsApi } from "../../../../runtime/jobs/azure/export-health";
import { type AzureJobConfig, type AzureJobDeps, runAzureJob } from "../../../../runtime/jobs/azure/job";
import { ChecksConfig } from "../../../../runtime/checks/config";
import { outputChecks } from "../../../../runtime/jobs/shared/job-output";
import { Logger } from "../../../../runtime/jobs/shared/log";
import type { RunRecord } from "../../../../runtime/jobs/shared/run-record";
import { azureBlobStore } from "../../../../runtime/jobs/stores/azure-blob";
import { currentFiles } from "../../../../runtime/jobs/stores/publish";
import type { ObjectStore } from "../../../../runtime/jobs/stores/store";
import { normalize } from "../../../../runtime/normalize/run";
import { queryPublished } from "./published";
import { AZURITE_ACCOUNT, startAzurite } from "../../../helpers/emulators";

const SAMPLE = join(
  __dirname,
  "..",
  "..",
  "..",
  "..",
  "examples",
  "exports",
  "azure-focus",
  "focuscost-2025-03.csv",
);
const EXPORT = "costline-acme-focuscost";
const SUB_A = "9b2f6c1e-3d4a-4b5c-8e7f-0a1b2c3d4e5f";
const SUB_B = "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5";
const config = (tempDir: string): AzureJobConfig => ({
  tenantId: "acme",
  sourceFormat: "azure-focus",
  exportDataset: "FocusCost",
  exportName: EXPORT,
  exportScopes: [`/subscriptions/${SUB_A}`, `/subscriptions/${SUB_B}`],
  exportContainer: "exports",
  maxExportAgeHours: 36,
  tempDir,
  memoryLimit: "512MB",
});

/** The FocusCost sample as a subscription's export Parquet (snappy, as the export writes it), `rows` rows of it. */
async function exportParquet(subscription: string, rows: number, costFactor = 1): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), "focuscost-")), "part_0_0001.snappy.parquet");
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    await engine.connection.run(
      `COPY (SELECT * REPLACE (
         ${sqlString(`/subscriptions/${subscription}`)} AS SubAccountId,
         BilledCost * ${costFactor} AS BilledCost, EffectiveCost * ${costFactor} AS EffectiveCost)
       FROM read_csv(${sqlString(SAMPLE)}, header = true) LIMIT ${rows})
       TO ${sqlString(file)} (FORMAT parquet, COMPRESSION snappy)`,
    );
  } finally {
    engine.close();
  }
  return file;
}

/** Puts one export run into the exports container as Cost Management lays it out, manifest last. */
async function deliverRun(
  exports: ContainerClient,
  subscription: string,
  runId: string,
  submitted: string,
  file: string,
): Promise<string> {
  const folder = `subscriptions/${subscription}/${EXPORT}/20250301-20250331/${runId}`;
  const blobName = `${folder}/part_0_0001.snappy.parquet`;
  await exports.getBlockBlobClient(blobName).uploadFile(file);
  const manifest = {
    manifestVersion: "2024-04-01",
    exportConfig: {
      exportName: EXPORT,
      resourceId: `/subscriptions/${subscription}/providers/Microsoft.CostManagement/exports/${EXPORT}`,
      type: "FocusCost",
    },
    deliveryConfig: { fileFormat: "Parquet", partitionData: true },
    runInfo: {
      runId,
      submittedTime: submitted,
      startDate: "2025-03-01T00:00:00",
      endDate: "2025-03-31T00:00:00",
    },
    blobs: [{ blobName, byteCount: statSync(file).size }],
  };
  const key = `${folder}/manifest.json`;
  await exports.getBlockBlobClient(key).upload(JSON.stringify(manifest), JSON.stringify(manifest).length);
  return key;
}

/** Cost Management as the job sees it: a FocusCost export per scope, last run at `lastRun`. */
function fakeExportsApi(lastRun: () => string) {
  const executed: string[] = [];
  const api: ExportsApi = {
    get: async () => ({
      format: "Parquet",
      definition: { type: "FocusCost", timeframe: "MonthToDate" },
      deliveryInfo: { destination: { container: "exports" } },
    }),
    getExecutionHistory: async () => ({
      value: [{ status: "Completed", processingEndTime: new Date(lastRun()) }],
    }),
    execute: async (scope) => {
      executed.push(scope);
    },
  };
  return { api, executed };
}

/** Rows and billed cost per subscription of the published month, as a reader sees it. */
const publishedRows = (output: ObjectStore) =>
  queryPublished<{ sub: string; rows: number; cost: number }>(
    output,
    "azure",
    "2025-03",
    "SELECT SubAccountId AS sub, count(*)::INTEGER AS rows, round(sum(BilledCost), 4)::DOUBLE AS cost FROM {period} GROUP BY 1 ORDER BY 1",
  );

/** A store whose n-th upload of period data fails, as a dropped connection would. */
function failingOnUpload(store: ObjectStore, n: number): ObjectStore {
  let uploads = 0;
  return {
    ...store,
    async putFile(key, file) {
      if (key.startsWith("focus/") && ++uploads === n)
        throw Object.assign(new Error("socket hang up"), { statusCode: 400 });
      return store.putFile(key, file);
    },
  };
}

const lines: string[] = [];
const logger = new Logger({
  format: "json",
  stream: { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream,
});

describe("Azure job end to end (azurite)", function () {
  this.timeout(120_000);
  let close: () => Promise<void>;
  let exportsContainer: ContainerClient;
  let output: ObjectStore;
  let now = new Date("2025-03-20T06:00:00Z");
  let lastRun = "2025-03-20T02:00:00Z";
  const api = fakeExportsApi(() => lastRun);
  const scratch = mkdtempSync(join(tmpdir(), "azure-job-"));
  const deps = (): AzureJobDeps => ({
    exports: azureBlobStore(exportsContainer),
    download: blobDownloader(exportsContainer),
    output,
    exportsApi: api.api,
    logger,
    now: () => now,
    normalize,
    checks: outputChecks(ChecksConfig.parse({})),
  });
  const runRecord = async (runId: string) =>
    JSON.parse((await output.get(`_runs/${runId}/run.json`))!.toString()) as RunRecord;

  before(async () => {
    const azurite = await startAzurite();
    close = azurite.close;
    const service = new BlobServiceClient(
      azurite.blobUrl,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT.name, AZURITE_ACCOUNT.key),
    );
    exportsContainer = service.getContainerClient("exports");
    await exportsContainer.create();
    const normalized = service.getContainerClient("normalized");
    await normalized.create();
    output = azureBlobStore(normalized);
  });
  after(async () => close?.());

  it("publishes a month from every subscription's export run, with state, run record and connection", async () => {
    await deliverRun(
      exportsContainer,
      SUB_A,
      "run-a1",
      "2025-03-20T01:00:00Z",
      await exportParquet(SUB_A, 10),
    );
    await deliverRun(
      exportsContainer,
      SUB_B,
      "run-b1",
      "2025-03-20T01:30:00Z",
      await exportParquet(SUB_B, 4),
    );
    const result = await runAzureJob(deps(), config(scratch));
    assert.deepEqual(result.periods, ["2025-03"]);
    assert.equal(result.runs.length, 2);
    const rows = await publishedRows(output);
    assert.deepEqual(
      rows.map((r) => [r.sub, r.rows]),
      [
        [`/subscriptions/${SUB_B}`, 4],
        [`/subscriptions/${SUB_A}`, 10],
      ],
    );
    assert.equal(rows[1]!.cost, 200.3191, "the sample's billed cost, all of it");
    const state = JSON.parse((await output.get("_state/azure.json"))!.toString());
    assert.deepEqual(
      Object.values(state.runs)
        .map((r) => (r as { runId: string }).runId)
        .sort(),
      ["run-a1", "run-b1"],
    );
    const record = await runRecord(result.runId);
    assert.equal(record.status, "succeeded");
    assert.equal(record.read.length, 2);
    assert.ok(
      record.checks.some((c) => c.policy === "freshness"),
      "the checks ran over the output",
    );
    const connection = JSON.parse((await output.get("connection.json"))!.toString());
    assert.deepEqual(connection.exports, [
      { provider: "azure", name: EXPORT, lastExportAt: "2025-03-20T02:00:00.000Z" },
    ]);
    assert.ok(
      await output.get(`_runs/${result.runId}/summary.json`),
      "the summary is kept beside the run record",
    );
    assert.deepEqual(api.executed, [], "fresh exports are not triggered");
  });

  it("does nothing when no export run arrived, and triggers a stale export", async () => {
    const before = await currentFiles(output, "focus", "azure", "2025-03");
    now = new Date("2025-03-23T06:00:00Z");
    const result = await runAzureJob(deps(), config(scratch));
    assert.deepEqual(result.runs, []);
    assert.deepEqual(await currentFiles(output, "focus", "azure", "2025-03"), before);
    assert.deepEqual(api.executed, [`/subscriptions/${SUB_A}`, `/subscriptions/${SUB_B}`]);
    assert.ok(result.health.every((h) => h.triggered));
    const record = await runRecord(result.runId);
    assert.ok(
      record.checks.some((c) => c.policy === "export-health" && /a run was triggered/.test(c.message)),
    );
  });

  it("rebuilds the month from one subscription's new run and the other's previous one", async () => {
    lastRun = "2025-03-23T02:00:00Z";
    const before = await publishedRows(output);
    await deliverRun(
      exportsContainer,
      SUB_A,
      "run-a2",
      "2025-03-23T01:00:00Z",
      await exportParquet(SUB_A, 6, 2),
    );
    const result = await runAzureJob(deps(), config(scratch));
    assert.deepEqual(result.runs, [
      `subscriptions/${SUB_B}/${EXPORT}/20250301-20250331/run-b1/manifest.json`,
      `subscriptions/${SUB_A}/${EXPORT}/20250301-20250331/run-a2/manifest.json`,
    ]);
    const after = await publishedRows(output);
    assert.deepEqual(after[0], before[0], "subscription B's rows are kept, not dropped");
    assert.equal(after[1]!.rows, 6, "subscription A's month is its newest snapshot, not a sum of snapshots");
    const keys = await output.list("focus/x_Provider=azure/x_BillingPeriod=2025-03/");
    assert.ok(
      keys.every((k) => k.endsWith("_current.json") || k.includes(`run=${result.runId}/`)),
      keys.join(", "),
    );
  });

  it("leaves the previous month and state in place when publication fails midway, and catches up after", async () => {
    const beforeFiles = await currentFiles(output, "focus", "azure", "2025-03");
    const beforeRows = await publishedRows(output);
    const beforeState = (await output.get("_state/azure.json"))!.toString();
    await deliverRun(
      exportsContainer,
      SUB_B,
      "run-b2",
      "2025-03-23T03:00:00Z",
      await exportParquet(SUB_B, 2, 3),
    );
    const broken = { ...deps(), output: failingOnUpload(output, 1) };
    await assert.rejects(runAzureJob(broken, config(scratch)), /previous data stays current: socket hang up/);
    assert.deepEqual(await currentFiles(output, "focus", "azure", "2025-03"), beforeFiles);
    assert.deepEqual(await publishedRows(output), beforeRows);
    assert.equal((await output.get("_state/azure.json"))!.toString(), beforeState, "the state did not move");
    const failed = (await output.list("_runs/")).filter((k) => k.endsWith("run.json"));
    const records = await Promise.all(
      failed.map((k) => output.get(k).then((b) => JSON.parse(b!.toString()))),
    );
    assert.ok(records.some((r: RunRecord) => r.status === "failed" && /socket hang up/.test(r.error ?? "")));

    const retry = await runAzureJob(deps(), config(scratch));
    assert.deepEqual(retry.periods, ["2025-03"]);
    const rows = await publishedRows(output);
    assert.equal(rows.find((r) => r.sub.endsWith(SUB_B))!.rows, 2, "the retry published the new run of B");
    assert.equal(rows.find((r) => r.sub.endsWith(SUB_A))!.rows, 6);
  });

  it("refuses a run whose blob is shorter than its manifest says, publishing nothing", async () => {
    const before = await currentFiles(output, "focus", "azure", "2025-03");
    const file = await exportParquet(SUB_A, 3);
    const key = await deliverRun(exportsContainer, SUB_A, "run-a3", "2025-03-24T01:00:00Z", file);
    const manifest = JSON.parse((await azureBlobStore(exportsContainer).get(key))!.toString());
    manifest.blobs[0].byteCount += 100;
    await exportsContainer
      .getBlockBlobClient(key)
      .upload(JSON.stringify(manifest), JSON.stringify(manifest).length);
    await assert.rejects(
      runAzureJob(deps(), config(scratch)),
      /has \d+ bytes, but manifest .*run-a3.* says \d+; the export may still be writing/,
    );
    assert.deepEqual(await currentFiles(output, "focus", "azure", "2025-03"), before);
  });
});
