import type { FileKind } from "./files";
import { peek } from "./read";

/**
 * Files a legacy CUR delivery puts beside its data that hold no line items: the
 * `<report>-Manifest.json` of every monthly folder (the report's files and columns) and, with the
 * Athena integration, the `cost_and_usage_data_status/` Parquet table (whether a refresh is under
 * way). Returns why such a file is skipped, or undefined for any other file.
 */
export function curDeliveryNote(path: string, kind: FileKind): string | undefined {
  if (kind === "parquet" && /(^|\/)cost_and_usage_data_status\//.test(path)) {
    return "skipped: the Cost and Usage Report's data status table (it says whether a refresh is under way; no line items)";
  }
  if (kind !== "json") return undefined;
  const text = peek(path).trimStart();
  if (!text.startsWith("{") || !/"assemblyId"\s*:/.test(text) || !/"reportKeys"\s*:/.test(text))
    return undefined;
  return "skipped: a Cost and Usage Report manifest (it lists the report's files and columns; no line items)";
}
