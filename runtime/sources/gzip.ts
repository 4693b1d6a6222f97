import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

/** Whether the file starts with the gzip magic bytes 1f 8b (RFC 1952, 2.3.1). */
export function isGzip(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Why a gzip file cannot be trusted, or undefined when every member decompresses to its end with
 * matching CRC-32 and length. DuckDB's reader stops quietly at a stream cut short, so a truncated
 * download would count as a smaller file; zlib checks the trailer, which is why this reads the
 * whole file once before DuckDB does. The decompressed bytes go to `sink` (by default nowhere),
 * for another check to read in the same pass.
 */
export async function gzipProblem(
  path: string,
  sink: Writable = new Writable({ write: (_chunk, _encoding, done) => done() }),
): Promise<string | undefined> {
  try {
    await pipeline(createReadStream(path), createGunzip(), sink);
    return undefined;
  } catch (e) {
    return (
      `gzip data cut short or damaged (${(e as Error).message}): ${path} is not a whole export;` +
      " download or copy it again"
    );
  }
}

/** Bytes a read hands on: at the stream default of 64 KiB, reading costs about as much as counting. */
const CHUNK = 1 << 20;

/**
 * Reads a file to its end into `sink`, decompressed when it is gzip (its trailer checked, see
 * gzipProblem): why it could not be read whole, or undefined. The checks that count a file's
 * records apart from DuckDB (csv-records.ts, json-records.ts) read through it.
 */
export async function readThrough(path: string, sink: Writable): Promise<string | undefined> {
  if (isGzip(path)) return gzipProblem(path, sink);
  try {
    await pipeline(createReadStream(path, { highWaterMark: CHUNK }), sink);
    return undefined;
  } catch (e) {
    return `${path} could not be read to its end (${(e as Error).message}); copy it again`;
  }
}
