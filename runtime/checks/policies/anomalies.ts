import { column, requireColumns, round } from "../sql";
import { checkSettings } from "../settings";
import { definePolicy, type Finding } from "../types";

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Scale that makes the median absolute deviation comparable to a standard deviation. */
const MAD_SCALE = 1.4826;

/**
 * Anomalies: each service's daily cost against its trailing baseline, with a robust method.
 * For each of the last `lookbackDays` days in the data and each service (ServiceName), the
 * baseline is the `baselineDays` days before it (a day without charges counts as 0, but only
 * from the service's first charge on). A day is anomalous when all hold:
 * - its robust z-score (cost - median) / (1.4826 x MAD) exceeds `zThreshold` (an infinite score
 *   when the baseline never varies);
 * - the cost exceeds the median by `minIncreasePercent` and by `minIncreaseUsd`.
 * A service with fewer than `minBaselineDays` days of history is not judged yet.
 */
export const anomalies = definePolicy({
  name: "anomalies",
  ...checkSettings("anomalies"),
  description: "daily cost per service against a trailing median baseline (robust z-score)",
  severity: "warning",
  async evaluate({ data }, config) {
    requireColumns(data, "anomalies", ["x_ChargeDate", "x_EffectiveCostUsd", "ServiceName"]);
    const day = column(data, "x_ChargeDate");
    const daily = await data.rows(
      `SELECT ${column(data, "ServiceName")} AS service, ${data.dialect.cast(day, "string")} AS day, sum(${column(data, "x_EffectiveCostUsd")}) AS cost
       FROM ${data.relation} WHERE ${day} IS NOT NULL GROUP BY 1, 2`,
    );
    if (daily.length === 0) return [];
    const dayMs = 86_400_000;
    const toDay = (d: string) => Date.parse(`${d}T00:00:00Z`) / dayMs;
    const byService = new Map<string, Map<number, number>>();
    for (const r of daily) {
      const s = String(r.service ?? "(no service)");
      if (!byService.has(s)) byService.set(s, new Map());
      byService.get(s)!.set(toDay(String(r.day)), Number(r.cost));
    }
    const lastDay = Math.max(...daily.map((r) => toDay(String(r.day))));
    const findings: Finding[] = [];
    let judged = 0;
    for (const [service, costs] of byService) {
      const first = Math.min(...costs.keys());
      for (let day = lastDay - config.lookbackDays + 1; day <= lastDay; day++) {
        const window: number[] = [];
        for (let d = Math.max(first, day - config.baselineDays); d < day; d++) window.push(costs.get(d) ?? 0);
        if (window.length < config.minBaselineDays) continue;
        judged++;
        const cost = costs.get(day) ?? 0;
        const med = median(window);
        const mad = median(window.map((v) => Math.abs(v - med)));
        const z = mad === 0 ? (cost > med ? Number.POSITIVE_INFINITY : 0) : (cost - med) / (MAD_SCALE * mad);
        const limit = Math.max(
          med + config.zThreshold * MAD_SCALE * mad,
          med * (1 + config.minIncreasePercent / 100),
          med + config.minIncreaseUsd,
        );
        if (z > config.zThreshold && cost > limit) {
          const date = new Date(day * dayMs).toISOString().slice(0, 10);
          findings.push({
            policy: "anomalies",
            severity: config.severity,
            subject: `${service} on ${date}`,
            measured: round(cost, 2),
            threshold: round(limit, 2),
            unit: "USD",
            message: `${service} cost ${round(cost, 2)} USD on ${date}, against a median of ${round(med, 2)} USD over the ${window.length} days before (robust z ${Number.isFinite(z) ? round(z, 1) : "infinite"})`,
            hint: "look at the resources and usage types behind the jump; confirm it is expected",
          });
        }
      }
    }
    if (findings.length === 0) {
      findings.push({
        policy: "anomalies",
        severity: "ok",
        subject: "(all services)",
        measured: judged,
        threshold: null,
        unit: "service-days",
        message: `no anomaly in ${judged} service-days judged against their baseline (robust z above ${config.zThreshold})`,
      });
    }
    return findings;
  },
});
