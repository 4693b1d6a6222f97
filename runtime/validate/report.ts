import type { RuleResult, SkipReason, ValidationReport } from "./validator";

const REASONS: Record<SkipReason, string> = {
  dynamic: "need a person (no machine check)",
  permission: "MAY rules (cannot be violated)",
  "not-applicable": "not applicable (criteria not declared)",
  "column-absent": "about absent columns",
  partial: "composites only partly checkable",
  unsupported: "unsupported check functions",
  removed: "removed by the specification in this version",
};

function line(r: RuleResult): string {
  const head = `${r.status.toUpperCase().padEnd(7)} ${r.keyword.padEnd(11)} ${r.id}  ${r.mustSatisfy}`;
  const more = [r.detail ? `        ${r.detail}` : ""];
  for (const e of r.examples ?? []) more.push(`        e.g. ${JSON.stringify(e)}`);
  if (r.erratum) more.push(`        (model corrected: ${r.erratum})`);
  return [head, ...more.filter(Boolean)].join("\n");
}

/** The human form of a validation report: failures first, then the counts and the verdict. */
export function renderValidation(report: ValidationReport, all = false): string {
  const s = report.summary;
  const applicability = report.applicability.length ? report.applicability.join(", ") : "none declared";
  const shown = all ? report.results : report.results.filter((r) => r.status === "fail");
  const skipped = Object.entries(s.skippedBy)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${REASONS[k as SkipReason]}`)
    .join(", ");
  return [
    `FOCUS ${report.focusVersion} conformance of ${report.input}${report.dataset === "CostAndUsage" ? "" : ` (${report.dataset} dataset)`}`,
    `  ${report.format}, ${report.rows} rows, ${report.columns} columns; applicability: ${applicability}`,
    "",
    ...shown.map(line),
    ...(shown.length ? [""] : []),
    `${s.rules} rules: ${s.passed} passed${s.passedPartly ? ` (${s.passedPartly} of them partly: parts need review)` : ""}, ${s.failed} failed (${s.mandatoryFailures} MUST, ${s.advisoryFailures} SHOULD), ${s.skipped} skipped${skipped ? `: ${skipped}` : ""}`,
    s.mandatoryFailures > 0
      ? "NOT CONFORMANT: at least one MUST rule fails"
      : "No statically checkable MUST rule fails (skipped rules are not passed: review them)",
  ].join("\n");
}
