import {
  AUDITED_SERVICES,
  auditLogNames,
  billingExportDatasetId,
  normalizedDatasetId,
  serviceAccountEmail,
  serviceAccountId,
} from "../../components/gcp/job-contract";
import { tenantSecretPath } from "../../components/core/secrets";
import type { TenantConfig } from "../../components/tenant/config";
import { AuditAccessDenied, type AuditRead, type AuditReport, type AuditWindow, summarize } from "./types";

export interface GcpAuditClient {
  /** An OAuth access token of the caller (application default credentials). */
  token(): Promise<string>;
  fetch?: typeof fetch;
}

const ENTRIES_LIST = "https://logging.googleapis.com/v2/entries:list";

/** A Cloud Audit Logs entry, the fields the audit reads. */
interface LogEntry {
  timestamp: string;
  protoPayload?: {
    serviceName?: string;
    methodName?: string;
    resourceName?: string;
    authenticationInfo?: { principalEmail?: string; principalSubject?: string };
    status?: { code?: number };
  };
}

/**
 * Who read the tenant's GCP secret and billing datasets in the window: the Data Access and Admin
 * Activity audit logs of the audited services, from the stack's own log bucket (the `_Default`
 * bucket keeps Data Access logs 30 days only; this one keeps the tenant's audit retention).
 */
export async function auditGcp(
  client: GcpAuditClient,
  tenant: TenantConfig,
  window: AuditWindow,
): Promise<AuditReport> {
  const gcp = tenant.gcp;
  if (!gcp) throw new Error(`tenant ${tenant.tenantId} has no gcp section`);
  const { tenantId } = tenant;
  const project = gcp.projectId;
  const secret = `secrets/${tenantSecretPath(tenantId, "gcp", project)}`;
  const datasets = [billingExportDatasetId(tenantId), normalizedDatasetId(tenantId)].map(
    (d) => `datasets/${d}`,
  );
  const view = `projects/${project}/locations/${gcp.region}/buckets/${auditLogNames(tenantId).bucketId}/views/_AllLogs`;
  const logs = ["data_access", "activity"].map(
    (l) => `"projects/${project}/logs/cloudaudit.googleapis.com%2F${l}"`,
  );
  const filter = [
    `logName=(${logs.join(" OR ")})`,
    `protoPayload.serviceName=(${AUDITED_SERVICES.map((s) => `"${s}"`).join(" OR ")})`,
    `(${[secret, ...datasets].map((r) => `protoPayload.resourceName:"${r}"`).join(" OR ")})`,
    `timestamp>="${window.since.toISOString()}"`,
    `timestamp<="${window.until.toISOString()}"`,
  ].join(" AND ");

  const reads: AuditRead[] = [];
  for await (const entry of entries(client, view, filter, project)) {
    const p = entry.protoPayload ?? {};
    // `:` matches substrings: keep only the secret and datasets themselves, not ones named alike.
    const resource = [secret, ...datasets].find((r) =>
      new RegExp(`(^|/)${r}(/|$)`).test(p.resourceName ?? ""),
    );
    if (!resource) continue;
    const denied = p.status?.code === 7;
    reads.push({
      principal: p.authenticationInfo?.principalEmail ?? p.authenticationInfo?.principalSubject ?? "unknown",
      action: denied ? `${p.methodName} (denied)` : String(p.methodName),
      resource,
      first: entry.timestamp,
      last: entry.timestamp,
      count: 1,
    });
  }
  const job = serviceAccountEmail(serviceAccountId(tenantId, "job"), project);
  const reader = serviceAccountEmail(serviceAccountId(tenantId, "reader"), project);
  return {
    tenantId,
    cloud: "gcp",
    window: { since: window.since.toISOString(), until: window.until.toISOString(), days: window.days },
    sources: [`Cloud Logging entries of ${view}: audit logs of ${AUDITED_SERVICES.join(", ")}`],
    notRead: [],
    entries: summarize(reads, (r) =>
      r.principal === job
        ? { expected: true, why: "the job's service account" }
        : r.principal === reader
          ? { expected: true, why: "the platform, through the reader service account it impersonates" }
          : { expected: false, why: "not the job or the platform identity" },
    ),
  };
}

/** Every entry the filter matches, page by page (nextPageToken). */
async function* entries(client: GcpAuditClient, view: string, filter: string, project: string) {
  const doFetch = client.fetch ?? fetch;
  const token = await client.token();
  let pageToken: string | undefined;
  do {
    const response = await doFetch(ENTRIES_LIST, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        resourceNames: [view],
        filter,
        orderBy: "timestamp asc",
        pageSize: 1000,
        pageToken,
      }),
    });
    const body = (await response.json().catch(() => ({}))) as {
      entries?: LogEntry[];
      nextPageToken?: string;
      error?: { message?: string };
    };
    if (response.status === 401 || response.status === 403) {
      throw new AuditAccessDenied(
        `the audit logs of project ${project}`,
        "roles/logging.privateLogViewer (logging.logEntries.list and logging.privateLogEntries.list, which Data Access logs need) and roles/logging.viewAccessor on the audit log bucket's _AllLogs view",
      );
    }
    if (response.status === 404) {
      throw new Error(
        `${view} does not exist: deploy the tenant's GCP stack (it creates the log bucket), then run again`,
      );
    }
    if (!response.ok) {
      throw new Error(
        `Cloud Logging refused to list the audit logs of ${view} (HTTP ${response.status}): ${body.error?.message ?? "no reason given"}`,
      );
    }
    yield* body.entries ?? [];
    pageToken = body.nextPageToken;
  } while (pageToken);
}
