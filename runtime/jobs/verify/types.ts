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

export interface VerifyReport {
  cloud: Cloud;
  /** Whose permissions were checked. */
  identity: string;
  checks: PermissionCheck[];
  /** What this check does not cover, said rather than skipped silently. */
  notChecked: string[];
}

/** The human form: each missing permission with what to grant, then a count. */
export function renderReport(report: VerifyReport): string {
  const missing = report.checks.filter((c) => !c.allowed);
  const lines = [`${report.cloud}: checked ${report.checks.length} permission(s) of ${report.identity}`, ""];
  for (const c of report.checks) {
    lines.push(`  ${c.allowed ? "ok     " : "MISSING"} ${c.permission} on ${c.resource}`);
    if (!c.allowed) {
      lines.push(`          needed to ${c.why}`);
      lines.push(`          grant: ${c.grant}${c.detail ? ` (${c.detail})` : ""}`);
    }
  }
  for (const n of report.notChecked) lines.push(`  not checked: ${n}`);
  lines.push(
    "",
    missing.length
      ? `${missing.length} permission(s) missing.`
      : "Every permission the job needs is granted.",
  );
  return lines.join("\n");
}
