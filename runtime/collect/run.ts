import { randomUUID } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { type Engine, openEngine, queryRows, sqlPath } from "../engine/duckdb";
import { acquireLock, type LockDeps, systemLockDeps } from "../normalize/store-lock";
import { CollectRecord, type ConnectionHealth } from "../query/store";
import { eachBounded } from "../../stacks/provisioning/run";
import type { CloudSource, SourceRead } from "./source";

export interface CollectTenant {
  tenant: string;
  sources: CloudSource[];
}

export interface CollectOptions {
  /** The collect folder: `tenants/<id>/` (each a store `query` and `report` read) and `collect.json`. */
  out: string;
  tenants: CollectTenant[];
  /** Tenants read at once (default 4); one slow tenant holds one slot only. */
  concurrency?: number;
  /** A cloud whose last successful run is older than this is stale (default 48 h). */
  staleAfterHours?: number;
  /** A cloud's read that takes longer fails, and the others go on (default 10 minutes). */
  timeoutMs?: number;
  now?: () => Date;
  lock?: LockDeps;
  progress?: (message: string) => void;
}

/** How the clouds and their SDKs word a refused read (S3, BigQuery, Azure Storage, GCS). */
const DENIED =
  /AccessDenied|Access Denied|Forbidden|\b403\b|Permission .*denied|AuthorizationPermissionMismatch|AuthorizationFailure|not authorized/i;

const TENANTS = "tenants";
const RECORD = "collect.json";

/** A source's files in a tenant's folder start with its id: several sources share a partition folder. */
const filePrefix = (id: string) => `${id}-`;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Reads every tenant's clouds into one local folder, partitioned by tenant. Each tenant's new
 * folder is built aside and then renamed into place, so a reader sees a tenant's previous
 * collect or its new one, never a mix; `collect.json` is replaced last. A cloud that fails (an
 * error, a denial, a timeout) keeps its previous data and is reported failing; the others are
 * collected. The folder is locked (`.lock`) for the run: a second collect fails, busy.
 */
export async function collect(opts: CollectOptions): Promise<CollectRecord> {
  const now = opts.now ?? (() => new Date());
  const progress = opts.progress ?? (() => {});
  const staleMs = (opts.staleAfterHours ?? 48) * 3_600_000;
  mkdirSync(opts.out, { recursive: true });
  const runId = `${now().toISOString().replace(/[-:.]/g, "")}-${randomUUID().slice(0, 8)}`;
  const release = acquireLock(opts.out, runId, opts.lock ?? systemLockDeps(), progress);
  const staging = join(opts.out, `.collect-${runId}`);
  const previous = readRecord(opts.out);
  let engine: Engine | undefined = await openEngine({
    memoryLimit: "256MB",
    tempDirectory: join(staging, "spill"),
  });
  // One connection, one query at a time: tenants are read concurrently, their files are not queried so.
  let queue: Promise<unknown> = Promise.resolve();
  const newestCharge = (files: string[]) => {
    const run = queue.then(async () => {
      if (!files.length) return null;
      const [row] = await queryRows<{ newest: string | null }>(
        engine!.connection,
        `SELECT strftime(max(ChargePeriodEnd), '%Y-%m-%dT%H:%M:%SZ') AS newest FROM read_parquet([${files.map(sqlPath).join(", ")}], union_by_name = true)`,
      );
      return row?.newest ?? null;
    });
    queue = run.catch(() => undefined);
    return run;
  };
  try {
    // A tenant with nothing to read this time (a volume sink without its --source) keeps its folder.
    const reading = opts.tenants.filter((t) => t.sources.length > 0);
    const tenants = await eachBounded(reading, opts.concurrency ?? 4, async ({ tenant, sources }) => {
      const dest = join(staging, TENANTS, tenant);
      const current = join(opts.out, TENANTS, tenant);
      mkdirSync(dest, { recursive: true });
      const clouds: ConnectionHealth[] = [];
      for (const source of sources) {
        const before = previous?.tenants
          .find((t) => t.tenant === tenant)
          ?.clouds.find((c) => c.cloud === source.cloud && (c.source ?? c.cloud) === source.id);
        const prefix = filePrefix(source.id);
        progress(`${tenant} ${source.cloud}: reading ${source.where}`);
        let read: SourceRead | undefined;
        let problem: string | undefined;
        // Each read writes aside, and its files join the tenant's folder only when it succeeded: a
        // read that timed out may still be writing, into a folder nothing publishes.
        const scratch = join(staging, "reads", tenant, source.id);
        try {
          read = await withTimeout(
            source.read(scratch, prefix),
            opts.timeoutMs ?? 600_000,
            `reading ${source.where}`,
          );
          for (const f of read.files) {
            mkdirSync(dirname(join(dest, f)), { recursive: true });
            renameSync(join(scratch, f), join(dest, f));
          }
        } catch (e) {
          read = undefined;
          const message = (e as Error).message;
          const hint = source.deniedHint && DENIED.test(message) ? `; ${source.deniedHint}` : "";
          problem = `${source.where}: ${message}${hint}`;
        }
        if (!read) {
          // Nothing partial: any file of this read that joined goes, the previous collect's stay.
          for (const f of filesUnder(dest).filter((f) => basename(f).startsWith(prefix)))
            rmSync(join(dest, f));
          for (const f of filesUnder(current).filter((f) => basename(f).startsWith(prefix))) {
            cpSync(join(current, f), join(dest, f));
          }
          progress(`${tenant} ${source.cloud}: failed, its previous data kept: ${problem}`);
          clouds.push({
            cloud: source.cloud,
            source: source.id,
            status: "failing",
            lastSuccessfulRun: before?.lastSuccessfulRun ?? null,
            dataFreshness: before?.dataFreshness ?? null,
            problem: problem!,
          });
          continue;
        }
        const parquet = read.files.filter((f) => f.endsWith(".parquet")).map((f) => join(dest, f));
        clouds.push(health(source, read, await newestCharge(parquet), now(), staleMs));
      }
      return { tenant, clouds };
    });
    const record: CollectRecord = {
      collectedAt: now().toISOString(),
      // Tenants this run did not read keep their folder and their last health.
      tenants: [
        ...(previous?.tenants.filter((t) => !tenants.some((n) => n.tenant === t.tenant)) ?? []),
        ...tenants,
      ].sort((a, b) => a.tenant.localeCompare(b.tenant)),
    };
    engine.close();
    engine = undefined;
    for (const { tenant } of tenants) {
      const current = join(opts.out, TENANTS, tenant);
      const old = join(staging, "replaced", tenant);
      mkdirSync(join(opts.out, TENANTS), { recursive: true });
      mkdirSync(join(staging, "replaced"), { recursive: true });
      if (existsSync(current)) renameSync(current, old);
      renameSync(join(staging, TENANTS, tenant), current);
    }
    writeFileSync(join(staging, RECORD), `${JSON.stringify(record, null, 2)}\n`);
    renameSync(join(staging, RECORD), join(opts.out, RECORD));
    return record;
  } finally {
    engine?.close();
    rmSync(staging, { recursive: true, force: true });
    release();
  }
}

/** The previous collect's record, if one parses (a damaged one is replaced, not trusted). */
function readRecord(out: string): CollectRecord | undefined {
  const path = join(out, RECORD);
  if (!existsSync(path)) return undefined;
  try {
    return CollectRecord.parse(JSON.parse(readFileSync(path, "utf8")));
  } catch {
    return undefined;
  }
}

/** A cloud's standing from its runs and its data: connected, stale (no recent success) or failing. */
export function health(
  source: Pick<CloudSource, "cloud" | "id" | "where">,
  read: SourceRead,
  dataFreshness: string | null,
  now: Date,
  staleMs: number,
): ConnectionHealth {
  const base = {
    cloud: source.cloud,
    source: source.id,
    lastSuccessfulRun: read.lastSuccessfulRun ?? null,
    dataFreshness,
  };
  if (read.lastRun?.status === "failed") {
    return {
      ...base,
      status: "failing",
      problem: `the job's last run (${read.lastRun.runId}, ${read.lastRun.finishedAt}) failed${read.lastRun.error ? `: ${read.lastRun.error}` : ""}`,
    };
  }
  if (!read.lastSuccessfulRun) {
    return {
      ...base,
      status: "stale",
      problem: `no run of the job has been recorded at ${source.where} yet`,
    };
  }
  const age = now.getTime() - Date.parse(read.lastSuccessfulRun);
  if (age > staleMs) {
    return {
      ...base,
      status: "stale",
      problem: `the last successful run finished ${Math.floor(age / 3_600_000)} h ago (stale after ${Math.round(staleMs / 3_600_000)} h): is the job's schedule running?`,
    };
  }
  return { ...base, status: "connected", problem: null };
}
