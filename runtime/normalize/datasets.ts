import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows } from "../engine/duckdb";
import { compileDatasetQueries } from "../mapping/compile";
import { duckdb } from "../mapping/duckdb";
import type { SourceMapping } from "../mapping/types";
import type { ResolvedFile } from "./resolve";

// A stage of a normalize run between the facts and the accounting: files of two overlapping
// datasets of one export (SourceMapping.datasets) read as one, so that no charge counts twice.

/** Rows of a partial dataset's file that its whole dataset holds too, in one currency. */
export interface Superseded {
  currency: string;
  rows: number;
  cost: string;
}

/** What pairing decided of a group's files. */
export interface Pairing {
  /** Files refused, with the problem: their dataset cannot be told where both datasets meet. */
  refused: Map<string, string>;
  /** Paired partial files: the keys the whole dataset covers (their rows there are superseded), and those rows. */
  partial: Map<string, { keys: string[]; superseded: Superseded[] }>;
  /** The facts each file is read with (a paired partial file takes `pairedFacts`). */
  facts: Map<string, Record<string, boolean>>;
  /** What the summary says of a file's dataset. */
  notes: Map<string, string[]>;
  /** The datasets each file holds, by name (none: its manifest and rows say neither); empty for an export of one dataset. */
  names: Map<string, string[]>;
}

type Dataset = "whole" | "partial" | "both" | "unknown";

/**
 * Which dataset each file is, the keys where both datasets meet, and each file's part there.
 * `relation`: a file's relation without facts. Runs no query unless the group has files of both
 * datasets.
 */
export async function pairDatasets(
  connection: DuckDBConnection,
  mapping: SourceMapping,
  sources: ResolvedFile[],
  relation: (f: ResolvedFile) => string,
  textColumns: ReadonlySet<string>,
  absent: ReadonlySet<string>,
): Promise<Pairing> {
  const spec = mapping.datasets;
  // A manifest's statement outweighs what the rows suggest: a part without commitment charges is
  // still its dataset's.
  const factsOf = (f: ResolvedFile) => {
    const stated = f.file.dataset?.toLowerCase();
    if (!spec || (stated !== spec.whole.name.toLowerCase() && stated !== spec.partial.name.toLowerCase()))
      return f.facts ?? {};
    const whole = stated === spec.whole.name.toLowerCase();
    return { ...f.facts, [spec.whole.fact]: whole, [spec.partial.fact]: !whole };
  };
  const pairing: Pairing = {
    refused: new Map(),
    partial: new Map(),
    facts: new Map(sources.map((f) => [f.file.path, factsOf(f)])),
    notes: new Map(),
    names: new Map(),
  };
  if (!spec) return pairing;
  const note = (path: string, text: string) =>
    pairing.notes.set(path, [...(pairing.notes.get(path) ?? []), text]);
  const datasetOf = (f: ResolvedFile): Dataset => {
    const facts = pairing.facts.get(f.file.path)!;
    const whole = facts[spec.whole.fact] ?? false;
    const partial = facts[spec.partial.fact] ?? false;
    return whole && partial ? "both" : whole ? "whole" : partial ? "partial" : "unknown";
  };
  const datasets = new Map(sources.map((f) => [f.file.path, datasetOf(f)]));
  const namesOf: Record<Dataset, string[]> = {
    whole: [spec.whole.name],
    partial: [spec.partial.name],
    both: [spec.partial.name, spec.whole.name],
    unknown: [],
  };
  for (const [path, d] of datasets) pairing.names.set(path, namesOf[d]);
  const of = (d: Dataset) => sources.filter((f) => datasets.get(f.file.path) === d);
  const statedBy = (f: ResolvedFile) => (f.file.dataset ? "its export's manifest" : "its rows");
  if (!of("partial").length || (!of("whole").length && !of("both").length)) {
    for (const f of of("whole")) note(f.file.path, spec.whole.note);
    return pairing;
  }
  const keysOf = new Map<string, string[]>();
  for (const f of sources) {
    const { keys } = queries(mapping, relation(f), textColumns, absent);
    keysOf.set(
      f.file.path,
      (await queryRows<{ __key: string }>(connection, keys)).map((r) => r.__key),
    );
  }
  const keysIn = (d: Dataset) => new Set(of(d).flatMap((f) => keysOf.get(f.file.path)!));
  const partialKeys = keysIn("partial");
  const wholeKeys = keysIn("whole");
  // Where the partial dataset is read less what the whole one holds.
  const met = new Set([...partialKeys].filter((k) => wholeKeys.has(k)));
  // A file of both kinds is no dataset the export writes (two files concatenated?): where it meets
  // the partial dataset it is refused, as an unknown file is where the two datasets meet.
  const bothKeys = keysIn("both");
  const meet = new Set([...partialKeys].filter((k) => wholeKeys.has(k) || bothKeys.has(k)));
  /** The other files of these datasets that have `key`. */
  const filesAt = (key: string, self: ResolvedFile, ...ds: Dataset[]) =>
    sources
      .filter((f) => f !== self && ds.includes(datasets.get(f.file.path)!))
      .filter((f) => keysOf.get(f.file.path)!.includes(key))
      .map((f) => f.file.path);
  for (const f of [...of("unknown"), ...of("both")]) {
    const key = keysOf.get(f.file.path)!.find((k) => meet.has(k));
    if (!key) continue;
    const what =
      datasets.get(f.file.path) === "both"
        ? `it holds both amortized commitment usage and commitment purchases, as neither ${spec.whole.name} nor ${spec.partial.name} data does`
        : `neither an export manifest beside it nor its rows (no commitment charges) say whether it is ${spec.whole.name} or ${spec.partial.name} data`;
    pairing.refused.set(
      f.file.path,
      `${what}, and its ${key} has files of both (${spec.whole.name}: ${filesAt(key, f, "whole", "both").join(", ") || "this file"}; ${spec.partial.name}: ${filesAt(key, f, "partial").join(", ")}): read either way, its charges could count twice or not at all. Keep the manifest.json that the export wrote beside its files, or pass the files of one dataset only`,
    );
  }
  for (const f of of("whole")) {
    const keys = keysOf.get(f.file.path)!.filter((k) => met.has(k));
    if (keys.length) {
      note(
        f.file.path,
        `${spec.whole.name} data (by ${statedBy(f)}), read with the ${spec.partial.name} data of its ${keys.join("; ")}, which adds the charges it lacks`,
      );
    }
    if (keys.length < keysOf.get(f.file.path)!.length) note(f.file.path, spec.whole.note);
  }
  for (const f of of("partial")) {
    const keys = keysOf.get(f.file.path)!.filter((k) => met.has(k));
    if (!keys.length) continue;
    const { superseded } = queries(mapping, relation(f), textColumns, absent).split(keys);
    const rows = await queryRows<{ currency: string; rows: string; cost: string }>(connection, superseded);
    const tallies = rows.map((r) => ({ currency: r.currency, rows: Number(r.rows), cost: r.cost }));
    pairing.partial.set(f.file.path, { keys, superseded: tallies });
    pairing.facts.set(f.file.path, { ...pairing.facts.get(f.file.path), ...spec.pairedFacts });
    const count = tallies.reduce((n, t) => n + t.rows, 0);
    note(
      f.file.path,
      `${spec.partial.name} data (by ${statedBy(f)}), read with the ${spec.whole.name} data of its ${keys.join("; ")}: ${count} of its rows are the same charges as that data's and are counted as superseded, not written again; the rest, which that data lacks, are written`,
    );
  }
  return pairing;
}

/** The pairing queries of a file (its relation holds `__problem`, as every file relation does). */
export const queries = (
  mapping: SourceMapping,
  relation: string,
  textColumns: ReadonlySet<string>,
  absent: ReadonlySet<string>,
) => compileDatasetQueries(mapping, duckdb, `(${relation})`, textColumns, absent, true);
