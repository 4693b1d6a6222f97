import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import nock from "nock";
import { outputRowsToParquet } from "../../../runtime/collect/parquet";
import { collect } from "../../../runtime/collect/run";
import {
  awsRunFolderSource,
  bigQuerySource,
  type CloudSource,
  pointerStoreSource,
} from "../../../runtime/collect/source";
import { s3Store } from "../../../runtime/jobs/stores/s3";
import type { RunRecord } from "../../../runtime/jobs/shared/run-record";
import { azureBlobStore } from "../../../runtime/jobs/stores/azure-blob";
import { localStore } from "../../../runtime/jobs/stores/local";
import { publishPeriod } from "../../../runtime/jobs/stores/publish";
import type { ObjectStore } from "../../../runtime/jobs/stores/store";
import { StoreBusyError } from "../../../runtime/normalize/store-lock";
import { openStoreQuery } from "../../../runtime/query/open";
import { fakeBigQuery, restRows, runner } from "../../helpers/bigquery-rest";
import { AZURITE_ACCOUNT, startAzurite, startS3rver, s3rverClient } from "../../helpers/emulators";
import { focusFiles, sampleStore, sumOver } from "../../helpers/stores";
import { SAMPLES, tempDir } from "../normalize/helpers";

const AZURE = join(SAMPLES, "azure-cost-details", "mca-actualcost-2025-03.csv");
const OPENCOST = join(SAMPLES, "opencost", "allocation-namespace-1d-2025-03-01_03.json");
const CUR2 = join(SAMPLES, "aws-cur2", "cur2-2025-03.csv");
const GCP = join(SAMPLES, "gcp-billing", "gcp_billing_export_resource_v1_2025-03-jpy.ndjson");
const NOW = new Date("2025-04-01T06:00:00Z");

/** A job's output as the file-based jobs leave it: each period published, and a run record. */
async function jobOutput(store: ObjectStore, inputs: string[], run: Partial<RunRecord> = {}) {
  const normalized = await sampleStore(inputs);
  const byPartition = new Map<string, string[]>();
  for (const f of focusFiles(normalized)) {
    const m = /x_Provider=([^/]+)\/x_BillingPeriod=([^/]+)\//.exec(f)!;
    byPartition.set(`${m[1]}|${m[2]}`, [...(byPartition.get(`${m[1]}|${m[2]}`) ?? []), f]);
  }
  for (const [key, files] of byPartition) {
    const [provider, billingPeriod] = key.split("|") as [string, string];
    await publishPeriod(store, { root: "focus", provider, billingPeriod, runId: "r1" }, files, () => NOW);
  }
  const record: RunRecord = {
    runId: "r1",
    job: "test",
    tenantId: "t",
    startedAt: "2025-04-01T05:00:00.000Z",
    finishedAt: "2025-04-01T05:10:00.000Z",
    durationMs: 600_000,
    status: "succeeded",
    read: [],
    written: [],
    checks: [],
    ...run,
  };
  await store.put(`_runs/${record.runId}/run.json`, JSON.stringify(record));
  return normalized;
}

/** A store whose reads fail after `n` objects: a connection lost midway. */
function failingAfter(store: ObjectStore, n: number): ObjectStore {
  let reads = 0;
  return {
    ...store,
    url: store.url,
    async get(key) {
      if (++reads > n) throw new Error("connection reset by peer");
      return store.get(key);
    },
  };
}

const usd = async (root: string, tenant: string) =>
  (await sumOver(focusFiles(join(root, "tenants", tenant)), "x_EffectiveCostUsd")).all!;

describe("collect", function () {
  this.timeout(180000);
  let azurite: Awaited<ReturnType<typeof startAzurite>>;
  let azure: ObjectStore;
  before(async () => {
    azurite = await startAzurite();
    const container = new BlobServiceClient(
      azurite.blobUrl,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT.name, AZURITE_ACCOUNT.key),
    ).getContainerClient("normalized");
    await container.create();
    azure = azureBlobStore(container, "");
  });
  after(() => azurite.close());

  it("reads two tenants' clouds into one folder; a cloud failing midway keeps its last data", async () => {
    const azureStore = await jobOutput(azure, [AZURE]);
    const sinkA = localStore(tempDir());
    const sinkB = localStore(tempDir());
    await jobOutput(sinkA, [OPENCOST]);
    const opencostStore = await jobOutput(sinkB, [OPENCOST]);
    const out = tempDir();
    const tenants = (b: ObjectStore) => [
      {
        tenant: "acme",
        sources: [pointerStoreSource("azure", azure), pointerStoreSource("kubernetes", sinkA)],
      },
      { tenant: "globex", sources: [pointerStoreSource("kubernetes", b)] },
    ];
    const first = await collect({ out, tenants: tenants(sinkB), now: () => NOW });
    assert.deepEqual(
      first.tenants.map((t) => [t.tenant, t.clouds.map((c) => `${c.cloud}:${c.status}`)]),
      [
        ["acme", ["azure:connected", "kubernetes:connected"]],
        ["globex", ["kubernetes:connected"]],
      ],
    );
    // Every published file, once: the tenant's cost is its clouds' own.
    const expected =
      (await sumOver(focusFiles(azureStore), "x_EffectiveCostUsd")).all! +
      (await sumOver(focusFiles(opencostStore), "x_EffectiveCostUsd")).all!;
    assert.ok(Math.abs((await usd(out, "acme")) - expected) < 1e-6);
    const globex = await usd(out, "globex");
    assert.ok(first.tenants[1]!.clouds[0]!.dataFreshness!.startsWith("2025-0"));

    // The second collect loses globex's sink after one object: acme is collected, globex keeps its data.
    const second = await collect({ out, tenants: tenants(failingAfter(sinkB, 1)), now: () => NOW });
    const failed = second.tenants[1]!.clouds[0]!;
    assert.equal(failed.status, "failing");
    assert.match(failed.problem!, /connection reset by peer/);
    assert.equal(failed.lastSuccessfulRun, "2025-04-01T05:10:00.000Z");
    assert.equal(await usd(out, "globex"), globex);
    assert.equal(
      second.tenants[0]!.clouds.every((c) => c.status === "connected"),
      true,
    );
    // What query and report read: a collect folder of two tenants, nothing staged left behind.
    const session = await openStoreQuery(out);
    try {
      assert.deepEqual(
        session.layout.stores.map((s) => s.tenant),
        ["acme", "globex"],
      );
    } finally {
      session.close();
    }
    assert.deepEqual(readdirSync(out).sort(), ["collect.json", "tenants"]);
    assert.equal(
      JSON.parse(readFileSync(join(out, "collect.json"), "utf8")).tenants[1].clouds[0].status,
      "failing",
    );
  });

  it("collects a two-tenant, four-cloud registry from the emulators; a denied cloud fails alone", async () => {
    const s3 = await startS3rver();
    try {
      const client = s3rverClient(s3.endpoint, "eu-west-1");
      const service = new BlobServiceClient(
        azurite.blobUrl,
        new StorageSharedKeyCredential(AZURITE_ACCOUNT.name, AZURITE_ACCOUNT.key),
      );
      const gcpRows = await restRows(focusFiles(await sampleStore([GCP])));
      const runs = [{ runId: "g1", status: "succeeded", finishedAt: "2025-04-01T05:00:00.000Z" }];
      fakeBigQuery({
        costline_acme_normalized: { rows: gcpRows, runs },
        costline_globex_normalized: {
          rows: gcpRows,
          runs,
          error:
            "Access Denied: Table costline_globex_normalized.focus_cost: Permission bigquery.tables.getData denied",
        },
      });
      const expected: Record<string, number> = {};
      const tenants = [];
      for (const tenant of ["acme", "globex"]) {
        // AWS: the job's UNLOAD folder and its run record in the tenant's bucket.
        const bucket = `costline-${tenant}-111122223333-eu-west-1`;
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        const aws = s3Store(client, bucket);
        const [cur] = focusFiles(await sampleStore([CUR2]));
        await aws.putFile("normalized/billing_period=2025-03/run=a1/20250401_060000_00001_x_0", cur!);
        await aws.put(
          "normalized/_costline/runs/a1.json",
          JSON.stringify({
            runId: "a1",
            status: "succeeded",
            finishedAt: "2025-04-01T06:10:00.000Z",
            written: [{ target: `s3://${bucket}/normalized/billing_period=2025-03/run=a1/` }],
          }),
        );
        const container = service.getContainerClient(`${tenant}-normalized`);
        await container.create();
        const azureOut = azureBlobStore(container, "");
        const sink = localStore(tempDir());
        const azureFiles = focusFiles(await jobOutput(azureOut, [AZURE]));
        const kubernetesFiles = focusFiles(await jobOutput(sink, [OPENCOST]));
        const bq = runner(`costline_collect_${tenant}`);
        tenants.push({
          tenant,
          sources: [
            awsRunFolderSource(aws, "normalized/"),
            bigQuerySource(
              async (sql, what) => (await bq.run(sql, what, true)).rows,
              {
                normalized: `\`acme-billing.costline_${tenant}_normalized.focus_cost\``,
                runs: `\`acme-billing.costline_${tenant}_normalized.costline_runs\``,
              },
              outputRowsToParquet,
            ),
            pointerStoreSource("azure", azureOut),
            pointerStoreSource("kubernetes", sink),
          ],
        });
        expected[tenant] = (await sumOver([cur!, ...azureFiles, ...kubernetesFiles], "x_EffectiveCostUsd"))
          .all!;
      }
      const gcpCost = (await sumOver(focusFiles(await sampleStore([GCP])), "x_EffectiveCostUsd")).all!;
      const out = tempDir();
      const record = await collect({ out, tenants, now: () => NOW });
      assert.deepEqual(
        record.tenants.map((t) => [t.tenant, t.clouds.map((c) => `${c.cloud}:${c.status}`)]),
        [
          ["acme", ["aws:connected", "gcp:connected", "azure:connected", "kubernetes:connected"]],
          ["globex", ["aws:connected", "gcp:failing", "azure:connected", "kubernetes:connected"]],
        ],
      );
      assert.match(record.tenants[1]!.clouds[1]!.problem!, /Permission bigquery\.tables\.getData denied/);
      // Each tenant's cost is its clouds' own, once; globex's denied GCP table brought nothing.
      assert.ok(Math.abs((await usd(out, "acme")) - expected.acme! - gcpCost) < 1e-6);
      assert.ok(Math.abs((await usd(out, "globex")) - expected.globex!) < 1e-6);
      const session = await openStoreQuery(out);
      try {
        const providers = await session.query(
          "SELECT tenant, string_agg(DISTINCT provider, ',' ORDER BY provider) AS p FROM unified GROUP BY 1 ORDER BY 1",
        );
        assert.deepEqual(providers.rows, [
          ["acme", "aws,azure,gcp,kubernetes"],
          ["globex", "aws,azure,kubernetes"],
        ]);
      } finally {
        session.close();
      }
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
      await s3.close();
    }
  });

  it("says stale when the last success is old and failing when the last run failed", async () => {
    const old = localStore(tempDir());
    await jobOutput(old, [OPENCOST], { finishedAt: "2025-03-28T05:00:00.000Z" });
    const broken = localStore(tempDir());
    await jobOutput(broken, [OPENCOST]);
    await broken.put(
      "_runs/r2/run.json",
      JSON.stringify({
        runId: "r2",
        status: "failed",
        finishedAt: "2025-04-01T05:30:00.000Z",
        error: "AccessDenied",
      }),
    );
    const out = tempDir();
    const record = await collect({
      out,
      tenants: [
        { tenant: "old", sources: [pointerStoreSource("kubernetes", old)] },
        { tenant: "broken", sources: [pointerStoreSource("kubernetes", broken)] },
      ],
      now: () => NOW,
    });
    const [broken1, old1] = record.tenants.map((t) => t.clouds[0]!);
    assert.equal(old1!.status, "stale");
    assert.match(old1!.problem!, /finished 97 h ago \(stale after 48 h\)/);
    assert.equal(broken1!.status, "failing");
    assert.match(broken1!.problem!, /last run \(r2, 2025-04-01T05:30:00.000Z\) failed: AccessDenied/);
    // A failed run's data is still the last published: it is collected.
    assert.ok(focusFiles(join(out, "tenants", "broken")).length > 0);
  });

  it("never publishes what a timed-out read writes after it was given up", async () => {
    const late: CloudSource = {
      cloud: "kubernetes",
      id: "kubernetes",
      where: "late://",
      read: async (dest, prefix) => {
        await new Promise((r) => setTimeout(r, 150));
        const file = join(
          "focus",
          "x_Provider=kubernetes",
          "x_BillingPeriod=2025-03",
          `${prefix}late.parquet`,
        );
        mkdirSync(join(dest, dirname(file)), { recursive: true });
        writeFileSync(join(dest, file), "half");
        return { files: [file] };
      },
    };
    const out = tempDir();
    // The tenant's next cloud is still being read when the late write comes.
    const slow: CloudSource = {
      cloud: "azure",
      id: "azure",
      where: "slow://",
      read: () => new Promise((r) => setTimeout(() => r({ files: [] }), 300)),
    };
    const record = await collect({
      out,
      tenants: [{ tenant: "t", sources: [late, slow] }],
      timeoutMs: 100,
      now: () => NOW,
    });
    assert.equal(record.tenants[0]!.clouds[0]!.status, "failing");
    assert.deepEqual(readdirSync(join(out, "tenants", "t"), { recursive: true }), []);
  });

  it("names what to grant when a cloud denies the read, and only then", async () => {
    const failing = (id: string, message: string): CloudSource => ({
      cloud: "aws",
      id,
      where: `s3://${id}/`,
      deniedHint: "grant s3:GetObject",
      read: async () => {
        throw new Error(message);
      },
    });
    const record = await collect({
      out: tempDir(),
      tenants: [
        {
          tenant: "t",
          sources: [
            failing("denied", "AccessDenied: User is not authorized to perform s3:ListBucket"),
            failing("reset", "socket hang up"),
          ],
        },
      ],
      now: () => NOW,
    });
    const [denied, reset] = record.tenants[0]!.clouds;
    assert.equal(
      denied!.problem,
      "s3://denied/: AccessDenied: User is not authorized to perform s3:ListBucket; grant s3:GetObject",
    );
    assert.equal(reset!.problem, "s3://reset/: socket hang up");
  });

  it("bounds a slow cloud by a timeout, and refuses a second collect of one folder", async () => {
    const slow: CloudSource = {
      cloud: "gcp",
      where: "slow://",
      id: "gcp",
      read: () => new Promise(() => {}),
    };
    const out = tempDir();
    const record = await collect({
      out,
      tenants: [{ tenant: "s", sources: [slow] }],
      timeoutMs: 50,
      now: () => NOW,
    });
    assert.match(record.tenants[0]!.clouds[0]!.problem!, /slow:\/\/: reading slow:\/\/ took longer than 0 s/);
    const held = { pid: 1, host: "h", now: () => NOW, isAlive: () => true };
    const first = collect({
      out,
      tenants: [
        {
          tenant: "s",
          sources: [{ ...slow, read: () => new Promise((r) => setTimeout(() => r({ files: [] }), 200)) }],
        },
      ],
      lock: held,
    });
    await assert.rejects(collect({ out, tenants: [], lock: held }), StoreBusyError);
    await first;
    assert.ok(!existsSync(join(out, ".lock")));
  });
});
