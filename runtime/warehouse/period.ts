/** A billing period, `YYYY-MM` (the partition key of every normalized table). */
export type BillingPeriod = string;

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function assertPeriod(period: string, what = "billing period"): BillingPeriod {
  if (!PERIOD.test(period)) throw new Error(`${what} "${period}" is not a month in the form YYYY-MM`);
  return period;
}

/** The UTC instant the period starts. */
export function periodStart(period: BillingPeriod): Date {
  const [, y, m] = PERIOD.exec(assertPeriod(period))!;
  return new Date(Date.UTC(Number(y), Number(m) - 1, 1));
}

/** The period `months` after (or before, when negative) `period`. */
export function shiftPeriod(period: BillingPeriod, months: number): BillingPeriod {
  const start = periodStart(period);
  return periodOf(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1)));
}

export const periodOf = (date: Date): BillingPeriod => date.toISOString().slice(0, 7);

/**
 * The periods a provider may still write to at `now`: the current month and the previous one
 * (late usage, credits and the invoice close in the first days of the next month).
 */
export function openPeriods(now: Date): BillingPeriod[] {
  const current = periodOf(now);
  return [shiftPeriod(current, -1), current];
}

/** `YYYY-MM` -> `YYYYMM`, the spelling of GCP's `invoice.month`. */
export const invoiceMonth = (period: BillingPeriod) => assertPeriod(period).replace("-", "");
