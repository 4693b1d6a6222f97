import type { DuckDBConnection } from "@duckdb/node-api";
import type { FormatId } from "../mapping/types";
import { addDecimal } from "./decimal";
import type { StagedSource } from "./store";
import { type HeldRecords, parquetFooterRows, readCountProblem } from "./record-counts";
import { failFile, type PlannedFile } from "./inputs";
import type { ResolvedFile } from "./resolve";

// Stage three: what the accounting query says of each file (rows read, quarantined, expected;
// costs; billing periods), read once into typed results, and the files it miscounted failed.

export interface AccountingRow {
  file: string;
  currency: string;
  rows_read: string | number;
  rows_quarantined: string | number;
  rows_expected: string | number;
  source_cost: string;
  quarantined_cost: string;
  unknown_service: string | null;
  unknown_pricing_unit: string | null;
  unknown_consumed_unit: string | null;
  period: string | null;
  provider: string | null;
  billing_account: string | null;
}

/**
 * Fails each file of which the accounting (its rows read, with the malformed CSV records set
 * aside before it and the rows `superseded` by another dataset, by path) holds another number of
 * rows than the file does, as its Parquet footer or the CSV count says (see readCountProblem);
 * their paths.
 */
export async function failMiscounted(
  connection: DuckDBConnection,
  sources: ResolvedFile[],
  accounting: AccountingRow[],
  superseded: ReadonlyMap<string, number> = new Map(),
): Promise<Set<string>> {
  const read = new Map<string, number>(superseded);
  for (const r of accounting) read.set(r.file, (read.get(r.file) ?? 0) + Number(r.rows_read));
  const failed = new Set<string>();
  for (const f of sources) {
    const held = await heldRecords(connection, f.file);
    const problem =
      held &&
      readCountProblem(
        f.file.path,
        held,
        (read.get(f.file.path) ?? 0) + f.malformed.length,
        f.malformed.map((m) => m.line),
      );
    if (!problem) continue;
    failFile(f.file.summary, problem);
    failed.add(f.file.path);
  }
  return failed;
}

/**
 * A file's records counted apart from DuckDB's read of it; none for an OpenCost response, one
 * document whose rows are its allocations of each step, which no count apart from a parser finds.
 */
async function heldRecords(connection: DuckDBConnection, f: PlannedFile): Promise<HeldRecords | undefined> {
  if (f.kind === "parquet")
    return { records: await parquetFooterRows(connection, f.path), by: "parquet footer" };
  if (f.kind === "json" && f.summary.format === "opencost") return undefined;
  const records = (await f.check)?.records;
  if (records === undefined) return undefined;
  return { records, by: f.kind === "json" ? "json count" : "csv count" };
}

/** A provider's billing period that the accounting found rows of, and who holds them. */
export interface AccountedPartition {
  provider: string;
  period: string;
  /** Its sources, one per billing account, with the rows and cost the output must hold of each. */
  sources: StagedSource[];
  /** The files with rows in it, in the order given. */
  files: string[];
}

/**
 * The partitions of the accounting's rows (those with a billing period), sorted by provider and
 * period, and for each file how many partitions it has rows in (a file in one partition alone is
 * written without a period filter).
 */
export function accountedPartitions(
  rows: readonly AccountingRow[],
  format: FormatId,
  files: readonly string[],
): { partitions: AccountedPartition[]; partitionsOfFile: Map<string, number> } {
  const byKey = new Map<string, { sources: Map<string, StagedSource>; files: Set<string> }>();
  for (const r of rows) {
    if (r.period === null) continue;
    const key = JSON.stringify([r.provider, r.period]);
    const p = byKey.get(key) ?? { sources: new Map(), files: new Set() };
    byKey.set(key, p);
    p.files.add(r.file);
    const s = p.sources.get(r.billing_account!) ?? {
      provider: r.provider!,
      billingAccountId: r.billing_account!,
      format,
      period: r.period,
      rows: 0,
      costs: {},
    };
    s.rows += Number(r.rows_expected);
    s.costs[r.currency] = addDecimal(s.costs[r.currency] ?? "0", r.source_cost);
    p.sources.set(r.billing_account!, s);
  }
  const partitions = [...byKey.keys()].sort().map((key) => {
    const [provider, period] = JSON.parse(key) as [string, string];
    const p = byKey.get(key)!;
    return { provider, period, sources: [...p.sources.values()], files: files.filter((f) => p.files.has(f)) };
  });
  const partitionsOfFile = new Map(
    files.map((f) => [f, partitions.filter((p) => p.files.includes(f)).length] as const),
  );
  return { partitions, partitionsOfFile };
}

/** What the accounting counts of a group of files, summed by file, currency, service and unit. */
export interface AccountingTally {
  files: Map<string, { rowsRead: number; rowsQuarantined: number; rowsWritten: number }>;
  currencies: Map<string, { sourceCost: string; quarantinedCost: string }>;
  /** Rows by [provider, service] (as JSON) whose service the taxonomy lacks. */
  unknownServices: Map<string, number>;
  /** Rows by [provider, unit] (as JSON); a row with two unknown units (GCP's pricing and base unit) counts for each. */
  unknownUnits: Map<string, number>;
}

export const providerKey = (provider: string | null, name: string) => JSON.stringify([provider, name]);

export function tallyAccounting(rows: readonly AccountingRow[]): AccountingTally {
  const tally: AccountingTally = {
    files: new Map(),
    currencies: new Map(),
    unknownServices: new Map(),
    unknownUnits: new Map(),
  };
  const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);
  for (const r of rows) {
    const expected = Number(r.rows_expected);
    if (r.unknown_service !== null)
      add(tally.unknownServices, providerKey(r.provider, r.unknown_service), expected);
    for (const unit of new Set([r.unknown_pricing_unit, r.unknown_consumed_unit]))
      if (unit !== null) add(tally.unknownUnits, providerKey(r.provider, unit), expected);
    const f = tally.files.get(r.file) ?? { rowsRead: 0, rowsQuarantined: 0, rowsWritten: 0 };
    f.rowsRead += Number(r.rows_read);
    f.rowsQuarantined += Number(r.rows_quarantined);
    f.rowsWritten += expected;
    tally.files.set(r.file, f);
    const c = tally.currencies.get(r.currency) ?? { sourceCost: "0", quarantinedCost: "0" };
    c.sourceCost = addDecimal(c.sourceCost, r.source_cost);
    c.quarantinedCost = addDecimal(c.quarantinedCost, r.quarantined_cost);
    tally.currencies.set(r.currency, c);
  }
  return tally;
}
