import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { loadDailyRates, type Rate } from "../currency/rates";
import { type EngineOptions, openEngine, queryRows, sqlPath, sqlString } from "../engine/duckdb";
import { compileFacts, compilePipeline } from "../mapping/compile";
import { duckdb } from "../mapping/duckdb";
import type { FormatId } from "../mapping/types";
import { MAPPINGS } from "../mappings";
import { DEFAULT_OUTPUT_VERSION, type OutputVersion } from "../schema/output";
import { checkOutputFolder, listInputFiles } from "../sources/files";
import { fileRelation, unreadableData } from "../sources/read";
import type { BillingAccountNames } from "../taxonomy/billing-account-names";
import { addDecimal, subDecimal, toUnits } from "./decimal";
import { partitionPath } from "./partitions";
import {
  accountHash,
  accountHashSql,
  openStore,
  sourceKey,
  type StagedQuarantine,
  type StagedSource,
  type StoreHook,
} from "./store";
import { type LockDeps, systemLockDeps } from "./store-lock";
import { type CurrencySummary, type Summary, summaryProblems } from "./summary";
import { loadBillingAccountNames, loadTaxonomy } from "./taxonomy-tables";
import { typedOutput } from "./typed-output";
import { unifiedViewSql } from "./unified";
import { checkIntegrity, failFile, type PlannedFile, planFiles } from "./inputs";
import {
  type AccountingRow,
  accountedPartitions,
  failMiscounted,
  providerKey,
  tallyAccounting,
} from "./accounting";
import { type Pairing, pairDatasets, queries as pairingQueries } from "./datasets";
import { quarantineQuery } from "./quarantine";
import { asText, type Reader, type ResolvedFile, resolveGroup, stageCsv } from "./resolve";

export type { Reader };

export interface NormalizeOptions {
  /** Files and folders to read. */
  inputs: string[];
  /** Output folder: `focus/`, `quarantine/`, `summary.json`, `unified.sql`. */
  out: string;
  /** The source format of every input; detected per file when absent. */
  format?: FormatId;
  tenantId?: string;
  /** The tenant's reporting currency (ISO 4217) for `x_EffectiveCostReporting`; USD by default. */
  reportingCurrency?: string;
  /** The FOCUS version to write; 1.2 by default. One output folder holds one version. */
  focusVersion?: OutputVersion;
  /** Daily USD rates (see currency/rates.ts). */
  rates?: Rate[];
  /** Display names of billing accounts, for mappings whose export has none (runtime/taxonomy/billing-account-names.ts). */
  billingAccountNames?: BillingAccountNames;
  outputFormat?: "parquet" | "csv";
  engine?: EngineOptions;
  /** Called with a line of progress at each step. */
  progress?: (message: string) => void;
  /**
   * Let a source read from fewer datasets of its export replace one read from more (Azure
   * AmortizedCost alone over ActualCost and AmortizedCost read together); refused by default.
   */
  replaceDatasets?: boolean;
  /** Test seams of the output store: a hook before each of its writes, and who holds its lock. */
  store?: { hook?: StoreHook; lock?: LockDeps };
  /** Test seam: what reads each input file (see Reader); DuckDB's reader as it is by default. */
  reader?: Reader;
}

const TABLES = {
  services: "costline_services",
  regions: "costline_regions",
  units: "costline_units",
  rates: "costline_rates",
  billingAccounts: "costline_billing_accounts",
};

/**
 * The compiled pipeline already runs in the order it should: checks, the filter on their result,
 * then the costly columns of the rows that pass. DuckDB's filter pushdown (with the pullup that
 * feeds it) would move that filter below the checks, inlining every derived value a check reads
 * into it, so that each is computed again for the rows that pass (GCP: five Pacific-time month
 * conversions a row) and a period's filter could not skip the checks of the other periods' rows.
 */
const PIPELINE_PLANNING = "SET disabled_optimizers = 'filter_pushdown,filter_pullup'";

/**
 * Normalizes billing exports into FOCUS (1.2, or the version `focusVersion` names) under `out`. A CSV file is first read into staged
 * Parquet (its malformed records set aside for quarantine). Then each source format's mapping runs
 * as streaming queries on DuckDB: the accounting aggregate (which also names the billing periods,
 * and fails a file of which it read another number of rows than the file holds by a count apart
 * from the reader: see failMiscounted),
 * one output copy per billing period and, when rows failed their checks, the quarantine copy over
 * the files that have such rows (a CSV file staged again, in file order, to number them). Each
 * source the inputs cover (provider, billing account, format, billing period) replaces that
 * source's file in the store (store.ts); the other sources are not touched.
 */
export async function normalize(opts: NormalizeOptions): Promise<Summary> {
  const progress = opts.progress ?? (() => {});
  const tenantId = opts.tenantId ?? "default";
  const outputFormat = opts.outputFormat ?? "parquet";
  const focusVersion = opts.focusVersion ?? DEFAULT_OUTPUT_VERSION;
  const files = listInputFiles(opts.inputs);
  checkOutputFolder(opts.out, opts.inputs);
  const lock = opts.store?.lock ?? systemLockDeps();
  const store = openStore(opts.out, {
    runId: `${lock.now().toISOString().replace(/[-:.]/g, "")}-${randomUUID().slice(0, 8)}`,
    lock,
    focusVersion,
    hook: opts.store?.hook,
    progress,
    replaceDatasets: opts.replaceDatasets,
  });
  const staging = store.staging;
  let engine: Awaited<ReturnType<typeof openEngine>> | undefined;
  try {
    engine = await openEngine({ tempDirectory: join(staging, "spill"), ...opts.engine });
    const connection = engine.connection;
    await connection.run(PIPELINE_PLANNING);
    await loadTaxonomy(connection, TABLES);
    await loadDailyRates(connection, TABLES.rates, opts.rates ?? []);
    await loadBillingAccountNames(connection, TABLES.billingAccounts, opts.billingAccountNames ?? {});
    const planned = await planFiles(connection, files, opts.format, progress);
    const groups = new Map<FormatId, PlannedFile[]>();
    for (const f of planned) {
      if (f.summary.status !== "normalized") continue;
      groups.set(f.summary.format!, [...(groups.get(f.summary.format!) ?? []), f]);
    }
    const currencies = new Map<string, CurrencySummary>();
    const staged: Staged = { sources: [], quarantine: [] };
    const summary: Summary = {
      tenantId,
      focusVersion,
      outputFormat,
      out: opts.out,
      files: planned.map((f) => f.summary),
      totals: { rowsRead: 0, rowsWritten: 0, rowsQuarantined: 0, rowsSuperseded: 0, filesRejected: 0 },
      currencies: [],
      rowsWithoutUsdRate: [],
      unknownServices: [],
      unknownUnits: [],
      partitions: [],
      sources: [],
      problems: [],
      reconciled: false,
    };
    for (const [format, group] of groups) {
      await normalizeGroup(
        connection,
        format,
        group,
        {
          tenantId,
          reportingCurrency: opts.reportingCurrency,
          focusVersion,
          outputFormat,
          staging,
          progress,
          staged,
          reader: opts.reader ?? ((sql) => sql),
        },
        summary,
        currencies,
      );
    }
    summary.currencies = [...currencies.values()].map((c) => {
      const difference = subDecimal(
        c.sourceCost,
        addDecimal(addDecimal(c.outputCost, c.quarantinedCost), c.supersededCost),
      );
      return { ...c, difference, reconciled: toUnits(difference) === 0n };
    });
    summary.totals.filesRejected = summary.files.filter((f) =>
      ["rejected", "failed"].includes(f.status),
    ).length;
    store.commit({
      sources: staged.sources,
      quarantine: staged.quarantine,
      extension: outputFormat,
      files: { "unified.sql": `${unifiedViewSql(opts.out, outputFormat)}\n` },
      summary: (replaced) => {
        summary.sources = replaced.map((r) => ({ ...sourceKey(r), file: r.file }));
        summary.partitions = [...new Set(replaced.map((r) => dirname(r.file)))].sort();
        summary.problems = summaryProblems(summary);
        summary.reconciled = summary.problems.length === 0;
        return summary;
      },
    });
    return summary;
  } catch (e) {
    store.failed(e);
    throw e;
  } finally {
    engine?.close();
    store.close();
  }
}

/** What a run staged for the store to publish. */
interface Staged {
  sources: StagedSource[];
  quarantine: StagedQuarantine[];
}

interface GroupContext {
  tenantId: string;
  reportingCurrency?: string;
  focusVersion: OutputVersion;
  outputFormat: "parquet" | "csv";
  staging: string;
  progress: (m: string) => void;
  staged: Staged;
  reader: Reader;
}

async function normalizeGroup(
  connection: DuckDBConnection,
  format: FormatId,
  group: PlannedFile[],
  ctx: GroupContext,
  summary: Summary,
  currencies: Map<string, CurrencySummary>,
): Promise<void> {
  const mapping = MAPPINGS[format];
  const dir = join(ctx.staging, format);
  mkdirSync(dir, { recursive: true });
  let sources: ResolvedFile[] = [];
  for (const f of await resolveGroup(connection, format, group, ctx.focusVersion, ctx.reader)) {
    if (f.file.kind !== "csv") {
      sources.push(f);
      continue;
    }
    ctx.progress(`${f.file.path}: reading CSV`);
    try {
      await stageCsv(connection, f, join(dir, "inputs", `${sources.length}.parquet`), false, ctx.reader);
      if (!(await checkIntegrity(f.file))) sources.push(f);
    } catch (e) {
      if (isCompileBug(e)) throw e;
      if (await checkIntegrity(f.file)) continue;
      failFile(f.file.summary, unreadableData(e));
    }
  }
  if (!sources.length) return;
  // A column's engine type (nested fields included) decides how it is parsed; a file lacking an
  // optional column gets a NULL of the type the other files have, so that their union binds.
  const types = new Map<string, string>();
  for (const f of sources) for (const [name, type] of f.types) if (!types.has(name)) types.set(name, type);
  // A column the files hold in different types (a CUR CSV's JSON text beside a CUR Parquet's MAP)
  // is read as text from all of them: every typed parse reads text, and the union then binds.
  for (const name of Object.keys(mapping.raw)) {
    const seen = new Set(sources.flatMap((f) => (f.types.has(name) ? [f.types.get(name)!] : [])));
    if (seen.size < 2 || mapping.raw[name]!.type === "nested") continue;
    types.set(name, "VARCHAR");
    for (const f of sources) {
      const type = f.types.get(name);
      if (type && type !== "VARCHAR") f.resolved[name] = { sql: asText(f.resolved[name]!.sql, type) };
    }
  }
  const isText = (name: string) => ["VARCHAR", "JSON", undefined].includes(types.get(name));
  const textColumns = new Set(Object.keys(mapping.raw).filter(isText));
  const absent = new Set(Object.keys(mapping.raw).filter((n) => !types.has(n)));
  const plainRelation = (f: ResolvedFile) =>
    fileRelation(f.file.path, f.row, f.reader, f.resolved, (n) => types.get(n) ?? "VARCHAR", f.problem);
  // Set once the files' datasets are paired: a paired partial file is read less its superseded rows.
  let pairing: Pairing | undefined;
  const relationOf = (f: ResolvedFile) => {
    const paired = pairing?.partial.get(f.file.path);
    const relation = paired
      ? pairingQueries(mapping, plainRelation(f), textColumns, absent).split(paired.keys).kept
      : plainRelation(f);
    if (!f.facts) return `(${relation})`;
    const values = Object.entries(f.facts).map(([k, v]) => `${v ? "TRUE" : "FALSE"} AS ${duckdb.ident(k)}`);
    return `(SELECT *, ${values.join(", ")} FROM (${relation}))`;
  };
  for (const f of sources) {
    const facts = compileFacts(mapping, duckdb, relationOf(f), textColumns, absent);
    if (!facts) continue;
    const [values] = await queryRows<Record<string, boolean>>(connection, facts);
    f.facts = values!;
  }
  pairing = await pairDatasets(connection, mapping, sources, plainRelation, textColumns, absent);
  for (const [path, problem] of pairing.refused)
    failFile(sources.find((f) => f.file.path === path)!.file.summary, problem);
  sources = sources.filter((f) => !pairing!.refused.has(f.file.path));
  if (!sources.length) return;
  for (const f of sources) {
    if (f.facts) f.facts = pairing.facts.get(f.file.path)!;
    const notes = [
      ...Object.entries(mapping.factNotes ?? {}).flatMap(([fact, note]) => {
        const text = f.facts?.[fact] ? note.whenTrue : note.whenFalse;
        return text ? [text] : [];
      }),
      ...(pairing.notes.get(f.file.path) ?? []),
    ];
    if (notes.length) f.file.summary.notes = [...(f.file.summary.notes ?? []), ...notes];
  }
  const superseded = new Map(
    [...pairing.partial].map(([path, p]) => [path, p.superseded.reduce((n, t) => n + t.rows, 0)]),
  );
  let accepted = sources.map((f) => f.file);
  let relations = sources.map(relationOf);
  const pipelineOver = (files: string[]) =>
    compilePipeline(mapping, duckdb, {
      relation: `(${files.join(" UNION ALL BY NAME ")})`,
      problemColumn: true,
      textColumns,
      absentColumns: absent,
      tenantId: ctx.tenantId,
      reportingCurrency: ctx.reportingCurrency,
      focusVersion: ctx.focusVersion,
      tables: TABLES,
      accountingByPeriod: true,
    });
  let compiled = pipelineOver(relations);
  const focusDir = join(dir, "focus");
  const options =
    ctx.outputFormat === "parquet"
      ? "FORMAT parquet, COMPRESSION zstd"
      : "FORMAT csv, HEADER true, TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:%SZ', DATEFORMAT '%Y-%m-%d'";
  ctx.progress(`${format}: accounting of ${accepted.length} file(s)`);
  let accounting: AccountingRow[];
  try {
    accounting = await queryRows<AccountingRow>(connection, compiled.accounting);
    // A file read short or long fails whole before anything is written; the accounting is by
    // file, so the other files' rows stand as counted.
    const miscounted = await failMiscounted(connection, sources, accounting, superseded);
    if (miscounted.size) {
      sources = sources.filter((f) => !miscounted.has(f.file.path));
      accepted = sources.map((f) => f.file);
      accounting = accounting.filter((r) => !miscounted.has(r.file));
      relations = sources.map(relationOf);
      compiled = pipelineOver(relations);
      if (!sources.length) return;
    }
    // The accounting names the billing periods (and providers) of each file's good rows: each
    // period is written by its own query over the files that have it (a backfill of monthly
    // exports reads each file once), which drops the other periods' rows before their checks. A
    // FOCUS file of any provider names the provider in each row: each provider's rows of a period
    // go to that provider's partition.
    const paths = sources.map((f) => f.file.path);
    const { partitions, partitionsOfFile } = accountedPartitions(accounting, format, paths);
    // A partition's datasets are those of its files (a file holds one billing account, mostly).
    const datasetsOf = (files: string[]) =>
      mapping.datasets
        ? { datasets: [...new Set(files.flatMap((path) => pairing!.names.get(path) ?? []))].sort() }
        : {};
    for (const { provider, period, sources: accounts, files } of partitions) {
      const having = files.map((path) => paths.indexOf(path));
      const whose = typeof mapping.provider === "string" ? "" : ` of ${provider}`;
      ctx.progress(
        `${format}: writing billing period ${period}${whose} from ${having.length} of ${sources.length} file(s)`,
      );
      const target = join(focusDir, ...partitionPath(provider, period));
      const over =
        having.length === sources.length ? compiled : pipelineOver(having.map((i) => relations[i]!));
      const alone = files.every((path) => partitionsOfFile.get(path) === 1);
      const query = alone ? over.output : over.outputInPeriod(period, provider);
      mkdirSync(dirname(target), { recursive: true });
      if (accounts.length === 1) {
        // The common case, one payer: its file is written as it is, without hashing every row
        // or partitioning the write (which costs about as much as the rest of the pass).
        const folder = join(target, `__account=${accountHash(accounts[0]!.billingAccountId)}`);
        mkdirSync(folder, { recursive: true });
        await connection.run(
          `COPY (${query}) TO ${sqlString(join(folder, `data.${ctx.outputFormat}`))} (${options})`,
        );
      } else {
        // One file per billing account, in one pass: the partition column names its folder and is not written.
        await connection.run(
          `COPY (SELECT *, ${accountHashSql(duckdb.ident("BillingAccountId"))} AS __account FROM (${query}))` +
            ` TO ${sqlString(target)} (${options}, PARTITION_BY (__account))`,
        );
      }
      for (const s of accounts) {
        const written = dataFiles(
          join(target, `__account=${accountHash(s.billingAccountId)}`),
          ctx.outputFormat,
        );
        if (written.length > 1) throw new Error(`${target}: ${written.length} files of one billing account`);
        ctx.staged.sources.push({ ...s, staged: written[0], ...datasetsOf(files) });
      }
    }
  } catch (e) {
    if (isCompileBug(e)) throw e;
    for (const f of accepted) failFile(f.summary, unreadableData(e));
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const tally = tallyAccounting(accounting);
  const { unknownServices: unknown, unknownUnits } = tally;
  for (const f of accepted) {
    const counted = tally.files.get(f.path);
    f.summary.rowsRead += counted?.rowsRead ?? 0;
    f.summary.rowsQuarantined += counted?.rowsQuarantined ?? 0;
    f.summary.rowsWritten += counted?.rowsWritten ?? 0;
  }
  for (const [code, counted] of tally.currencies) {
    const c = currency(currencies, code);
    c.sourceCost = addDecimal(c.sourceCost, counted.sourceCost);
    c.quarantinedCost = addDecimal(c.quarantinedCost, counted.quarantinedCost);
  }
  // A superseded row is read, and its cost is in the source's total, but neither written nor quarantined.
  for (const f of accepted) {
    for (const t of pairing.partial.get(f.path)?.superseded ?? []) {
      f.summary.rowsRead += t.rows;
      f.summary.rowsSuperseded = (f.summary.rowsSuperseded ?? 0) + t.rows;
      summary.totals.rowsSuperseded += t.rows;
      const c = currency(currencies, t.currency);
      c.sourceCost = addDecimal(c.sourceCost, t.cost);
      c.supersededCost = addDecimal(c.supersededCost, t.cost);
    }
  }
  const checkFailed = sources.filter((f) =>
    accounting.some((r) => r.file === f.file.path && Number(r.rows_quarantined) > 0),
  );
  // A malformed record is read and quarantined, but carries no cost: its fields cannot be told apart.
  for (const f of sources) {
    if (!f.malformed.length) continue;
    f.file.summary.rowsRead += f.malformed.length;
    f.file.summary.rowsQuarantined += f.malformed.length;
    f.file.summary.malformedRecords = f.malformed.length;
  }
  const quarantined = accepted.reduce((n, f) => n + f.summary.rowsQuarantined, 0);
  if (quarantined > 0) {
    ctx.progress(`${format}: quarantine`);
    // The rows that failed their checks are numbered from a staging in file order.
    for (const f of checkFailed) {
      if (f.file.kind === "csv") {
        await stageCsv(
          connection,
          f,
          join(dir, "inputs", `${sources.indexOf(f)}-ordered.parquet`),
          true,
          ctx.reader,
        );
      }
    }
    const checked = checkFailed.length ? pipelineOver(checkFailed.map(relationOf)).quarantine : undefined;
    const key = createHash("sha256")
      .update(accepted.map((f) => f.path).join("\n"))
      .digest("hex")
      .slice(0, 16);
    const file = join("quarantine", `source_format=${format}`, `${key}.${ctx.outputFormat}`);
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    await connection.run(
      `COPY (${quarantineQuery(checked, format, sources)}) TO ${sqlString(join(dir, file))} (${options})`,
    );
    ctx.staged.quarantine.push({ staged: join(dir, file), file, format });
  }
  const written = dataFiles(focusDir, ctx.outputFormat);
  if (written.length) {
    ctx.progress(`${format}: output totals`);
    const relation = outputRelation(written, ctx.outputFormat, ctx.focusVersion);
    const totals = await queryRows<{
      currency: string;
      rows_written: string;
      output_cost: string;
      rows_without_rate: string;
    }>(connection, compiled.outputTotals.replace("{output}", relation));
    for (const t of totals) {
      const c = currency(currencies, t.currency);
      c.outputCost = addDecimal(c.outputCost, t.output_cost);
      summary.totals.rowsWritten += Number(t.rows_written);
      if (Number(t.rows_without_rate) > 0) {
        summary.rowsWithoutUsdRate.push({ format, currency: t.currency, rows: Number(t.rows_without_rate) });
      }
    }
    if (compiled.unknownServices) {
      ctx.progress(`${format}: services missing from the taxonomy`);
      const rows = await queryRows<{ service: string; rows: string }>(connection, compiled.unknownServices);
      for (const u of rows) unknown.set(providerKey(mapping.provider as string, u.service), Number(u.rows));
    }
  }
  const byRows = (entries: Map<string, number>) =>
    [...entries]
      .sort(([a, n], [b, m]) => m - n || a.localeCompare(b))
      .map(([key, rows]) => [...(JSON.parse(key) as [string, string]), rows] as const);
  summary.unknownServices.push(
    ...byRows(unknown).map(([provider, service, rows]) => ({ provider, format, service, rows })),
  );
  summary.unknownUnits.push(
    ...byRows(unknownUnits).map(([provider, unit, rows]) => ({ provider, format, unit, rows })),
  );
  for (const f of accepted) {
    summary.totals.rowsRead += f.summary.rowsRead;
    summary.totals.rowsQuarantined += f.summary.rowsQuarantined;
  }
  summary.expectedRowsWritten =
    (summary.expectedRowsWritten ?? 0) + accepted.reduce((n, f) => n + f.summary.rowsWritten, 0);
}

/** Binder and parser errors are bugs of a mapping or of the compiler, not bad input. */
const isCompileBug = (e: unknown) => /^(Binder|Parser|Catalog) Error/.test((e as Error).message);

function currency(map: Map<string, CurrencySummary>, code: string): CurrencySummary {
  let c = map.get(code);
  if (!c) {
    c = {
      currency: code,
      sourceCost: "0",
      outputCost: "0",
      quarantinedCost: "0",
      supersededCost: "0",
      difference: "0",
      reconciled: false,
    };
    map.set(code, c);
  }
  return c;
}

/** The written output as a relation with the output's column types (CSV is read back as text). */
function outputRelation(files: string[], format: "parquet" | "csv", version: OutputVersion): string {
  const list = `[${files.map(sqlPath).join(", ")}]`;
  if (format === "parquet") return `read_parquet(${list})`;
  return typedOutput(`read_csv(${list}, header = true, all_varchar = true)`, version);
}

function dataFiles(dir: string, format: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(`.${format}`))
    .map((e) => join(e.parentPath, e.name));
}
