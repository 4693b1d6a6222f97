import { Writable } from "node:stream";
import { readThrough } from "./gzip";

/**
 * Deeper than any billing export nests (a GCP record: 4 levels) by far. DuckDB's JSON reader
 * recurses once per level to infer a schema, and a file nested some 100,000 levels deep overflows
 * its stack: the process dies (SIGSEGV) instead of failing the file.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Reads JSON text fed to it in chunks, without parsing: its nesting, bracket by bracket outside
 * strings, and its records, the objects at the top level. In NDJSON that is one a line, and the
 * count does not depend on line ends (a record's text holds none, and blank lines are none).
 */
export class JsonScanner {
  records = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly limit = MAX_JSON_DEPTH) {}

  /** False once a value nests deeper than the limit (the rest need not be read). */
  write(chunk: Buffer): boolean {
    for (const byte of chunk) {
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        if (this.depth === 0 && byte === OPEN_OBJECT) this.records++;
        if (++this.depth > this.limit) return false;
      } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) this.depth--;
    }
    return true;
  }
}

/** What reading a JSON file apart from DuckDB found: why it cannot be given to the reader, or its records. */
export type JsonFileCheck = { problem: string } | { records: number };

/**
 * Reads a JSON file to its end once, streaming, before DuckDB parses it: a gzip file is
 * decompressed to its trailer (see gzipProblem), its nesting is bounded by `limit`, and its
 * top-level objects are counted (for NDJSON, the records DuckDB must read of it), in one pass.
 */
export async function jsonFileCheck(path: string, limit = MAX_JSON_DEPTH): Promise<JsonFileCheck> {
  const scanner = new JsonScanner(limit);
  let deep = false;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      deep = !scanner.write(chunk);
      done(deep ? new Error("nested too deep") : undefined);
    },
  });
  const tooDeep = {
    problem: `JSON nested deeper than ${limit} levels in ${path}: not a billing export (they nest a few levels); check what wrote it`,
  };
  const problem = await readThrough(path, sink);
  if (deep) return tooDeep;
  return problem ? { problem } : { records: scanner.records };
}
