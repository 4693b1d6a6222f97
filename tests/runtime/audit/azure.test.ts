import assert from "node:assert/strict";
import nock from "nock";
import { ARM_SCOPE, auditAzure, LOG_ANALYTICS_SCOPE } from "../../../runtime/audit/azure";
import { AuditAccessDenied, auditWindow } from "../../../runtime/audit/types";
import {
  CUSTOMER_ID,
  IDENTITY_ID,
  JOB_PRINCIPAL,
  jobIdentity,
  PLATFORM_PRINCIPAL,
  queryResult,
  type Row,
  WORKSPACE_ID,
  workspace,
} from "../../fixtures/audit/log-analytics";
import { exampleTenant } from "../../helpers/tenants";

const WINDOW = auditWindow(30, new Date("2026-12-01T12:00:00Z"));
const TOKENS: Record<string, string> = {
  [ARM_SCOPE]: "eyJ0eXAi.arm-token",
  [LOG_ANALYTICS_SCOPE]: "eyJ0eXAi.la-token",
};
const client = { token: async (scope: string) => TOKENS[scope]! };
const SECRET = "costline-acme/tenant-acme-azure-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";

const tenant = () => {
  const t = exampleTenant();
  t.azure!.platformPrincipalId = PLATFORM_PRINCIPAL;
  return t;
};

/** ARM with the workspace and the job identity, and the query API answering `rows`; the query's body kept. */
function azure(rows: Row[]) {
  const bodies: { query: string; timespan: string }[] = [];
  const arm = nock("https://management.azure.com", {
    reqheaders: { authorization: `Bearer ${TOKENS[ARM_SCOPE]}` },
  });
  arm.get(WORKSPACE_ID).query({ "api-version": "2022-10-01" }).reply(200, workspace);
  arm.get(IDENTITY_ID).query({ "api-version": "2023-01-31" }).reply(200, jobIdentity);
  nock("https://api.loganalytics.io", {
    reqheaders: { authorization: `Bearer ${TOKENS[LOG_ANALYTICS_SCOPE]}` },
  })
    .post(`/v1/workspaces/${CUSTOMER_ID}/query`)
    .reply(200, (_uri, body) => {
      bodies.push(body as { query: string; timespan: string });
      return queryResult(rows);
    });
  return bodies;
}

describe("auditAzure", () => {
  before(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  after(() => nock.enableNetConnect());

  it("counts the job's, the platform's and the exports' access as expected, queried over both audit tables", async () => {
    const bodies = azure([
      [JOB_PRINCIPAL, "", "SecretGet", SECRET, false, 30, "2026-11-02T06:00:03Z", "2026-12-01T06:00:02Z"],
      [
        JOB_PRINCIPAL,
        "OAuth",
        "GetBlob",
        "costlineacmedata/exports",
        false,
        120,
        "2026-11-02T06:00:10Z",
        "2026-12-01T06:01:00Z",
      ],
      [
        PLATFORM_PRINCIPAL,
        "OAuth",
        "GetBlob",
        "costlineacmedata/normalized",
        false,
        4,
        "2026-11-20T08:00:00Z",
        "2026-12-01T08:00:00Z",
      ],
      [
        "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        "OAuth",
        "PutBlob",
        "costlineacmedata/exports",
        false,
        31,
        "2026-11-02T01:00:00Z",
        "2026-12-01T01:00:00Z",
      ],
    ]);
    const report = await auditAzure(client, tenant(), WINDOW);
    assert.ok(
      report.entries.every((e) => e.expected),
      JSON.stringify(report.entries),
    );
    const secret = report.entries.find((e) => e.action === "SecretGet")!;
    assert.deepEqual(
      [secret.count, secret.first, secret.last, secret.why],
      [30, "2026-11-02T06:00:03.000Z", "2026-12-01T06:00:02.000Z", "the job's managed identity"],
    );
    const { query, timespan } = bodies[0]!;
    assert.equal(timespan, `${WINDOW.since.toISOString()}/${WINDOW.until.toISOString()}`);
    for (const part of [
      "union isfuzzy=true",
      'Category == "AuditEvent" and Resource =~ "costline-acme"',
      '"/secrets/tenant-acme-azure-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"',
      "StorageBlobLogs",
      'AccountName == "costlineacmedata"',
      "RequesterObjectId",
    ]) {
      assert.ok(query.includes(part), `query has ${part}:\n${query}`);
    }
  });

  it("flags an unknown principal and an account-key read, first", async () => {
    azure([
      [JOB_PRINCIPAL, "", "SecretGet", SECRET, false, 30, "2026-11-02T06:00:03Z", "2026-12-01T06:00:02Z"],
      [
        "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
        "",
        "SecretGet",
        SECRET,
        true,
        2,
        "2026-11-28T22:00:00Z",
        "2026-11-28T22:01:00Z",
      ],
      [
        "",
        "AccountKey",
        "GetBlob",
        "costlineacmedata/normalized",
        false,
        7,
        "2026-11-29T10:00:00Z",
        "2026-11-29T10:05:00Z",
      ],
    ]);
    const report = await auditAzure(client, tenant(), WINDOW);
    assert.deepEqual(
      report.entries.map((e) => [e.expected, e.principal, e.action]),
      [
        [false, "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", "SecretGet (denied)"],
        [false, "AccountKey", "GetBlob"],
        [true, JOB_PRINCIPAL, "SecretGet"],
      ],
    );
  });

  it("reports an empty window as no entries", async () => {
    azure([]);
    assert.deepEqual((await auditAzure(client, tenant(), WINDOW)).entries, []);
  });

  it("names Log Analytics Reader when the query is refused, and the ARM read when ARM refuses, without tokens", async () => {
    const arm = nock("https://management.azure.com");
    arm.get(WORKSPACE_ID).query(true).reply(200, workspace);
    arm.get(IDENTITY_ID).query(true).reply(200, jobIdentity);
    nock("https://api.loganalytics.io")
      .post(`/v1/workspaces/${CUSTOMER_ID}/query`)
      .reply(403, {
        error: {
          message: "The provided credentials have insufficient access to perform the requested operation",
          code: "InsufficientAccessError",
        },
      });
    const noTokens = (e: Error) => Object.values(TOKENS).every((t) => !e.message.includes(t));
    await assert.rejects(auditAzure(client, tenant(), WINDOW), (e: Error) => {
      assert.ok(e instanceof AuditAccessDenied);
      assert.match(e.message, /Log Analytics Reader on the workspace/);
      return noTokens(e);
    });
    nock("https://management.azure.com")
      .get(WORKSPACE_ID)
      .query(true)
      .reply(403, {
        error: {
          code: "AuthorizationFailed",
          message: `The client 'ci' does not have authorization to perform action 'Microsoft.OperationalInsights/workspaces/read' over scope '${WORKSPACE_ID}'`,
        },
      });
    await assert.rejects(auditAzure(client, tenant(), WINDOW), (e: Error) => {
      assert.ok(e instanceof AuditAccessDenied);
      assert.ok(e.message.includes(WORKSPACE_ID));
      return noTokens(e);
    });
  });

  it("says to deploy the stack when the workspace does not exist", async () => {
    nock("https://management.azure.com")
      .get(WORKSPACE_ID)
      .query(true)
      .reply(404, { error: { code: "ResourceNotFound", message: "not found" } });
    await assert.rejects(
      auditAzure(client, tenant(), WINDOW),
      /does not exist: deploy the tenant's Azure stack/,
    );
  });
});
