import assert from "node:assert/strict";
import { join } from "node:path";
import nock from "nock";
import { outputRowsToParquet } from "../../../runtime/collect/parquet";
import { bigQuerySource } from "../../../runtime/collect/source";
import { openEngine, queryRows, sqlPath } from "../../../runtime/engine/duckdb";
import { fakeBigQuery, RUNS, restRows, runner, TABLE } from "../../helpers/bigquery-rest";
import { focusFiles, sampleStore, sumOver } from "../../helpers/stores";
import { SAMPLES, tempDir } from "../normalize/helpers";

const GCP = join(SAMPLES, "gcp-billing", "gcp_billing_export_resource_v1_2025-03-jpy.ndjson");

describe("collect sources: the GCP job's BigQuery table (recorded REST)", function () {
  this.timeout(120000);
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("writes each period's rows as the output's Parquet, with the values the table holds", async () => {
    const files = focusFiles(await sampleStore([GCP]));
    const rest = await restRows(files);
    fakeBigQuery({
      costline_acme_normalized: {
        rows: rest,
        runs: [{ runId: "g1", status: "succeeded", finishedAt: "2025-04-01T06:05:00.000Z" }],
      },
    });
    const bq = runner();
    const source = bigQuerySource(
      async (sql, what) => (await bq.run(sql, what, true)).rows,
      { normalized: TABLE, runs: RUNS },
      outputRowsToParquet,
    );
    const dest = tempDir();
    const read = await source.read(dest, "gcp-");
    assert.deepEqual(read.files, ["focus/x_Provider=gcp/x_BillingPeriod=2025-03/gcp-2025-03.parquet"]);
    assert.equal(read.lastSuccessfulRun, "2025-04-01T06:05:00.000Z");
    const copied = join(dest, read.files[0]!);
    // Every row, every cost to the last digit, and the times as they were.
    for (const expression of [
      "1",
      "EffectiveCost",
      "BilledCost",
      "x_EffectiveCostUsd",
      "epoch_us(ChargePeriodStart)",
      "epoch_us(BillingPeriodEnd)",
    ]) {
      assert.deepEqual(await sumOver([copied], expression), await sumOver(files, expression), expression);
    }
    const engine = await openEngine({ memoryLimit: "256MB" });
    const [types] = await queryRows<{ t: string }>(
      engine.connection,
      `SELECT typeof(EffectiveCost) || ',' || typeof(ChargePeriodStart) || ',' || typeof(x_ChargeDate) AS t FROM read_parquet(${sqlPath(copied)}) LIMIT 1`,
    );
    engine.close();
    assert.equal(types!.t, "DECIMAL(38,18),TIMESTAMP,DATE");
  });
});
