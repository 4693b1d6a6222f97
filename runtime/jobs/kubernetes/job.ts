import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import type { OutputVersion } from "../../schema/output";
import { join } from "node:path";
import { z } from "zod";
import type { ConnectionRecord } from "../../checks/connection";
import {
  CONNECTION_KEY,
  FOCUS_ROOT,
  type ChecksStep,
  type NormalizeStep,
  normalizeMonths,
  parsePartition,
  publishNormalized,
  readJobState,
  writeJobState,
  writeRunRecord,
} from "../shared/job-output";
import type { Logger } from "../shared/log";
import { RunRecorder } from "../shared/run-record";
import { periodPrefix } from "../stores/publish";
import type { ObjectStore } from "../stores/store";
import { closedDaysToFetch, fetchAllocationDay, type OpenCostSource } from "./opencost";

/** What the CronJob is told (components/kubernetes/normalization-job.ts, job-pod.ts, sink.ts). */
export interface KubernetesJobConfig {
  tenantId: string;
  /** The tenant's reporting currency (ISO 4217); USD when the stack set none. */
  reportingCurrency?: string;
  /** The FOCUS version to write; 1.2 when the stack set none. */
  focusVersion?: OutputVersion;
  /** The cluster whose allocations this job reads; one cluster a sink. */
  cluster: string;
  /** Local scratch space (the pod's /tmp emptyDir). */
  tempDir: string;
  /** DuckDB's memory limit (the pod's budget, e.g. "512MiB"). */
  memoryLimit?: string;
  /** Most days a first run (or a run after a long gap) fetches; OpenCost keeps limited history. */
  maxBackfillDays?: number;
}

export interface KubernetesJobDeps {
  /** The sink: S3, GCS, Azure Blob or a volume. */
  output: ObjectStore;
  opencost: OpenCostSource;
  logger: Logger;
  now: () => Date;
  normalize: NormalizeStep;
  checks: ChecksStep;
}

const KubernetesJobState = z.object({
  cluster: z.string(),
  lastFetchedDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export interface KubernetesJobResult {
  runId: string;
  /** Days fetched from OpenCost. */
  days: string[];
  /** Billing periods published. */
  periods: string[];
}

const STATE = "kubernetes";
/** OpenCost's answers as fetched, one a day: the source a month is rebuilt from, since OpenCost forgets. */
const RAW_ROOT = "raw/opencost";
const rawKey = (day: string) => `${RAW_ROOT}/day=${day}.json`;
const DAY_MS = 86_400_000;

/**
 * One run of the Kubernetes job: fetches each closed UTC day since the last run from OpenCost and
 * keeps the answers in the sink, then rebuilds each month those days fall in from all of that
 * month's kept days (a period is replaced whole, so it must be built whole), publishes each month
 * atomically, and only then records the last day fetched. A failure leaves the previous months
 * current and the next run fetches the same days again.
 */
export async function runKubernetesJob(
  deps: KubernetesJobDeps,
  config: KubernetesJobConfig,
): Promise<KubernetesJobResult> {
  const { output, logger } = deps;
  const recorder = new RunRecorder("kubernetes", config.tenantId, logger.redactor, () =>
    deps.now().getTime(),
  );
  const log = logger.child({
    job: "kubernetes",
    tenantId: config.tenantId,
    cluster: config.cluster,
    runId: recorder.runId,
  });
  const work = mkdtempSync(join(config.tempDir, "costline-kubernetes-"));
  try {
    const state = await readJobState(output, STATE, KubernetesJobState);
    if (state && state.cluster !== config.cluster) {
      throw new Error(
        `the sink ${output.url} already holds cluster "${state.cluster}"'s data; cluster "${config.cluster}" would replace its months. Give each cluster its own sink prefix`,
      );
    }
    const days = closedDaysToFetch(deps.now(), state?.lastFetchedDay, config.maxBackfillDays).map((d) =>
      d.toISOString().slice(0, 10),
    );
    const result: KubernetesJobResult = { runId: recorder.runId, days, periods: [] };
    if (days.length === 0) {
      log.info("no closed day to fetch", { lastFetchedDay: state?.lastFetchedDay });
      await writeRunRecord(output, recorder.finish());
      return result;
    }

    const fetched = join(work, "fetched");
    mkdirSync(fetched);
    for (const day of days) {
      const { file, allocations } = await fetchAllocationDay(
        deps.opencost,
        new Date(`${day}T00:00:00Z`),
        fetched,
      );
      await output.putFile(rawKey(day), file);
      recorder.read({
        source: `${deps.opencost.baseUrl} ${day}`,
        rows: allocations,
        bytes: statSync(file).size,
      });
      log.info("fetched", { day, allocations });
    }

    const months = [...new Set(days.map((d) => d.slice(0, 7)))].sort();
    const inputs = join(work, "in");
    mkdirSync(inputs);
    for (const month of months) {
      for (const key of await output.list(`${RAW_ROOT}/day=${month}-`)) {
        writeFileSync(
          join(inputs, key.slice(RAW_ROOT.length + 1).replace("=", "-")),
          (await output.get(key))!,
        );
      }
    }
    const { out, summary } = await normalizeMonths(
      deps.normalize,
      {
        inputs: [inputs],
        format: "opencost",
        tenantId: config.tenantId,
        reportingCurrency: config.reportingCurrency,
        focusVersion: config.focusVersion,
        months,
        work,
        memoryLimit: config.memoryLimit,
        describe: "the OpenCost days",
      },
      log,
    );
    const periods = summary.partitions.map((p) => parsePartition(p).billingPeriod);
    const pointers = await publishNormalized(
      output,
      out,
      summary,
      {
        runId: recorder.runId,
        provider: "kubernetes",
        emptyPeriods: months.filter((m) => !periods.includes(m)),
      },
      deps.now,
    );
    for (const p of pointers)
      recorder.wrote({
        target: `${output.url}${periodPrefix(FOCUS_ROOT, p.provider, p.billingPeriod)}`,
        rows: p.rows,
      });
    result.periods = pointers.map((p) => p.billingPeriod);

    const lastDay = days.at(-1)!;
    const connection: ConnectionRecord = {
      recordedAt: deps.now().toISOString(),
      exports: [
        {
          provider: "kubernetes",
          name: config.cluster,
          lastExportAt: new Date(Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS).toISOString(),
        },
      ],
      // Workload identity or a volume: no stored credential.
      credentials: [],
    };
    await output.put(CONNECTION_KEY, JSON.stringify(connection, null, 2));
    for (const finding of await deps.checks(out, connection, deps.now())) recorder.checked(finding);
    await writeJobState(output, STATE, { cluster: config.cluster, lastFetchedDay: lastDay });
    await writeRunRecord(output, recorder.finish());
    log.info("published", { periods: result.periods, rowsWritten: summary.totals.rowsWritten });
    return result;
  } catch (error) {
    await writeRunRecord(output, recorder.finish(error)).catch((e) =>
      log.error("could not write the run record", { error: e as Error }),
    );
    log.error("run failed", { error: error as Error });
    throw error;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
