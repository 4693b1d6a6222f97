import { DEFAULT_STORE, parseFlags, requiredList } from "./args";
import type { CloudSource } from "../collect/source";
import type { PlannedSource } from "../collect/tenant-sources";
import { CliError, ExitCode } from "./errors";

export const USAGE =
  "costline collect (--tenant FILE... | --registry DIR) [--out DIR] [--source TENANT:CLOUD=URL]... [--concurrency N] [--json]";

/**
 * `costline collect`: every tenant's normalized data, from where its jobs publish it, into one
 * local folder (`tenants/<id>/`, `collect.json`) that `query` and `report` read. Exit code 1 when
 * a cloud failed (its previous data kept) or a configured cloud could not be read at all.
 */
export async function collectCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "collect",
    argv,
    {
      tenant: { type: "string", multiple: true },
      registry: { type: "string" },
      out: { type: "string" },
      source: { type: "string", multiple: true },
      concurrency: { type: "string" },
      json: { type: "boolean" },
    },
    USAGE,
    ["tenant", "source"],
  );
  const fail = (message: string): never => {
    throw new CliError(`costline collect: ${message}\nusage: ${USAGE}`);
  };
  if (flags.registry && flags.tenant) fail("pass --tenant FILE... or --registry DIR, not both");
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const { readRegistry } =
    require("../../stacks/provisioning/registry") as typeof import("../../stacks/provisioning/registry");
  const { parseSourceOverride, tenantSources } =
    require("../collect/tenant-sources") as typeof import("../collect/tenant-sources");
  const registry = (dir: string) => {
    let entries: ReturnType<typeof readRegistry>;
    try {
      entries = readRegistry(dir);
    } catch (e) {
      return fail((e as Error).message);
    }
    const bad = entries.filter((e) => e.error);
    if (bad.length) fail(bad.map((e) => `${e.file}: ${e.error}`).join("\n"));
    return entries.map((e) => e.config!);
  };
  const configs = flags.registry
    ? registry(flags.registry)
    : requiredList("collect", flags.tenant, "--tenant FILE... or --registry DIR", USAGE).map(loadTenantFile);
  const overrides = (flags.source ?? []).map((s) => {
    const parsed = parseSourceOverride(s);
    return typeof parsed === "string" ? fail(parsed) : parsed;
  });
  for (const o of overrides) {
    if (!configs.some((c) => c.tenantId === o.tenant))
      fail(`--source ${o.tenant}:${o.cloud}: no tenant ${o.tenant} is given`);
  }
  const concurrency = Number(flags.concurrency ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    fail(`--concurrency is a whole number of at least 1, not "${flags.concurrency}"`);
  const plans = configs.map((c) => tenantSources(c, overrides));
  // The SDKs and DuckDB load only for this command.
  const { collect } = require("../collect/run") as typeof import("../collect/run");
  const { awsRunFolderSource, bigQuerySource, pointerStoreSource } =
    require("../collect/source") as typeof import("../collect/source");
  const { storeFromSinkUrl } =
    require("../jobs/kubernetes/sink-store") as typeof import("../jobs/kubernetes/sink-store");
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  const { StoreBusyError } = require("../normalize/store-lock") as typeof import("../normalize/store-lock");
  const credential = new DefaultAzureCredential();
  /** The GCP job's table, as the application default credentials (the platform's reader identity). */
  const gcpSource = (q: NonNullable<PlannedSource["bigQuery"]>): CloudSource => {
    const { BigQuery } = require("@google-cloud/bigquery") as typeof import("@google-cloud/bigquery");
    const { BigQueryRunner } = require("../jobs/gcp/bigquery") as typeof import("../jobs/gcp/bigquery");
    const { Logger } = require("../jobs/shared/log") as typeof import("../jobs/shared/log");
    const { outputRowsToParquet } = require("../collect/parquet") as typeof import("../collect/parquet");
    const { PassThrough } = require("node:stream") as typeof import("node:stream");
    const runner = new BigQueryRunner(new BigQuery({ projectId: q.projectId }), {
      location: q.location,
      jobPrefix: `costline_collect_${Date.now()}`,
      log: new Logger({ format: "json", stream: new PassThrough() }),
    });
    return bigQuerySource(
      async (sql, what) => (await runner.run(sql, what, true)).rows,
      q,
      outputRowsToParquet,
    );
  };
  /** The AWS job's bucket as the connector role; without the external id, a source that fails saying where to find it. */
  const awsSource = (s: PlannedSource, tenant: string): CloudSource => {
    const externalId = process.env[s.assumeRole!.externalIdVariable];
    if (!externalId) {
      return {
        cloud: "aws",
        id: s.id,
        where: s.url,
        read: async () => {
          throw new Error(
            `set ${s.assumeRole!.externalIdVariable} to tenant ${tenant}'s external id (the value of the secret its stack outputs as aws.externalIdSecretArn) to assume ${s.assumeRole!.roleArn}`,
          );
        },
      };
    }
    const { s3Store } = require("../jobs/stores/s3") as typeof import("../jobs/stores/s3");
    const { connectorS3 } = require("../collect/aws-access") as typeof import("../collect/aws-access");
    const bucket = s.url.replace(/^s3:\/\//, "");
    return awsRunFolderSource(
      s3Store(connectorS3(s.region!, s.assumeRole!.roleArn, externalId), bucket),
      s.runFolders!.normalizedPrefix,
    );
  };
  const target = flags.out ?? DEFAULT_STORE;
  let record: Awaited<ReturnType<typeof collect>>;
  try {
    record = await collect({
      out: target,
      concurrency,
      tenants: plans.map((p) => ({
        tenant: p.tenant,
        sources: p.sources.map((s) => {
          try {
            if (s.runFolders && s.assumeRole) return { ...awsSource(s, p.tenant), deniedHint: s.deniedHint };
            if (s.bigQuery) return { ...gcpSource(s.bigQuery), deniedHint: s.deniedHint };
            const env = s.region ? { ...process.env, AWS_REGION: s.region } : process.env;
            return pointerStoreSource(s.cloud, storeFromSinkUrl(s.url, env, credential), {
              id: s.id,
              deniedHint: s.deniedHint,
            });
          } catch (e) {
            return fail(`${p.tenant} ${s.cloud}: ${(e as Error).message}`);
          }
        }),
      })),
      progress: flags.json ? undefined : (m) => out.write(`${m}\n`),
    });
  } catch (e) {
    if (e instanceof StoreBusyError) throw new CliError(`costline collect: ${e.message}`, ExitCode.busy);
    throw e;
  }
  const failing = record.tenants.flatMap((t) =>
    plans.some((p) => p.tenant === t.tenant) ? t.clouds.filter((c) => c.status === "failing") : [],
  );
  const notCollected = plans.flatMap((p) => p.notCollected.map((n) => `${p.tenant}: ${n}`));
  if (flags.json) {
    out.write(`${JSON.stringify({ ...record, notCollected }, null, 2)}\n`);
  } else {
    const lines = [`Collected into ${target} (query and report read it):`];
    for (const t of record.tenants.filter((t) => plans.some((p) => p.tenant === t.tenant))) {
      for (const c of t.clouds) {
        lines.push(
          `  ${t.tenant.padEnd(16)} ${(c.source ?? c.cloud).padEnd(24)} ${c.status.padEnd(10)} last run ${c.lastSuccessfulRun ?? "never"}, data to ${c.dataFreshness ?? "-"}${c.problem ? `\n    ${c.problem}` : ""}`,
        );
      }
    }
    for (const n of notCollected) lines.push(`  not collected: ${n}`);
    out.write(`${lines.join("\n")}\n`);
  }
  return failing.length || notCollected.length ? ExitCode.failure : ExitCode.ok;
}
