import assert from "node:assert/strict";
import { CostManagementClient } from "@azure/arm-costmanagement";
import nock from "nock";
import { EXPORTS_API_VERSION, exportsApi } from "../../../../runtime/jobs/azure/clients";
import { azureSettingsFromEnv, checkConnectionSecret } from "../../../../runtime/jobs/azure/config";
import { TIMER } from "../../../../runtime/jobs/azure/handler";

/** The app settings as components/azure/pipeline.ts writes them for a two-subscription tenant. */
const env = {
  COSTLINE_TENANT_ID: "acme",
  COSTLINE_PROVIDER: "azure",
  COSTLINE_SOURCE_FORMAT: "azure-focus",
  COSTLINE_EXPORT_DATASET: "FocusCost",
  COSTLINE_EXPORT_NAME: "costline-acme-focuscost",
  COSTLINE_EXPORT_SCOPES: JSON.stringify([
    "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
    "/subscriptions/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
  ]),
  COSTLINE_EXPORT_URL: "https://costlineacmedata.blob.core.windows.net/exports",
  COSTLINE_OUTPUT_URL: "https://costlineacmedata.blob.core.windows.net/normalized",
  COSTLINE_REPORTING_CURRENCY: "EUR",
  COSTLINE_CONNECTION_SECRET_URI:
    "https://costline-acme.vault.azure.net/secrets/tenant-acme-azure-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
  AZURE_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
};

describe("Azure job entry point", () => {
  it("reads the app settings the component writes", () => {
    const s = azureSettingsFromEnv(env);
    assert.equal(s.config.exportContainer, "exports");
    assert.deepEqual(s.config.exportScopes.length, 2);
    assert.equal(s.vaultUrl, "https://costline-acme.vault.azure.net");
    assert.equal(s.secretName, "tenant-acme-azure-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");
    assert.equal(s.config.maxExportAgeHours, 36);
  });

  it("reads the FOCUS version the app settings name, and refuses another", () => {
    assert.equal(azureSettingsFromEnv({ ...env, COSTLINE_FOCUS_VERSION: "1.3" }).config.focusVersion, "1.3");
    assert.equal(azureSettingsFromEnv(env).config.focusVersion, undefined);
    assert.throws(
      () => azureSettingsFromEnv({ ...env, COSTLINE_FOCUS_VERSION: "1.4" }),
      /COSTLINE_FOCUS_VERSION must be 1\.2 or 1\.3/,
    );
  });

  it("names every wrong or missing setting", () => {
    const { COSTLINE_EXPORT_NAME: _, ...partial } = env;
    assert.throws(
      () =>
        azureSettingsFromEnv({
          ...partial,
          COSTLINE_SOURCE_FORMAT: "aws-cur2",
          COSTLINE_OUTPUT_URL: "normalized",
        }),
      (e: Error) =>
        /COSTLINE_EXPORT_NAME is not set/.test(e.message) &&
        /COSTLINE_SOURCE_FORMAT must be azure-focus or azure-cost-details/.test(e.message) &&
        /COSTLINE_OUTPUT_URL must be a container URL/.test(e.message),
    );
    assert.throws(
      () => azureSettingsFromEnv({ ...env, COSTLINE_EXPORT_SCOPES: "subscriptions/x" }),
      /JSON array of ARM scopes/,
    );
  });

  it("refuses a connection secret that points elsewhere than the settings", () => {
    const s = azureSettingsFromEnv(env);
    const secret = {
      tenantId: "acme",
      provider: "azure",
      directoryTenantId: "7f3c1e2a-4b5d-4c6e-8f90-a1b2c3d4e5f6",
      subscriptionIds: ["0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"],
      billingScope: null,
      exportDataset: "FocusCost",
      exportUrl: env.COSTLINE_EXPORT_URL,
      outputUrl: env.COSTLINE_OUTPUT_URL,
      jobClientId: "3f2c1e2a-4b5d-4c6e-8f90-a1b2c3d4e5f6",
    };
    assert.doesNotThrow(() => checkConnectionSecret(secret, s));
    const { jobClientId: _, ...withoutClient } = secret;
    assert.throws(
      () => checkConnectionSecret({ ...withoutClient, provider: "aws" }, s),
      /is not the connection document the stack writes \(provider: .*; jobClientId: .*\); run pulumi up/,
    );
    assert.throws(
      () =>
        checkConnectionSecret({ ...secret, outputUrl: "https://other.blob.core.windows.net/normalized" }, s),
      /outputUrl: secret "https:\/\/other.*", settings .*; run pulumi up/,
    );
  });

  it("fires on the schedule setting the Functions component writes", () => {
    assert.equal(TIMER.schedule, "%COSTLINE_SCHEDULE%");
  });

  it("calls Cost Management at the export's API version with the scope's leading slash removed", async () => {
    nock.disableNetConnect();
    try {
      const scope = "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d";
      const base = `${scope}/providers/Microsoft.CostManagement/exports/costline-acme-focuscost`;
      const run = nock("https://management.azure.com")
        .post(`${base}/run`)
        .query({ "api-version": EXPORTS_API_VERSION })
        .reply(200);
      const credential = {
        getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }),
      };
      await exportsApi(new CostManagementClient(credential, { apiVersion: EXPORTS_API_VERSION })).execute(
        scope,
        "costline-acme-focuscost",
      );
      assert.ok(run.isDone());
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });
});
