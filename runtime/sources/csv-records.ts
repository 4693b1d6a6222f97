import { Writable } from "node:stream";
import { readThrough } from "./gzip";

const QUOTE = 0x22;
const COMMA = 0x2c;
const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

// Where the reader is, as far as where a record ends depends on it.
/** At the start of a field. */
const START = 0;
/** One space into a field: a quote still opens it. */
const SPACED = 1;
/** In an unquoted field: a quote is text. */
const TEXT = 2;
const QUOTED = 3;
/** After a quoted part of a field: a quote opens another (`""` is one), as may one after spaces. */
const CLOSED = 4;

/**
 * Counts a CSV file's data records fed to it in chunks, without DuckDB's parser, so that a record
 * its reader drops shows as a difference (see csvFileCheck). The dialect is the one csvReader
 * reads: RFC 4180 with DuckDB's leniencies, so that the two split any file alike, malformed
 * records included (tests/runtime/sources/csv-records.test.ts holds them to it). A `"` opens a
 * quoted part at the start of a field, after one space there, or after a quoted part and spaces;
 * elsewhere it is text; in a quoted part only a `"` matters. A record ends at LF, CR or CRLF; a
 * line without a byte is no record (DuckDB skips blank lines of a multi-column file, and every
 * export has several columns); the last record needs no line end; the first record is the header.
 *
 * Scans with Buffer.indexOf for the bytes that matter: files run to gigabytes, and a loop over
 * every byte in JavaScript costs several times DuckDB's own parse.
 */
export class CsvRecordCounter {
  private records = 0;
  private state = START;
  /** The current record has a byte. */
  private content = false;
  /** Bytes of a leading byte-order mark seen so far; -1 past it (or when the file has none). */
  private bom = 0;

  write(chunk: Buffer): void {
    const n = chunk.length;
    let i = 0;
    // A byte-order mark is no part of the header's first field (DuckDB and csvHeader drop it too).
    while (this.bom !== -1 && i < n) {
      if (this.bom === BOM.length || chunk[i] !== BOM[this.bom]) this.bom = -1;
      else {
        this.bom++;
        i++;
      }
    }
    // The next position of each byte at or after i (-1: none in the chunk), each searched once.
    let quote = -2;
    let lf = -2;
    let cr = -2;
    while (i < n) {
      if (quote !== -1 && quote < i) {
        // Most quotes are a few bytes apart (a quoted field, `""` in JSON text), where a call
        // into indexOf costs more than a look at the bytes: half the time on Azure's export.
        let q = i;
        const near = Math.min(n, i + 24);
        while (q < near && chunk[q] !== QUOTE) q++;
        quote = q < near ? q : chunk.indexOf(QUOTE, q);
      }
      if (this.state === QUOTED) {
        if (quote === -1) break;
        this.state = CLOSED;
        i = quote + 1;
        continue;
      }
      if (lf !== -1 && lf < i) lf = chunk.indexOf(LF, i);
      if (cr !== -1 && cr < i) cr = chunk.indexOf(CR, i);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (quote !== -1 && (end === -1 || quote < end)) {
        this.state = stateAfter(chunk, i, quote, this.state) === TEXT ? TEXT : QUOTED;
        this.content = true;
        i = quote + 1;
      } else if (end !== -1) {
        if (end > i || this.content) this.records++;
        this.content = false;
        this.state = START;
        i = end + 1;
      } else {
        this.state = stateAfter(chunk, i, n, this.state);
        this.content = true;
        i = n;
      }
    }
  }

  /** Data records so far, the last one counted though no line end has come yet. */
  count(): number {
    return Math.max(0, this.records + (this.content ? 1 : 0) - 1);
  }
}

/**
 * The state after `chunk[from, to)`, which holds no quote or line end, from `state`. Only the
 * spaces that end the run and the byte before them matter, so this reads those alone: a quote
 * follows a comma in most files, and this runs at every one.
 */
function stateAfter(chunk: Buffer, from: number, to: number, state: number): number {
  if (from === to) return state;
  const last = chunk[to - 1];
  if (last === COMMA) return START;
  if (last !== SPACE) return TEXT;
  let spaces = to - 1;
  while (spaces > from && chunk[spaces - 1] === SPACE) spaces--;
  const before = spaces > from ? (chunk[spaces - 1] === COMMA ? START : TEXT) : state;
  if (before === CLOSED) return CLOSED;
  return before === START && to - spaces === 1 ? SPACED : TEXT;
}

/** What reading a file apart from DuckDB found: why it cannot be trusted, or its data records. */
export type CsvFileCheck = { problem: string } | { records: number };

/**
 * Reads a CSV file to its end once, streaming: a gzip file is decompressed to its trailer (see
 * gzipProblem) and the records are counted from the same bytes, so the two checks cost one pass.
 */
export async function csvFileCheck(path: string): Promise<CsvFileCheck> {
  const counter = new CsvRecordCounter();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      counter.write(chunk);
      done();
    },
  });
  const problem = await readThrough(path, sink);
  return problem ? { problem } : { records: counter.count() };
}
