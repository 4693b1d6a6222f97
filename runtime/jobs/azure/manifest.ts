import type { z } from "zod";
import { ExportManifest } from "../../sources/azure-export-manifest";
import type { ObjectStore } from "../stores/store";

export interface ExportRun {
  manifestKey: string;
  manifest: ExportManifest;
  /** The source format the run's files are in. */
  format: "azure-focus" | "azure-cost-details";
}

const FORMAT_OF: Record<string, ExportRun["format"]> = {
  focuscost: "azure-focus",
  actualcost: "azure-cost-details",
  amortizedcost: "azure-cost-details",
  usage: "azure-cost-details",
};

/** Reads and validates one manifest; errors name the blob and what is wrong with it. */
export async function readManifest(store: ObjectStore, key: string): Promise<ExportRun> {
  const body = await store.get(key);
  if (!body)
    throw new Error(`export manifest ${key} is listed but could not be read; was it deleted meanwhile?`);
  let parsed: z.ZodSafeParseResult<ExportManifest>;
  try {
    parsed = ExportManifest.safeParse(JSON.parse(body.toString("utf8")));
  } catch (e) {
    throw new Error(`export manifest ${key} is not JSON: ${(e as Error).message}`);
  }
  if (!parsed.success) {
    throw new Error(
      `export manifest ${key} lacks ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}; is it a Cost Management export manifest?`,
    );
  }
  const format = FORMAT_OF[parsed.data.exportConfig.type.toLowerCase()];
  if (!format)
    throw new Error(
      `export manifest ${key} is for dataset "${parsed.data.exportConfig.type}", which Costline does not read; use FocusCost, ActualCost or AmortizedCost`,
    );
  return { manifestKey: key, manifest: parsed.data, format };
}

/** The keys of every export run manifest under `root`. */
export async function listManifests(store: ObjectStore, root: string): Promise<string[]> {
  return (await store.list(root)).filter((k) => k.endsWith("/manifest.json") || k === "manifest.json");
}

/**
 * Export runs under `root` whose run id is not in `processed`, oldest first. Manifests in
 * `skipKeys` (runs handled before) are not read again: old ones may have aged into the archive
 * tier, where reading fails. A manifest that does not parse, or names a dataset we do not read, is
 * an error naming the blob: skipping it would lose that run's cost without a trace.
 */
export async function findNewRuns(
  store: ObjectStore,
  root: string,
  processed: ReadonlySet<string>,
  skipKeys: ReadonlySet<string> = new Set(),
): Promise<ExportRun[]> {
  const runs: ExportRun[] = [];
  for (const key of await listManifests(store, root)) {
    if (skipKeys.has(key)) continue;
    const run = await readManifest(store, key);
    if (!processed.has(run.manifest.runInfo.runId)) runs.push(run);
  }
  return runs.sort((a, b) =>
    (a.manifest.runInfo.submittedTime ?? "").localeCompare(b.manifest.runInfo.submittedTime ?? ""),
  );
}
