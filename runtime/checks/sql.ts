import { canonicalTagValue, type TagAliases } from "../mapping/tags";
import type { CheckData } from "./types";

/** Fails clearly when the data lacks columns a policy reads (it reads Costline's normalized output). */
export function requireColumns(data: CheckData, policy: string, columns: string[]): void {
  const absent = columns.filter((c) => !data.columns.has(c));
  if (absent.length) {
    throw new Error(
      `${policy}: the data has no ${absent.join(", ")}; checks read Costline's normalized output (<out>/focus)`,
    );
  }
}

/** The engine type of a column, upper-cased ("" when absent). */
const typeOf = (data: CheckData, column: string) => (data.columns.get(column) ?? "").toUpperCase();

/** A column quoted for the data's engine. */
export const column = (data: CheckData, name: string) => data.dialect.ident(name);

/**
 * A SQL expression for a canonical tag key's value, read through its aliases (NULL when no spelling
 * has a value that is not blank), whether Tags is JSON text or a MAP.
 */
export function tagValue(data: CheckData, key: string, aliases: TagAliases): string {
  return canonicalTagValue(
    data.dialect,
    column(data, "Tags"),
    typeOf(data, "Tags").startsWith("MAP"),
    key,
    aliases,
  );
}

/** A timestamp column as a timestamp, whether the data types it or spells it as text (a FOCUS CSV). */
export function timestamp(data: CheckData, name: string): string {
  return data.dialect.tryTimestamp(column(data, name), /^(VARCHAR|STRING)/.test(typeOf(data, name)));
}

/** NULL or another value: `IS DISTINCT FROM`, spelled so that every engine and parser reads it. */
export const isNot = (sql: string, value: string) => `(${sql} IS NULL OR ${sql} <> ${value})`;

/** A `DATE 'YYYY-MM-DD'` literal, which every engine reads. */
export const dateLiteral = (data: CheckData, day: string) => `DATE ${data.dialect.string(day)}`;

/** A number from a query value (engines return numbers, decimals as text, or text); NULL stays null. */
export const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/**
 * An instant from an engine's timestamp text: `2024-01-21 00:00:00` (DuckDB), with `.000` (Trino)
 * or `+00` (BigQuery), or ISO 8601. Timestamps of normalized data are UTC, so text without an
 * offset is UTC, whatever the machine's zone.
 */
export function utcInstant(text: string): Date {
  const iso = text.trim().replace(" ", "T");
  const withZone = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(iso) ? iso : `${iso}Z`;
  const date = new Date(withZone.replace(/([+-]\d{2})$/, "$1:00"));
  if (Number.isNaN(date.getTime())) throw new Error(`"${text}" is not a timestamp`);
  return date;
}

/** Hours between two instants. */
export const hoursBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 3_600_000;

/** Rounds for reports (measured values are kept to 4 decimals). */
export const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
