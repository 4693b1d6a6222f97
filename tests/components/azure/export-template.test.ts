import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  EXPORT_API_VERSION,
  exportResource,
  exportTemplate,
} from "../../../components/azure/export-template";
import { BUILTIN_ROLES } from "../../../components/azure/roles";

const sdk = join(__dirname, "..", "..", "..", "node_modules", "@pulumi", "azure-native");

describe("Azure export template", () => {
  it("exists because the pinned SDK's Export lacks FocusCost and Parquet", () => {
    const exportDoc = readFileSync(join(sdk, "costmanagement", "export.d.ts"), "utf8");
    assert.match(exportDoc, /Uses Azure REST API version 2024-08-01\./);
    const enums = readFileSync(join(sdk, "types", "enums", "costmanagement", "index.d.ts"), "utf8");
    const block = (n: string) =>
      new RegExp(`export declare const ${n}: \\{([^}]*)\\}`).exec(enums)?.[1] ?? "";
    assert.match(block("ExportType"), /ActualCost/);
    assert.doesNotMatch(block("ExportType"), /FocusCost/);
    assert.match(block("FormatType"), /Csv/);
    assert.doesNotMatch(block("FormatType"), /Parquet/);
  });

  it("sends the exact export request body at API 2025-03-01", () => {
    assert.equal(EXPORT_API_VERSION, "2025-03-01");
    assert.deepEqual(exportResource("subscription"), {
      type: "Microsoft.CostManagement/exports",
      apiVersion: "2025-03-01",
      name: "[parameters('exportName')]",
      location: "[parameters('identityLocation')]",
      identity: { type: "SystemAssigned" },
      properties: {
        exportDescription: "Costline daily cost export, read by the tenant's normalization job",
        format: "Parquet",
        compressionMode: "snappy",
        partitionData: true,
        dataOverwriteBehavior: "OverwritePreviousReport",
        definition: {
          type: "[parameters('dataset')]",
          timeframe: "MonthToDate",
          dataSet: { granularity: "Daily" },
        },
        schedule: {
          status: "Active",
          recurrence: "Daily",
          recurrencePeriod: { from: "[variables('start')]", to: "[variables('end')]" },
        },
        deliveryInfo: {
          destination: {
            type: "AzureBlob",
            resourceId: "[parameters('storageAccountId')]",
            container: "[parameters('container')]",
            rootFolderPath: "[variables('rootFolderPath')]",
          },
        },
      },
    });
  });

  it("restricts the dataset to the three the tenant schema allows and starts tomorrow", () => {
    const t = exportTemplate("subscription", false) as {
      parameters: Record<string, { allowedValues?: string[]; defaultValue?: string }>;
      variables: Record<string, string>;
      outputs: Record<string, { value: string }>;
      $schema: string;
    };
    assert.deepEqual(t.parameters.dataset.allowedValues, ["FocusCost", "ActualCost", "AmortizedCost"]);
    assert.equal(t.parameters.startDate.defaultValue, "[utcNow('yyyy-MM-dd')]");
    assert.equal(t.variables.start, "[dateTimeAdd(concat(parameters('startDate'), 'T00:00:00Z'), 'P1D')]");
    assert.equal(t.variables.rootFolderPath, "[concat('subscriptions/', subscription().subscriptionId)]");
    assert.match(t.$schema, /subscriptionDeploymentTemplate/);
    assert.match(
      t.outputs.principalId.value,
      /reference\(variables\('exportId'\), '2025-03-01', 'full'\)\.identity\.principalId/,
    );
  });

  it("puts a billing-scope export at that scope from a tenant deployment", () => {
    const t = exportTemplate("billingScope", false) as {
      resources: Record<string, unknown>[];
      $schema: string;
    };
    assert.match(t.$schema, /tenantDeploymentTemplate/);
    assert.equal(t.resources[0].scope, "[parameters('billingScope')]");
    assert.equal(t.resources.length, 1);
  });

  it("adds the storage grant only when asked, as Storage Blob Data Contributor on the container", () => {
    assert.equal((exportTemplate("subscription", false) as { resources: unknown[] }).resources.length, 1);
    const t = exportTemplate("subscription", true) as { resources: Record<string, unknown>[] };
    const nested = t.resources[1] as {
      type: string;
      subscriptionId: string;
      resourceGroup: string;
      properties: { template: { resources: Record<string, unknown>[] } };
    };
    assert.equal(nested.type, "Microsoft.Resources/deployments");
    assert.equal(nested.subscriptionId, "[split(parameters('storageAccountId'), '/')[2]]");
    assert.equal(nested.resourceGroup, "[split(parameters('storageAccountId'), '/')[4]]");
    const [grant] = nested.properties.template.resources as {
      type: string;
      scope: string;
      properties: { roleDefinitionId: string; principalType: string };
    }[];
    assert.equal(grant.type, "Microsoft.Authorization/roleAssignments");
    assert.match(grant.scope, /\/blobServices\/default\/containers\/', parameters\('container'\)\)\]$/);
    assert.ok(grant.properties.roleDefinitionId.includes(BUILTIN_ROLES.storageBlobDataContributor));
    assert.equal(grant.properties.principalType, "ServicePrincipal");
    assert.throws(() => exportTemplate("billingScope", true), /only built into the subscription-scope/);
  });
});
