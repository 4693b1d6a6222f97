import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { focusRelation } from "../../../runtime/normalize/unified";
import { FIXTURES } from "./helpers";

/** The two payer accounts of the store tests: the fixture's own and one it is copied to. */
export const ACCOUNTS = ["111111111111", "333333333333"] as const;
export const PERIODS = ["2024-01", "2024-02"] as const;

const [HEADER, ...LINES] = readFileSync(join(FIXTURES, "aws-cur2", "cur2.csv"), "utf8")
  .trimEnd()
  .split("\n");

/** The fixture's first `lines` rows, moved to the payer account and billing period. */
function curLines(account: string, period: string, lines: number): string[] {
  return LINES.slice(0, lines).map((line) => {
    const moved = line.replaceAll(ACCOUNTS[0], account);
    return period === "2024-02"
      ? moved.replaceAll("2024-02-01", "2024-03-01").replaceAll("2024-01-", "2024-02-")
      : moved;
  });
}

/**
 * A CUR 2.0 file of one source: the fixture's first `lines` rows (13 in all: 15 output rows, as
 * its two commitment fees also write their unused commitment; the first 3 rows are plain usage,
 * 3 output rows), moved to the payer account and billing period.
 */
export function curSource(dir: string, account: string, period: string, lines: number): string {
  return curSources(join(dir, `cur2-${account}-${period}-${lines}.csv`), [{ account, period, lines }]);
}

/** One file holding several sources (a payer's export can hold several billing periods and accounts). */
export function curSources(
  file: string,
  sources: { account: string; period: string; lines: number }[],
): string {
  const lines = sources.flatMap((s) => curLines(s.account, s.period, s.lines));
  writeFileSync(file, `${[HEADER, ...lines].join("\n")}\n`);
  return file;
}

async function storeQuery(out: string, select: string): Promise<Record<string, string>> {
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    const rows = await queryRows<{ k: string; v: string }>(
      engine.connection,
      `SELECT ${select} FROM ${focusRelation(out, "parquet")} GROUP BY 1 ORDER BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.k, r.v]));
  } finally {
    engine.close();
  }
}

/** Output rows in the store by "account period", read as every reader of the store reads it. */
export async function storeRows(out: string): Promise<Record<string, number>> {
  const rows = await storeQuery(
    out,
    "BillingAccountId || ' ' || strftime(BillingPeriodStart, '%Y-%m') AS k, count(*) AS v",
  );
  return Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Number(v)]));
}

/** Rows and billed cost in the store by "account period currency". */
export const storeTotals = (out: string) =>
  storeQuery(
    out,
    "BillingAccountId || ' ' || strftime(BillingPeriodStart, '%Y-%m') || ' ' || BillingCurrency AS k," +
      " count(*) || ' rows, ' || CAST(sum(CAST(BilledCost AS DECIMAL(38, 9))) AS VARCHAR) AS v",
  );
