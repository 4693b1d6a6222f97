import { BUILTIN_ROLES } from "./roles";

/**
 * The Cost Management export, as an ARM template.
 *
 * Why a template and not `costmanagement.Export`: the pinned SDK (@pulumi/azure-native 3.28.0)
 * builds `costmanagement.Export` on API 2024-08-01, whose types know only the dataset types
 * Usage/ActualCost/AmortizedCost (`ExportType`) and the format Csv (`FormatType`), and have no
 * compressionMode, dataOverwriteBehavior or delivery type. API 2025-03-01 has FocusCost, Parquet,
 * snappy compression and overwrite; the SDK reaches it only through a locally generated package
 * (`pulumi package add`, which needs the CLI). An ARM deployment (`resources.DeploymentAtScope`)
 * lets ARM itself PUT the export at 2025-03-01, at any subscription scope, without a provider
 * per subscription; and Azure Policy deploys the very same template, so both paths make
 * identical exports that the policy's existence check recognises by name.
 *
 * Trade-off: deleting an ARM deployment record does not delete what it deployed, so
 * `pulumi destroy` leaves the export in place (delete it with `az costmanagement export delete`).
 */
export const EXPORT_API_VERSION = "2025-03-01";

/** Datasets a tenant may export; the same enum as `azure.exportDataset` in TenantConfig. */
export const EXPORT_DATASETS = ["FocusCost", "ActualCost", "AmortizedCost"] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

/** Where the template deploys: into the subscription it is deployed at, or at a billing scope from the tenant root. */
export type ExportTarget = "subscription" | "billingScope";

const SCHEMA = {
  subscription: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  billingScope: "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#",
  resourceGroup: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
};

/** The export's request body, with ARM expressions for the per-deployment values. */
export function exportResource(target: ExportTarget): Record<string, unknown> {
  return {
    type: "Microsoft.CostManagement/exports",
    apiVersion: EXPORT_API_VERSION,
    name: "[parameters('exportName')]",
    ...(target === "billingScope" ? { scope: "[parameters('billingScope')]" } : {}),
    // The export writes with its own system-assigned identity; its location is where that identity lives.
    location: "[parameters('identityLocation')]",
    identity: { type: "SystemAssigned" },
    properties: {
      exportDescription: "Costline daily cost export, read by the tenant's normalization job",
      format: "Parquet",
      compressionMode: "snappy",
      // Partitioned output comes with a manifest listing every blob of a run, which the job reads.
      partitionData: true,
      // Each daily month-to-date run replaces the month's previous one, so the job never sums
      // two snapshots of the same month.
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
  };
}

/**
 * The whole template. `grantStorage` adds a nested deployment into the storage account's resource
 * group that gives the new export identity Storage Blob Data Contributor on the exports container:
 * Azure Policy needs it (export identities it creates are unknown beforehand); when Pulumi deploys
 * the template it grants that role itself from the `principalId` output instead.
 */
export function exportTemplate(target: ExportTarget, grantStorage: boolean): Record<string, unknown> {
  if (grantStorage && target !== "subscription") {
    throw new Error("the storage grant is only built into the subscription-scope export template");
  }
  const parameters: Record<string, unknown> = {
    exportName: { type: "string", maxLength: 64 },
    dataset: { type: "string", allowedValues: [...EXPORT_DATASETS] },
    storageAccountId: { type: "string" },
    container: { type: "string" },
    identityLocation: { type: "string" },
    // utcNow is only allowed as a default value; the schedule must start in the future, so tomorrow.
    startDate: { type: "string", defaultValue: "[utcNow('yyyy-MM-dd')]" },
    ...(target === "billingScope" ? { billingScope: { type: "string" } } : {}),
  };
  const exportScope = target === "billingScope" ? "[parameters('billingScope')]" : "[subscription().id]";
  const variables = {
    start: "[dateTimeAdd(concat(parameters('startDate'), 'T00:00:00Z'), 'P1D')]",
    end: "[dateTimeAdd(concat(parameters('startDate'), 'T00:00:00Z'), 'P10Y')]",
    exportId: `[extensionResourceId(${exportScope.slice(1, -1)}, 'Microsoft.CostManagement/exports', parameters('exportName'))]`,
    rootFolderPath:
      target === "billingScope"
        ? "[replace(substring(parameters('billingScope'), 1), 'providers/Microsoft.Billing/', '')]"
        : "[concat('subscriptions/', subscription().subscriptionId)]",
  };
  const resources: unknown[] = [exportResource(target)];
  if (grantStorage) resources.push(storageGrant());
  return {
    $schema: SCHEMA[target],
    contentVersion: "1.0.0.0",
    parameters,
    variables,
    resources,
    outputs: {
      exportId: { type: "string", value: "[variables('exportId')]" },
      principalId: {
        type: "string",
        value: `[reference(variables('exportId'), '${EXPORT_API_VERSION}', 'full').identity.principalId]`,
      },
    },
  };
}

/** The nested deployment that lets a policy-made export write to the exports container, and nowhere else. */
function storageGrant(): Record<string, unknown> {
  const idPart = (i: number) => `[split(parameters('storageAccountId'), '/')[${i}]]`;
  return {
    type: "Microsoft.Resources/deployments",
    apiVersion: "2022-09-01",
    name: "[concat('costline-grant-', uniqueString(variables('exportId')))]",
    subscriptionId: idPart(2),
    resourceGroup: idPart(4),
    dependsOn: ["[variables('exportId')]"],
    properties: {
      mode: "Incremental",
      expressionEvaluationOptions: { scope: "inner" },
      parameters: {
        principalId: {
          value: `[reference(variables('exportId'), '${EXPORT_API_VERSION}', 'full').identity.principalId]`,
        },
        accountName: { value: idPart(8) },
        container: { value: "[parameters('container')]" },
      },
      template: {
        $schema: SCHEMA.resourceGroup,
        contentVersion: "1.0.0.0",
        parameters: {
          principalId: { type: "string" },
          accountName: { type: "string" },
          container: { type: "string" },
        },
        resources: [
          {
            type: "Microsoft.Authorization/roleAssignments",
            apiVersion: "2022-04-01",
            scope:
              "[concat('Microsoft.Storage/storageAccounts/', parameters('accountName'), '/blobServices/default/containers/', parameters('container'))]",
            name: `[guid(parameters('accountName'), parameters('container'), parameters('principalId'), '${BUILTIN_ROLES.storageBlobDataContributor}')]`,
            properties: {
              roleDefinitionId: `[tenantResourceId('Microsoft.Authorization/roleDefinitions', '${BUILTIN_ROLES.storageBlobDataContributor}')]`,
              principalId: "[parameters('principalId')]",
              principalType: "ServicePrincipal",
              description: "Lets a Costline cost export write its files",
            },
          },
        ],
      },
    },
  };
}
