import * as nodeFs from "node:fs";
import { constants, type Stats } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

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

/** The file system calls the path checks make, injected so that tests can fail them at will. */
export interface FileSystem {
  lstatSync(path: string): Stats;
  statSync(path: string): Stats;
  realpathSync(path: string): string;
  readdirSync(path: string): string[];
  accessSync(path: string, mode: number): void;
}

const NODE_FS: FileSystem = {
  lstatSync: (p) => nodeFs.lstatSync(p),
  statSync: (p) => nodeFs.statSync(p),
  realpathSync: (p) => nodeFs.realpathSync(p),
  readdirSync: (p) => nodeFs.readdirSync(p),
  accessSync: (p, mode) => nodeFs.accessSync(p, mode),
};

const code = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** What kind of special file a path is, for a message; undefined for files and folders. */
function special(stats: Stats): string | undefined {
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return undefined;
}

/**
 * What `path` is, following symlinks, without opening it: a special file would block a reader
 * (a FIFO waits for a writer forever) or never end (/dev/zero), so it is refused by its type.
 */
function inspect(fs: FileSystem, path: string, shown: string): Stats {
  let stats: Stats;
  try {
    stats = fs.statSync(path);
  } catch (e) {
    if (code(e) === "ELOOP")
      throw new InputError(`symlink loop at ${shown}: point the link at a file or folder`);
    if (code(e) === "ENOENT") {
      const link = (() => {
        try {
          return fs.lstatSync(path).isSymbolicLink();
        } catch {
          return false;
        }
      })();
      throw new InputError(
        link ? `dangling symlink: ${shown} points at nothing` : `input not found: ${shown}`,
      );
    }
    if (code(e) === "EACCES") throw new InputError(`permission denied: ${shown}: grant read access`);
    throw e;
  }
  const kind = special(stats);
  if (kind) throw new InputError(`${shown} is ${kind}, not a data file: pass the export file itself`);
  return stats;
}

/**
 * The data files named by the inputs: files as given, folders walked recursively (hidden entries
 * skipped, symlinks followed), sorted so that runs are deterministic. A missing or unreadable
 * path, a symlink loop or dangling link, a special file, or a folder without data files is an
 * error naming it.
 */
export function listInputFiles(
  inputs: string[],
  fs: FileSystem = NODE_FS,
): { path: string; kind: FileKind }[] {
  const files: { path: string; kind: FileKind }[] = [];
  for (const input of inputs) {
    const path = resolve(input);
    if (inspect(fs, path, input).isDirectory()) {
      const found = walk(fs, path, new Set([fs.realpathSync(path)]));
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
      readable(fs, path);
      files.push({ path, kind });
    }
  }
  return [...new Map(files.map((f) => [f.path, f])).values()].sort((a, b) => a.path.localeCompare(b.path));
}

function readable(fs: FileSystem, path: string): void {
  try {
    fs.accessSync(path, constants.R_OK);
  } catch (e) {
    if (code(e) === "EACCES") throw new InputError(`permission denied: ${path}: grant read access`);
    throw e;
  }
}

/** `ancestors`: the real paths of the folders above, to tell a symlink back to one of them. */
function walk(fs: FileSystem, dir: string, ancestors: Set<string>): { path: string; kind: FileKind }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if (code(e) === "EACCES") throw new InputError(`permission denied: ${dir}: grant read access`);
    throw e;
  }
  return names
    .filter((name) => !name.startsWith("."))
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      const kind = fileKind(path);
      // An entry that is neither data nor a folder is left alone (a socket beside the data is no concern).
      const entry = fs.lstatSync(path);
      if (!kind && !entry.isDirectory() && !entry.isSymbolicLink()) return [];
      const stats = inspect(fs, path, path);
      if (stats.isDirectory()) {
        const real = fs.realpathSync(path);
        if (ancestors.has(real)) throw new InputError(`symlink loop at ${path}: it leads back to ${real}`);
        return walk(fs, path, new Set([...ancestors, real]));
      }
      if (!kind) return [];
      readable(fs, path);
      return [{ path, kind }];
    });
}

/** `path` (which need not exist) with symlinks of its existing part resolved. */
function realPath(fs: FileSystem, path: string): string {
  try {
    return fs.realpathSync(path);
  } catch (e) {
    if (code(e) !== "ENOENT" || dirname(path) === path) throw e;
    return join(realPath(fs, dirname(path)), path.slice(dirname(path).length + 1));
  }
}

const within = (inner: string, outer: string) => {
  const rel = relative(outer, inner);
  return !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
};

/**
 * Checks the output folder before any work: it must be a folder (or not exist yet) that can be
 * written, and neither inside an input (a later run would read its own output as input) nor
 * holding one.
 */
export function checkOutputFolder(out: string, inputs: string[], fs: FileSystem = NODE_FS): void {
  const path = resolve(out);
  let existing = path;
  for (;;) {
    try {
      const stats = fs.statSync(existing);
      if (!stats.isDirectory()) {
        throw new InputError(
          existing === path
            ? `--out ${out} is not a folder: pass a folder (it is created when missing)`
            : `--out ${out}: ${existing} is not a folder, so the output folder cannot be created there`,
        );
      }
      break;
    } catch (e) {
      if (code(e) !== "ENOENT" && code(e) !== "ENOTDIR") throw e;
      existing = dirname(existing);
    }
  }
  try {
    fs.accessSync(existing, constants.W_OK);
  } catch (e) {
    if (code(e) !== "EACCES" && code(e) !== "EROFS") throw e;
    throw new InputError(
      `--out ${out}: ${existing} is not writable: grant write access or pass another folder`,
    );
  }
  const outReal = realPath(fs, path);
  for (const input of inputs) {
    const inputReal = realPath(fs, resolve(input));
    if (within(outReal, inputReal)) {
      throw new InputError(
        `--out ${out} is inside the input ${input}: a run would read its own output; pass an output folder outside the inputs`,
      );
    }
    if (within(inputReal, outReal)) {
      throw new InputError(
        `the input ${input} is inside --out ${out}: pass the exports from a folder outside the output`,
      );
    }
  }
}
