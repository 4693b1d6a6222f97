import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows, sqlString } from "../engine/duckdb";
import type { FormatId } from "../mapping/types";
import { FILE_NOTES, MAPPINGS } from "../mappings";
import type { OutputVersion } from "../schema/output";
import { InputError } from "../sources/files";
import { csvSource, describe, fileRelation, readerSql, resolveColumns, rowNumberSql } from "../sources/read";
import { checkIntegrity, type PlannedFile } from "./inputs";

// Stage two: each accepted file's columns resolved against its format's mapping, a CSV file staged
// as Parquet with its malformed records set aside.

/**
 * The relation an input file's records are read through, given DuckDB's reader of it (a CSV
 * file's: the read that stages it); a test drops records here to play a reader that reads short.
 */
export type Reader = (sql: string, path: string) => string;

/** A CSV record DuckDB's reader could not split into the header's columns. */
export interface MalformedRecord {
  /** Record number counting the header as 1 (the line number when no value spans lines). */
  line: number;
  reason: string;
  text: string;
}

export interface ResolvedFile {
  file: PlannedFile;
  reader: string;
  /** SQL of the record's row number in `reader` (see rowNumberSql). */
  row: string;
  resolved: Record<string, { sql: string } | undefined>;
  /** Engine types of the logical columns the file has. */
  types: Map<string, string>;
  /** The reader states per record why it could not read it (`__problem`, see PipelineInput). */
  problem: boolean;
  /** CSV records that could not be read (see stageCsv). */
  malformed: MalformedRecord[];
  /** The mapping's facts about the whole file (see compileFacts), once computed. */
  facts?: Record<string, boolean>;
}

/**
 * Reads a CSV file, as text, into a Parquet file that every later pass reads instead (a CSV parse
 * costs several times a Parquet scan); malformed records are set aside with their line and
 * DuckDB's reason instead of failing the file. Read and written in parallel, the records land in
 * no particular order and carry no row number. `ordered` keeps the file's order (the copy takes
 * about 1.6 times as long), so that the staged file's row numbers count its good records.
 */
export async function stageCsv(
  connection: DuckDBConnection,
  f: ResolvedFile,
  target: string,
  ordered: boolean,
  reader: Reader,
): Promise<void> {
  const rejects = { table: "costline_csv_rejects", scan: "costline_csv_reject_scans" };
  mkdirSync(dirname(target), { recursive: true });
  try {
    if (ordered) await connection.run("SET preserve_insertion_order = true");
    await connection.run(
      `COPY (SELECT * FROM ${reader(csvSource(f.file.path, f.file.summary.format!, rejects), f.file.path)})` +
        ` TO ${sqlString(target)} (FORMAT parquet, COMPRESSION ${STAGE_COMPRESSION})`,
    );
    const rows = await queryRows<{ line: string; reason: string; text: string }>(
      connection,
      `SELECT line, string_agg(error_type || ': ' || error_message, '; ' ORDER BY byte_position) AS reason,` +
        ` arg_min(csv_line, byte_position) AS text FROM ${rejects.table} GROUP BY line ORDER BY line`,
    );
    f.malformed = rows.map((r) => ({ line: Number(r.line), reason: r.reason, text: r.text }));
  } finally {
    // Back to the engine's setting (engine/duckdb.ts).
    if (ordered) await connection.run("SET preserve_insertion_order = false");
    await connection.run(`DROP TABLE IF EXISTS ${rejects.table}; DROP TABLE IF EXISTS ${rejects.scan}`);
  }
  f.reader = readerSql(target, "parquet", f.file.summary.format!);
  f.row = ordered ? rowNumberSql("parquet") : "CAST(NULL AS BIGINT)";
}

/** Staged CSV is read a few times, then deleted: light compression writes faster than zstd. */
const STAGE_COMPRESSION = "lz4_raw";

/** Reads each file's columns; a file that is unreadable or lacks a required column is rejected whole. */
export async function resolveGroup(
  connection: DuckDBConnection,
  format: FormatId,
  group: PlannedFile[],
  focusVersion: OutputVersion,
  read: Reader,
): Promise<ResolvedFile[]> {
  const mapping = MAPPINGS[format];
  const resolvedFiles: ResolvedFile[] = [];
  for (const f of group) {
    try {
      const reader = read(readerSql(f.path, f.kind, format), f.path);
      const columns = await describe(connection, reader);
      const { resolved, missing } = resolveColumns(mapping, columns);
      if (missing.length) {
        throw new InputError(
          `missing required column(s) for ${format}: ${missing.join(", ")}; is this a ${format} export?`,
        );
      }
      const present = Object.fromEntries(Object.entries(resolved).filter(([, r]) => r));
      const row = rowNumberSql(f.kind);
      const problem = columns.some((c) => c.name === "__problem");
      const described = await describe(
        connection,
        `(${fileRelation(f.path, row, reader, present, () => "VARCHAR", problem)})`,
      );
      const types = new Map(described.filter((c) => c.name in present).map((c) => [c.name, c.type]));
      const notes = FILE_NOTES[format]?.(
        columns.map((c) => c.name.replace(/^\uFEFF/, "").trim()),
        focusVersion,
      );
      if (notes?.length) f.summary.notes = [...(f.summary.notes ?? []), ...notes];
      resolvedFiles.push({ file: f, reader, row, resolved, types, problem, malformed: [] });
    } catch (e) {
      if (await checkIntegrity(f)) continue;
      if (!(e instanceof InputError)) throw e;
      f.summary.status = "rejected";
      f.summary.error = e.message;
    }
  }
  return resolvedFiles;
}

/** A value as the text a text file would hold: MAPs, structs and lists as JSON. */
export const asText = (sql: string, type: string) =>
  /^(MAP|STRUCT|JSON)|\[\]$/.test(type) ? `CAST(to_json(${sql}) AS VARCHAR)` : `CAST(${sql} AS VARCHAR)`;
