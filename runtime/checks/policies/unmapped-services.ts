import { z } from "zod";
import { requireColumns, round, rows } from "../sql";
import { definePolicy } from "../types";

/**
 * Unmapped services: charges whose service the mapping does not know. The normalizer marks them
 * with the fallback family `x_ServiceFamily = 'other'` (or leaves it NULL); taxes are no service
 * and do not count. Measured as the share of absolute cost, so credits do not hide charges.
 */
export const unmappedServices = definePolicy({
  name: "unmapped-services",
  configKey: "unmappedServices",
  description: "share of cost in services the mapping does not know",
  severity: "warning",
  config: z
    .object({
      maxUnmappedCostPercent: z.number().min(0).max(100).default(0),
      severity: z.enum(["info", "warning", "error"]).default("warning"),
    })
    .strict(),
  async evaluate({ conn, data }, config) {
    requireColumns(data, "unmapped-services", [
      "x_ServiceFamily",
      "x_EffectiveCostUsd",
      "ServiceName",
      "ChargeCategory",
    ]);
    const unmapped = `(x_ServiceFamily IS NULL OR x_ServiceFamily = 'other')`;
    const [row] = await rows(
      conn,
      `SELECT coalesce(sum(abs(x_EffectiveCostUsd)), 0)::DOUBLE AS total,
              coalesce(sum(abs(x_EffectiveCostUsd)) FILTER (WHERE ${unmapped}), 0)::DOUBLE AS unmapped,
              list(DISTINCT ServiceName ORDER BY ServiceName) FILTER (WHERE ${unmapped}) AS services
       FROM ${data.relation} WHERE ChargeCategory IS DISTINCT FROM 'Tax'`,
    );
    const total = Number(row.total);
    const share = total === 0 ? 0 : round((100 * Number(row.unmapped)) / total, 2);
    const services = ((row.services as string[] | null) ?? []).filter(Boolean);
    const ok = services.length === 0 || share <= config.maxUnmappedCostPercent;
    return [
      {
        policy: "unmapped-services",
        severity: ok ? "ok" : config.severity,
        subject: services.length ? services.slice(0, 10).join(", ") : "(all services mapped)",
        measured: share,
        threshold: config.maxUnmappedCostPercent,
        unit: "%",
        message: services.length
          ? `${services.length} unmapped service(s) carry ${share}% of cost`
          : "every service maps to a service family",
        ...(ok ? {} : { hint: "add the services to the mapping's service table (runtime/mappings)" }),
      },
    ];
  },
});
