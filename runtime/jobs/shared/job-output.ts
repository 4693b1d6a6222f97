import { existsSync, readdirSync } from "node:fs";
import type { OutputVersion } from "../../schema/output";
import { join, relative, sep } from "node:path";
import type { z } from "zod";
import { PARTITION, partitionPath } from "../../normalize/partitions";
import type { NormalizeOptions } from "../../normalize/run";
import type { Summary } from "../../normalize/summary";
import { type PeriodPointer, publishPeriod } from "../stores/publish";
import { keyJoin, type ObjectStore } from "../stores/store";
import type { Logger } from "./log";
import type { RunRecord } from "./run-record";

/**
 * What the file-based jobs (Azure, Kubernetes) keep in their output store besides the data:
 *
 *   focus/x_Provider=<p>/x_BillingPeriod=<yyyy-mm>/_current.json + run=<id>/...   the data (publish.ts)
 *   _state/<job>.json        what the next run starts from; written only after a publication
 *   _runs/<id>/run.json      the run record; summary.json and quarantine/ of that run beside it
 *   connection.json          the connection record the checks read (checks/connection.ts)
 */
export const FOCUS_ROOT = "focus";
export const CONNECTION_KEY = "connection.json";
const stateKey = (job: string) => keyJoin("_state", `${job}.json`);
/** Where each run's record and files go, and the record's name there: `costline collect` reads them. */
export const RUNS_ROOT = "_runs";
export const RUN_RECORD = "run.json";
const runKey = (runId: string, ...rest: string[]) => keyJoin(RUNS_ROOT, runId, ...rest);

/** A job's saved state, or undefined on its first run; state that does not parse is an error naming it. */
export async function readJobState<S extends z.ZodType>(
  store: ObjectStore,
  job: string,
  schema: S,
): Promise<z.output<S> | undefined> {
  const body = await store.get(stateKey(job));
  if (!body) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw new Error(
      `${store.url}${stateKey(job)} is not JSON (${(e as Error).message}); delete it to start over`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".") || "(state)"}: ${i.message}`).join("; ");
    throw new Error(
      `${store.url}${stateKey(job)} is not valid job state (${where}); delete it to start over`,
    );
  }
  return parsed.data;
}

export async function writeJobState(store: ObjectStore, job: string, state: unknown): Promise<void> {
  await store.put(stateKey(job), JSON.stringify(state, null, 2));
}

const PARTITION_PATTERN = new RegExp(
  `^focus/${PARTITION.provider}=([^/]+)/${PARTITION.period}=(\\d{4}-\\d{2})$`,
);

/** `focus/x_Provider=<p>/x_BillingPeriod=<yyyy-mm>` (as the normalizer reports partitions) split into its values. */
export function parsePartition(partition: string): { provider: string; billingPeriod: string } {
  const match = PARTITION_PATTERN.exec(partition.split(sep).join("/"));
  if (!match)
    throw new Error(
      `unexpected output partition "${partition}"; expected focus/${partitionPath("P", "YYYY-MM").join("/")}`,
    );
  return { provider: match[1]!, billingPeriod: match[2]! };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Publishes each billing period a normalize run wrote under `out`, every one atomically (readers
 * switch with one pointer PUT); `emptyPeriods` are published with no files, because the newest
 * source data says they hold nothing. The run's summary and quarantine go under `_runs/<id>/`
 * first: they explain the data, so they must exist once the data is visible.
 */
export async function publishNormalized(
  store: ObjectStore,
  out: string,
  summary: Summary,
  target: { runId: string; provider: string; emptyPeriods?: readonly string[] },
  now: () => Date,
): Promise<PeriodPointer[]> {
  await store.put(runKey(target.runId, "summary.json"), JSON.stringify(summary, null, 2));
  const quarantine = join(out, "quarantine");
  for (const file of filesUnder(quarantine)) {
    await store.putFile(runKey(target.runId, "quarantine", ...relative(quarantine, file).split(sep)), file);
  }
  const pointers: PeriodPointer[] = [];
  for (const partition of summary.partitions) {
    const { provider, billingPeriod } = parsePartition(partition);
    const files = filesUnder(join(out, partition)).filter((f) => f.endsWith(`.${summary.outputFormat}`));
    pointers.push(
      await publishPeriod(
        store,
        { root: FOCUS_ROOT, provider, billingPeriod, runId: target.runId },
        files,
        now,
      ),
    );
  }
  for (const billingPeriod of target.emptyPeriods ?? []) {
    pointers.push(
      await publishPeriod(
        store,
        { root: FOCUS_ROOT, provider: target.provider, billingPeriod, runId: target.runId, rows: 0 },
        [],
        now,
      ),
    );
  }
  return pointers;
}

export async function writeRunRecord(store: ObjectStore, record: RunRecord): Promise<void> {
  await store.put(runKey(record.runId, RUN_RECORD), JSON.stringify(record, null, 2));
}

/** The tenant's policy checks over a job's output folder, with the settings it was deployed with, as run-record entries. */
export function outputChecks(checks: import("../../checks/config").ChecksConfig): ChecksStep {
  return async (input, connection, now) => {
    // DuckDB and the policies load only when a job gets this far.
    const { runChecks } = require("../../checks/run") as typeof import("../../checks/run");
    const findings = await runChecks({ input, checks, connection, now });
    return findings.map((f) => ({
      policy: f.policy,
      severity: f.severity,
      subject: f.subject,
      message: f.message,
    }));
  };
}

/** The normalizer, as a job is given it (tests give their own). */
export type NormalizeStep = (options: NormalizeOptions) => Promise<Summary>;

/** The policy checks over a job's output folder; their findings go into the run record. */
export type ChecksStep = (
  input: string,
  connection: import("../../checks/connection").ConnectionRecord,
  now: Date,
) => Promise<RunRecord["checks"]>;

/** What a file-based job normalizes: its downloaded inputs and the months they rebuild. */
export interface MonthsToRebuild {
  inputs: string[];
  format: NonNullable<NormalizeOptions["format"]>;
  tenantId: string;
  /** The tenant's reporting currency (ISO 4217); USD when the stack set none. */
  reportingCurrency?: string;
  /** The FOCUS version to write; 1.2 when the stack set none. */
  focusVersion?: OutputVersion;
  /** `YYYY-MM`: the only billing periods the inputs may hold. */
  months: string[];
  /** The job's scratch folder; output and spill go below it. */
  work: string;
  memoryLimit?: string;
  /** Names the inputs in the error when they hold rows of other months. */
  describe: string;
}

/**
 * Normalizes a job's inputs into `<work>/out` and returns the summary, or throws before anything
 * is published: when the totals do not reconcile, or when the inputs hold rows of a month they
 * were not meant to rebuild (publishing it would replace that month with only part of its data).
 */
export async function normalizeMonths(
  normalize: NormalizeStep,
  job: MonthsToRebuild,
  log: Logger,
): Promise<{ out: string; summary: Summary }> {
  const out = join(job.work, "out");
  const summary = await normalize({
    inputs: job.inputs,
    out,
    format: job.format,
    tenantId: job.tenantId,
    reportingCurrency: job.reportingCurrency,
    focusVersion: job.focusVersion,
    outputFormat: "parquet",
    engine: { memoryLimit: job.memoryLimit, tempDirectory: join(job.work, "spill") },
    progress: (message) => log.debug(message),
  });
  if (summary.problems.length > 0) {
    throw new Error(`normalization did not reconcile, nothing was published: ${summary.problems.join("; ")}`);
  }
  const outside = summary.partitions
    .map((p) => parsePartition(p).billingPeriod)
    .filter((p) => !job.months.includes(p));
  if (outside.length > 0) {
    throw new Error(
      `${job.describe} of ${job.months.join(", ")} hold rows of billing period(s) ${outside.join(", ")}; Costline rebuilds a period only from that month's data, so nothing was published`,
    );
  }
  return { out, summary };
}
