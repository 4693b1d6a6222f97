import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { isGzip } from "./gzip";

/**
 * Deeper than any billing export nests (a GCP record: 4 levels) by far. DuckDB's JSON reader
 * recurses once per level to infer a schema, and a file nested some 100,000 levels deep overflows
 * its stack: the process dies (SIGSEGV) instead of failing the file.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Why a JSON file cannot be given to the reader, or undefined when no value in it nests deeper than
 * `limit` objects and arrays. Counts brackets outside strings in one streaming pass, without
 * parsing (decompressing a gzip file).
 */
export async function jsonDepthProblem(path: string, limit = MAX_JSON_DEPTH): Promise<string | undefined> {
  const bytes = isGzip(path) ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  let depth = 0;
  let inString = false;
  let escaped = false;
  for await (const chunk of bytes as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
      } else if (byte === QUOTE) inString = true;
      else if (OPEN.has(byte)) {
        if (++depth > limit) {
          bytes.destroy();
          return `JSON nested deeper than ${limit} levels in ${path}: not a billing export (they nest a few levels); check what wrote it`;
        }
      } else if (CLOSE.has(byte)) depth--;
    }
  }
  return undefined;
}
