import type { Table } from "@aws-sdk/client-glue";
import { FRESHNESS_METRIC } from "../../../components/aws/job-contract";
import { normalizedKeys, PARTITION_COLUMN } from "../../../components/aws/layout";
import type { Rate } from "../../currency/rates";
import type { TagAliases } from "../../mapping/tags";
import { trino } from "../../mapping/trino";
import { MAPPINGS } from "../../mappings";
import { viewDefinitions } from "../../query/warehouse";
import { accountingTotals } from "../../warehouse/accounting";
import type { WarehouseChecks } from "../../warehouse/checks";
import { type BillingPeriod, openPeriods } from "../../warehouse/period";
import { athenaPeriodStatements } from "../../warehouse/statements";
import type { Logger } from "../shared/log";
import { recordChecks } from "../shared/record-checks";
import { type RunRecord, RunRecorder } from "../shared/run-record";
import type { SecretLoader } from "../shared/secrets";
import { type AthenaClientLike, AthenaRunner } from "./athena";
import type { AwsJobConfig } from "./config";
import { exportPeriods, lastDelivery } from "./exports";
import {
  assertManagedPartitions,
  type CurrentPartition,
  type GlueClientLike,
  getPartition,
  getTable,
  PARTITION_PARAMS,
  switchPartition,
  tableColumns,
} from "./partitions";
import { deleteKeys, deletePrefix, listObjects, putJson, type S3ClientLike } from "./s3";

export const AWS_JOB_NAME = "aws-normalize";

export interface AwsJobDeps {
  athena: AthenaClientLike;
  glue: GlueClientLike;
  s3: S3ClientLike;
  secrets: SecretLoader;
  log: Logger;
  /** The checks step, given the periods written. */
  checks: WarehouseChecks;
  /** Daily USD rates for non-USD billing currencies; none by default. */
  rates?: readonly Rate[];
  /** The tenant's tag aliases (checks.tagAliases), which `unified.canonical_tags` renames; none by default. */
  tagAliases?: TagAliases;
  /** Where the freshness metric line goes (stdout in Lambda, for CloudWatch embedded metrics). */
  metrics?: NodeJS.WritableStream;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms by which queries must be done (the Lambda deadline less a margin). */
  deadline?: () => number;
  runId?: string;
}

/** One CloudWatch embedded-metric-format line with the hours since the export last delivered. */
export function freshnessLine(namespace: string, tenantId: string, delivered: Date, now: Date): string {
  const hours = Math.round(((now.getTime() - delivered.getTime()) / 3_600_000) * 100) / 100;
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [["TenantId"]],
          Metrics: [{ Name: FRESHNESS_METRIC, Unit: "None" }],
        },
      ],
    },
    TenantId: tenantId,
    [FRESHNESS_METRIC]: hours,
  });
}

interface SourceChoice {
  format: "aws-cur2" | "aws-focus";
  dataPrefix: string;
  table: string;
}

/** CUR 2.0 when the tenant exports it, else FOCUS: both carry the same costs, so only one is normalized. */
function chooseSource(config: AwsJobConfig, log: Logger): SourceChoice {
  if (config.cur2DataPrefix && config.tables.cur2) {
    if (config.focusDataPrefix)
      log.info("CUR 2.0 and FOCUS are both exported; normalizing CUR 2.0 only, as both hold the same costs");
    return { format: "aws-cur2", dataPrefix: config.cur2DataPrefix, table: config.tables.cur2 };
  }
  if (config.focusDataPrefix && config.tables.focus) {
    return { format: "aws-focus", dataPrefix: config.focusDataPrefix, table: config.tables.focus };
  }
  throw new Error(
    "no export has both a data prefix and a Glue table; check COSTLINE_GLUE_TABLES against the export prefixes",
  );
}

const s3Url = (bucket: string, key: string) => `s3://${bucket}/${key}`;
const keyOf = (bucket: string, url: string) =>
  url.startsWith(`s3://${bucket}/`) ? url.slice(`s3://${bucket}/`.length) : undefined;

/**
 * The AWS normalization run: for each open or restated billing period, normalize the export in
 * Athena into a fresh location, switch the period's Glue partition to it, then remove the old
 * files; record what was read and written; run the checks; write the run record next to the data.
 */
export async function runAwsJob(config: AwsJobConfig, deps: AwsJobDeps): Promise<RunRecord> {
  const now = deps.now ?? (() => new Date());
  const recorder = new RunRecorder(
    AWS_JOB_NAME,
    config.tenantId,
    deps.log.redactor,
    () => now().getTime(),
    deps.runId,
  );
  const log = deps.log.child({ job: AWS_JOB_NAME, tenantId: config.tenantId, runId: recorder.runId });
  const failures: string[] = [];
  let record: RunRecord;
  try {
    // Loaded so that its value is registered with the redactor before any line is written.
    await deps.secrets.get(config.secretArn);
    const source = chooseSource(config, log);
    const delivered = await lastDelivery(deps.s3, config.bucket, source.dataPrefix);
    if (delivered)
      (deps.metrics ?? process.stdout).write(
        `${freshnessLine(config.metricNamespace, config.tenantId, delivered, now())}\n`,
      );
    else
      log.warn("the export has delivered no manifest yet; no freshness value is reported", {
        prefix: source.dataPrefix,
      });

    const normalized = await getTable(deps.glue, config.database, config.tables.normalized);
    assertManagedPartitions(normalized);
    const sourceTable = await getTable(deps.glue, config.database, source.table);
    const periods = await exportPeriods(deps.s3, config.bucket, source.dataPrefix);
    const open = openPeriods(now());
    const runner = new AthenaRunner(deps.athena, {
      workgroup: config.workgroup,
      database: config.database,
      log,
      sleep: deps.sleep,
      deadline: deps.deadline,
      now: () => now().getTime(),
    });
    const written: BillingPeriod[] = [];
    // Open periods first, then the rest newest first: if time runs out, what readers use most is current.
    const order = [...periods].sort(([a], [b]) => {
      const rank = (p: string) => (open.includes(p) ? 0 : 1);
      return rank(a) - rank(b) || (rank(a) === 0 ? a.localeCompare(b) : b.localeCompare(a));
    });
    for (const [period, modified] of order) {
      const current = await getPartition(deps.glue, config.database, config.tables.normalized, period);
      const seen = current?.parameters[PARTITION_PARAMS.sourceModified];
      const why = !current
        ? "never normalized"
        : !seen || new Date(seen) < modified
          ? "restated by the export"
          : open.includes(period)
            ? "open period"
            : undefined;
      if (!why) continue;
      if (deps.deadline && now().getTime() >= deps.deadline()) {
        failures.push(`${period}: not started, the run ran out of time (the next run continues with it)`);
        continue;
      }
      log.info("normalizing billing period", { period, why, sourceModified: modified.toISOString() });
      try {
        await replacePeriod({
          config,
          deps,
          log,
          recorder,
          runner,
          source,
          sourceTable,
          normalized,
          period,
          modified,
          current,
        });
        written.push(period);
      } catch (e) {
        failures.push(`${period}: ${(e as Error).message}`);
        log.error("billing period failed; its previous data stays current", { period, error: e });
      }
    }
    if (written.length) {
      await replaceViews(config, deps.tagAliases, runner, log, failures);
      await recordChecks(
        () =>
          deps.checks({
            tenantId: config.tenantId,
            dialect: trino,
            table: `${trino.ident(config.database)}.${trino.ident(config.tables.normalized)}`,
            periods: written,
            focusVersion: config.focusVersion,
            periodFilter: (periods) =>
              `${trino.ident(PARTITION_COLUMN)} IN (${periods.map(trino.string).join(", ")}) AND ${trino.ident("x_TenantId")} = ${trino.string(config.tenantId)}`,
            connection: {
              recordedAt: now().toISOString(),
              exports: delivered
                ? [{ provider: "aws", name: source.dataPrefix, lastExportAt: delivered.toISOString() }]
                : [],
              credentials: [],
            },
            now: now(),
            query: async (sql) => (await runner.run(sql, "check", { results: true })).rows,
          }),
        written.join(", "),
        recorder,
        log,
      );
    } else log.info("no billing period is new, open or restated; nothing to normalize");
    record = recorder.finish(failures.length ? new Error(failures.join("; ")) : undefined);
  } catch (e) {
    log.error("run failed", { error: e });
    record = recorder.finish(e);
  }
  await putJson(
    deps.s3,
    config.bucket,
    normalizedKeys(config.normalizedPrefix).runRecord(record.runId),
    record,
  );
  log.info("run finished", {
    status: record.status,
    written: record.written.length,
    durationMs: record.durationMs,
  });
  return record;
}

/**
 * `unified` and the named cost views (runtime/query/views.ts) beside the normalized table, as
 * Athena creates views (it writes them into Glue itself): the same SELECTs `costline query` runs,
 * rendered for Athena. DDL scans nothing; a failure is the run's failure, the data stays written.
 */
async function replaceViews(
  config: AwsJobConfig,
  tagAliases: TagAliases | undefined,
  runner: AthenaRunner,
  log: Logger,
  failures: string[],
) {
  const table = `${trino.ident(config.database)}.${trino.ident(config.tables.normalized)}`;
  for (const view of viewDefinitions("athena", table, tagAliases)) {
    const name = `${trino.ident(config.database)}.${trino.ident(view.name)}`;
    try {
      await runner.run(`CREATE OR REPLACE VIEW ${name} AS ${view.sql}`, `view ${view.name}`);
    } catch (e) {
      failures.push(`view ${view.name}: ${(e as Error).message}`);
      log.error("a cost view could not be replaced; the data is written", { view: view.name, error: e });
    }
  }
}

interface PeriodContext {
  config: AwsJobConfig;
  deps: AwsJobDeps;
  log: Logger;
  recorder: RunRecorder;
  runner: AthenaRunner;
  source: SourceChoice;
  sourceTable: Table;
  normalized: Table;
  period: BillingPeriod;
  modified: Date;
  current: CurrentPartition | undefined;
}

/**
 * One period: write it to `run=<id>/`, switch the partition there, check what readers now see,
 * then delete the previous files. Until the switch the previous data is all readers can see; if
 * the count after the switch is wrong, the partition goes back and the new files are removed.
 */
async function replacePeriod(ctx: PeriodContext): Promise<void> {
  const { config, deps, log, recorder, runner, period } = ctx;
  const keys = normalizedKeys(config.normalizedPrefix);
  const prefix = keys.periodRun(period, recorder.runId);
  const location = s3Url(config.bucket, prefix);
  const statements = athenaPeriodStatements(
    {
      mapping: MAPPINGS[ctx.source.format],
      tenantId: config.tenantId,
      reportingCurrency: config.reportingCurrency,
      focusVersion: config.focusVersion,
      period,
      rates: deps.rates,
      tables: [
        {
          from: `${trino.ident(config.database)}.${trino.ident(ctx.source.table)}`,
          label: ctx.source.table,
          columns: tableColumns(ctx.sourceTable),
          where: `${trino.ident(PARTITION_COLUMN)} = ${trino.string(period)}`,
        },
      ],
    },
    location,
  );
  const accounting = await runner.run(statements.accounting, `accounting ${period}`, { results: true });
  const rows = accountingTotals(accounting.rows);
  recorder.read({
    source: `${s3Url(config.bucket, ctx.source.dataPrefix)}BILLING_PERIOD=${period}/`,
    rows: rows.read,
    bytes: accounting.bytesScanned,
    queryId: accounting.queryId,
  });
  if (rows.quarantined > 0) {
    // Kept per run beside the run records, before anything switches.
    const quarantine = keys.quarantine(period, recorder.runId);
    const written = await runner.run(
      statements.quarantineTo(s3Url(config.bucket, quarantine)),
      `quarantine ${period}`,
      { beforeRetry: () => deletePrefix(deps.s3, config.bucket, quarantine) },
    );
    recorder.wrote({
      target: s3Url(config.bucket, quarantine),
      rows: rows.quarantined,
      bytes: written.bytesScanned,
      queryId: written.queryId,
    });
    log.warn("rows failed their checks and are not in the output; they are in the quarantine", {
      period,
      quarantined: rows.quarantined,
      read: rows.read,
      quarantine: s3Url(config.bucket, quarantine),
    });
  }
  if (rows.unknownServices.length) {
    log.warn("services missing from the taxonomy (written as Other)", {
      period,
      services: rows.unknownServices,
    });
  }
  if (rows.unknownUnits.length) {
    log.warn("units missing from the units table (written as the export states them)", {
      period,
      units: rows.unknownUnits,
    });
  }
  const removeNew = () => deletePrefix(deps.s3, config.bucket, prefix);
  let switched = false;
  try {
    const unload = await runner.run(statements.unload, `unload ${period}`, { beforeRetry: removeNew });
    const files = await listObjects(deps.s3, config.bucket, prefix);
    if (rows.expected > 0 && files.length === 0)
      throw new Error(`UNLOAD reported success but wrote no file under ${location}`);
    const parameters = {
      [PARTITION_PARAMS.runId]: recorder.runId,
      [PARTITION_PARAMS.sourceModified]: ctx.modified.toISOString(),
      [PARTITION_PARAMS.rows]: String(rows.expected),
    };
    await switchPartition(deps.glue, ctx.normalized, period, location, parameters, ctx.current !== undefined);
    switched = true;
    const table = `${trino.ident(config.database)}.${trino.ident(config.tables.normalized)}`;
    const check = await runner.run(
      `SELECT count(*) AS n FROM ${table} WHERE ${trino.ident(PARTITION_COLUMN)} = ${trino.string(period)}`,
      `count ${period}`,
      { results: true },
    );
    const visible = Number(check.rows[0]?.n ?? Number.NaN);
    if (visible !== rows.expected) {
      throw new Error(
        `after the switch ${visible} rows are visible, not the ${rows.expected} expected; the export changed during the run`,
      );
    }
    recorder.wrote({ target: location, rows: visible, bytes: unload.bytesScanned, queryId: unload.queryId });
  } catch (e) {
    if (switched && ctx.current) {
      await switchPartition(
        deps.glue,
        ctx.normalized,
        period,
        ctx.current.location,
        ctx.current.parameters,
        true,
      );
    }
    await removeNew().catch((cleanup) =>
      log.warn("could not remove the new files", { period, location, error: cleanup }),
    );
    throw e;
  }
  // Everything else of the period's own folder goes: the previous run's files and any a failed
  // run left behind. A previous location outside it (set by hand, or another period's folder) may
  // hold data readers still see through another partition, so it stays, and the log says where.
  const periodRoot = keys.periodRoot(period);
  const previous = ctx.current && keyOf(config.bucket, ctx.current.location);
  if (ctx.current && !previous?.startsWith(periodRoot))
    log.warn("the period's previous location is not its own folder; its files were left in place", {
      period,
      location: ctx.current.location,
    });
  try {
    const stale = (await listObjects(deps.s3, config.bucket, periodRoot))
      .map((o) => o.key)
      .filter((k) => !k.startsWith(prefix));
    await deleteKeys(deps.s3, config.bucket, stale);
  } catch (e) {
    // Readers no longer see them; the next run of this period removes them.
    log.warn("could not remove the previous files of the period", { period, error: e });
  }
}
