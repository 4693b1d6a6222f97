import { z } from "zod";
import { requireColumns, round, rows } from "../sql";
import { definePolicy } from "../types";

/**
 * Missing exchange rates: charges billed in a currency other than USD without a rate to USD,
 * so their USD costs (and every USD total) are incomplete.
 */
export const exchangeRates = definePolicy({
  name: "exchange-rates",
  configKey: "exchangeRates",
  description: "charges in another currency without a rate to USD",
  severity: "error",
  config: z.object({ severity: z.enum(["info", "warning", "error"]).default("error") }).strict(),
  async evaluate({ conn, data }, config) {
    requireColumns(data, "exchange-rates", [
      "BillingCurrency",
      "x_ExchangeRateToUsd",
      "x_EffectiveCostUsd",
      "x_ChargeDate",
    ]);
    const [row] = await rows(
      conn,
      `SELECT count(*)::DOUBLE AS n, coalesce(sum(abs(EffectiveCost)), 0)::DOUBLE AS cost,
              list(DISTINCT BillingCurrency ORDER BY BillingCurrency) AS currencies,
              min(x_ChargeDate)::VARCHAR AS first, max(x_ChargeDate)::VARCHAR AS last
       FROM ${data.relation}
       WHERE BillingCurrency IS DISTINCT FROM 'USD' AND (x_ExchangeRateToUsd IS NULL OR x_EffectiveCostUsd IS NULL)`,
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
    const currencies = ((row.currencies as string[] | null) ?? []).map((c) => c ?? "(none)").join(", ");
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
