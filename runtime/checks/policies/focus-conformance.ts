import type { DuckDBConnection } from "@duckdb/node-api";
import { FORMAT_IDS, type FormatId } from "../../mapping/types";
import { applicabilityFor } from "../../mappings/capabilities";
import { type Dataset, ident, literal } from "../../validate/dataset";
import { focusRules, strength } from "../../validate/model";
import { datasetVersion, type RuleResult, validateDataset } from "../../validate/validator";
import { checkSettings } from "../settings";
import { definePolicy, type Finding } from "../types";

/** Rows validated together, with the provider capabilities that hold for them. */
interface Part {
  /** The source format the rows came from; absent when the whole dataset is one part. */
  source?: string;
  dataset: Dataset;
  applicability: readonly string[] | "ALL";
}

/**
 * FOCUS conformance of the normalized data: the validator's failing rules as findings (MUST
 * rules as errors, SHOULD rules as warnings), and one summary finding with the counts. By default
 * each source format's rows are judged with the capabilities of their provider
 * (runtime/mappings/capabilities.ts): OpenCost, for one, has no price list or commitment
 * discounts, so the rules about them do not apply to its rows while they still do to a cloud's.
 * In a warehouse the validator reads a sample that the data source copies out (see
 * CheckData.focusRows): its row counts are the sample's.
 */
export const focusConformance = definePolicy({
  name: "focus-conformance",
  ...checkSettings("focusConformance"),
  description: "FOCUS rules (of the data's version, 1.2 or 1.3) the normalized data breaks",
  severity: "error",
  async evaluate({ data }, config) {
    const { conn, dataset, sample } = await data.focusRows();
    const parts =
      config.applicability === "by-source"
        ? await bySource(conn, dataset)
        : [{ dataset, applicability: config.applicability }];
    const judged: { part: Part; results: RuleResult[]; summary: string }[] = [];
    for (const part of parts) {
      const report = await validateDataset(conn, part.dataset, { applicability: part.applicability });
      const s = report.summary;
      judged.push({
        part,
        // Composites repeat their parts' failures; report the rules that fail by themselves.
        results: report.results.filter((r) => r.status === "fail" && !r.failedParts),
        summary: `${part.source ? `${part.source} (${part.dataset.rows} rows): ` : ""}${s.executed} rules, ${s.passed} pass, ${s.failed} fail, ${s.skipped} skipped`,
      });
    }
    const failing = new Map<string, { rule: RuleResult; where: { source?: string; rule: RuleResult }[] }>();
    for (const { part, results } of judged) {
      for (const rule of results) {
        const entry = failing.get(rule.id) ?? { rule, where: [] };
        entry.where.push({ source: part.source, rule });
        failing.set(rule.id, entry);
      }
    }
    const findings = [...failing.values()].map(
      ({ rule, where }): Finding => ({
        policy: "focus-conformance",
        severity: strength(rule.keyword) === 2 ? "error" : "warning",
        subject: rule.id,
        measured: where.some((w) => w.rule.failingRows === undefined)
          ? null
          : where.reduce((n, w) => n + w.rule.failingRows!, 0),
        threshold: 0,
        unit: "rows",
        message: `${rule.keyword}: ${rule.mustSatisfy} (${where
          .map((w) => `${w.source ? `${w.source}: ` : ""}${w.rule.detail ?? "fails"}`)
          .join("; ")})`,
        hint: `e.g. ${JSON.stringify(rule.examples?.[0] ?? {})}; fix the mapping that produces these rows`,
      }),
    );
    const over = sample
      ? `a sample of ${sample.rows} of ${sample.of} rows (${sample.method})`
      : `${dataset.rows} rows`;
    findings.push({
      policy: "focus-conformance",
      severity: failing.size > 0 ? "info" : "ok",
      subject: sample ? "(sample)" : "(dataset)",
      measured: failing.size,
      threshold: 0,
      unit: "rules",
      message: `FOCUS rules checked over ${over}: ${judged.map((j) => j.summary).join("; ")} (skipped: need review or not applicable)`,
    });
    return findings;
  },
});

/**
 * The dataset's rows by x_SourceFormat, each a view judged with its provider's capabilities;
 * rows of no known source format (or a dataset without the column) with every capability.
 */
async function bySource(conn: DuckDBConnection, dataset: Dataset): Promise<Part[]> {
  const all = Object.keys(focusRules(datasetVersion(dataset.columns.keys())).applicabilityCriteria);
  if (!dataset.columns.has("x_SourceFormat")) return [{ dataset, applicability: "ALL" }];
  const counts = (await conn
    .runAndReadAll(
      `SELECT x_SourceFormat AS source, count(*) AS n FROM ${dataset.relation} GROUP BY 1 ORDER BY 1 NULLS LAST`,
    )
    .then((r) => r.getRowObjectsJson())) as { source: string | null; n: string | number }[];
  const known = (s: string | null): s is FormatId => FORMAT_IDS.includes(s as FormatId);
  if (counts.length === 1 && !known(counts[0]!.source)) return [{ dataset, applicability: "ALL" }];
  const parts: Part[] = [];
  const view = (name: string, where: string, rows: number) => {
    const relation = ident(`${dataset.relation.replaceAll('"', "")}_${name}`);
    return conn
      .run(`CREATE OR REPLACE TEMP VIEW ${relation} AS SELECT * FROM ${dataset.relation} WHERE ${where}`)
      .then(() => ({ ...dataset, relation, rows }));
  };
  for (const { source, n } of counts.filter((c) => known(c.source))) {
    const format = source as FormatId;
    parts.push({
      source: format,
      dataset: await view(format, `x_SourceFormat = ${literal(format)}`, Number(n)),
      applicability: applicabilityFor(format, all),
    });
  }
  const others = counts.filter((c) => !known(c.source)).reduce((sum, c) => sum + Number(c.n), 0);
  if (others > 0) {
    const list = FORMAT_IDS.map(literal).join(", ");
    parts.push({
      source: "other sources",
      dataset: await view("other", `x_SourceFormat IS NULL OR x_SourceFormat NOT IN (${list})`, others),
      applicability: "ALL",
    });
  }
  return parts;
}
