import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { RunRecord } from "../jobs/shared/run-record";
import { FOCUS_ROOT } from "../jobs/shared/job-output";
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
  /** Copies the published data into `dest` (a tenant's store folder), files named `<prefix><name>`. */
  read(dest: string, prefix: string): Promise<SourceRead>;
}

const RUNS = "_runs/";

/**
 * The output of a file-based job (the Azure job's normalized container, a Kubernetes cluster's
 * object-store sink): each period's `_current.json` names the files readers read (publish.ts),
 * and `_runs/<id>/run.json` the runs. Only the files a pointer names are read: a run's upload in
 * progress, or one that failed, is never collected.
 */
export function pointerStoreSource(cloud: Cloud, store: ObjectStore, id: string = cloud): CloudSource {
  return {
    cloud,
    id,
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
      const runs: RunRecord[] = [];
      for (const key of (await store.list(RUNS)).filter((k) => k.endsWith("/run.json"))) {
        runs.push(JSON.parse((await store.get(key))!.toString("utf8")) as RunRecord);
      }
      runs.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt));
      const last = runs.at(-1);
      return {
        files,
        ...(last
          ? {
              lastRun: {
                runId: last.runId,
                finishedAt: last.finishedAt,
                status: last.status,
                error: last.error,
              },
            }
          : {}),
        ...(runs.some((r) => r.status === "succeeded")
          ? { lastSuccessfulRun: runs.filter((r) => r.status === "succeeded").at(-1)!.finishedAt }
          : {}),
      };
    },
  };
}
