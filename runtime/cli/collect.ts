import { DEFAULT_STORE, parseFlags, requiredList } from "./args";
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
  const { pointerStoreSource } = require("../collect/source") as typeof import("../collect/source");
  const { storeFromSinkUrl } =
    require("../jobs/kubernetes/sink-store") as typeof import("../jobs/kubernetes/sink-store");
  const { DefaultAzureCredential } = require("@azure/identity") as typeof import("@azure/identity");
  const { StoreBusyError } = require("../normalize/store-lock") as typeof import("../normalize/store-lock");
  const credential = new DefaultAzureCredential();
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
            const env = s.region ? { ...process.env, AWS_REGION: s.region } : process.env;
            return pointerStoreSource(s.cloud, storeFromSinkUrl(s.url, env, credential), s.id);
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
