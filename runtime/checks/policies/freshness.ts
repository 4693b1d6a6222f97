import { column, hoursBetween, requireColumns, round, timestamp, utcInstant } from "../sql";
import { checkSettings } from "../settings";
import { definePolicy, type Finding } from "../types";

/**
 * Data freshness: the time since each export last delivered (from the connection record) and
 * since each provider's latest charge ended (from the data), against maximum lags. Exports
 * deliver several times a day, hence 4 hours; providers finalize charges up to a day late, hence
 * 48 hours for the latest charge.
 */
export const freshness = definePolicy({
  name: "freshness",
  ...checkSettings("freshness"),
  description: "latest export time and latest charge against maximum lags",
  severity: "error",
  async evaluate({ data, connection, now }, config) {
    requireColumns(data, "freshness", ["ChargePeriodEnd", "x_Provider"]);
    const findings: Finding[] = [];
    const judge = (subject: string, at: Date, limit: number, what: string, hint: string): Finding => {
      // A charge period that ends after `now` (the current day's) is as fresh as data gets.
      const lag = Math.max(0, round(hoursBetween(at, now), 1));
      const ok = lag <= limit;
      return {
        policy: "freshness",
        severity: ok ? "ok" : config.severity,
        subject,
        measured: lag,
        threshold: limit,
        unit: "hours",
        message: `${what} ${at.toISOString()}, ${at > now ? `after the time checked, ${now.toISOString()}` : `${lag} hours ago`}`,
        ...(ok ? {} : { hint }),
      };
    };
    if (!connection) {
      findings.push({
        policy: "freshness",
        severity: "info",
        subject: "exports",
        measured: null,
        threshold: config.maxExportLagHours,
        unit: "hours",
        message: "no connection record, so export times were not checked",
        hint: "pass --connection FILE or let the job write connection.json beside its output",
      });
    } else {
      for (const e of connection.exports) {
        findings.push(
          judge(
            `${e.provider} export ${e.name}`,
            new Date(e.lastExportAt),
            config.maxExportLagHours,
            "last delivered",
            "check the export's status in the provider console and the bucket permissions it writes with",
          ),
        );
      }
    }
    const latest = await data.rows(
      `SELECT ${column(data, "x_Provider")} AS provider, ${data.dialect.cast(`max(${timestamp(data, "ChargePeriodEnd")})`, "string")} AS latest
       FROM ${data.relation} GROUP BY 1 ORDER BY 1`,
    );
    for (const r of latest) {
      if (!r.latest) continue;
      findings.push(
        judge(
          `${r.provider} charges`,
          utcInstant(String(r.latest)),
          config.maxChargeLagHours,
          "latest charge ends",
          "the export or the job is behind: check the job's last run and the export's delivery",
        ),
      );
    }
    return findings;
  },
});
