import assert from "node:assert/strict";
import { join } from "node:path";
import nock from "nock";
import { azureAuditChecks, missingCategories } from "../../../../runtime/jobs/verify/azure-audit";
import { bearerRest } from "../../../../runtime/jobs/verify/rest";
import { loadTenantFile } from "../../../../stacks/tenant/load";
import { armDenied, deployedSetting, nockDeployedAzureAudit } from "../../../helpers/azure-audit-rest";

const tenant = loadTenantFile(
  join(__dirname, "..", "..", "..", "..", "examples", "tenants", "acme-all.yaml"),
);
const rest = bearerRest(async () => "arm-token");
const failing = (audit: Array<{ setting: string; ok: boolean }>) =>
  audit.filter((a) => !a.ok).map((a) => a.setting);

describe("costline verify: the Azure audit logging read back (nock)", () => {
  before(() => nock.disableNetConnect());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  afterEach(() => assert.ok(nock.isDone(), `unused interceptors: ${nock.pendingMocks().join(", ")}`));

  it("passes the diagnostic settings and workspace the stack deploys", async () => {
    nockDeployedAzureAudit(tenant);
    const audit = await azureAuditChecks(rest, tenant, "client job");
    assert.deepEqual(failing(audit), []);
    assert.deepEqual(
      audit.map((a) => a.setting),
      [
        "diagnostic setting costline-acme-audit of Key Vault costline-acme sends its logs to workspace costline-acme-logs",
        "diagnostic setting costline-acme-audit of Key Vault costline-acme records AuditEvent",
        "diagnostic setting costline-acme-audit of the blob service of costlineacmedata sends its logs to workspace costline-acme-logs",
        "diagnostic setting costline-acme-audit of the blob service of costlineacmedata records StorageRead, StorageWrite, StorageDelete",
        "workspace costline-acme-logs keeps logs 400 days",
      ],
    );
  });

  it("names an absent vault setting, a blob setting without reads and a 30-day workspace", async () => {
    const blob = deployedSetting(tenant, "blob");
    blob.properties.logs = blob.properties.logs.filter((l) => l.category !== "StorageRead");
    const ids = nockDeployedAzureAudit(tenant, {
      vault: [
        404,
        { code: "ResourceNotFound", message: "The diagnostic setting 'costline-acme-audit' doesn't exist." },
      ],
      blob: [200, blob],
      workspace: [
        200,
        { name: "costline-acme-logs", properties: { retentionInDays: 30, provisioningState: "Succeeded" } },
      ],
    });
    const audit = await azureAuditChecks(rest, tenant, "client job");
    assert.deepEqual(
      audit.filter((a) => !a.ok).map((a) => [a.setting.split(" of ").pop(), a.found, a.fix]),
      [
        [
          "Key Vault costline-acme sends its logs to workspace costline-acme-logs",
          "absent (404 ResourceNotFound: The diagnostic setting 'costline-acme-audit' doesn't exist.)",
          "run pulumi up for this tenant (components/azure/audit-logging.ts and job.ts set the diagnostic setting)",
        ],
        [
          "costlineacmedata records StorageRead, StorageWrite, StorageDelete",
          "StorageRead not enabled",
          "run pulumi up for this tenant (components/azure/audit-logging.ts and job.ts set the setting's logs StorageRead, StorageWrite, StorageDelete, each enabled)",
        ],
        [
          "workspace costline-acme-logs keeps logs 400 days",
          "retentionInDays 30",
          "run pulumi up for this tenant (components/azure/audit-logging.ts and job.ts set retentionInDays from audit.retentionDays)",
        ],
      ],
    );
    assert.match(
      ids.vault,
      /\/resourceGroups\/costline-acme\/providers\/Microsoft\.KeyVault\/vaults\/costline-acme$/,
    );
  });

  it("fails a setting that sends the vault's events to another workspace", async () => {
    const vault = deployedSetting(tenant, "vault");
    const elsewhere =
      "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/shared-monitoring/providers/Microsoft.OperationalInsights/workspaces/central-logs";
    vault.properties.workspaceId = elsewhere;
    nockDeployedAzureAudit(tenant, { vault: [200, vault] });
    const audit = await azureAuditChecks(rest, tenant, "client job");
    assert.deepEqual(
      audit.filter((a) => !a.ok).map((a) => [a.setting, a.found]),
      [
        [
          "diagnostic setting costline-acme-audit of Key Vault costline-acme sends its logs to workspace costline-acme-logs",
          `workspaceId ${elsewhere}`,
        ],
      ],
    );
  });

  it("counts an enabled category group that carries the categories, and only such a group", () => {
    const logs = (categoryGroup: string) => ({
      properties: { logs: [{ category: null, categoryGroup, enabled: true }] },
    });
    assert.deepEqual(missingCategories(logs("audit"), "vault"), []);
    assert.deepEqual(missingCategories(logs("allLogs"), "blob"), []);
    assert.deepEqual(missingCategories(logs("audit"), "blob"), [
      "StorageRead",
      "StorageWrite",
      "StorageDelete",
    ]);
    assert.deepEqual(
      missingCategories({ properties: { logs: [{ category: "AuditEvent", enabled: false }] } }, "vault"),
      ["AuditEvent"],
      "listed but disabled",
    );
  });

  it("names the permission a 403 lacks, with the scope", async () => {
    const ids = nockDeployedAzureAudit(tenant, {
      vault: armDenied("Microsoft.Insights/diagnosticSettings/read", "x"),
    });
    const audit = await azureAuditChecks(rest, tenant, "client job");
    const vault = audit.find((a) => !a.ok)!;
    assert.match(
      vault.found,
      /^403 AuthorizationFailed: The client .* does not have authorization to perform action 'Microsoft.Insights\/diagnosticSettings\/read'/,
    );
    assert.equal(
      vault.fix,
      `grant client job Microsoft.Insights/diagnosticSettings/read on ${ids.vault} (Monitoring Reader has it), then verify again`,
    );
    assert.deepEqual(failing(audit), [audit[0]!.setting], "the other reads still run");
  });
});
