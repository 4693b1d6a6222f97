import type { DuckDBConnection } from "@duckdb/node-api";
import { family } from "../validate/compile";
import { type Dataset, ident, literal } from "../validate/dataset";

/** Runs a query and returns its rows as JSON-safe objects. */
export async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

/** Fails clearly when the data lacks columns a policy reads (it reads Costline's normalized output). */
export function requireColumns(data: Dataset, policy: string, columns: string[]): void {
  const absent = columns.filter((c) => !data.columns.has(c));
  if (absent.length) {
    throw new Error(
      `${policy}: the data has no ${absent.join(", ")}; checks read Costline's normalized output (<out>/focus)`,
    );
  }
}

/** A SQL expression for one tag's value, whether Tags is a JSON text column or a MAP. */
export function tagValue(data: Dataset, key: string): string {
  const type = data.columns.get("Tags") ?? "VARCHAR";
  const f = family(type);
  const json =
    f === "map" || f === "struct" ? `to_json(${ident("Tags")})::VARCHAR` : `${ident("Tags")}::VARCHAR`;
  const path = literal(`$."${key.replace(/"/g, '\\"')}"`);
  return `(CASE WHEN json_valid(${json}) AND json_type(${json}) = 'OBJECT' THEN nullif(trim(json_extract_string(${json}, ${path})), '') END)`;
}

/** Hours between two instants. */
export const hoursBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;

/** Rounds for reports (measured values are kept to 4 decimals). */
export const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
