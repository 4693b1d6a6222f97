import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildJobs } from "../../../runtime/jobs/build";
import { currentFiles } from "../../../runtime/jobs/stores/publish";
import { localStore } from "../../../runtime/jobs/stores/local";
import { openCost } from "../../helpers/opencost-server";
import { BUCKET, ENV as AWS_ENV, FakeAws } from "./aws/fake-aws";

const ROOT = join(__dirname, "..", "..", "..");

/** Runs `work` with extra environment variables, restoring the environment afterwards. */
async function withEnv<T>(env: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await work();
  } finally {
    process.env = saved;
  }
}

describe("job bundles (npm run build:jobs)", function () {
  this.timeout(300_000);
  let dirs: Record<string, string>;

  before(async () => {
    // Built where `npm run build:jobs` puts them, so that the AWS bundle finds the SDK that the
    // Lambda runtime would provide (the repository's, which the mocks below intercept).
    dirs = await buildJobs(join(ROOT, "dist", "jobs"));
  });

  it("produces each cloud's artifact: a bundle, its manifest files, DuckDB for linux-x64 where it normalizes", () => {
    for (const cloud of ["aws", "gcp", "azure", "kubernetes"])
      assert.ok(existsSync(join(dirs[cloud], "index.js")), cloud);
    assert.equal(JSON.parse(readFileSync(join(dirs.gcp, "package.json"), "utf8")).main, "index.js");
    assert.ok(existsSync(join(dirs.azure, "host.json")));
    for (const cloud of ["aws", "azure", "kubernetes"]) {
      assert.ok(
        existsSync(join(dirs[cloud], "node_modules", "@duckdb", "node-bindings-linux-x64", "duckdb.node")),
        cloud,
      );
    }
    // Cloud Build installs what the function's package.json declares, at the version tested here.
    const gcp = JSON.parse(readFileSync(join(dirs.gcp, "package.json"), "utf8"));
    assert.deepEqual(gcp.dependencies, {
      "@duckdb/node-bindings": require("@duckdb/node-bindings/package.json").version,
    });
    assert.ok(!existsSync(join(dirs.gcp, "node_modules")));
  });

  it("kubernetes: runs as its own process, outside the repository, against OpenCost and a volume", async () => {
    // Copied away from the repository so that nothing resolves from its node_modules: the
    // artifact must carry everything it needs, DuckDB's binding included.
    const job = join(mkdtempSync(join(tmpdir(), "costline-k8s-job-")), "job");
    cpSync(dirs.kubernetes, job, { recursive: true });
    const volume = mkdtempSync(join(tmpdir(), "costline-volume-"));
    const server = await openCost();
    try {
      // Asynchronously: the OpenCost server answering it lives in this process.
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(job, "index.js")],
          {
            cwd: job,
            env: {
              PATH: process.env.PATH,
              COSTLINE_TENANT_ID: "acme",
              COSTLINE_CLUSTER: "prod-eks",
              COSTLINE_OPENCOST_URL: server.baseUrl,
              COSTLINE_SINK_URL: `file://${volume}`,
              COSTLINE_TEMP_DIR: mkdtempSync(join(tmpdir(), "costline-job-tmp-")),
              COSTLINE_MEMORY_LIMIT: "512MiB",
            },
            timeout: 240_000,
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
      assert.equal(result.code, 0, `${result.stderr}\n${result.stdout}`);
      assert.ok(server.windows.length >= 1, "asked OpenCost for the closed days");
      const lines = result.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { level: string });
      assert.ok(lines.length > 0 && lines.every((l) => l.level), "structured JSON logs");
      const store = localStore(volume);
      const pointers = (await store.list("")).filter((k) => k.endsWith("_current.json"));
      assert.ok(pointers.length >= 1, `a published period: ${(await store.list("")).join(", ")}`);
      const pointer = JSON.parse(String(await store.get(pointers[0]))) as {
        provider: string;
        billingPeriod: string;
      };
      const files = await currentFiles(
        store,
        pointers[0].split("/x_Provider=")[0],
        pointer.provider,
        pointer.billingPeriod,
      );
      assert.ok(files && files.length > 0 && files.every((f) => f.endsWith(".parquet")));
    } finally {
      server.close();
    }
  });

  it("aws: the bundled handler normalizes a delivered period through Athena, Glue and S3 (mocked SDK)", async () => {
    const aws = new FakeAws();
    try {
      aws.deliver("2026-11", new Date(Date.now() - 3_600_000).toISOString());
      aws.accounting.set("2026-11", { read: 40, quarantined: 0, expected: 40 });
      const { handler } = require(
        join(dirs.aws, "index.js"),
      ) as typeof import("../../../runtime/jobs/aws/handler");
      // Conformance copies the (here empty) sample into the DuckDB the bundle carries.
      const checks = { focusConformance: {}, freshness: {} };
      const off = [
        "requiredTags",
        "budgets",
        "anomalies",
        "credentialAge",
        "unmappedServices",
        "exchangeRates",
        "overlappingSources",
      ];
      const settings = { ...checks, ...Object.fromEntries(off.map((k) => [k, { enabled: false }])) };
      const result = await withEnv(
        { ...AWS_ENV, AWS_REGION: "eu-west-1", COSTLINE_CHECKS: JSON.stringify(settings) },
        () => handler({ tenantId: "acme" }, { getRemainingTimeInMillis: () => 900_000 }),
      );
      const record = JSON.parse(aws.putBodies.get(`normalized/_costline/runs/${result.runId}.json`)!);
      assert.deepEqual(
        record.checks.map((c: { policy: string; severity: string }) => `${c.policy} ${c.severity}`),
        ["focus-conformance ok", "freshness ok"],
      );
      assert.match(record.checks[0].message, /over a sample of 0 of 0 rows/);
      const partition = aws.partitions.get("2026-11");
      assert.match(
        partition?.location ?? "",
        new RegExp(`^s3://${BUCKET}/normalized/billing_period=2026-11/run=`),
      );
      assert.equal(aws.visibleRows("2026-11"), 40);
    } finally {
      aws.restore();
    }
  });

  it("gcp: the bundle exports the function the component deploys, which names a misconfiguration", async () => {
    const { normalize } = require(
      join(dirs.gcp, "index.js"),
    ) as typeof import("../../../runtime/jobs/gcp/handler");
    let status = 0;
    let body: { error?: string } = {};
    const response = {
      status(code: number) {
        status = code;
        return response;
      },
      json(b: unknown) {
        body = b as typeof body;
      },
    };
    await withEnv({ COSTLINE_TENANT_ID: undefined, COSTLINE_SETTINGS_SECRET: "x" }, () =>
      normalize({}, response),
    );
    assert.equal(status, 500);
    assert.match(body.error ?? "", /COSTLINE_TENANT_ID is not set/);
  });

  it("azure: the bundle registers its timer outside a Functions host and its handler names a missing setting", async () => {
    const bundle = require(
      join(dirs.azure, "index.js"),
    ) as typeof import("../../../runtime/jobs/azure/index");
    assert.equal(bundle.TIMER.schedule, "%COSTLINE_SCHEDULE%");
    const logged: string[] = [];
    const context = {
      log: (l: string) => logged.push(l),
      warn: (l: string) => logged.push(l),
      error: (l: string) => logged.push(l),
    };
    await withEnv({ COSTLINE_TENANT_ID: undefined }, () =>
      assert.rejects(bundle.timerHandler({} as never, context as never), /COSTLINE_TENANT_ID is not set/),
    );
  });
});
