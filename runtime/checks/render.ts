import type { Finding } from "./types";

const value = (v: number | string | null, unit?: string) =>
  v === null ? "-" : `${v}${unit ? ` ${unit}` : ""}`;

/** The human form of findings: what needs attention first, then one line per passing check. */
export function renderFindings(findings: readonly Finding[]): string {
  const order = ["error", "warning", "info", "ok"] as const;
  const sorted = [...findings].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  const lines = sorted.map((f) => {
    const head = `${f.severity.toUpperCase().padEnd(7)} ${f.policy.padEnd(17)} ${f.subject}: measured ${value(f.measured, f.unit)}, threshold ${value(f.threshold, f.unit)}`;
    return [head, `        ${f.message}`, ...(f.hint ? [`        hint: ${f.hint}`] : [])].join("\n");
  });
  const count = (s: Finding["severity"]) => findings.filter((f) => f.severity === s).length;
  return [
    ...lines,
    "",
    `${findings.length} findings: ${count("error")} error, ${count("warning")} warning, ${count("info")} info, ${count("ok")} ok`,
  ].join("\n");
}
