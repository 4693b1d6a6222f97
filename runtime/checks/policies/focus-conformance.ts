import { z } from "zod";
import { strength } from "../../validate/model";
import { validateDataset } from "../../validate/validator";
import { definePolicy, type Finding } from "../types";

/**
 * FOCUS conformance of the normalized data: the validator's failing rules as findings (MUST
 * rules as errors, SHOULD rules as warnings), and one passing finding with the counts. In a
 * warehouse the validator reads a sample that the data source copies out (see CheckData.focusRows):
 * its row counts are the sample's.
 */
export const focusConformance = definePolicy({
  name: "focus-conformance",
  configKey: "focusConformance",
  description: "FOCUS 1.2 rules the normalized data breaks",
  severity: "error",
  config: z
    .object({
      /** Provider capabilities to assume; ALL suits Costline's output, which has every column. */
      applicability: z.union([z.literal("ALL"), z.array(z.string())]).default("ALL"),
    })
    .strict(),
  async evaluate({ data }, config) {
    const { conn, dataset, sample } = await data.focusRows();
    const report = await validateDataset(conn, dataset, { applicability: config.applicability });
    // Composites repeat their parts' failures; report the rules that fail by themselves.
    const failing = report.results.filter((r) => r.status === "fail" && !r.failedParts);
    const findings = failing.map(
      (r): Finding => ({
        policy: "focus-conformance",
        severity: strength(r.keyword) === 2 ? "error" : "warning",
        subject: r.id,
        measured: r.failingRows ?? null,
        threshold: 0,
        unit: "rows",
        message: `${r.keyword}: ${r.mustSatisfy} (${r.detail ?? "fails"})`,
        hint: `e.g. ${JSON.stringify(r.examples?.[0] ?? {})}; fix the mapping that produces these rows`,
      }),
    );
    const s = report.summary;
    const over = sample
      ? ` over a sample of ${sample.rows} of ${sample.of} rows (${sample.method})`
      : ` over ${dataset.rows} rows`;
    findings.push({
      policy: "focus-conformance",
      severity: s.failed > 0 ? "info" : "ok",
      subject: sample ? "(sample)" : "(dataset)",
      measured: s.failed,
      threshold: 0,
      unit: "rules",
      message: `${s.executed} rules checked${over}: ${s.passed} pass, ${s.failed} fail; ${s.skipped} skipped (need review or not applicable)`,
    });
    return findings;
  },
});
