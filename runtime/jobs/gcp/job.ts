import { RUNS_TABLE } from "../../../components/gcp/job-contract";
import { bigquery as d } from "../../mapping/bigquery";
import { MAPPINGS } from "../../mappings";
import { accountingTotals } from "../../warehouse/accounting";
import type { WarehouseChecks } from "../../warehouse/checks";
import { assertPeriod, type BillingPeriod, invoiceMonth, openPeriods } from "../../warehouse/period";
import type { SourceTable } from "../../warehouse/source";
import { bigQueryPeriodStatements, bigQueryTable } from "../../warehouse/statements";
import type { Logger } from "../shared/log";
import { recordChecks } from "../shared/record-checks";
import { type RunRecord, RunRecorder } from "../shared/run-record";
import type { SecretLoader } from "../shared/secrets";
import type { BigQueryRunner } from "./bigquery";
import type { GcpJobSettings } from "../../../components/gcp/job-contract";
import { type GcpJobEnv, parseSettings } from "./config";

export const GCP_JOB_NAME = "gcp-normalize";
/** Rows a run could not normalize, with the run, file, row, reason and raw values, next to the data. */
export const QUARANTINE_TABLE = "costline_quarantine";
/** On-demand analysis price per TiB used for the logged estimate (list price; reservations differ). */
const USD_PER_TIB = 6.25;

export interface GcpJobDeps {
  bigquery: BigQueryRunner;
  secrets: SecretLoader;
  log: Logger;
  checks: WarehouseChecks;
  now?: () => Date;
  runId?: string;
}

const EXPORT_TABLE = /^gcp_billing_export_(resource_)?v1_(.+)$/;

/** What is missing and how to turn it on; the full steps are the stack output `billingExportSetup`. */
function missingExportProblem(table: string, settings: GcpJobSettings): string {
  const m = EXPORT_TABLE.exec(table);
  const account = m?.[2]?.replaceAll("_", "-") ?? "(unknown account)";
  const section = m?.[1] ? "Detailed usage cost" : "Standard usage cost";
  return (
    `billing export table ${table} is missing from ${settings.projectId}.${settings.billingExport.datasetId}: ` +
    `open https://console.cloud.google.com/billing/${account}/export, under "${section}" choose "Edit settings", select project ` +
    `${settings.projectId} and dataset ${settings.billingExport.datasetId}, then "Save" (the stack output billingExportSetup lists every step); ` +
    "the first rows appear within hours"
  );
}

/** Per billing account the detailed table when it exists (it holds the standard rows and more), else the standard one. */
function chooseTables(present: string[]): string[] {
  const byAccount = new Map<string, string>();
  for (const t of present.sort()) {
    const m = EXPORT_TABLE.exec(t);
    if (!m) continue;
    if (m[1] || !byAccount.has(m[2]!)) byAccount.set(m[2]!, t);
  }
  return [...byAccount.values()];
}

const str = (v: unknown) =>
  v === null || v === undefined
    ? undefined
    : typeof v === "object" && "value" in v
      ? String((v as { value: unknown }).value)
      : String(v);

/**
 * The GCP normalization run: check the billing export tables, find open or restated invoice months,
 * and replace each month of normalized rows in one transaction after a priced dry run.
 */
export async function runGcpJob(
  env: GcpJobEnv,
  deps: GcpJobDeps,
): Promise<RunRecord & { problems: string[] }> {
  const now = deps.now ?? (() => new Date());
  const recorder = new RunRecorder(
    GCP_JOB_NAME,
    env.tenantId,
    deps.log.redactor,
    () => now().getTime(),
    deps.runId,
  );
  const log = deps.log.child({ job: GCP_JOB_NAME, tenantId: env.tenantId, runId: recorder.runId });
  const problems: string[] = [];
  const failures: string[] = [];
  let settings: GcpJobSettings | undefined;
  let record: RunRecord;
  try {
    settings = parseSettings(await deps.secrets.json(env.secretId), env.tenantId);
    const unnamed = settings.billingExport.billingAccountIds.filter((id) => !(id in env.billingAccountNames));
    if (unnamed.length) {
      log.warn(
        "billing accounts without a display name: their rows have no BillingAccountName, which FOCUS requires; name them under gcp.billingAccountNames in the tenant config",
        { billingAccountIds: unnamed },
      );
    }
    const bq = deps.bigquery;
    const exportDataset = settings.billingExport.datasetId;
    const present = new Set(await bq.tableIds(exportDataset));
    for (const t of settings.billingExport.expectedTables.filter((t) => !present.has(t))) {
      const problem = missingExportProblem(t, settings);
      problems.push(problem);
      recorder.checked({ policy: "billing-export", severity: "error", subject: t, message: problem });
      log.error("billing export table missing", { table: t, how: problem });
    }
    const chosen = chooseTables(settings.billingExport.expectedTables.filter((t) => present.has(t)));
    if (!chosen.length)
      throw new Error(
        "no billing export table exists yet; turn the export on (see the problems) and the next run normalizes it",
      );
    const tables = await Promise.all(
      chosen.map(async (t) => ({
        id: t,
        ref: bigQueryTable(settings!.projectId, exportDataset, t),
        info: await bq.table(exportDataset, t),
      })),
    );

    const normalizedIds = new Set(await bq.tableIds(settings.normalized.datasetId));
    const runsTable = bigQueryTable(settings.projectId, settings.normalized.datasetId, RUNS_TABLE);
    let since: string | undefined;
    if (normalizedIds.has(RUNS_TABLE)) {
      const last = await bq.run(
        `SELECT MAX(started_at) AS since FROM ${runsTable} WHERE tenant_id = ${d.string(env.tenantId)} AND status = 'succeeded'`,
        "last run",
        true,
      );
      since = str(last.rows[0]?.since);
    }
    // Months with rows exported since the last good run began (a late row or a correction restates
    // its month), or every month on the first run; plus the months still open.
    const sinceSql = since ? `TIMESTAMP(${d.string(since)})` : undefined;
    const months = tables.map(
      (t) =>
        `SELECT invoice.month AS month, MAX(export_time) AS exported FROM ${t.ref}` +
        (sinceSql
          ? ` WHERE export_time > ${sinceSql}${t.info.ingestionPartitioned ? ` AND _PARTITIONTIME >= TIMESTAMP_SUB(TIMESTAMP_TRUNC(${sinceSql}, DAY), INTERVAL 1 DAY)` : ""}`
          : "") +
        " GROUP BY 1",
    );
    const changed = await bq.run(months.join(" UNION ALL "), "changed months", true);
    const periods = new Set<BillingPeriod>(openPeriods(now()));
    for (const row of changed.rows) {
      const month = str(row.month);
      if (month && /^\d{6}$/.test(month)) periods.add(assertPeriod(`${month.slice(0, 4)}-${month.slice(4)}`));
    }
    const exported = changed.rows
      .map((r) => str(r.exported))
      .filter((t): t is string => !!t)
      .sort()
      .at(-1);
    recorder.read({
      source: `${settings.projectId}.${exportDataset} (changed months)`,
      bytes: changed.bytesProcessed,
      queryId: changed.jobId,
    });
    const target = bigQueryTable(
      settings.projectId,
      settings.normalized.datasetId,
      settings.normalized.tableId,
    );
    const written: BillingPeriod[] = [];
    for (const period of [...periods].sort()) {
      try {
        if (await replacePeriod({ env, settings, deps, log, recorder, tables, target, period }))
          written.push(period);
      } catch (e) {
        failures.push(`${period}: ${(e as Error).message}`);
        log.error("billing period failed; the transaction rolled back and its previous rows stay", {
          period,
          error: e,
        });
      }
    }
    if (written.length) {
      const tenant = `${d.ident("x_TenantId")} = ${d.string(env.tenantId)} AND ${d.ident("x_Provider")} = 'gcp'`;
      const { focusVersion } = settings;
      await recordChecks(
        () =>
          deps.checks({
            tenantId: env.tenantId,
            dialect: d,
            table: target,
            periods: written,
            focusVersion,
            // The day partitions prune the scan: a month's charges start at most a few days before its
            // invoice month (Pacific time), so corrections of older usage are not checked again.
            periodFilter: (months) =>
              `${tenant} AND ${d.monthKey(d.ident("BillingPeriodStart"))} IN (${months.map(d.string).join(", ")})` +
              ` AND ${d.ident("x_ChargeDate")} >= DATE_SUB(DATE ${d.string(`${[...months].sort()[0]}-01`)}, INTERVAL 7 DAY)`,
            connection: {
              recordedAt: now().toISOString(),
              exports: exported
                ? [
                    {
                      provider: "gcp",
                      name: tables.map((t) => t.id).join(", "),
                      lastExportAt: new Date(exported).toISOString(),
                    },
                  ]
                : [],
              credentials: [],
            },
            now: now(),
            query: async (sql) =>
              (await bq.run(sql, "check", true)).rows.map((r) =>
                Object.fromEntries(Object.entries(r).map(([k, v]) => [k, str(v) ?? null])),
              ),
          }),
        written.join(", "),
        recorder,
        log,
      );
    }
    record = recorder.finish(failures.length ? new Error(failures.join("; ")) : undefined);
  } catch (e) {
    log.error("run failed", { error: e });
    record = recorder.finish(e);
  }
  if (settings) await writeRunRecord(deps.bigquery, settings, record, log);
  log.info("run finished", {
    status: record.status,
    written: record.written.length,
    problems: problems.length,
  });
  return { ...record, problems };
}

interface PeriodContext {
  env: GcpJobEnv;
  settings: GcpJobSettings;
  deps: GcpJobDeps;
  log: Logger;
  recorder: RunRecorder;
  tables: {
    id: string;
    ref: string;
    info: { columns: SourceTable["columns"]; ingestionPartitioned: boolean };
  }[];
  target: string;
  period: BillingPeriod;
}

/** One invoice month: dry-run and price it, count it, then delete and insert it in one transaction. */
async function replacePeriod(ctx: PeriodContext): Promise<boolean> {
  const { settings, deps, log, recorder, period } = ctx;
  const bq = deps.bigquery;
  const month = invoiceMonth(period);
  const sources: SourceTable[] = ctx.tables.map((t) => ({
    from: t.ref,
    label: t.id,
    columns: t.info.columns,
    // Rows of a month are exported from its first day on: older ingestion partitions cannot hold any.
    where:
      `invoice.month = ${d.string(month)}` +
      (t.info.ingestionPartitioned
        ? ` AND _PARTITIONTIME >= TIMESTAMP_SUB(TIMESTAMP(${d.string(`${period}-01`)}), INTERVAL 1 DAY)`
        : ""),
  }));
  const statements = bigQueryPeriodStatements(
    {
      mapping: MAPPINGS["gcp-billing"],
      tenantId: ctx.env.tenantId,
      reportingCurrency: ctx.settings.reportingCurrency,
      focusVersion: ctx.settings.focusVersion,
      period,
      tables: sources,
      billingAccountNames: ctx.env.billingAccountNames,
    },
    ctx.target,
  );
  const bytes = (await bq.dryRun(statements.delete)) + (await bq.dryRun(statements.insert));
  log.info("dry run", {
    period,
    totalBytesProcessed: bytes,
    estimatedCostUsd: Math.round((bytes / 1024 ** 4) * USD_PER_TIB * 10_000) / 10_000,
    pricing: `on-demand list price, USD ${USD_PER_TIB} per TiB`,
  });
  const accounting = await bq.run(statements.accounting, `accounting ${period}`, true);
  const rows = accountingTotals(accounting.rows);
  recorder.read({
    source: `${settings.projectId}.${settings.billingExport.datasetId} invoice.month=${month}`,
    rows: rows.read,
    bytes: accounting.bytesProcessed,
    queryId: accounting.jobId,
  });
  if (rows.read === 0) {
    log.info("no export rows for the period yet", { period });
    return false;
  }
  if (rows.quarantined > 0) {
    const table = bigQueryTable(settings.projectId, settings.normalized.datasetId, QUARANTINE_TABLE);
    const kept = await bq.run(statements.quarantine(table, recorder.runId), `quarantine ${period}`);
    recorder.wrote({
      target: `${table} ${period}`,
      rows: rows.quarantined,
      bytes: kept.bytesProcessed,
      queryId: kept.jobId,
    });
    log.warn("rows failed their checks and are not in the output; they are in the quarantine table", {
      period,
      quarantined: rows.quarantined,
      read: rows.read,
      table,
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
  const replaced = await bq.run(statements.script(rows.expected), `replace ${period}`);
  // The script commits only when the insert wrote exactly the rows counted, so that count is what
  // readers now see (and no jobs.list right is needed to read the child jobs' statistics).
  recorder.wrote({
    target: `${ctx.target} ${period}`,
    rows: rows.expected,
    bytes: replaced.bytesProcessed,
    queryId: replaced.jobId,
  });
  log.info("billing period replaced", { period, rows: rows.expected, jobId: replaced.jobId });
  return true;
}

/** Appends the run record to the runs table beside the normalized table (created on first use). */
async function writeRunRecord(
  bq: BigQueryRunner,
  settings: GcpJobSettings,
  record: RunRecord,
  log: Logger,
): Promise<void> {
  const table = bigQueryTable(settings.projectId, settings.normalized.datasetId, RUNS_TABLE);
  const sql = [
    `CREATE TABLE IF NOT EXISTS ${table} (run_id STRING, tenant_id STRING, job STRING, status STRING, started_at TIMESTAMP, finished_at TIMESTAMP, record JSON);`,
    `INSERT INTO ${table} (run_id, tenant_id, job, status, started_at, finished_at, record) VALUES (${[record.runId, record.tenantId, record.job, record.status].map(d.string).join(", ")}, TIMESTAMP(${d.string(record.startedAt)}), TIMESTAMP(${d.string(record.finishedAt)}), PARSE_JSON(${d.string(JSON.stringify(record))}));`,
  ].join("\n");
  try {
    await bq.run(sql, "run record");
  } catch (e) {
    log.error("could not write the run record", { error: e });
  }
}
