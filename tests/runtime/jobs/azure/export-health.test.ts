import assert from "node:assert/strict";
import { CostManagementClient } from "@azure/arm-costmanagement";
import nock from "nock";
import { checkExport, type ExportExpectation } from "../../../../runtime/jobs/azure/export-health";

const SCOPE = "subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
const NAME = "costline-acme-focus";
const API = "2023-07-01-preview";
const BASE = `/${SCOPE}/providers/Microsoft.CostManagement/exports/${NAME}`;
const credential = {
  getToken: async () => ({ token: "fake-token-for-nock", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const want: ExportExpectation = {
  scope: SCOPE,
  exportName: NAME,
  dataset: "FocusCost",
  container: "exports",
  maxAgeHours: 30,
};
const now = new Date("2026-11-24T08:00:00Z");

const exportBody = (type = "FocusCost", container = "exports") => ({
  id: `${BASE}`,
  name: NAME,
  properties: {
    format: "Parquet",
    definition: { type, timeframe: "MonthToDate" },
    deliveryInfo: { destination: { type: "AzureBlob", container, rootFolderPath: "focus" } },
  },
});
const run = (status: string, end: string) => ({
  properties: { status, processingEndTime: end, submittedTime: end },
});

function client() {
  return new CostManagementClient(credential, { apiVersion: API }).exports;
}

describe("Azure export health (Cost Management REST, recorded with nock)", () => {
  before(() => nock.disableNetConnect());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  afterEach(() => assert.ok(nock.isDone(), `unused interceptors: ${nock.pendingMocks().join(", ")}`));

  it("passes a fresh, correctly defined export without triggering a run", async () => {
    nock("https://management.azure.com").get(BASE).query({ "api-version": API }).reply(200, exportBody());
    nock("https://management.azure.com")
      .get(`${BASE}/runHistory`)
      .query({ "api-version": API })
      .reply(200, {
        value: [run("Completed", "2026-11-24T02:00:00Z"), run("Failed", "2026-11-23T02:00:00Z")],
      });
    const health = await checkExport(client(), want, now);
    assert.deepEqual(health.problems, []);
    assert.equal(health.lastSuccess, "2026-11-24T02:00:00.000Z");
    assert.equal(health.triggered, false);
  });

  it("triggers a run when the last success is older than the allowed lag, and says so", async () => {
    nock("https://management.azure.com").get(BASE).query({ "api-version": API }).reply(200, exportBody());
    nock("https://management.azure.com")
      .get(`${BASE}/runHistory`)
      .query({ "api-version": API })
      .reply(200, { value: [run("Completed", "2026-11-21T02:00:00Z")] });
    const execute = nock("https://management.azure.com")
      .post(`${BASE}/run`)
      .query({ "api-version": API })
      .reply(200);
    const health = await checkExport(client(), want, now);
    assert.ok(execute.isDone(), "a run was requested");
    assert.equal(health.triggered, true);
    assert.match(health.problems[0], /last succeeded 78 h ago \(over 30 h\); a run was triggered/);
  });

  it("reports a definition changed outside Pulumi", async () => {
    nock("https://management.azure.com")
      .get(BASE)
      .query({ "api-version": API })
      .reply(200, exportBody("ActualCost", "other"));
    nock("https://management.azure.com")
      .get(`${BASE}/runHistory`)
      .query({ "api-version": API })
      .reply(200, { value: [run("Completed", "2026-11-24T01:00:00Z")] });
    const health = await checkExport(client(), want, now);
    assert.deepEqual(health.problems, [
      `export ${NAME} produces ActualCost, not FocusCost; it was changed outside Pulumi`,
      `export ${NAME} delivers to container other, not exports`,
    ]);
  });

  it("explains a missing export and a missing permission", async () => {
    nock("https://management.azure.com")
      .get(BASE)
      .query({ "api-version": API })
      .reply(404, { error: { code: "NotFound", message: "not found" } });
    assert.match((await checkExport(client(), want, now)).problems[0], /does not exist .*run pulumi up/);
    nock("https://management.azure.com")
      .get(BASE)
      .query({ "api-version": API })
      .reply(403, { error: { code: "AuthorizationFailed", message: "no" } });
    assert.match((await checkExport(client(), want, now)).problems[0], /grant it Cost Management Reader/);
  });
});
