import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";
import { z } from "zod";
import type { FileKind } from "./files";
import { peek } from "./read";

/**
 * What we read of a Cost Management export run's `manifest.json` (written by exports of API
 * version 2023-07-01-preview and later, next to the run's data files: `<root>/<export>/
 * <yyyymmdd-yyyymmdd>/<run>/manifest.json`). `exportConfig.type` names the run's dataset
 * (ActualCost, AmortizedCost, FocusCost, ...) and `blobs` its data files. The Azure job discovers
 * runs by it; `normalize` skips it and takes the dataset of the files it lists from it.
 */
export const ExportManifest = z.object({
  exportConfig: z.object({
    exportName: z.string(),
    type: z.string(),
    resourceId: z.string().optional(),
  }),
  deliveryConfig: z
    .object({ fileFormat: z.string().optional(), partitionData: z.boolean().optional() })
    .optional(),
  runInfo: z.object({
    runId: z.string().min(1),
    submittedTime: z.string().optional(),
    startDate: z.string(),
    endDate: z.string(),
  }),
  blobs: z.array(
    z.object({
      blobName: z.string().min(1),
      byteCount: z.number().optional(),
      dataRowCount: z.number().optional(),
    }),
  ),
});
export type ExportManifest = z.infer<typeof ExportManifest>;

/** A JSON file that starts as a Cost Management export manifest does: an object with its settings near the top. */
const looksLikeManifest = (text: string) => text.startsWith("{") && /"exportConfig"\s*:\s*\{/.test(text);

/**
 * The manifest a local file is, or undefined for any other file. A file that starts as a manifest
 * but does not parse as one is an error naming it: read as data, it would be rejected with a
 * message about columns, and skipped, the dataset of its files would go unstated.
 */
export function azureExportManifest(path: string, kind: FileKind): ExportManifest | undefined {
  if (
    kind !== "json" ||
    !looksLikeManifest(
      peek(path)
        .replace(/^\uFEFF/, "")
        .trimStart(),
    )
  )
    return undefined;
  let parsed: z.ZodSafeParseResult<ExportManifest>;
  try {
    parsed = ExportManifest.safeParse(JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, "")));
  } catch (e) {
    throw new Error(`${path}: a Cost Management export manifest that is not JSON: ${(e as Error).message}`);
  }
  if (!parsed.success) {
    throw new Error(
      `${path}: a Cost Management export manifest without ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}; restore the file the export wrote, or remove it`,
    );
  }
  return parsed.data;
}

export const azureManifestNote = (m: ExportManifest) =>
  `skipped: the manifest of a Cost Management ${m.exportConfig.type} export run (its ${m.blobs.length} data file(s) and settings; no line items)`;

/**
 * The dataset each listed data file belongs to, by the manifests among the inputs: a manifest
 * states the dataset of the files beside it that its blobs name (the run's folder is where the
 * export writes both; a blob's name is its path in the container, which a copy need not keep).
 */
export function statedDatasets(manifests: { path: string; manifest: ExportManifest }[]): Map<string, string> {
  const stated = new Map<string, string>();
  for (const { path, manifest } of manifests) {
    const folder = dirname(path);
    for (const blob of manifest.blobs) {
      stated.set(`${folder}/${basename(blob.blobName)}`, manifest.exportConfig.type);
    }
  }
  return stated;
}
