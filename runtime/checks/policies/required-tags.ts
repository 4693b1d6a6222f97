import { column, requireColumns, round, tagValue } from "../sql";
import { checkSettings } from "../settings";
import { definePolicy, type Finding } from "../types";

/**
 * Required-tag coverage: the share of usage EffectiveCost (USD) whose Tags carry each required
 * key, or one of its aliases (checks.tagAliases), with a non-empty value; findings name the
 * canonical key. Only Usage charges count: taxes, credits and purchases carry no resource tags.
 */
export const requiredTags = definePolicy({
  name: "required-tags",
  ...checkSettings("requiredTags"),
  description: "share of usage cost carrying each required tag",
  severity: "warning",
  async evaluate({ data, tagAliases }, config) {
    if (config.tags.length === 0) {
      return [
        {
          policy: "required-tags",
          severity: "info",
          subject: "(no tags)",
          measured: null,
          threshold: null,
          message: "no required tags configured",
          hint: "list them under checks.requiredTags.tags in the tenant file",
        },
      ];
    }
    requireColumns(data, "required-tags", ["Tags", "ChargeCategory", "x_EffectiveCostUsd"]);
    const cost = column(data, "x_EffectiveCostUsd");
    const select = config.tags
      .map(
        (t, i) =>
          `sum(CASE WHEN ${tagValue(data, t, tagAliases)} IS NOT NULL THEN ${cost} ELSE 0 END) AS t${i}`,
      )
      .join(", ");
    const [row] = await data.rows(
      `SELECT sum(${cost}) AS total, ${select} FROM ${data.relation}
       WHERE ${column(data, "ChargeCategory")} = ${data.dialect.string("Usage")} AND ${cost} > 0`,
    );
    const total = Number(row.total ?? 0);
    return config.tags.map((tag, i): Finding => {
      if (total === 0) {
        return {
          policy: "required-tags",
          severity: "ok",
          subject: tag,
          measured: null,
          threshold: config.minCoveragePercent,
          unit: "%",
          message: `no usage cost to cover with tag "${tag}"`,
        };
      }
      const coverage = round((100 * Number(row[`t${i}`] ?? 0)) / total, 2);
      const ok = coverage >= config.minCoveragePercent;
      const aliases = tagAliases[tag] ? ` (or ${tagAliases[tag].map((a) => `"${a}"`).join(", ")})` : "";
      return {
        policy: "required-tags",
        severity: ok ? "ok" : config.severity,
        subject: tag,
        measured: coverage,
        threshold: config.minCoveragePercent,
        unit: "%",
        message: `${coverage}% of usage cost (${round(total, 2)} USD) carries tag "${tag}"${aliases}`,
        ...(ok ? {} : { hint: `tag the untagged resources with "${tag}", or enforce it with a tag policy` }),
      };
    });
  },
});
