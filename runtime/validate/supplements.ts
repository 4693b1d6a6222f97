import type { CheckCompiler } from "./compile";

/**
 * Necessary conditions for some Dynamic rules (rules the model gives no machine check for) that
 * the data can still refute. A violated condition fails the rule; a satisfied one does not pass
 * it: the rule stays skipped for review, with the condition reported as holding.
 */
export interface Supplement {
  /** The condition, in words, for the report. */
  describe: string;
  columns: string[];
  /** The row predicate (FALSE = the rule is violated on this row). */
  predicate: (sql: CheckCompiler) => string;
}

/** An exclusive end bound is after the start, and a period that starts on the hour ends on one. */
const exclusiveEnd = (start: string, end: string): Supplement => ({
  describe: `${end} is after ${start} and, when ${start} is on the hour, on the hour too (an inclusive end such as 23:59:59 is not)`,
  columns: [start, end],
  predicate: (sql) => {
    const s = sql.timestamp(start);
    const e = sql.timestamp(end);
    return `(${e} > ${s} AND (epoch(${s}) % 3600 <> 0 OR epoch(${e}) % 3600 = 0))`;
  },
});

export const SUPPLEMENTS: Readonly<Record<string, Supplement>> = {
  "BillingPeriodEnd-C-004-M": exclusiveEnd("BillingPeriodStart", "BillingPeriodEnd"),
  "ChargePeriodEnd-C-004-M": exclusiveEnd("ChargePeriodStart", "ChargePeriodEnd"),
};
