/** What a period's accounting query (CompiledPipeline.accounting) says, summed over files and currencies. */
export interface AccountingTotals {
  read: number;
  quarantined: number;
  /** Output rows the good rows make: what the period's partition must hold after the write. */
  expected: number;
  /** Good rows whose service the taxonomy lacks (written as `Other`), by the export's service key. */
  unknownServices: { service: string; rows: number }[];
}

const count = (v: unknown) => {
  const n = Number(v ?? 0);
  if (!Number.isFinite(n))
    throw new Error(`the accounting query returned ${String(v)} where a count belongs`);
  return n;
};

export function accountingTotals(rows: readonly Record<string, unknown>[]): AccountingTotals {
  const totals: AccountingTotals = { read: 0, quarantined: 0, expected: 0, unknownServices: [] };
  const unknown = new Map<string, number>();
  for (const r of rows) {
    totals.read += count(r.rows_read);
    totals.quarantined += count(r.rows_quarantined);
    totals.expected += count(r.rows_expected);
    if (r.unknown_service !== null && r.unknown_service !== undefined) {
      const service = String(r.unknown_service);
      unknown.set(service, (unknown.get(service) ?? 0) + count(r.rows_read) - count(r.rows_quarantined));
    }
  }
  totals.unknownServices = [...unknown]
    .map(([service, n]) => ({ service, rows: n }))
    .sort((a, b) => b.rows - a.rows);
  return totals;
}
