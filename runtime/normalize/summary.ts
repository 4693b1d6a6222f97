import type { FormatId } from "../mapping/types";
import type { OutputVersion } from "../schema/output";
import type { SourceKey } from "./store";

export interface FileSummary {
  file: string;
  format?: FormatId;
  /** Whether `--format` named the format or it was detected (then `why` says from what). */
  formatChosenBy: "flag" | "detected";
  why?: string;
  /**
   * `rejected`: not read (unknown format, missing required column); `failed`: unreadable while read;
   * `skipped`: a file delivered beside the data that holds none (its note says what it is).
   */
  status: "normalized" | "rejected" | "failed" | "skipped";
  error?: string;
  rowsRead: number;
  /** Output rows from this file (one per good row; OpenCost: one per cost component with cost or usage). */
  rowsWritten: number;
  rowsQuarantined: number;
  /**
   * Rows read but not written because another dataset of the run holds the same charges (see
   * PairedDatasets: ActualCost rows beside AmortizedCost): counted in rowsRead, their cost in the
   * currency's supersededCost.
   */
  rowsSuperseded?: number;
  /**
   * CSV records that could not be read (wrong number of columns, unterminated quote, invalid
   * UTF-8): counted in rowsRead and rowsQuarantined, quarantined with their line and text, and
   * carrying no cost (their values cannot be told apart), so they count in no currency's totals.
   */
  malformedRecords?: number;
  /** What the file's data cannot give its FOCUS rows (the mapping's fact notes), for a person to act on. */
  notes?: string[];
}

/** Cost totals of one currency; `sourceCost` must equal `outputCost + quarantinedCost + supersededCost` exactly. */
export interface CurrencySummary {
  currency: string;
  sourceCost: string;
  outputCost: string;
  quarantinedCost: string;
  /** The cost of superseded rows (FileSummary.rowsSuperseded): counted once, in the other dataset's rows. */
  supersededCost: string;
  difference: string;
  reconciled: boolean;
}

export interface Summary {
  tenantId: string;
  /** The FOCUS version written. */
  focusVersion: OutputVersion;
  outputFormat: "parquet" | "csv";
  out: string;
  files: FileSummary[];
  totals: {
    rowsRead: number;
    rowsWritten: number;
    rowsQuarantined: number;
    rowsSuperseded: number;
    filesRejected: number;
  };
  /** Output rows the accounting expects (sum of the files' rowsWritten), checked against what was written. */
  expectedRowsWritten?: number;
  currencies: CurrencySummary[];
  /** Rows kept with NULL `x_*Usd` because no rate applied (no provider rate, not USD, no earlier rate). */
  rowsWithoutUsdRate: { format: FormatId; currency: string; rows: number }[];
  /** Services not in the taxonomy: kept with ServiceCategory `Other`, counted here. */
  unknownServices: { provider: string; format: FormatId; service: string; rows: number }[];
  /** Units not in the units table (runtime/taxonomy/units.ts): kept as the export writes them, counted here. */
  unknownUnits: { provider: string; format: FormatId; unit: string; rows: number }[];
  /** Output partitions (provider, billing period) in which this run replaced sources. */
  partitions: string[];
  /** The sources this run replaced, each with its file (relative to the output folder; see normalize/store.ts). */
  sources: (SourceKey & { file: string })[];
  /** What went wrong: rejected files, files with every row quarantined, totals that do not reconcile. Empty on success. */
  problems: string[];
  /** Cost totals and row counts reconcile and every file wrote rows (none rejected or wholly quarantined). */
  reconciled: boolean;
}

export function summaryProblems(s: Summary): string[] {
  const problems: string[] = [];
  for (const f of s.files) {
    if (f.status === "rejected" || f.status === "failed") problems.push(`${f.file}: ${f.status}: ${f.error}`);
    // Reconciled, but nothing of the file reached the output: a wrong format or a broken export.
    else if (f.status === "normalized" && f.rowsRead > 0 && f.rowsQuarantined === f.rowsRead) {
      problems.push(
        `${f.file}: every row (${f.rowsQuarantined} of ${f.rowsRead}) was quarantined, none written: see the reasons in quarantine/source_format=${f.format}/`,
      );
    }
  }
  for (const c of s.currencies) {
    if (!c.reconciled) {
      problems.push(
        `${c.currency}: source ${c.sourceCost} != output ${c.outputCost} + quarantined ${c.quarantinedCost}${superseded(c)} (difference ${c.difference})`,
      );
    }
  }
  if ((s.expectedRowsWritten ?? 0) !== s.totals.rowsWritten) {
    problems.push(`rows written ${s.totals.rowsWritten} != rows expected ${s.expectedRowsWritten ?? 0}`);
  }
  return problems;
}

/** The superseded term of a currency's reconciliation, shown only where a run paired datasets. */
export const superseded = (c: CurrencySummary) =>
  c.supersededCost === "0" ? "" : ` + superseded ${c.supersededCost}`;
