import { AUDITED_LOG_TYPES, AUDITED_SERVICES, auditLogNames } from "../../../components/gcp/job-contract";
import type { TenantConfig } from "../../../components/tenant/config";
import { type RestCall, readSetting, unreadable } from "./rest";
import type { AuditCheck } from "./types";

const RESOURCE_MANAGER = "https://cloudresourcemanager.googleapis.com/v3";
const LOGGING = "https://logging.googleapis.com/v2";

interface AuditConfig {
  service?: string;
  auditLogConfigs?: Array<{ logType?: string; exemptedMembers?: string[] }>;
}

interface LogBucket {
  retentionDays?: number;
  locked?: boolean;
  lifecycleState?: string;
}

interface LogSink {
  destination?: string;
  disabled?: boolean;
}

/**
 * What one service's Data Access logging lacks: log types not enabled, and exempted members of
 * enabled ones. A service's own config and `allServices` add up, as IAM applies their union.
 */
export function auditConfigGaps(configs: readonly AuditConfig[], service: string): string[] {
  const applying = configs.filter((c) => c.service === service || c.service === "allServices");
  return AUDITED_LOG_TYPES.flatMap((logType) => {
    const entries = applying.flatMap((c) => c.auditLogConfigs ?? []).filter((l) => l.logType === logType);
    if (!entries.length) return [`${logType} not enabled`];
    const exempted = [...new Set(entries.flatMap((l) => l.exemptedMembers ?? []))];
    return exempted.length ? [`${logType} exempts ${exempted.join(", ")}`] : [];
  });
}

/**
 * Reads the tenant project's audit logging back: the audit configs of the audited services, the
 * log bucket keeping their logs for `audit.retentionDays`, and the sink feeding it. A 403 fails the
 * check it stops and names the permission to grant the caller.
 */
export async function gcpAuditChecks(
  rest: RestCall,
  tenant: TenantConfig,
  identity: string,
): Promise<AuditCheck[]> {
  const cfg = tenant.gcp;
  if (!cfg) throw new Error("the tenant has no gcp section; nothing to verify for --cloud gcp");
  const project = cfg.projectId;
  const { bucketId, sinkName } = auditLogNames(tenant.tenantId);
  const bucketPath = `projects/${project}/locations/${cfg.region}/buckets/${bucketId}`;
  const days = tenant.audit.retentionDays;
  const stack = (what: string) =>
    `run pulumi up for this tenant (components/gcp/audit-logging.ts sets ${what})`;
  const grant = (permission: string, role: string) =>
    `grant ${identity} ${permission} on project ${project} (${role} has it), then verify again`;
  const audit: AuditCheck[] = [];

  const policy = await readSetting(rest, `${RESOURCE_MANAGER}/projects/${project}:getIamPolicy`, {
    method: "POST",
    body: { options: { requestedPolicyVersion: 3 } },
  });
  const logged = (service: string) =>
    `project ${project} records ${AUDITED_LOG_TYPES.join(" and ")} Data Access logs of ${service} for every caller`;
  if (policy.status !== 200) {
    audit.push(
      unreadable(logged(AUDITED_SERVICES.join(", ")), policy, {
        absent: `project ${project} does not exist or is not visible; correct gcp.projectId`,
        denied: grant("resourcemanager.projects.getIamPolicy", "roles/iam.securityReviewer"),
      }),
    );
  } else {
    const configs = (policy.body.auditConfigs ?? []) as AuditConfig[];
    for (const service of AUDITED_SERVICES) {
      const gaps = auditConfigGaps(configs, service);
      audit.push({
        setting: logged(service),
        ok: gaps.length === 0,
        found: gaps.length ? gaps.join("; ") : `${AUDITED_LOG_TYPES.join(", ")} enabled, nobody exempted`,
        fix: stack(`the project's audit config of ${service}; remove any exemptedMembers`),
      });
    }
  }

  const kept = `log bucket ${bucketId} in ${cfg.region} keeps audit logs ${days} days`;
  const bucket = await readSetting(rest, `${LOGGING}/${bucketPath}`);
  if (bucket.status !== 200) {
    audit.push(
      unreadable(kept, bucket, {
        absent: stack("the log bucket"),
        denied: grant("logging.buckets.get", "roles/logging.viewer"),
      }),
    );
  } else {
    const b = bucket.body as LogBucket;
    const active = (b.lifecycleState ?? "ACTIVE") === "ACTIVE";
    audit.push({
      setting: kept,
      ok: b.retentionDays === days && active,
      found: `retentionDays ${b.retentionDays ?? "unset"}, ${b.locked ? "locked" : "not locked"}${active ? "" : `, ${b.lifecycleState}`}`,
      fix:
        b.locked && b.retentionDays !== undefined && b.retentionDays !== days
          ? `the bucket is locked, so its retention stays ${b.retentionDays} days: set audit.retentionDays to ${b.retentionDays} in the tenant file`
          : stack("retentionDays from audit.retentionDays"),
    });
  }

  const feeding = `sink ${sinkName} sends the audited services' logs to log bucket ${bucketId}`;
  const sink = await readSetting(rest, `${LOGGING}/projects/${project}/sinks/${sinkName}`);
  if (sink.status !== 200) {
    audit.push(
      unreadable(feeding, sink, {
        absent: stack("the sink"),
        denied: grant("logging.sinks.get", "roles/logging.viewer"),
      }),
    );
  } else {
    const s = sink.body as LogSink;
    const destination = `logging.googleapis.com/${bucketPath}`;
    audit.push(
      {
        setting: feeding,
        ok: s.destination === destination,
        found: `destination ${s.destination ?? "unset"}`,
        fix: stack(`the sink's destination ${destination}`),
      },
      {
        setting: `sink ${sinkName} is enabled`,
        ok: s.disabled !== true,
        found: s.disabled ? "disabled" : "enabled",
        fix: stack("the sink; it leaves disabled unset"),
      },
    );
  }
  return audit;
}
