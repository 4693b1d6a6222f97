import { type AuditReport, unexpectedReaders } from "./types";

/** The report as text: unexpected readers summarized first, then the table, then what was and was not read. */
export function renderAudit(report: AuditReport): string {
  const { tenantId, cloud, window } = report;
  const lines = [`costline audit: tenant ${tenantId}, ${cloud}, ${window.since} to ${window.until}`];
  const unexpected = unexpectedReaders(report);
  if (report.entries.length === 0) {
    lines.push(
      `no reads recorded in the last ${window.days} days. That is only trustworthy if the trail was on the whole time: check with costline verify --cloud ${cloud}.`,
    );
  } else {
    const principals = [...new Set(unexpected.map((e) => e.principal))];
    lines.push(
      principals.length
        ? `UNEXPECTED: ${principals.length} reader(s) that are not the job or the platform identity: ${principals.join(", ")}`
        : "every reader is the job or the platform identity",
      "",
      ...table(report),
    );
  }
  lines.push("", "read:", ...report.sources.map((s) => `  ${s}`));
  if (report.notRead.length) lines.push("not read:", ...report.notRead.map((s) => `  ${s}`));
  return lines.join("\n");
}

function table(report: AuditReport): string[] {
  const header = ["", "principal", "action", "resource", "count", "first", "last", "why"];
  const rows = report.entries.map((e) => [
    e.expected ? "" : "!",
    e.principal,
    e.action,
    e.resource,
    String(e.count),
    e.first,
    e.last,
    e.why,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}
