import { column, isNot, requireColumns, round } from "../sql";
import { checkSettings } from "../settings";
import { definePolicy } from "../types";

/**
 * Unmapped services: charges whose service the mapping does not know. The normalizer marks them
 * with the fallback family `x_ServiceFamily = 'other'` (or leaves it NULL); taxes are no service
 * and do not count. Measured as the share of absolute cost, so credits do not hide charges.
 */
export const unmappedServices = definePolicy({
  name: "unmapped-services",
  ...checkSettings("unmappedServices"),
  description: "share of cost in services the mapping does not know",
  severity: "warning",
  async evaluate({ data }, config) {
    requireColumns(data, "unmapped-services", [
      "x_ServiceFamily",
      "x_EffectiveCostUsd",
      "ServiceName",
      "ChargeCategory",
    ]);
    const family = column(data, "x_ServiceFamily");
    const unmapped = `(${family} IS NULL OR ${family} = 'other')`;
    const cost = `abs(${column(data, "x_EffectiveCostUsd")})`;
    const charges = `FROM ${data.relation} WHERE ${isNot(column(data, "ChargeCategory"), "'Tax'")}`;
    const [row] = await data.rows(
      `SELECT coalesce(sum(${cost}), 0) AS total,
              coalesce(sum(CASE WHEN ${unmapped} THEN ${cost} END), 0) AS unmapped ${charges}`,
    );
    const total = Number(row.total);
    const share = total === 0 ? 0 : round((100 * Number(row.unmapped)) / total, 2);
    const name = column(data, "ServiceName");
    const services = (
      await data.rows(
        `SELECT DISTINCT ${name} AS service ${charges} AND ${unmapped} AND ${name} IS NOT NULL ORDER BY 1`,
      )
    ).map((r) => String(r.service));
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
