import { mkdir, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { normalizedKeys } from "../../components/aws/layout";
import type { RunRecord } from "../jobs/shared/run-record";
import { partitionPath } from "../normalize/partitions";
import { FOCUS_ROOT, RUN_RECORD, RUNS_ROOT } from "../jobs/shared/job-output";
import { POINTER_NAME, type PeriodPointer } from "../jobs/stores/publish";
import type { ObjectStore } from "../jobs/stores/store";
import type { ConnectionHealth } from "../query/store";

export type Cloud = ConnectionHealth["cloud"];

/** What one cloud's read brought: the files written under the destination, and the runs it saw. */
export interface SourceRead {
  /** Paths of the files written, relative to the destination (`focus/x_Provider=.../file`). */
  files: string[];
  /** The newest run record, and the newest one that succeeded. */
  lastRun?: Pick<RunRecord, "runId" | "finishedAt" | "status" | "error">;
  lastSuccessfulRun?: string;
}

/** One cloud's normalized output of a tenant, as `collect` reads it. */
export interface CloudSource {
  cloud: Cloud;
  /** Unique among the tenant's sources (the cloud, or `kubernetes.<cluster>`): its files' name prefix. */
  id: string;
  /** Where it reads, for messages (never with credentials). */
  where: string;
  /** What the reading identity needs, said when the cloud denies a read. */
  deniedHint?: string;
  /** Copies the published data into `dest` (a tenant's store folder), files named `<prefix><name>`. */
  read(dest: string, prefix: string): Promise<SourceRead>;
}

/**
 * The output of a file-based job (the Azure job's normalized container, a Kubernetes cluster's
 * object-store sink): each period's `_current.json` names the files readers read (publish.ts),
 * and `_runs/<id>/run.json` the runs. Only the files a pointer names are read: a run's upload in
 * progress, or one that failed, is never collected.
 */
export function pointerStoreSource(
  cloud: Cloud,
  store: ObjectStore,
  { id = cloud, deniedHint }: { id?: string; deniedHint?: string } = {},
): CloudSource {
  return {
    cloud,
    id,
    ...(deniedHint ? { deniedHint } : {}),
    where: store.url,
    async read(dest, prefix) {
      const keys = await store.list(`${FOCUS_ROOT}/`);
      const files: string[] = [];
      for (const key of keys.filter((k) => basename(k) === POINTER_NAME)) {
        const pointer = JSON.parse((await store.get(key))!.toString("utf8")) as PeriodPointer;
        for (const file of pointer.files) {
          const body = await store.get(file);
          if (!body) {
            throw new Error(
              `${store.url}${file}: named by ${key} but absent; the job's next run republishes it`,
            );
          }
          const local = join(dirname(key), `${prefix}${basename(file)}`);
          await mkdir(join(dest, dirname(local)), { recursive: true });
          await writeFile(join(dest, local), body);
          files.push(local);
        }
      }
      const runs = await runRecords(store, `${RUNS_ROOT}/`, (k) => k.endsWith(`/${RUN_RECORD}`));
      return { files, ...lastRuns(runs) };
    },
  };
}

/**
 * The AWS job's output in the tenant's export bucket (components/aws/layout.ts): Athena UNLOADs
 * each period into `billing_period=<p>/run=<id>/` and records the folder in its run record once
 * the Glue partition points there and the row count checked; the previous run's folder is then
 * deleted. Each period is read from the newest run that recorded writing it, so a run still
 * unloading (its folder not yet recorded) is never read. UNLOAD names its files without an
 * extension: they are Parquet, and are written as `.parquet`.
 */
export function awsRunFolderSource(store: ObjectStore, normalizedPrefix: string): CloudSource {
  const keys = normalizedKeys(normalizedPrefix);
  return {
    cloud: "aws",
    id: "aws",
    where: store.url,
    async read(dest, prefix) {
      const runs = await runRecords(store, keys.runsPrefix, (k) => k.endsWith(".json"));
      // Each period's folder, by the newest run that recorded it.
      const current = new Map<string, string>();
      for (const run of runs) {
        for (const w of run.written ?? []) {
          const folder = w.target.replace(/^s3:\/\/[^/]+\//, "");
          const at = keys.parsePeriodRun(folder);
          if (at) current.set(at.period, folder);
        }
      }
      const files: string[] = [];
      for (const [period, folder] of [...current].sort()) {
        const objects = await store.list(folder);
        if (!objects.length) {
          throw new Error(
            `${store.url}${folder}: the run folder of billing period ${period} named by the job's last run record is gone; a newer run may be replacing it: collect again`,
          );
        }
        for (const object of objects) {
          const body = await store.get(object);
          if (!body) throw new Error(`${store.url}${object}: listed but gone; collect again`);
          const name = basename(object).replace(/\.parquet$/, "");
          const local = join(FOCUS_ROOT, ...partitionPath("aws", period), `${prefix}${name}.parquet`);
          await mkdir(join(dest, dirname(local)), { recursive: true });
          await writeFile(join(dest, local), body);
          files.push(local);
        }
      }
      return { files, ...lastRuns(runs) };
    },
  };
}

/** The run records a store holds under `prefix`, oldest finished first. */
async function runRecords(store: ObjectStore, prefix: string, isRecord: (key: string) => boolean) {
  const runs: RunRecord[] = [];
  for (const key of (await store.list(prefix)).filter(isRecord)) {
    runs.push(JSON.parse((await store.get(key))!.toString("utf8")) as RunRecord);
  }
  return runs.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
}

/** The newest run and the newest successful one, of runs sorted by when they finished. */
function lastRuns(runs: RunRecord[]): Pick<SourceRead, "lastRun" | "lastSuccessfulRun"> {
  const last = runs.at(-1);
  const succeeded = runs.filter((r) => r.status === "succeeded").at(-1);
  return {
    ...(last
      ? {
          lastRun: { runId: last.runId, finishedAt: last.finishedAt, status: last.status, error: last.error },
        }
      : {}),
    ...(succeeded ? { lastSuccessfulRun: succeeded.finishedAt } : {}),
  };
}

/** Runs a BigQuery statement and returns its rows as the client library gives them. */
export type BigQueryRows = (sql: string, what: string) => Promise<Record<string, unknown>[]>;

/** A value of a row the BigQuery client returned, as the text a Parquet writer types again. */
function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  // BigQueryTimestamp, BigQueryDate and the like carry their canonical text in `value`.
  if (typeof v === "object" && "value" in (v as object)) return String((v as { value: unknown }).value);
  if (v instanceof Date) return v.toISOString();
  // Big (NUMERIC, BIGNUMERIC) writes its exact decimal text as its JSON form.
  if (typeof v === "object") {
    const json = (v as { toJSON?: () => unknown }).toJSON?.() ?? v;
    return typeof json === "string" ? json : JSON.stringify(json);
  }
  return String(v);
}

/**
 * The GCP job's normalized table and its run records table (components/gcp/job-contract.ts), as the
 * platform's reader identity queries them: each billing period's rows (the job replaces a period
 * in one transaction, so a query sees one run's rows of it) written locally as Parquet, typed
 * again from the text of each value. A period is held in memory while it is written.
 */
export function bigQuerySource(
  rows: BigQueryRows,
  tables: { normalized: string; runs: string },
  writeParquet: (ndjson: string, target: string) => Promise<void>,
): CloudSource {
  return {
    cloud: "gcp",
    id: "gcp",
    where: tables.normalized,
    async read(dest, prefix) {
      const periodOf = "FORMAT_TIMESTAMP('%Y-%m', BillingPeriodStart)";
      const periods = await rows(
        `SELECT DISTINCT ${periodOf} AS period FROM ${tables.normalized} ORDER BY period`,
        "billing periods",
      );
      const files: string[] = [];
      for (const { period } of periods) {
        const p = String(period);
        if (!/^\d{4}-\d{2}$/.test(p))
          throw new Error(`${tables.normalized}: a row's BillingPeriodStart gives the period "${p}"`);
        const data = await rows(
          `SELECT * FROM ${tables.normalized} WHERE ${periodOf} = '${p}'`,
          `rows of ${p}`,
        );
        if (!data.length) continue;
        const local = join(FOCUS_ROOT, ...partitionPath("gcp", p), `${prefix}${p}.parquet`);
        await mkdir(join(dest, dirname(local)), { recursive: true });
        const ndjson = join(dest, dirname(local), `${prefix}${p}.ndjson`);
        await writeFile(
          ndjson,
          data
            .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, asText(v)]))))
            .join("\n"),
        );
        await writeParquet(ndjson, join(dest, local));
        await rm(ndjson);
        files.push(local);
      }
      let runs: RunRecord[] = [];
      try {
        runs = (
          await rows(
            `SELECT TO_JSON_STRING(record) AS record FROM ${tables.runs} ORDER BY finished_at`,
            "run records",
          )
        ).map((r) => JSON.parse(String(r.record)) as RunRecord);
      } catch (e) {
        // The job creates the table on its first run.
        if (!/not found/i.test((e as Error).message)) throw e;
      }
      return { files, ...lastRuns(runs) };
    },
  };
}
