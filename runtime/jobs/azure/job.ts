import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
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
import { checkExport, type ExportHealth, type ExportsApi } from "./export-health";
import { type ExportRun, findNewRuns, listManifests, readManifest } from "./manifest";

/** What the deployed function is told (components/azure/pipeline.ts writes these as app settings). */
export interface AzureJobConfig {
  tenantId: string;
  /** The tenant's reporting currency (ISO 4217); USD when the stack set none. */
  reportingCurrency?: string;
  /** The FOCUS version to write; 1.2 when the stack set none. */
  focusVersion?: OutputVersion;
  /** `azure-focus` for FocusCost exports, `azure-cost-details` for ActualCost/AmortizedCost. */
  sourceFormat: "azure-focus" | "azure-cost-details";
  /** The Cost Management dataset the exports must produce (FocusCost, ActualCost, AmortizedCost). */
  exportDataset: string;
  /** The export's name in every scope. */
  exportName: string;
  /** Scopes whose export is checked: each subscription (`/subscriptions/<id>`) or the billing scope. */
  exportScopes: string[];
  /** The container the exports deliver to. */
  exportContainer: string;
  /** Older than this, an export's data is stale and a run is triggered. */
  maxExportAgeHours: number;
  /** Local scratch space for downloads, DuckDB spills and the normalized output. */
  tempDir: string;
  /** DuckDB's memory limit, e.g. "1GB". */
  memoryLimit?: string;
}

/** Everything the job talks to, injected: the deployed handler passes SDK-backed ones, tests emulators. */
export interface AzureJobDeps {
  /** The exports container (read): manifests and data blobs. */
  exports: ObjectStore;
  /** Downloads one blob of the exports container to a local file (streamed, not buffered). */
  download(key: string, file: string): Promise<void>;
  /** The normalized container (written): data, state, run records. */
  output: ObjectStore;
  /** Cost Management's export operations. */
  exportsApi: ExportsApi;
  logger: Logger;
  now: () => Date;
  normalize: NormalizeStep;
  checks: ChecksStep;
}

/** A run the job has published: enough to rebuild its month without reading its (possibly archived) manifest twice. */
const ProcessedRun = z.object({
  runId: z.string(),
  scope: z.string(),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  submittedTime: z.string(),
});
const AzureJobState = z.object({ runs: z.record(z.string(), ProcessedRun) });
type ProcessedRun = z.infer<typeof ProcessedRun>;

export interface AzureJobResult {
  runId: string;
  health: ExportHealth[];
  /** Manifest keys of the export runs normalized. */
  runs: string[];
  /** Billing periods published. */
  periods: string[];
}

const STATE = "azure";

/**
 * Which export a run belongs to. The manifest names the export's ARM id, which includes its scope;
 * without it, the folder above the date range and run folders
 * (`<root>/<export>/<yyyymmdd-yyyymmdd>/<run>/manifest.json`).
 */
function scopeOf(run: ExportRun): string {
  return (
    run.manifest.exportConfig.resourceId?.toLowerCase() ?? run.manifestKey.split("/").slice(0, -3).join("/")
  );
}

const monthOf = (run: ExportRun) => run.manifest.runInfo.startDate.slice(0, 7);

function describeRun(run: ExportRun): ProcessedRun {
  return {
    runId: run.manifest.runInfo.runId,
    scope: scopeOf(run),
    month: monthOf(run),
    submittedTime: run.manifest.runInfo.submittedTime ?? "",
  };
}

/**
 * One run of the Azure job: checks each export's definition and last run (triggering stale ones),
 * finds the export runs that arrived since the last run, and rebuilds every billing month they
 * touch from the newest run of each scope for that month (exports are month-to-date snapshots, one
 * a subscription, so a month is only whole with all scopes' latest snapshots together). Each month
 * is published atomically; the state moves only after publication, so a failure anywhere leaves
 * the previous data current and the next run retries the same months.
 */
export async function runAzureJob(deps: AzureJobDeps, config: AzureJobConfig): Promise<AzureJobResult> {
  const { logger, output } = deps;
  const recorder = new RunRecorder("azure", config.tenantId, logger.redactor, () => deps.now().getTime());
  const log = logger.child({ job: "azure", tenantId: config.tenantId, runId: recorder.runId });
  const work = mkdtempSync(join(config.tempDir, "costline-azure-"));
  try {
    const health = await checkExports(deps, config, recorder, log);
    const state = (await readJobState(output, STATE, AzureJobState)) ?? { runs: {} };
    const listed = new Set(await listManifests(deps.exports, ""));
    const known = new Set(Object.keys(state.runs).filter((k) => listed.has(k)));
    const processedIds = new Set([...known].map((k) => state.runs[k]!.runId));
    const fresh = await findNewRuns(deps.exports, "", processedIds, known);
    for (const run of fresh) {
      if (run.format !== config.sourceFormat) {
        throw new Error(
          `export manifest ${run.manifestKey} is a ${run.manifest.exportConfig.type} export (${run.format}), but this job reads ${config.sourceFormat}; the export was changed outside Pulumi`,
        );
      }
    }
    const result: AzureJobResult = { runId: recorder.runId, health, runs: [], periods: [] };
    if (fresh.length === 0) {
      log.info("no new export runs", { known: known.size });
      await writeRunRecord(output, recorder.finish());
      return result;
    }

    const chosen = await latestRunPerScope(deps.exports, fresh, known, state.runs);
    const months = [...new Set(chosen.map(monthOf))].sort();
    log.info("rebuilding billing months", { months, runs: chosen.map((r) => r.manifestKey) });
    const inputs: string[] = [];
    for (const [i, run] of chosen.entries())
      inputs.push(await downloadRun(deps, run, join(work, `in-${i}`), recorder));

    const { out, summary } = await normalizeMonths(
      deps.normalize,
      {
        inputs: inputs,
        format: config.sourceFormat,
        tenantId: config.tenantId,
        reportingCurrency: config.reportingCurrency,
        focusVersion: config.focusVersion,
        months,
        work,
        memoryLimit: config.memoryLimit,
        describe: "the export runs",
      },
      log,
    );
    const periods = summary.partitions.map((p) => parsePartition(p).billingPeriod);
    const pointers = await publishNormalized(
      output,
      out,
      summary,
      { runId: recorder.runId, provider: "azure", emptyPeriods: months.filter((m) => !periods.includes(m)) },
      deps.now,
    );
    for (const p of pointers)
      recorder.wrote({
        target: `${output.url}${periodPrefix(FOCUS_ROOT, p.provider, p.billingPeriod)}`,
        rows: p.rows,
      });
    result.runs = chosen.map((r) => r.manifestKey);
    result.periods = pointers.map((p) => p.billingPeriod);

    const connection = connectionRecord(config, chosen, health, deps.now());
    await output.put(CONNECTION_KEY, JSON.stringify(connection, null, 2));
    for (const finding of await deps.checks(out, connection, deps.now())) recorder.checked(finding);

    const runs: Record<string, ProcessedRun> = {};
    for (const key of known) runs[key] = state.runs[key]!;
    for (const run of fresh) runs[run.manifestKey] = describeRun(run);
    await writeJobState(output, STATE, { runs });
    const record = recorder.finish();
    await writeRunRecord(output, record);
    log.info("published", { periods: result.periods, rowsWritten: summary.totals.rowsWritten });
    return result;
  } catch (error) {
    const record = recorder.finish(error);
    await writeRunRecord(output, record).catch((e) =>
      log.error("could not write the run record", { error: e as Error }),
    );
    log.error("run failed", { error: error as Error });
    throw error;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function checkExports(
  deps: AzureJobDeps,
  config: AzureJobConfig,
  recorder: RunRecorder,
  log: Logger,
): Promise<ExportHealth[]> {
  const results: ExportHealth[] = [];
  for (const scope of config.exportScopes) {
    const health = await checkExport(
      deps.exportsApi,
      {
        scope,
        exportName: config.exportName,
        dataset: config.exportDataset,
        container: config.exportContainer,
        maxAgeHours: config.maxExportAgeHours,
      },
      deps.now(),
    );
    results.push(health);
    for (const problem of health.problems) {
      log.warn(problem, { scope });
      recorder.checked({ policy: "export-health", severity: "warning", subject: scope, message: problem });
    }
  }
  return results;
}

/**
 * The runs that make up each month touched by a new run: per scope, the newest of the new runs and
 * the runs published before. A published run whose manifest is gone with nothing newer for its
 * scope would silently drop that scope's cost from the month, so it is an error.
 */
async function latestRunPerScope(
  exports: ObjectStore,
  fresh: ExportRun[],
  known: ReadonlySet<string>,
  processed: Record<string, ProcessedRun>,
): Promise<ExportRun[]> {
  const months = new Set(fresh.map(monthOf));
  const newest = new Map<string, { key: string; submitted: string; run?: ExportRun }>();
  const consider = (key: string, info: ProcessedRun, run?: ExportRun) => {
    if (!months.has(info.month)) return;
    const slot = `${info.scope}|${info.month}`;
    const current = newest.get(slot);
    if (!current || info.submittedTime > current.submitted)
      newest.set(slot, { key, submitted: info.submittedTime, run });
  };
  for (const [key, info] of Object.entries(processed)) {
    if (known.has(key)) consider(key, info);
  }
  for (const run of fresh) consider(run.manifestKey, describeRun(run), run);
  const lost = Object.entries(processed).filter(
    ([key, info]) => months.has(info.month) && !known.has(key) && !newest.has(`${info.scope}|${info.month}`),
  );
  if (lost.length > 0) {
    throw new Error(
      `export run(s) ${lost.map(([k]) => k).join(", ")} were published before but are gone from the exports container, and no newer run of their scope covers ${[...new Set(lost.map(([, i]) => i.month))].join(", ")}; run those exports again (Cost Management > Exports > Run now) so the month can be rebuilt whole`,
    );
  }
  const chosen: ExportRun[] = [];
  for (const { key, run } of newest.values()) chosen.push(run ?? (await readManifest(exports, key)));
  return chosen.sort((a, b) => a.manifestKey.localeCompare(b.manifestKey));
}

/** Downloads a run's data blobs into `dir`, checking each against the size its manifest states. */
async function downloadRun(
  deps: AzureJobDeps,
  run: ExportRun,
  dir: string,
  recorder: RunRecorder,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  if (run.manifest.blobs.length === 0) {
    throw new Error(`export manifest ${run.manifestKey} lists no data blobs; the run is incomplete or empty`);
  }
  for (const [i, blob] of run.manifest.blobs.entries()) {
    const name = blob.blobName.split("/").pop()!;
    const file = join(dir, `${i}-${name}`);
    await deps.download(blob.blobName, file);
    const { size } = statSync(file);
    if (blob.byteCount !== undefined && size !== blob.byteCount) {
      throw new Error(
        `blob ${blob.blobName} has ${size} bytes, but manifest ${run.manifestKey} says ${blob.byteCount}; the export may still be writing`,
      );
    }
    recorder.read({ source: `${deps.exports.url}${blob.blobName}`, bytes: size, rows: blob.dataRowCount });
  }
  return dir;
}

/** What the checks need to judge freshness: when each scope's export last delivered. */
function connectionRecord(
  config: AzureJobConfig,
  runs: ExportRun[],
  health: ExportHealth[],
  now: Date,
): ConnectionRecord {
  const delivered = runs
    .map((r) => r.manifest.runInfo.submittedTime)
    .filter((t): t is string => !!t && !Number.isNaN(Date.parse(t)))
    .map((t) => new Date(t).toISOString());
  const times = [...delivered, ...health.map((h) => h.lastSuccess).filter((t): t is string => !!t)].sort();
  const last = times.at(-1);
  return {
    recordedAt: now.toISOString(),
    exports: last ? [{ provider: "azure", name: config.exportName, lastExportAt: last }] : [],
    // The job and the exports use managed identities: there is no credential to age.
    credentials: [],
  };
}
