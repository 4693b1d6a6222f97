import { type QueryResult, rowObjects } from "./session";

export const OUTPUT_FORMATS = ["table", "csv", "json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const text = (v: unknown) =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const csvField = (v: unknown) => {
  const s = text(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** Numbers (or their text, as DuckDB returns decimals) align right in a table. */
const numeric = (v: unknown) =>
  typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v));

/** A decimal as people read it: DuckDB's DECIMAL(38,18) text without its trailing zeros. */
const short = (v: unknown) =>
  typeof v === "string" && /^-?\d+\.\d+$/.test(v) ? v.replace(/\.?0+$/, "") : text(v);

function table(r: QueryResult): string {
  const cells = r.rows.map((row) => row.map(short));
  const widths = r.columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[], raw?: unknown[]) =>
    row
      .map((v, i) => (raw && numeric(raw[i]) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [
    line(r.columns),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map((row, i) => line(row, r.rows[i])),
    `(${r.rows.length} ${r.rows.length === 1 ? "row" : "rows"})`,
  ].join("\n");
}

/** A query result as a table for people, CSV with a header, or JSON (an array of objects). */
export function renderResult(r: QueryResult, format: OutputFormat): string {
  if (format === "csv") return [r.columns, ...r.rows].map((row) => row.map(csvField).join(",")).join("\n");
  if (format === "json") {
    return JSON.stringify(rowObjects(r), null, 2);
  }
  return table(r);
}
