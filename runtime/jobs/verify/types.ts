/** The clouds `costline verify` checks. */
export const CLOUDS = ["aws", "gcp", "azure", "kubernetes"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** One thing the job must be able to do. */
export interface Requirement {
  /** The permission as the cloud names it: an IAM action, a GCP permission, an Azure (data) action, a Kubernetes verb and resource. */
  permission: string;
  /** The exact resource (ARN, resource URL, ARM scope, namespaced object) it is needed on. */
  resource: string;
  /** What the job does with it. */
  why: string;
  /** What to grant when it is missing: the role or policy statement, and where. */
  grant: string;
}

/** A requirement and what the cloud answered about it. */
export interface PermissionCheck extends Requirement {
  allowed: boolean;
  /** The cloud's own words when it gave any (a decision, a denial reason). */
  detail?: string;
}

/** One setting the tenant's audit trail depends on, and what the cloud said about it. */
export interface AuditCheck {
  /** What must hold, naming the resource: "trail costline-acme-audit is logging". */
  setting: string;
  ok: boolean;
  /** What the cloud answered (a value, "absent", or its denial). */
  found: string;
  /** What to set, and where, when it does not hold. */
  fix: string;
}

export interface VerifyReport {
  cloud: Cloud;
  /** Whose permissions were checked. */
  identity: string;
  checks: PermissionCheck[];
  /** Whether the audit trail of the tenant's credentials and billing data is on and kept as configured. */
  audit: AuditCheck[];
  /** What this check does not cover, said rather than skipped silently. */
  notChecked: string[];
}

/** Whether everything verify looked at holds: every permission granted and every audit setting as configured. */
export const reportPasses = (report: VerifyReport) =>
  report.checks.every((c) => c.allowed) && report.audit.every((a) => a.ok);

/** The human form: each missing permission with what to grant, each audit setting that does not hold with its fix, then counts. */
export function renderReport(report: VerifyReport): string {
  const missing = report.checks.filter((c) => !c.allowed);
  const failing = report.audit.filter((a) => !a.ok);
  const lines = [`${report.cloud}: checked ${report.checks.length} permission(s) of ${report.identity}`, ""];
  for (const c of report.checks) {
    lines.push(`  ${c.allowed ? "ok     " : "MISSING"} ${c.permission} on ${c.resource}`);
    if (!c.allowed) {
      lines.push(`          needed to ${c.why}`);
      lines.push(`          grant: ${c.grant}${c.detail ? ` (${c.detail})` : ""}`);
    }
  }
  if (report.audit.length) lines.push("", `  audit trail: ${report.audit.length} setting(s)`);
  for (const a of report.audit) {
    lines.push(`  ${a.ok ? "ok     " : "FAILING"} ${a.setting}`);
    if (!a.ok) {
      lines.push(`          found: ${a.found}`);
      lines.push(`          fix: ${a.fix}`);
    }
  }
  for (const n of report.notChecked) lines.push(`  not checked: ${n}`);
  lines.push(
    "",
    missing.length
      ? `${missing.length} permission(s) missing.`
      : "Every permission the job needs is granted.",
  );
  if (report.audit.length) {
    lines.push(
      failing.length
        ? `${failing.length} audit setting(s) not as configured.`
        : "The audit trail is on and kept as configured.",
    );
  }
  return lines.join("\n");
}
