/** The clouds `costline audit` reads the trail of. */
export const AUDIT_CLOUDS = ["aws", "gcp", "azure"] as const;
export type AuditCloud = (typeof AUDIT_CLOUDS)[number];

/** The time window audited: from `since` up to `until`. */
export interface AuditWindow {
  since: Date;
  until: Date;
  /** Its length in whole days, as asked (`--days`). */
  days: number;
}

/**
 * Reads of one principal, one action, one resource, as a trail records them: one event (count 1)
 * or a group the log store already counted (Log Analytics summarizes in the query).
 */
export interface AuditRead {
  principal: string;
  action: string;
  resource: string;
  first: string;
  last: string;
  count: number;
}

/** Whether a reader is one the stack grants access to, and which one. */
export interface Verdict {
  expected: boolean;
  why: string;
}

/** One row of the report: a principal's reads of one resource by one action in the window. */
export interface AuditEntry extends AuditRead, Verdict {}

export interface AuditReport {
  tenantId: string;
  cloud: AuditCloud;
  window: { since: string; until: string; days: number };
  /** What was read, e.g. "CloudTrail LookupEvents in eu-west-1": where the rows come from. */
  sources: string[];
  /** What was not read, and where it is instead (e.g. an organization trail's data events). */
  notRead: string[];
  /** Unexpected readers first, then by principal and action. */
  entries: AuditEntry[];
}

/** The caller may not read the trail: names what to grant, so the command can say it without a stack. */
export class AuditAccessDenied extends Error {
  constructor(
    readonly what: string,
    readonly permission: string,
  ) {
    super(`the caller may not read ${what}: grant it ${permission}, then run costline audit again`);
    this.name = "AuditAccessDenied";
  }
}

/** The window ending at `now`, `days` long. */
export function auditWindow(days: number, now: Date): AuditWindow {
  return { since: new Date(now.getTime() - days * 86_400_000), until: now, days };
}

/**
 * Reads grouped by principal, action and resource (counts summed, first and last widened), each
 * judged by `judge`; unexpected readers first so the report opens with what needs attention.
 */
export function summarize(reads: Iterable<AuditRead>, judge: (read: AuditRead) => Verdict): AuditEntry[] {
  const groups = new Map<string, AuditRead>();
  for (const read of reads) {
    const key = JSON.stringify([read.principal, read.action, read.resource]);
    const group = groups.get(key);
    if (!group) groups.set(key, { ...read });
    else {
      group.count += read.count;
      if (read.first < group.first) group.first = read.first;
      if (read.last > group.last) group.last = read.last;
    }
  }
  return [...groups.values()]
    .map((g) => ({ ...g, ...judge(g) }))
    .sort(
      (a, b) =>
        Number(a.expected) - Number(b.expected) ||
        a.principal.localeCompare(b.principal) ||
        a.action.localeCompare(b.action) ||
        a.resource.localeCompare(b.resource),
    );
}

/** The readers the report flags. */
export const unexpectedReaders = (report: AuditReport) => report.entries.filter((e) => !e.expected);
