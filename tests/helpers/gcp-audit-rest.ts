import nock from "nock";
import { AUDITED_SERVICES, auditLogNames } from "../../components/gcp/job-contract";

type Reply = [status: number, body: Record<string, unknown>];

/** The project's IAM policy as getIamPolicy returns it with the audit configs the stack sets. */
export const deployedPolicy = (project: string) => ({
  version: 1,
  etag: "BwYkV2c8mHo=",
  bindings: [
    {
      role: "roles/bigquery.jobUser",
      members: [`serviceAccount:costline-acme-gcp-normalize@${project}.iam.gserviceaccount.com`],
    },
    { role: "roles/owner", members: ["user:platform@acme.example"] },
  ],
  auditConfigs: AUDITED_SERVICES.map((service) => ({
    service,
    auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }],
  })),
});

/** A Google API error body, in the shape every googleapis.com service returns. */
export const googleError = (code: number, status: string, message: string) => ({
  error: { code, message, status },
});

/**
 * Records the three reads of the tenant's GCP audit logging (acme-finops-prod, europe-west1, 400
 * days) answering as the stack deploys them; each can be replaced by another answer.
 */
export function nockDeployedGcpAudit(
  options: { project?: string; region?: string; policy?: Reply; bucket?: Reply; sink?: Reply } = {},
) {
  const project = options.project ?? "acme-finops-prod";
  const region = options.region ?? "europe-west1";
  const { bucketId, sinkName } = auditLogNames("acme");
  const bucketPath = `projects/${project}/locations/${region}/buckets/${bucketId}`;
  const policy: Reply = options.policy ?? [200, deployedPolicy(project)];
  const bucket: Reply = options.bucket ?? [
    200,
    {
      name: bucketPath,
      description: "Costline: audit logs of access to the tenant's secret and cost data",
      createTime: "2026-11-02T09:12:44.381529Z",
      updateTime: "2026-11-02T09:12:44.381529Z",
      retentionDays: 400,
      lifecycleState: "ACTIVE",
    },
  ];
  const sink: Reply = options.sink ?? [
    200,
    {
      name: sinkName,
      destination: `logging.googleapis.com/${bucketPath}`,
      filter: `logName:"cloudaudit.googleapis.com" AND protoPayload.serviceName=(${AUDITED_SERVICES.map((s) => `"${s}"`).join(" OR ")})`,
      writerIdentity: "serviceAccount:service-418207733905@gcp-sa-logging.iam.gserviceaccount.com",
      createTime: "2026-11-02T09:12:51.902113Z",
      updateTime: "2026-11-02T09:12:51.902113Z",
    },
  ];
  nock("https://cloudresourcemanager.googleapis.com")
    .post(`/v3/projects/${project}:getIamPolicy`, { options: { requestedPolicyVersion: 3 } })
    .reply(...policy);
  nock("https://logging.googleapis.com")
    .get(`/v2/${bucketPath}`)
    .reply(...bucket)
    .get(`/v2/projects/${project}/sinks/${sinkName}`)
    .reply(...sink);
  return { bucketId, sinkName, bucketPath };
}
