import assert from "node:assert/strict";
import { join } from "node:path";
import nock from "nock";
import { AUDITED_SERVICES } from "../../../../components/gcp/job-contract";
import { auditConfigGaps, gcpAuditChecks } from "../../../../runtime/jobs/verify/gcp-audit";
import { bearerRest } from "../../../../runtime/jobs/verify/rest";
import { loadTenantFile } from "../../../../stacks/tenant/load";
import { deployedPolicy, googleError, nockDeployedGcpAudit } from "../../../helpers/gcp-audit-rest";

const tenant = loadTenantFile(
  join(__dirname, "..", "..", "..", "..", "examples", "tenants", "acme-all.yaml"),
);
const SA = "costline-acme-gcp-normalize@acme-finops-prod.iam.gserviceaccount.com";
const rest = bearerRest(async () => "gcp-token");
const failing = (audit: Array<{ setting: string; ok: boolean }>) =>
  audit.filter((a) => !a.ok).map((a) => a.setting);

describe("costline verify: the GCP audit logging read back (nock)", () => {
  before(() => nock.disableNetConnect());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  afterEach(() => assert.ok(nock.isDone(), `unused interceptors: ${nock.pendingMocks().join(", ")}`));

  it("passes the audit configs, log bucket and sink the stack deploys", async () => {
    const { bucketId } = nockDeployedGcpAudit();
    const audit = await gcpAuditChecks(rest, tenant, SA);
    assert.deepEqual(failing(audit), []);
    assert.deepEqual(
      audit.map((a) => a.setting),
      [
        ...AUDITED_SERVICES.map(
          (s) =>
            `project acme-finops-prod records ADMIN_READ and DATA_READ Data Access logs of ${s} for every caller`,
        ),
        `log bucket ${bucketId} in europe-west1 keeps audit logs 400 days`,
        `sink ${bucketId} sends the audited services' logs to log bucket ${bucketId}`,
        `sink ${bucketId} is enabled`,
      ],
    );
    assert.equal(audit[3]!.found, "retentionDays 400, not locked");
  });

  it("names DATA_READ missing on Secret Manager, a 30-day bucket and a disabled sink", async () => {
    const policy = deployedPolicy("acme-finops-prod");
    policy.auditConfigs[0]!.auditLogConfigs = [{ logType: "ADMIN_READ" }];
    const bucketPath = "projects/acme-finops-prod/locations/europe-west1/buckets/costline-acme-audit";
    nockDeployedGcpAudit({
      policy: [200, policy],
      bucket: [200, { name: "x", retentionDays: 30, lifecycleState: "ACTIVE", locked: true }],
      sink: [
        200,
        {
          name: "costline-acme-audit",
          destination: `logging.googleapis.com/${bucketPath}`,
          disabled: true,
        },
      ],
    });
    const audit = await gcpAuditChecks(rest, tenant, SA);
    assert.deepEqual(failing(audit), [
      "project acme-finops-prod records ADMIN_READ and DATA_READ Data Access logs of secretmanager.googleapis.com for every caller",
      `log bucket costline-acme-audit in europe-west1 keeps audit logs 400 days`,
      "sink costline-acme-audit is enabled",
    ]);
    const [secrets, , , bucket] = audit;
    assert.equal(secrets!.found, "DATA_READ not enabled");
    assert.match(
      secrets!.fix,
      /^run pulumi up for this tenant \(components\/gcp\/audit-logging.ts sets the project's audit config of secretmanager.googleapis.com/,
    );
    assert.equal(bucket!.found, "retentionDays 30, locked");
    assert.equal(
      bucket!.fix,
      "the bucket is locked, so its retention stays 30 days: set audit.retentionDays to 30 in the tenant file",
    );
  });

  it("adds up allServices and a service's own config, and fails an exempted member", () => {
    const configs = [
      {
        service: "allServices",
        auditLogConfigs: [
          { logType: "DATA_READ", exemptedMembers: ["user:ci@acme.example"] },
          { logType: "DATA_WRITE" },
        ],
      },
      { service: "bigquery.googleapis.com", auditLogConfigs: [{ logType: "ADMIN_READ" }] },
    ];
    assert.deepEqual(auditConfigGaps(configs, "bigquery.googleapis.com"), [
      "DATA_READ exempts user:ci@acme.example",
    ]);
    assert.deepEqual(auditConfigGaps(configs, "storage.googleapis.com"), [
      "ADMIN_READ not enabled",
      "DATA_READ exempts user:ci@acme.example",
    ]);
    assert.deepEqual(
      auditConfigGaps(
        [{ service: "allServices", auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }] }],
        "storage.googleapis.com",
      ),
      [],
    );
  });

  it("fails an absent bucket with pulumi up, and a sink sending elsewhere", async () => {
    nockDeployedGcpAudit({
      bucket: [
        404,
        googleError(
          404,
          "NOT_FOUND",
          "Bucket `costline-acme-audit` does not exist in location europe-west1.",
        ),
      ],
      sink: [
        200,
        {
          name: "costline-acme-audit",
          destination: "logging.googleapis.com/projects/acme-finops-prod/locations/global/buckets/_Default",
        },
      ],
    });
    const audit = await gcpAuditChecks(rest, tenant, SA);
    const bucket = audit.find((a) => a.setting.startsWith("log bucket"))!;
    assert.equal(bucket.ok, false);
    assert.equal(
      bucket.found,
      "absent (404 NOT_FOUND: Bucket `costline-acme-audit` does not exist in location europe-west1.)",
    );
    assert.equal(
      bucket.fix,
      "run pulumi up for this tenant (components/gcp/audit-logging.ts sets the log bucket)",
    );
    const sink = audit.find((a) => a.setting.includes("sends"))!;
    assert.equal(sink.ok, false);
    assert.equal(
      sink.found,
      "destination logging.googleapis.com/projects/acme-finops-prod/locations/global/buckets/_Default",
    );
  });

  it("names the permission a 403 lacks, and stops on any other failure without a stack trace", async () => {
    nockDeployedGcpAudit({
      policy: [403, googleError(403, "PERMISSION_DENIED", "The caller does not have permission")],
      sink: [
        403,
        googleError(
          403,
          "PERMISSION_DENIED",
          "Permission 'logging.sinks.get' denied on resource (or it may not exist).",
        ),
      ],
    });
    const audit = await gcpAuditChecks(rest, tenant, SA);
    assert.deepEqual(
      audit.filter((a) => !a.ok).map((a) => a.fix),
      [
        `grant ${SA} resourcemanager.projects.getIamPolicy on project acme-finops-prod (roles/iam.securityReviewer has it), then verify again`,
        `grant ${SA} logging.sinks.get on project acme-finops-prod (roles/logging.viewer has it), then verify again`,
      ],
    );
    assert.equal(audit[0]!.found, "403 PERMISSION_DENIED: The caller does not have permission");

    nock("https://cloudresourcemanager.googleapis.com")
      .post(/getIamPolicy/)
      .reply(503, googleError(503, "UNAVAILABLE", "The service is currently unavailable."));
    await assert.rejects(gcpAuditChecks(rest, tenant, SA), (e: Error) => {
      assert.equal(
        e.message,
        "https://cloudresourcemanager.googleapis.com/v3/projects/acme-finops-prod:getIamPolicy answered 503 UNAVAILABLE: The service is currently unavailable.",
      );
      return true;
    });
  });
});
