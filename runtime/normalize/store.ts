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
  /**
   * The datasets of its export it was read from, by name (Azure: ActualCost, AmortizedCost, or
   * both read as one); absent for an export of one dataset, and empty when its files said neither.
   */
  datasets?: string[];
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
  /** The run that finished making this run's output current, when this one stopped after committing it. */
  completedBy?: string;
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

/** Everything one run makes current, in one commit. */
export interface Publication {
  sources: StagedSource[];
  quarantine: StagedQuarantine[];
  /** The output format's file extension. */
  extension: string;
  /** Files of the store written whole (`unified.sql`), by name. */
  files: Record<string, string>;
  /** The run's summary, given the sources as the store will hold them. */
  summary: (replaced: StoredSource[]) => Summary;
}

/**
 * `<out>/.publish.json`, written in one step once a run has staged everything: the commit point.
 * Its steps are renames and removals that can be done again, so a run stopped part-way through
 * them (killed, or a rename failed) is completed by the next run on the store, and readers refuse
 * the store until then instead of reading some sources of the new run beside others of the old.
 * Paths are relative to the store, which may have been moved since.
 */
interface Journal {
  runId: string;
  steps: { step: string; move?: [string, string]; remove: string[] }[];
  files: Record<string, string>;
  summary: StoreSummary;
  /** Quarantine files no source stands for any more, removed once the summary no longer lists them. */
  stale: string[];
}

/** The journal's name in the store; a store that holds it has a publication to complete. */
const PUBLISH_JOURNAL = ".publish.json";

/**
 * Why the store at `dir` cannot be read now: a run stopped while making its output current, so
 * some of its sources are the new run's and others the old; undefined when there is no such stop.
 */
export function unfinishedPublication(dir: string): string | undefined {
  if (!existsSync(join(dir, PUBLISH_JOURNAL))) return undefined;
  return `${dir} is part-way through a run's publication (a normalize run stopped after committing its output, ${join(dir, PUBLISH_JOURNAL)}): some of its sources are that run's and others older: run costline normalize --input PATH... --out ${dir} (any inputs; it completes the publication first), then read the store again`;
}

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
  /** Let a source read from fewer datasets replace one read from more (see datasetLoss). */
  replaceDatasets?: boolean;
}

/**
 * Why `next` must not replace `held`, or undefined: the store's source was read from a dataset
 * that this run's is not (Azure ActualCost, whose commitment purchases and refunds AmortizedCost
 * leaves out; AmortizedCost, whose amortization ActualCost lacks). Runs of each export apart
 * would otherwise replace each other's source, and the second would silently lose what the
 * first read. A source whose datasets are not known (older stores) is replaced as it is.
 */
export function datasetLoss(held: StoredSource, next: StagedSource, out: string): string | undefined {
  if (!held.datasets || !next.datasets) return undefined;
  const lost = held.datasets.filter((d) => !next.datasets!.includes(d));
  if (!lost.length) return undefined;
  const read = (ds: string[]) => (ds.length ? ds.join(" and ") : "data that names no dataset");
  return (
    `${out} holds ${label(held)} read from ${read(held.datasets)} (run ${held.runId}); this run read it from ${read(next.datasets)} alone,` +
    ` and replacing it would lose what only ${lost.join(" and ")} holds: normalize that month's ${[...new Set([...held.datasets, ...next.datasets])].sort().join(" and ")} exports in one run` +
    ` (costline normalize --input PATH... --out ${out}), or pass --replace-datasets to replace it with this run's data alone; nothing was written`
  );
}

/**
 * Opens `out` for one run's writes, under its lock: a publication a stopped run committed is
 * completed, leftover staging of a killed run is removed, and a store of the older layout (files
 * not named by their source) is refused. Every write of the run goes through the returned store's
 * one commit: each staged source file is renamed onto the source's own file, which replaces it in
 * one step (a reader never sees a source's rows absent or twice); other sources' files are not
 * touched.
 */
export function openStore(out: string, opts: StoreOptions) {
  const hook = opts.hook ?? (() => {});
  const progress = opts.progress ?? (() => {});
  const started = opts.lock.now().toISOString();
  mkdirSync(out, { recursive: true });
  const release = acquireLock(out, opts.runId, opts.lock, progress);
  const staging = join(out, `.staging-${opts.runId}`);
  const summaryPath = join(out, "summary.json");
  const previous = (): StoreSummary => {
    const empty: StoreSummary = { store: { sources: [], quarantine: [] }, history: [] };
    if (!existsSync(summaryPath)) return empty;
    const s = JSON.parse(readFileSync(summaryPath, "utf8")) as StoreSummary;
    return s.store && s.history ? s : empty;
  };
  let committed = false;
  /** The store's summary once this run's record is added, and the quarantine files it leaves stale. */
  const nextSummary = (
    replaced: StoredSource[],
    quarantined: StoredQuarantine[],
    status: RunRecord["status"],
    lastRun: Summary | undefined,
    error?: string,
  ) => {
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
    return { next, stale: stale.map((q) => q.file) };
  };
  /** Records a run that failed before it committed (it changed nothing); the run's own error is what it reports. */
  const failed = (error: unknown) => {
    // A committed run's record is in its journal, which the next run completes (as it does one a
    // stopped run left, if completing it failed here).
    if (committed || existsSync(join(out, PUBLISH_JOURNAL))) return;
    try {
      hook("summary");
      const { next } = nextSummary([], [], "failed", undefined, (error as Error).message.split("\n")[0]);
      writeAtomically(summaryPath, `${JSON.stringify(next, null, 2)}\n`, opts.runId);
    } catch (recording) {
      progress(`${summaryPath}: the failure could not be recorded: ${(recording as Error).message}`);
    }
  };

  try {
    hook("locked");
    // Before the staging is cleaned: a stopped publication's files are still there.
    if (existsSync(join(out, PUBLISH_JOURNAL))) {
      const journal = JSON.parse(readFileSync(join(out, PUBLISH_JOURNAL), "utf8")) as Journal;
      progress(
        `${out}: completing the publication of run ${journal.runId}, which stopped after committing it`,
      );
      journal.summary.history = journal.summary.history.map((h) =>
        h.runId === journal.runId ? { ...h, completedBy: opts.runId } : h,
      );
      apply(out, journal, () => {}, opts.runId);
    }
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
     * Makes everything the run staged current: the staged sources (a covered source with no rows
     * loses its file), quarantine files (named by the inputs they come from, replacing those of
     * the same inputs), the store's files and the run's record in summary.json. The journal is
     * written first, in one step; from then on the run's output is the store's, and a stop part-way
     * is completed by the next run. Returns the sources as the store holds them.
     */
    commit(p: Publication): StoredSource[] {
      if (!opts.replaceDatasets) {
        const held = new Map(previous().store.sources.map((x) => [keyOf(x), x]));
        const losses = p.sources.flatMap((s) => {
          const h = held.get(keyOf(s));
          const loss = h && datasetLoss(h, s, out);
          return loss ? [loss] : [];
        });
        if (losses.length) throw new InputError(losses.join("\n"));
      }
      const steps: Journal["steps"] = [];
      const replaced: StoredSource[] = [];
      const quarantined: StoredQuarantine[] = [];
      const inStore = (path: string) => relative(out, path);
      for (const s of p.sources) {
        const file = sourceFile(s, p.extension);
        // The source written as the other format (or, without rows, at all) is the old version.
        const remove = EXTENSIONS.filter((other) => other !== p.extension || !s.staged).map((other) =>
          sourceFile(s, other),
        );
        steps.push({
          step: `replace ${label(s)}`,
          ...(s.staged ? { move: [inStore(s.staged), file] as [string, string] } : {}),
          remove,
        });
        const { staged: _, ...stored } = s;
        replaced.push({ ...stored, file, runId: opts.runId });
      }
      for (const q of p.quarantine) {
        steps.push({ step: `quarantine ${q.file}`, move: [inStore(q.staged), q.file], remove: [] });
        const covered = p.sources.filter((s) => s.format === q.format);
        quarantined.push({ file: q.file, sources: covered.map(sourceKey) });
      }
      const summary = p.summary(replaced);
      const { next, stale } = nextSummary(
        replaced,
        quarantined,
        summary.reconciled ? "reconciled" : "unreconciled",
        summary,
      );
      hook("commit");
      writeAtomically(
        join(out, PUBLISH_JOURNAL),
        JSON.stringify({ runId: opts.runId, steps, files: p.files, summary: next, stale } satisfies Journal),
        opts.runId,
      );
      committed = true;
      try {
        apply(out, { runId: opts.runId, steps, files: p.files, summary: next, stale }, hook, opts.runId);
      } catch (e) {
        throw new InputError(
          `${out}: this run's output is committed, but making it current stopped (${(e as Error).message}): the next costline normalize --out ${out} completes it; until then the store cannot be read`,
        );
      }
      return replaced;
    },
    failed,
    close() {
      try {
        // A publication left to complete still needs its staged files.
        if (!existsSync(join(out, PUBLISH_JOURNAL))) rmSync(staging, { recursive: true, force: true });
      } finally {
        release();
      }
    },
  };
}

export type Store = ReturnType<typeof openStore>;

/** Carries out a committed journal's steps; each can be done again, so a stopped one is completed by running it again. */
function apply(out: string, journal: Journal, hook: StoreHook, runId: string): void {
  for (const { step, move, remove } of journal.steps) {
    hook(step);
    // A move done before the stop has no staged file left; its target is already the new one.
    if (move && existsSync(join(out, move[0]))) {
      mkdirSync(dirname(join(out, move[1])), { recursive: true });
      renameSync(join(out, move[0]), join(out, move[1]));
    }
    for (const r of remove) rmSync(join(out, r), { force: true });
  }
  for (const [name, text] of Object.entries(journal.files)) {
    hook(name);
    writeAtomically(join(out, name), text, runId);
  }
  hook("summary");
  writeAtomically(join(out, "summary.json"), `${JSON.stringify(journal.summary, null, 2)}\n`, runId);
  // Removed once summary.json no longer lists them: a stop before leaves them listed, to go next time.
  for (const file of journal.stale) rmSync(join(out, file), { force: true });
  rmSync(join(out, PUBLISH_JOURNAL), { force: true });
}

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
