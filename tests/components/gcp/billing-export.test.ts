import assert from "node:assert/strict";
import { billingExportSetup, exportTableName } from "../../../components/gcp/billing-export";

describe("gcp: billing export setup", () => {
  const base = {
    projectId: "acme-finops-prod",
    datasetId: "costline_acme_billing_export",
    billingAccountIds: ["01ABCD-23EF45-67ABCD", "0AAAAA-BBBBBB-CCCCCC"],
    exportTypes: ["standard", "detailed"] as const,
  };

  it("names the tables Cloud Billing creates", () => {
    assert.equal(
      exportTableName("01ABCD-23EF45-67ABCD", "standard"),
      "gcp_billing_export_v1_01ABCD_23EF45_67ABCD",
    );
    assert.equal(
      exportTableName("01ABCD-23EF45-67ABCD", "detailed"),
      "gcp_billing_export_resource_v1_01ABCD_23EF45_67ABCD",
    );
  });

  it("gives each billing account its console page, the exact project and dataset per export type, and the tables to expect", () => {
    const setup = billingExportSetup(base);
    assert.deepEqual(
      setup.map((s) => s.billingAccountId),
      base.billingAccountIds,
    );
    const [first] = setup;
    assert.equal(first.consoleUrl, "https://console.cloud.google.com/billing/01ABCD-23EF45-67ABCD/export");
    assert.match(
      first.steps[0],
      /open https:\/\/console\.cloud\.google\.com\/billing\/01ABCD-23EF45-67ABCD\/export/,
    );
    assert.match(
      first.steps[1],
      /"Standard usage cost".*project acme-finops-prod and dataset costline_acme_billing_export/,
    );
    assert.match(
      first.steps[2],
      /"Detailed usage cost".*project acme-finops-prod and dataset costline_acme_billing_export/,
    );
    assert.deepEqual(first.expectedTables, [
      "gcp_billing_export_v1_01ABCD_23EF45_67ABCD",
      "gcp_billing_export_resource_v1_01ABCD_23EF45_67ABCD",
    ]);
    assert.deepEqual(setup[1].expectedTables, [
      "gcp_billing_export_v1_0AAAAA_BBBBBB_CCCCCC",
      "gcp_billing_export_resource_v1_0AAAAA_BBBBBB_CCCCCC",
    ]);
  });

  it("asks only for the configured export types", () => {
    const [only] = billingExportSetup({
      ...base,
      billingAccountIds: ["01ABCD-23EF45-67ABCD"],
      exportTypes: ["standard"],
    });
    assert.ok(!only.steps.some((s) => s.includes("Detailed usage cost")));
    assert.deepEqual(only.expectedTables, ["gcp_billing_export_v1_01ABCD_23EF45_67ABCD"]);
  });

  it("puts the key grant first when the datasets use a customer-managed key", () => {
    const key = "projects/kms-proj/locations/europe/keyRings/r/cryptoKeys/k";
    const [first] = billingExportSetup({ ...base, kmsKeyName: key });
    assert.match(first.steps[0], /roles\/cloudkms\.cryptoKeyEncrypterDecrypter on projects\/kms-proj/);
    assert.match(first.steps[0], /bq show --encryption_service_account --project_id=acme-finops-prod/);
  });
});
