import type { DuckDBConnection } from "@duckdb/node-api";
import type { FormatId } from "../mapping/types";
import { curDeliveryNote } from "../sources/aws-cur-delivery";
import {
  azureExportManifest,
  azureManifestNote,
  type ExportManifest,
  statedDatasets,
} from "../sources/azure-export-manifest";
import { csvFileCheck } from "../sources/csv-records";
import { detectFormat } from "../sources/detect";
import { type FileKind, InputError } from "../sources/files";
import { gzipProblem, isGzip } from "../sources/gzip";
import { jsonFileCheck } from "../sources/json-records";
import { bounded } from "./bounded";
import type { FileSummary } from "./summary";

// Stage one of a normalize run: the input files, each detected, checked for damage apart from
// DuckDB's read, and given the summary it carries to the end.

export interface PlannedFile {
  path: string;
  kind: FileKind;
  summary: FileSummary;
  /**
   * The file read through apart from DuckDB: a gzip file to its trailer (gzipProblem), a CSV
   * file's records counted (csvFileCheck), in one pass that runs while DuckDB stages the file; a
   * JSON file's nesting bounded and its top-level objects counted (jsonFileCheck) before DuckDB
   * parses it.
   */
  check?: Promise<{ problem?: string; records?: number }>;
  /** The dataset an export manifest beside the file states it holds (Azure: ActualCost, AmortizedCost). */
  dataset?: string;
}

export async function planFiles(
  connection: DuckDBConnection,
  files: { path: string; kind: FileKind }[],
  format: FormatId | undefined,
  progress: (m: string) => void,
): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  // A CSV file's check is awaited when the file is staged; the others' at once, one at a time.
  const csvCheck = bounded(CSV_CHECKS_AT_ONCE);
  const fileCheck = (path: string, kind: FileKind): NonNullable<PlannedFile["check"]> =>
    kind === "csv"
      ? csvCheck(() => csvFileCheck(path))
      : kind === "json"
        ? jsonFileCheck(path)
        : gzipProblem(path).then((problem) => ({ problem }));
  // Manifests first: one states the dataset of files that may sort before it.
  const manifests = new Map<string, ExportManifest | Error>();
  for (const { path, kind } of files) {
    try {
      const manifest = azureExportManifest(path, kind);
      if (manifest) manifests.set(path, manifest);
    } catch (e) {
      manifests.set(path, e as Error);
    }
  }
  const stated = statedDatasets(
    [...manifests].flatMap(([path, m]) => (m instanceof Error ? [] : [{ path, manifest: m }])),
  );
  for (const { path, kind } of files) {
    const summary: FileSummary = {
      file: path,
      format,
      formatChosenBy: format ? "flag" : "detected",
      status: "normalized",
      rowsRead: 0,
      rowsWritten: 0,
      rowsQuarantined: 0,
    };
    const manifest = manifests.get(path);
    const skipped =
      manifest && !(manifest instanceof Error) ? azureManifestNote(manifest) : curDeliveryNote(path, kind);
    // A gzip file is read through from the start: its damage explains a failed detection. So is
    // a JSON file, whose nesting DuckDB's parser must not meet unbounded, even to detect it.
    let check = kind === "json" || isGzip(path) ? fileCheck(path, kind) : undefined;
    const damaged = kind === "csv" ? undefined : (await check)?.problem;
    if (damaged || manifest instanceof Error) {
      failFile(summary, damaged ?? (manifest as Error).message);
    } else if (skipped) {
      summary.status = "skipped";
      summary.notes = [skipped];
      progress(`${path}: ${skipped}`);
    } else if (!format) {
      try {
        const detected = await detectFormat(connection, path, kind);
        summary.format = detected.format;
        summary.why = detected.why;
        progress(`${path}: format ${detected.format} (detected: ${detected.why})`);
      } catch (e) {
        // A damaged gzip file may fail DuckDB's read itself: the damage is the file's problem.
        if (!(e instanceof InputError) && !(await check)?.problem) throw e;
        summary.status = "rejected";
        summary.error = (e as Error).message;
      }
    }
    if (!check && kind === "csv" && summary.status === "normalized") check = fileCheck(path, kind);
    const plannedFile: PlannedFile = { path, kind, summary, check, dataset: stated.get(path) };
    // A file that will not be staged says now whether it was damaged (which explains a rejection).
    if (summary.status !== "normalized" || !check) await checkIntegrity(plannedFile);
    planned.push(plannedFile);
  }
  return planned;
}

/**
 * CSV files read through at once by their checks: each holds a read buffer (and a gzip stream)
 * and a descriptor, and a backfill of a few years of a multi-part CUR is hundreds of files, so
 * they are not all opened together. Two keep a core busy beside DuckDB's staging, in its order.
 */
const CSV_CHECKS_AT_ONCE = 2;

/** Fails a file whose check found it damaged or unreadable; whether it did. */
export async function checkIntegrity(f: PlannedFile): Promise<boolean> {
  const problem = (await f.check)?.problem;
  if (!problem) return false;
  failFile(f.summary, problem);
  return true;
}

/** Fails a file whole: its problem replaces the notes, which described a read that no longer counts. */
export function failFile(summary: FileSummary, problem: string): void {
  summary.status = "failed";
  summary.error = problem;
  delete summary.notes;
}
