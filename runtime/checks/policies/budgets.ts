import { column, dateLiteral, requireColumns, round } from "../sql";
import { checkSettings } from "../settings";
import { definePolicy, type Finding, type Severity } from "../types";

const severityAt = (percent: number): Severity =>
  percent >= 100 ? "error" : percent >= 80 ? "warning" : "info";

/**
 * Budgets: month-to-date EffectiveCost against each budget's thresholds, and a forecast for the
 * month. The month is the one of the latest charge date in the data; the forecast is linear:
 * month to date / days elapsed (1st through the latest charge date) x days in the month.
 */
export const budgets = definePolicy({
  name: "budgets",
  ...checkSettings("budgets"),
  description: "month-to-date cost and a linear forecast against budget thresholds",
  severity: "error",
  async evaluate({ data, now }, config) {
    if (config.budgets.length === 0) return [];
    requireColumns(data, "budgets", [
      "x_ChargeDate",
      "x_EffectiveCostUsd",
      "x_ExchangeRateToUsd",
      "BillingCurrency",
    ]);
    const d = data.dialect;
    const day = column(data, "x_ChargeDate");
    // Month to date as of the check: charges dated after it (a provider's next-month rows) wait.
    const [latest] = await data.rows(
      `SELECT ${d.cast(`max(${day})`, "string")} AS d FROM ${data.relation} WHERE ${day} <= ${dateLiteral(data, now.toISOString().slice(0, 10))}`,
    );
    if (!latest.d) return [];
    const last = new Date(`${latest.d}T00:00:00Z`);
    const monthStart = `${latest.d.toString().slice(0, 7)}-01`;
    const daysElapsed = last.getUTCDate();
    const daysInMonth = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, 0)).getUTCDate();
    const findings: Finding[] = [];
    for (const b of config.budgets) {
      const filters = [
        `${day} >= ${dateLiteral(data, monthStart)}`,
        `${day} <= ${dateLiteral(data, String(latest.d))}`,
        ...(b.provider ? [`${column(data, "x_Provider")} = ${d.string(b.provider)}`] : []),
        ...(b.subAccountId ? [`${column(data, "SubAccountId")} = ${d.string(b.subAccountId)}`] : []),
      ].join(" AND ");
      const [spend] = await data.rows(
        `SELECT coalesce(sum(${column(data, "x_EffectiveCostUsd")}), 0) AS usd,
                avg(CASE WHEN ${column(data, "BillingCurrency")} = ${d.string(b.currency)} THEN ${column(data, "x_ExchangeRateToUsd")} END) AS rate
         FROM ${data.relation} WHERE ${filters}`,
      );
      const usdPerUnit = b.currency === "USD" ? 1 : Number(spend.rate);
      const subject = `${b.name} (${monthStart.slice(0, 7)})`;
      if (!usdPerUnit) {
        findings.push({
          policy: "budgets",
          severity: "error",
          subject,
          measured: null,
          threshold: b.amount,
          unit: b.currency,
          message: `no ${b.currency} exchange rate in this month's data to convert spend to the budget's currency`,
          hint: "set the budget's currency to USD, or to a currency the tenant is billed in",
        });
        continue;
      }
      const mtd = round(Number(spend.usd) / usdPerUnit, 2);
      const forecast = round((mtd / daysElapsed) * daysInMonth, 2);
      const percent = (100 * mtd) / b.amount;
      const crossed = [...b.thresholds].sort((x, y) => y - x).find((t) => percent >= t);
      const base = { policy: "budgets", subject, measured: mtd, unit: b.currency };
      const before = findings.length;
      if (crossed !== undefined) {
        findings.push({
          ...base,
          severity: severityAt(crossed),
          threshold: round((b.amount * crossed) / 100, 2),
          message: `month to date ${mtd} ${b.currency} is ${round(percent, 1)}% of the ${b.amount} ${b.currency} budget (threshold ${crossed}%); forecast ${forecast}`,
          hint: "review the largest services of the month, or raise the budget if the growth is planned",
        });
      }
      if ((crossed ?? 0) < 100 && forecast >= b.amount) {
        findings.push({
          ...base,
          subject: `${subject} forecast`,
          severity: "warning",
          measured: forecast,
          threshold: b.amount,
          message: `forecast ${forecast} ${b.currency} for the month exceeds the ${b.amount} ${b.currency} budget (month to date ${mtd} after ${daysElapsed} of ${daysInMonth} days)`,
          hint: "the month will overrun at the current daily rate; act now or raise the budget",
        });
      }
      if (findings.length === before) {
        findings.push({
          ...base,
          severity: "ok",
          threshold: b.amount,
          message: `month to date ${mtd} ${b.currency} of ${b.amount} (${round(percent, 1)}%); forecast ${forecast}`,
        });
      }
    }
    return findings;
  },
});
