import { readFileSync } from "node:fs";
import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../engine/duckdb";

export interface Rate {
  date: string;
  currency: string;
  usdPerUnit: string;
}

export class RatesError extends Error {}

const HEADER = "date,currency,usd_per_unit";

/** Parses a rates file (CSV `date,currency,usd_per_unit`); any malformed line is an error naming it. */
export function parseRates(text: string, source: string): Rate[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trim().toLowerCase() !== HEADER) {
    throw new RatesError(`${source}: the first line must be "${HEADER}", found "${lines[0] ?? ""}"`);
  }
  const rates: Rate[] = [];
  lines.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const [date, currency, usd, ...extra] = line.split(",").map((v) => v.trim());
    const where = `${source}:${i + 2}`;
    if (extra.length || !date || !currency || !usd)
      throw new RatesError(`${where}: expected 3 values, found "${line}"`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new RatesError(`${where}: date must be YYYY-MM-DD, found "${date}"`);
    }
    if (!/^[A-Z]{3}$/.test(currency))
      throw new RatesError(`${where}: currency must be an ISO 4217 code, found "${currency}"`);
    if (!/^\d+(\.\d+)?$/.test(usd) || Number(usd) <= 0) {
      throw new RatesError(`${where}: usd_per_unit must be a positive decimal, found "${usd}"`);
    }
    rates.push({ date, currency, usdPerUnit: usd });
  });
  return rates;
}

export function readRatesFile(path: string): Rate[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RatesError(`cannot read rates file ${path}: ${(e as Error).message}`);
  }
  return parseRates(text, path);
}

/** Days past the last rate (and past today) for which the last known rate still applies. */
const FORWARD_DAYS = 400;

/**
 * Creates `table(currency, date, usd_per_unit)` with one row a currency and day, each day carrying
 * the rate of the nearest earlier (or same) date. The normalizer then joins on equality, which
 * streams, instead of an as-of join, which would buffer the billing rows.
 */
export async function loadDailyRates(
  connection: DuckDBConnection,
  table: string,
  rates: Rate[],
): Promise<void> {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table}_input (date DATE, currency VARCHAR, usd_per_unit DECIMAL(38,18))`,
  );
  if (rates.length) {
    const values = rates.map((r) => `(DATE ${sqlString(r.date)}, ${sqlString(r.currency)}, ${r.usdPerUnit})`);
    await connection.run(`INSERT INTO ${table}_input VALUES ${values.join(", ")}`);
  }
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS
     WITH calendar AS (
       SELECT currency, CAST(unnest(generate_series(CAST(min(date) AS TIMESTAMP),
         CAST(greatest(max(date), current_date) AS TIMESTAMP) + INTERVAL ${FORWARD_DAYS} DAY, INTERVAL 1 DAY)) AS DATE) AS date
       FROM ${table}_input GROUP BY currency)
     SELECT c.currency, c.date, r.usd_per_unit FROM calendar c
     ASOF JOIN ${table}_input r ON c.currency = r.currency AND c.date >= r.date`,
  );
}
