import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { awsRunFolderSource } from "../../../runtime/collect/source";
import type { RunRecord } from "../../../runtime/jobs/shared/run-record";
import { s3Store } from "../../../runtime/jobs/stores/s3";
import type { ObjectStore } from "../../../runtime/jobs/stores/store";
import { startS3rver, s3rverClient } from "../../helpers/emulators";
import { focusFiles, sampleStore, sumOver } from "../../helpers/stores";
import { SAMPLES, tempDir } from "../normalize/helpers";

const CUR2 = join(SAMPLES, "aws-cur2", "cur2-2025-03.csv");
const BUCKET = "costline-acme-111122223333-eu-west-1";

const record = (
  runId: string,
  finishedAt: string,
  written: string[],
  status: RunRecord["status"] = "succeeded",
): RunRecord => ({
  runId,
  job: "aws-normalize",
  tenantId: "acme",
  startedAt: finishedAt,
  finishedAt,
  durationMs: 1,
  status,
  read: [],
  written: written.map((target) => ({ target, rows: 1 })),
  checks: [],
});

describe("collect sources: the AWS job's run folders (s3rver)", function () {
  this.timeout(120000);
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let store: ObjectStore;
  before(async () => {
    s3 = await startS3rver();
    const client = s3rverClient(s3.endpoint, "eu-west-1");
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    store = s3Store(client, BUCKET);
  });
  after(() => s3.close());

  it("reads each period from the newest run that recorded it, never a folder still being written", async () => {
    const [file] = focusFiles(await sampleStore([CUR2]));
    const body = readFileSync(file!);
    const folder = (p: string, run: string) => `normalized/billing_period=${p}/run=${run}/`;
    // UNLOAD's file names carry no extension; r3 is unloading now and has recorded nothing yet.
    await store.put(`${folder("2025-03", "r2")}20250401_060000_00001_abcde_0`, body);
    await store.put(`${folder("2025-03", "r3")}20250402_060000_00001_fghij_0`, Buffer.from("half a file"));
    await store.put(`${folder("2025-02", "r1")}20250301_060000_00001_klmno_0`, body);
    const url = (f: string) => `s3://${BUCKET}/${f}`;
    await store.put(
      "normalized/_costline/runs/r1.json",
      JSON.stringify(
        record("r1", "2025-03-01T06:10:00Z", [url(folder("2025-02", "r1")), url(folder("2025-03", "r1"))]),
      ),
    );
    await store.put(
      "normalized/_costline/runs/r2.json",
      JSON.stringify(
        record(
          "r2",
          "2025-04-01T06:10:00Z",
          [
            url(folder("2025-03", "r2")),
            url("normalized/_costline/quarantine/billing_period=2025-03/run=r2/"),
          ],
          "failed",
        ),
      ),
    );
    const dest = tempDir();
    const read = await awsRunFolderSource(store, "normalized/").read(dest, "aws-");
    assert.deepEqual(read.files.sort(), [
      "focus/x_Provider=aws/x_BillingPeriod=2025-02/aws-20250301_060000_00001_klmno_0.parquet",
      "focus/x_Provider=aws/x_BillingPeriod=2025-03/aws-20250401_060000_00001_abcde_0.parquet",
    ]);
    assert.deepEqual(read.lastRun, {
      runId: "r2",
      finishedAt: "2025-04-01T06:10:00Z",
      status: "failed",
      error: undefined,
    });
    assert.equal(read.lastSuccessfulRun, "2025-03-01T06:10:00Z");
    const copied = await sumOver(
      read.files.map((f) => join(dest, f)),
      "EffectiveCost",
    );
    const source = await sumOver([file!, file!], "EffectiveCost");
    assert.ok(Math.abs(copied.all! - source.all!) < 1e-9);
  });

  it("fails, naming the folder, when the recorded folder of a period is gone", async () => {
    await store.put(
      "normalized/_costline/runs/r4.json",
      JSON.stringify(
        record("r4", "2025-04-02T06:10:00Z", [`s3://${BUCKET}/normalized/billing_period=2025-01/run=r4/`]),
      ),
    );
    await assert.rejects(
      awsRunFolderSource(store, "normalized/").read(tempDir(), "aws-"),
      /billing_period=2025-01\/run=r4\/: the run folder of billing period 2025-01 named by the job's last run record is gone/,
    );
  });
});
