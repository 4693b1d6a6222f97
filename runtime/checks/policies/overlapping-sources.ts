import { column, num, requireColumns, round, timestamp } from "../sql";
import { checkSettings } from "../settings";
import { definePolicy, type Finding } from "../types";

/**
 * Overlapping sources: one billing account's billing period normalized from two source formats,
 * e.g. AWS's CUR 2.0 and its FOCUS export, or Azure's cost details and FocusCost. Both describe
 * the same charges, so every sum across them counts those charges twice.
 */
export const overlappingSources = definePolicy({
  name: "overlapping-sources",
  ...checkSettings("overlappingSources"),
  description: "a billing account's period normalized from two exports of the same costs",
  severity: "warning",
  async evaluate({ data }, config) {
    requireColumns(data, "overlapping-sources", [
      "x_Provider",
      "BillingAccountId",
      "BillingPeriodStart",
      "x_SourceFormat",
      "x_EffectiveCostUsd",
    ]);
    const period = data.dialect.monthKey(timestamp(data, "BillingPeriodStart"));
    const rows = await data.rows(
      `SELECT ${column(data, "x_Provider")} AS provider, ${column(data, "BillingAccountId")} AS account,
              ${period} AS period, ${column(data, "x_SourceFormat")} AS source, count(*) AS n,
              sum(${column(data, "x_EffectiveCostUsd")}) AS usd
       FROM ${data.relation} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    );
    const byPeriod = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.provider} billing account ${r.account ?? "(none)"}, ${r.period}`;
      byPeriod.set(key, [...(byPeriod.get(key) ?? []), r]);
    }
    const overlaps = [...byPeriod].filter(([, sources]) => sources.length > 1);
    if (overlaps.length === 0) {
      return [
        {
          policy: "overlapping-sources",
          severity: "ok",
          subject: "(all billing accounts)",
          measured: byPeriod.size,
          threshold: 1,
          unit: "periods",
          message: `each of ${byPeriod.size} billing account period(s) comes from one source format`,
        },
      ];
    }
    return overlaps.map(
      ([subject, sources]): Finding => ({
        policy: "overlapping-sources",
        severity: config.severity,
        subject,
        measured: sources.length,
        threshold: 1,
        unit: "sources",
        message: `charges from ${sources
          .map((s) => `${s.source} (${s.n} rows, ${round(num(s.usd) ?? 0, 2)} USD)`)
          .join(" and ")}: exports of the same costs, so sums across them count these charges twice`,
        hint: "normalize one export per billing account and period, or filter on x_SourceFormat when reading",
      }),
    );
  },
});
