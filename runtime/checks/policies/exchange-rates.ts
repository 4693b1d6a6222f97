import { column, isNot, requireColumns, round } from "../sql";
import { checkSettings } from "../settings";
import { definePolicy } from "../types";

/**
 * Missing exchange rates: charges billed in a currency other than USD without a rate to USD,
 * so their USD costs (and every USD total) are incomplete.
 */
export const exchangeRates = definePolicy({
  name: "exchange-rates",
  ...checkSettings("exchangeRates"),
  description: "charges in another currency without a rate to USD",
  severity: "error",
  async evaluate({ data }, config) {
    requireColumns(data, "exchange-rates", [
      "BillingCurrency",
      "x_ExchangeRateToUsd",
      "x_EffectiveCostUsd",
      "x_ChargeDate",
    ]);
    const d = data.dialect;
    const currency = column(data, "BillingCurrency");
    const day = column(data, "x_ChargeDate");
    const missing = `FROM ${data.relation} WHERE ${isNot(currency, "'USD'")} AND (${column(data, "x_ExchangeRateToUsd")} IS NULL OR ${column(data, "x_EffectiveCostUsd")} IS NULL)`;
    const [row] = await data.rows(
      `SELECT count(*) AS n, coalesce(sum(abs(${column(data, "EffectiveCost")})), 0) AS cost,
              ${d.cast(`min(${day})`, "string")} AS first, ${d.cast(`max(${day})`, "string")} AS last ${missing}`,
    );
    const n = Number(row.n);
    if (n === 0) {
      return [
        {
          policy: "exchange-rates",
          severity: "ok",
          subject: "(all currencies)",
          measured: 0,
          threshold: 0,
          unit: "rows",
          message: "every charge has a rate to USD",
        },
      ];
    }
    const currencies = (await data.rows(`SELECT DISTINCT ${currency} AS currency ${missing} ORDER BY 1`))
      .map((r) => String(r.currency ?? "(none)"))
      .join(", ");
    return [
      {
        policy: "exchange-rates",
        severity: config.severity,
        subject: currencies,
        measured: n,
        threshold: 0,
        unit: "rows",
        message: `${n} charge(s) in ${currencies} from ${row.first} to ${row.last} (${round(Number(row.cost), 2)} in billing currency) have no rate to USD`,
        hint: "add the missing days to the exchange-rate table the job reads, then re-run the job",
      },
    ];
  },
});
