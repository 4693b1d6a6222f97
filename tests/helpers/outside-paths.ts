import { readdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/**
 * Finds references from a repository's source, test, bench and script files to paths outside the
 * repository: a relative path that climbs above the root (`../shared/...` from the root, or
 * `join(__dirname, "..", "..", "x")` from deep enough), a machine's absolute home or workplace
 * path, or the workplace's reference folder by name. A clone must pass its tests with nothing
 * beside it; any of these makes it depend on the machine it was written on.
 */

export interface OutsideReference {
  /** Repository-relative path of the file, with `/` separators. */
  file: string;
  line: number;
  /** What was found, as written. */
  text: string;
  why: string;
}

/** Files a build, test, bench or script reads or runs; prose (`.md`) may name where material came from. */
const SCANNED_EXTENSIONS = /\.(ts|tsx|js|mjs|cjs|json|sh|ya?ml|toml|sql)$/;
const SCANNED_NAMES = new Set(["run", "Dockerfile", ".mocharc.json"]);
/** Generated or installed, never written by us; the lockfile holds registry URLs, not paths. */
const SKIPPED_NAMES = new Set([".git", "node_modules", "package-lock.json"]);

/** A relative path as written in code or a script: one or more `..` steps, then anything path-like. */
const RELATIVE_PATH = /(?<![\w.$/-])((?:\.\.?\/)*\.\.(?:\/[\w.@${}*-]+)*\/?)(?![\w.-])/g;
/** `join(__dirname, "..", "x")` or `resolve(import.meta.dirname, ...)`: the literal arguments after the anchor. */
const DIRNAME_JOIN = /\b(?:join|resolve)\(\s*(?:__dirname|import\.meta\.dirname)\s*,([^)]*)\)/g;
const STRING_ARG = /^\s*(["'`])([^"'`]*)\1\s*$/;
/** Home and workplace folders of the machines this was built on or will be cloned to. */
const MACHINE_PATH = /(?<![\w.-])(?:\/(?:work|root|home|Users)\/[\w.-]+|[A-Za-z]:\\\\?Users\\)/g;
/** The workplace's reference folder and design note exist only beside a developer's checkout. */
const WORKPLACE_FOLDER = /\bshared\/(?:reference|DESIGN\.md|hooks)\b/g;

/** Directory names the repository's `.gitignore` excludes (`dist/`, `/tmp/`): outputs, not sources. */
function ignoredDirectories(root: string): Set<string> {
  let text = "";
  try {
    text = readFileSync(join(root, ".gitignore"), "utf8");
  } catch {
    return new Set();
  }
  return new Set(
    text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.endsWith("/") && !l.startsWith("#") && !l.startsWith("!"))
      .map((l) => l.replace(/^\//, "").replace(/\/$/, ""))
      .filter((l) => !l.includes("/")),
  );
}

function* scannedFiles(root: string, dir: string, ignored: Set<string>): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED_NAMES.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!ignored.has(entry.name)) yield* scannedFiles(root, path, ignored);
    } else if (entry.isFile() && (SCANNED_EXTENSIONS.test(entry.name) || SCANNED_NAMES.has(entry.name))) {
      yield path;
    }
  }
}

const outside = (root: string, target: string) => {
  const rel = relative(root, target);
  return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
};

/** Every reference to a path outside `root` in the files under it, in file and line order. */
export function findOutsideReferences(root: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  for (const path of scannedFiles(root, root, ignoredDirectories(root))) {
    const file = relative(root, path).split(sep).join("/");
    const source = readFileSync(path, "utf8");
    const here: OutsideReference[] = [];
    // Whole-text matching: a `join(__dirname, ...)` is often spread over several lines.
    const add = (m: RegExpMatchArray, text: string, why: string) =>
      here.push({
        file,
        line: source.slice(0, m.index).split("\n").length,
        text: text.replace(/\s+/g, " "),
        why,
      });
    for (const m of source.matchAll(RELATIVE_PATH)) {
      if (outside(root, resolve(dirname(path), m[1]))) add(m, m[1], "climbs above the repository root");
    }
    for (const m of source.matchAll(DIRNAME_JOIN)) {
      const segments: string[] = [];
      for (const arg of m[1].split(",")) {
        const literal = STRING_ARG.exec(arg);
        if (!literal) break;
        segments.push(literal[2]);
      }
      if (segments.length && outside(root, resolve(dirname(path), ...segments))) {
        add(m, m[0], "joins a path above the repository root");
      }
    }
    for (const m of source.matchAll(MACHINE_PATH)) add(m, m[0], "names an absolute path of a machine");
    for (const m of source.matchAll(WORKPLACE_FOLDER)) add(m, m[0], "names the workplace's reference folder");
    found.push(...here.sort((a, b) => a.line - b.line));
  }
  return found;
}
