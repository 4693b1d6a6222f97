import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import type { FormatId } from "../mapping/types";
import { DEFAULT_OUTPUT_VERSION, type OutputVersion } from "../schema/output";
import { InputError } from "../sources/files";
import { partitionPath } from "./partitions";
import { acquireLock, type LockDeps } from "./store-lock";
import type { Summary } from "./summary";

/** The unit the CLI's store replaces: one billing account's period of one provider, read from one source format. */
export interface SourceKey {
  provider: string;
  billingAccountId: string;
  format: FormatId;
  period: string;
}

/** A source as the store holds it: its file (relative to the store) and what the run that wrote it expected there. */
export interface StoredSource extends SourceKey {
  file: string;
  runId: string;
  rows: number;
  /** Output cost per source currency: source cost less quarantined cost, as the accounting summed it. */
  costs: Record<string, string>;
}

/** A staged source of this run; `staged` is absent when the inputs cover the source but hold no output row of it. */
export interface StagedSource extends Omit<StoredSource, "file" | "runId"> {
  staged?: string;
}

/** A staged quarantine file of one format and its place in the store. */
export interface StagedQuarantine {
  staged: string;
  file: string;
  format: FormatId;
}

export interface RunRecord {
  runId: string;
  started: string;
  finished: string;
  status: "reconciled" | "unreconciled" | "failed";
  sourcesReplaced: SourceKey[];
  error?: string;
}

/** A run's quarantine file of one format, named by the run's input paths, and the sources its inputs covered. */
export interface StoredQuarantine {
  file: string;
  sources: SourceKey[];
}

/** `<out>/summary.json`: the store's current sources, every run's record, and the last finished run's summary. */
export interface StoreSummary {
  /** The FOCUS version of every source file (a store written before versions were recorded holds 1.2). */
  store: { focusVersion?: OutputVersion; sources: StoredSource[]; quarantine: StoredQuarantine[] };
  history: RunRecord[];
  lastRun?: Summary;
}

/** Each step of a run's writes calls it first, so that a test can stop the run there. */
export type StoreHook = (step: string) => void;

/** The hash of a billing account in file names: a fixed, path-safe length (the id itself is in the rows). */
export const accountHash = (billingAccountId: string) =>
  createHash("sha256").update(billingAccountId).digest("hex").slice(0, 16);

/** The same hash in DuckDB, to partition a period's output by billing account as it is written. */
export const accountHashSql = (column: string) => `substr(sha256(${column}), 1, 16)`;

/** The one file of a source, relative to the store; its name alone tells replacement where the source is. */
export const sourceFile = (k: SourceKey, extension: string) =>
  join(
    "focus",
    ...partitionPath(k.provider, k.period),
    `${k.format}-${accountHash(k.billingAccountId)}.${extension}`,
  );

const SOURCE_FILE = /^[a-z0-9-]+-[0-9a-f]{16}\.(parquet|csv)$/;
const EXTENSIONS = ["parquet", "csv"];
/** The key alone, of a record that carries more. */
export const sourceKey = ({ provider, billingAccountId, format, period }: SourceKey): SourceKey => ({
  provider,
  billingAccountId,
  format,
  period,
});
const keyOf = (k: SourceKey) => JSON.stringify([k.provider, k.billingAccountId, k.format, k.period]);
const label = (k: SourceKey) => `${k.provider} ${k.billingAccountId} ${k.format} ${k.period}`;

export interface StoreOptions {
  runId: string;
  /** The FOCUS version the run writes; a store holds one. */
  focusVersion: OutputVersion;
  lock: LockDeps;
  hook?: StoreHook;
  progress?: (message: string) => void;
}

/**
 * Opens `out` for one run's writes, under its lock: leftover staging of a killed run is removed,
 * and a store of the older layout (files not named by their source) is refused. Every write of
 * the run goes through the returned store: each staged source file is renamed onto the source's
 * own file, which replaces it in one step (readers see the old rows or the new, never none or
 * both); other sources' files are not touched.
 */
export function openStore(out: string, opts: StoreOptions) {
  const hook = opts.hook ?? (() => {});
  const progress = opts.progress ?? (() => {});
  const started = opts.lock.now().toISOString();
  mkdirSync(out, { recursive: true });
  const release = acquireLock(out, opts.runId, opts.lock, progress);
  const staging = join(out, `.staging-${opts.runId}`);
  const replaced: StoredSource[] = [];
  const quarantined: StoredQuarantine[] = [];
  const summaryPath = join(out, "summary.json");
  const previous = (): StoreSummary => {
    const empty: StoreSummary = { store: { sources: [], quarantine: [] }, history: [] };
    if (!existsSync(summaryPath)) return empty;
    const s = JSON.parse(readFileSync(summaryPath, "utf8")) as StoreSummary;
    return s.store && s.history ? s : empty;
  };
  const record = (status: RunRecord["status"], lastRun: Summary | undefined, error?: string) => {
    hook("summary");
    const s = previous();
    const current = new Map(s.store.sources.map((x) => [keyOf(x), x]));
    for (const x of replaced) current.set(keyOf(x), x);
    // A quarantine file is stale once every source its inputs covered has been replaced since.
    const now = new Set(replaced.map(keyOf));
    const written = new Set(quarantined.map((q) => q.file));
    const kept = (s.store.quarantine ?? []).filter((q) => !written.has(q.file));
    const stale = kept.filter((q) => q.sources.length && q.sources.every((k) => now.has(keyOf(k))));
    const run: RunRecord = {
      runId: opts.runId,
      started,
      finished: opts.lock.now().toISOString(),
      status,
      sourcesReplaced: replaced.map(sourceKey),
      ...(error === undefined ? {} : { error }),
    };
    const next: StoreSummary = {
      store: {
        // What the store holds: this run's version once it has replaced a source, else as before.
        focusVersion: replaced.length
          ? opts.focusVersion
          : (s.store.focusVersion ?? (s.store.sources.length ? DEFAULT_OUTPUT_VERSION : opts.focusVersion)),
        sources: [...current.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b))),
        quarantine: [...kept.filter((q) => !stale.includes(q)), ...quarantined],
      },
      history: [...s.history, run],
      lastRun: lastRun ?? s.lastRun,
    };
    writeAtomically(summaryPath, `${JSON.stringify(next, null, 2)}\n`, opts.runId);
    // Removed once summary.json no longer lists them: a stop before leaves them listed, to go next time.
    for (const q of stale) rmSync(join(out, q.file), { force: true });
  };
  /** Records a failed run, and the sources it replaced before it failed; the run's own error is what it reports. */
  const failed = (error: unknown) => {
    try {
      record("failed", undefined, (error as Error).message.split("\n")[0]);
    } catch (recording) {
      progress(`${summaryPath}: the failure could not be recorded: ${(recording as Error).message}`);
    }
  };

  try {
    hook("locked");
    for (const e of readdirSync(out)) {
      if (!e.startsWith(".staging-")) continue;
      progress(`${out}: removing ${e}, left by a run that stopped`);
      rmSync(join(out, e), { recursive: true, force: true });
    }
    const foreign = filesUnder(join(out, "focus")).filter((f) => !SOURCE_FILE.test(basename(f)));
    if (foreign.length) {
      throw new InputError(
        `${out} holds output files not named by their source (${relative(out, foreign[0]!)}${foreign.length > 1 ? ` and ${foreign.length - 1} more` : ""}), written before sources were replaced one by one: normalize into a new --out, or delete ${join(out, "focus")} and normalize every source again`,
      );
    }
    // One version per store: its tables and the unified view have one set of columns.
    const held = previous().store;
    const heldVersion = held.focusVersion ?? DEFAULT_OUTPUT_VERSION;
    if (held.sources.length && heldVersion !== opts.focusVersion) {
      throw new InputError(
        `${out} holds FOCUS ${heldVersion} output; this run writes FOCUS ${opts.focusVersion}, and one store holds one version: normalize into a new --out, or pass --focus-version ${heldVersion}`,
      );
    }
    mkdirSync(staging, { recursive: true });
  } catch (e) {
    failed(e);
    release();
    throw e;
  }

  return {
    /** This run's private folder under `out`, on the same file system, so that a rename moves a file in. */
    staging,
    /**
     * Makes the staged sources current, one rename each; a covered source with no rows loses its
     * file. Quarantine files (named by the inputs they come from) replace those of the same inputs.
     */
    publish(sources: StagedSource[], quarantine: StagedQuarantine[], extension: string) {
      for (const s of sources) {
        const file = sourceFile(s, extension);
        hook(`replace ${label(s)}`);
        const target = join(out, file);
        mkdirSync(dirname(target), { recursive: true });
        if (s.staged) renameSync(s.staged, target);
        // The source written as the other format (or, without rows, at all) is the old version.
        for (const other of EXTENSIONS) {
          if (other !== extension || !s.staged) rmSync(join(out, sourceFile(s, other)), { force: true });
        }
        const { staged: _, ...stored } = s;
        replaced.push({ ...stored, file, runId: opts.runId });
      }
      for (const q of quarantine) {
        hook(`quarantine ${q.file}`);
        mkdirSync(dirname(join(out, q.file)), { recursive: true });
        renameSync(q.staged, join(out, q.file));
        const covered = sources.filter((s) => s.format === q.format);
        quarantined.push({ file: q.file, sources: covered.map(sourceKey) });
      }
      return replaced;
    },
    /** Writes a file of the store whole or not at all. */
    write(name: string, text: string) {
      hook(name);
      writeAtomically(join(out, name), text, opts.runId);
    },
    /** Records the finished run in summary.json. */
    finished: (summary: Summary) => record(summary.reconciled ? "reconciled" : "unreconciled", summary),
    failed,
    close() {
      try {
        rmSync(staging, { recursive: true, force: true });
      } finally {
        release();
      }
    },
  };
}

export type Store = ReturnType<typeof openStore>;

function writeAtomically(path: string, text: string, runId: string): void {
  const temp = `${path}.tmp-${runId}`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}
