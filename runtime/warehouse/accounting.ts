/** What a period's accounting query (CompiledPipeline.accounting) says, summed over files and currencies. */
export interface AccountingTotals {
  read: number;
  quarantined: number;
  /** Output rows the good rows make: what the period's partition must hold after the write. */
  expected: number;
  /** Good rows whose service the taxonomy lacks (written as `Other`), by the export's service key. */
  unknownServices: { service: string; rows: number }[];
  /** Good rows whose unit the units table lacks (written as the export states it), by that unit. */
  unknownUnits: { unit: string; rows: number }[];
}

const count = (v: unknown) => {
  const n = Number(v ?? 0);
  if (!Number.isFinite(n))
    throw new Error(`the accounting query returned ${String(v)} where a count belongs`);
  return n;
};

export function accountingTotals(rows: readonly Record<string, unknown>[]): AccountingTotals {
  const totals: AccountingTotals = {
    read: 0,
    quarantined: 0,
    expected: 0,
    unknownServices: [],
    unknownUnits: [],
  };
  const unknown = new Map<string, number>();
  const units = new Map<string, number>();
  const absent = (v: unknown) => v === null || v === undefined;
  for (const r of rows) {
    totals.read += count(r.rows_read);
    totals.quarantined += count(r.rows_quarantined);
    totals.expected += count(r.rows_expected);
    const good = count(r.rows_read) - count(r.rows_quarantined);
    if (!absent(r.unknown_service)) {
      const service = String(r.unknown_service);
      unknown.set(service, (unknown.get(service) ?? 0) + good);
    }
    // GCP's pricing and base unit of one row may both be unknown: each is counted.
    for (const unit of new Set([r.unknown_pricing_unit, r.unknown_consumed_unit].filter((u) => !absent(u)))) {
      units.set(String(unit), (units.get(String(unit)) ?? 0) + good);
    }
  }
  const byRows = (entries: Map<string, number>) =>
    [...entries].map(([name, n]) => ({ name, rows: n })).sort((a, b) => b.rows - a.rows);
  totals.unknownServices = byRows(unknown).map(({ name, rows }) => ({ service: name, rows }));
  totals.unknownUnits = byRows(units).map(({ name, rows }) => ({ unit: name, rows }));
  return totals;
}
