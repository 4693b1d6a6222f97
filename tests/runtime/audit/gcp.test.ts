import assert from "node:assert/strict";
import nock from "nock";
import { auditGcp } from "../../../runtime/audit/gcp";
import { AuditAccessDenied, auditWindow } from "../../../runtime/audit/types";
import { accessSecret, JOB_SA, PROJECT, READER_SA, tableDataRead } from "../../fixtures/audit/cloud-logging";
import { exampleTenant } from "../../helpers/tenants";

const WINDOW = auditWindow(30, new Date("2026-12-01T12:00:00Z"));
const TOKEN = "ya29.a0-test-access-token";
const client = { token: async () => TOKEN };
const VIEW = `projects/${PROJECT}/locations/europe-west1/buckets/costline-acme-audit/views/_AllLogs`;
const PLATFORM =
  "principal://iam.googleapis.com/projects/412345678901/locations/global/workloadIdentityPools/costline-acme/subject/arn:aws:sts::999988887777:assumed-role/costline-platform/collect";

interface ListBody {
  resourceNames: string[];
  filter: string;
  pageToken?: string;
}

/** entries:list answering with `pages` in turn, each request's body kept. */
function logging(pages: unknown[]) {
  const bodies: ListBody[] = [];
  const scope = nock("https://logging.googleapis.com", { reqheaders: { authorization: `Bearer ${TOKEN}` } });
  for (const page of pages) {
    scope.post("/v2/entries:list").reply(200, (_uri, body) => {
      bodies.push(body as ListBody);
      return page;
    });
  }
  return bodies;
}

describe("auditGcp", () => {
  before(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());

  it("counts the job's and the platform's reads as expected, across pages, from the stack's log bucket", async () => {
    const bodies = logging([
      {
        entries: [
          accessSecret({ principal: JOB_SA, time: "2026-11-30T06:00:01.123456Z" }),
          tableDataRead(
            { principal: JOB_SA, time: "2026-11-30T06:00:09Z" },
            "costline_acme_billing_export",
            "gcp_billing_export_v1_01A2B3",
          ),
        ],
        nextPageToken: "EAA46gEPCg0iC2Fi",
      },
      {
        entries: [
          accessSecret({ principal: JOB_SA, time: "2026-12-01T06:00:01Z" }),
          tableDataRead(
            { principal: READER_SA, time: "2026-12-01T08:00:00Z", delegatedFrom: PLATFORM },
            "costline_acme_normalized",
            "focus_cost",
          ),
        ],
      },
    ]);
    const report = await auditGcp(client, exampleTenant(), WINDOW);
    assert.deepEqual(
      report.entries.map((e) => [e.expected, e.principal, e.action.split(".").pop(), e.resource, e.count]),
      [
        [true, JOB_SA, "InsertJob", "datasets/costline_acme_billing_export", 1],
        [true, JOB_SA, "AccessSecretVersion", "secrets/tenant-acme-gcp-acme-finops-prod", 2],
        [true, READER_SA, "InsertJob", "datasets/costline_acme_normalized", 1],
      ],
    );
    assert.match(report.entries[2]!.why, /platform/);
    assert.equal(bodies.length, 2);
    assert.equal(bodies[1]!.pageToken, "EAA46gEPCg0iC2Fi");
    const { resourceNames, filter } = bodies[0]!;
    assert.deepEqual(resourceNames, [VIEW]);
    for (const part of [
      `"projects/${PROJECT}/logs/cloudaudit.googleapis.com%2Fdata_access"`,
      `"projects/${PROJECT}/logs/cloudaudit.googleapis.com%2Factivity"`,
      `protoPayload.serviceName=("secretmanager.googleapis.com" OR "bigquery.googleapis.com" OR "storage.googleapis.com")`,
      `protoPayload.resourceName:"secrets/tenant-acme-gcp-acme-finops-prod"`,
      `protoPayload.resourceName:"datasets/costline_acme_normalized"`,
      `timestamp>="${WINDOW.since.toISOString()}"`,
    ]) {
      assert.ok(filter.includes(part), `filter has ${part}: ${filter}`);
    }
  });

  it("flags any other reader, and a denied attempt, first", async () => {
    logging([
      {
        entries: [
          accessSecret({ principal: JOB_SA, time: "2026-11-30T06:00:01Z" }),
          tableDataRead(
            { principal: "dana@acme.example", time: "2026-11-30T21:00:00Z" },
            "costline_acme_normalized",
            "focus_cost",
          ),
          accessSecret({ principal: "dana@acme.example", time: "2026-11-30T21:02:00Z", denied: true }),
          // A dataset named alike is not the tenant's.
          tableDataRead(
            { principal: "dana@acme.example", time: "2026-11-30T21:03:00Z" },
            "costline_acme_normalized_copy",
            "t",
          ),
        ],
      },
    ]);
    const report = await auditGcp(client, exampleTenant(), WINDOW);
    assert.deepEqual(
      report.entries.map((e) => [e.expected, e.principal, e.action.split(".").pop(), e.resource]),
      [
        [false, "dana@acme.example", "InsertJob", "datasets/costline_acme_normalized"],
        [
          false,
          "dana@acme.example",
          "AccessSecretVersion (denied)",
          "secrets/tenant-acme-gcp-acme-finops-prod",
        ],
        [true, JOB_SA, "AccessSecretVersion", "secrets/tenant-acme-gcp-acme-finops-prod"],
      ],
    );
  });

  it("reports an empty window as no entries", async () => {
    logging([{}]);
    const report = await auditGcp(client, exampleTenant(), WINDOW);
    assert.deepEqual(report.entries, []);
  });

  it("names the roles to grant when Cloud Logging refuses, without the token", async () => {
    nock("https://logging.googleapis.com")
      .post("/v2/entries:list")
      .reply(403, {
        error: { code: 403, message: "The caller does not have permission", status: "PERMISSION_DENIED" },
      });
    await assert.rejects(auditGcp(client, exampleTenant(), WINDOW), (e: Error) => {
      assert.ok(e instanceof AuditAccessDenied);
      assert.match(e.message, /roles\/logging\.privateLogViewer/);
      assert.match(e.message, /logging\.logEntries\.list/);
      assert.ok(!e.message.includes(TOKEN));
      return true;
    });
  });
});
