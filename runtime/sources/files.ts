import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/** How a file is read: by its name's ending. */
export type FileKind = "parquet" | "csv" | "json";

const KINDS: [RegExp, FileKind][] = [
  [/\.parquet$/i, "parquet"],
  [/\.csv(\.gz)?$/i, "csv"],
  [/\.(json|ndjson|jsonl)(\.gz)?$/i, "json"],
];

export class InputError extends Error {}

export function fileKind(path: string): FileKind | undefined {
  return KINDS.find(([re]) => re.test(path))?.[1];
}

/**
 * The data files named by the inputs: files as given, folders walked recursively (hidden entries
 * skipped), sorted so that runs are deterministic. A missing path or a folder without data files
 * is an error naming it.
 */
export function listInputFiles(inputs: string[]): { path: string; kind: FileKind }[] {
  const files: { path: string; kind: FileKind }[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    if (!existsSync(path)) throw new InputError(`input not found: ${input}`);
    if (statSync(path).isDirectory()) {
      const found = walk(path);
      if (!found.length) {
        throw new InputError(`no data files (.parquet, .csv, .csv.gz, .json, .ndjson) under ${input}`);
      }
      files.push(...found);
    } else {
      const kind = fileKind(path);
      if (!kind)
        throw new InputError(
          `unsupported file type: ${input} (expected .parquet, .csv, .csv.gz, .json, .ndjson)`,
        );
      files.push({ path, kind });
    }
  }
  return [...new Map(files.map((f) => [f.path, f])).values()].sort((a, b) => a.path.localeCompare(b.path));
}

function walk(dir: string): { path: string; kind: FileKind }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return walk(path);
      const kind = fileKind(path);
      return kind ? [{ path, kind }] : [];
    });
}
