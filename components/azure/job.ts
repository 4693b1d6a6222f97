import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../core/naming";
import { SCHEDULE_SETTING } from "./job-contract";
import { logWorkspaceName } from "./layout";
import { toNcrontab } from "../core/schedule";
import { type AzurePlacement, childOptions } from "./placement";
import { builtinRoleId, grantRole } from "./roles";

export interface AzureNormalizationJobArgs extends AzurePlacement {
  /** Tenant id, for names. */
  tenantId: string;
  /** The tenant schedule: five-field Unix cron in UTC; rendered as NCRONTAB for the timer. */
  schedule: string;
  /** The job bundle from dist/jobs/azure/ (an Azure Functions package). */
  jobPackage: pulumi.Input<pulumi.asset.Archive>;
  /** The job's user-assigned identity: ARM id, client id and principal id. */
  identity: {
    id: pulumi.Input<string>;
    clientId: pulumi.Input<string>;
    principalId: pulumi.Input<string>;
  };
  /** Settings the job reads (COSTLINE_*), beside the host settings this component writes. */
  settings: Record<string, pulumi.Input<string>>;
  /** Days Application Insights keeps telemetry. */
  logRetentionDays?: number;
  /**
   * Days the Log Analytics workspace keeps what it holds: the job's telemetry and the audit logs of
   * the vault and the storage account. The tenant's `audit.retentionDays`, which TenantConfig holds
   * to the workspace's 30 to 730 days.
   */
  workspaceRetentionDays: number;
  /** Most instances the Flex Consumption plan may scale to. */
  maximumInstanceCount?: number;
  /** Memory per instance in MB (512, 2048 or 4096); DuckDB wants room. */
  instanceMemoryMB?: 512 | 2048 | 4096;
  /**
   * A subnet delegated to Microsoft.App/environments for the app's outbound traffic, to reach
   * private endpoints (AzureJobNetwork); without one the app reaches public endpoints only.
   */
  subnetId?: pulumi.Input<string>;
}

/** Flex Consumption reads the app package from this blob of its deployment container. */
export const PACKAGE_BLOB = "released-package.zip";

/**
 * The normalization job on Azure Functions Flex Consumption: a timer on the tenant schedule,
 * running as the job identity, with identity-based host and deployment storage and Application
 * Insights (Entra ID ingestion only) on a Log Analytics workspace with bounded retention.
 */
export class AzureNormalizationJob extends pulumi.ComponentResource {
  /** ARM id of the function app. */
  readonly functionAppId: pulumi.Output<string>;
  /** The function app's name. */
  readonly functionAppName: pulumi.Output<string>;
  /** ARM id of the Application Insights component. */
  readonly appInsightsId: pulumi.Output<string>;
  /** ARM id of the Log Analytics workspace, where the audit logs go too. */
  readonly workspaceId: pulumi.Output<string>;
  /** ARM id of the Functions host's storage account, whose blob access the audit logs record. */
  readonly hostStorageAccountId: pulumi.Output<string>;

  constructor(name: string, args: AzureNormalizationJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:NormalizationJob", name, {}, opts);
    const retention = args.logRetentionDays ?? 30;
    if (!Number.isInteger(retention) || retention < 30 || retention > 730) {
      throw new Error(`logRetentionDays (${retention}) must be a whole number of days from 30 to 730`);
    }
    const ncrontab = toNcrontab(args.schedule);
    const child = childOptions(this, args.provider);
    const place = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };

    // The Functions host's own account (leases, timer state, the app package). It keeps shared key
    // access because Pulumi's azure-native Blob uploads the package with an account key
    // (pulumi/pulumi-azure-native#2015); the cost data account has it off.
    const hostStorage = new storage.StorageAccount(
      `${name}-host-storage`,
      {
        ...place,
        accountName: physicalName("azureStorageAccount", "costline", args.tenantId, "job"),
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: true,
        defaultToOAuthAuthentication: true,
        allowCrossTenantReplication: false,
        // The host reaches its account with its identity; no SFTP or SMB local user needs it.
        isLocalUserEnabled: false,
        encryption: {
          keySource: "Microsoft.Storage",
          requireInfrastructureEncryption: true,
          services: { blob: { enabled: true, keyType: "Account" } },
        },
      },
      child,
    );
    const deploymentContainer = new storage.BlobContainer(
      `${name}-deployment`,
      {
        accountName: hostStorage.name,
        resourceGroupName: args.resourceGroupName,
        containerName: "deployment",
        publicAccess: "None",
      },
      child,
    );
    const packageBlob = new storage.Blob(
      `${name}-package`,
      {
        accountName: hostStorage.name,
        resourceGroupName: args.resourceGroupName,
        containerName: deploymentContainer.name,
        blobName: PACKAGE_BLOB,
        type: "Block",
        contentType: "application/zip",
        source: args.jobPackage,
      },
      child,
    );
    const hostGrant = grantRole(
      `${name}-host-storage-owner`,
      {
        scope: hostStorage.id,
        roleDefinitionId: builtinRoleId("storageBlobDataOwner"),
        principalId: args.identity.principalId,
        description: "Lets the Costline job's Functions host use its own storage (leases, timers, package)",
      },
      child,
    );

    const workspace = new operationalinsights.Workspace(
      `${name}-logs`,
      {
        ...place,
        workspaceName: logWorkspaceName(args.tenantId),
        sku: { name: "PerGB2018" },
        retentionInDays: args.workspaceRetentionDays,
      },
      child,
    );
    const insights = new applicationinsights.Component(
      `${name}-insights`,
      {
        ...place,
        resourceName: physicalName("azure", "costline", args.tenantId, "job-insights"),
        kind: "web",
        applicationType: "web",
        workspaceResourceId: workspace.id,
        ingestionMode: "LogAnalytics",
        retentionInDays: retention,
        disableLocalAuth: true,
      },
      child,
    );
    const telemetryGrant = grantRole(
      `${name}-publishes-telemetry`,
      {
        scope: insights.id,
        roleDefinitionId: builtinRoleId("monitoringMetricsPublisher"),
        principalId: args.identity.principalId,
        description: "Lets the Costline job send telemetry with its identity",
      },
      child,
    );

    const plan = new web.AppServicePlan(
      `${name}-plan`,
      {
        ...place,
        name: physicalName("azure", "costline", args.tenantId, "job-plan"),
        kind: "functionapp",
        reserved: true,
        sku: { name: "FC1", tier: "FlexConsumption" },
      },
      child,
    );
    const hostSettings: Record<string, pulumi.Input<string>> = {
      AzureWebJobsStorage__accountName: hostStorage.name,
      AzureWebJobsStorage__credential: "managedidentity",
      AzureWebJobsStorage__clientId: args.identity.clientId,
      AZURE_CLIENT_ID: args.identity.clientId,
      APPLICATIONINSIGHTS_CONNECTION_STRING: insights.connectionString,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: pulumi.interpolate`ClientId=${args.identity.clientId};Authorization=AAD`,
      [SCHEDULE_SETTING]: ncrontab,
    };
    const clash = Object.keys(args.settings).filter((k) => k in hostSettings);
    if (clash.length > 0) {
      throw new Error(`settings ${clash.join(", ")} are written by the job component; choose other names`);
    }
    const app = new web.WebApp(
      `${name}-app`,
      {
        ...place,
        name: physicalName("azure", "costline", args.tenantId, "job"),
        kind: "functionapp,linux",
        serverFarmId: plan.id,
        httpsOnly: true,
        // Timer-triggered only: nothing needs to reach the app from outside.
        publicNetworkAccess: "Disabled",
        virtualNetworkSubnetId: args.subnetId,
        identity: { type: "UserAssigned", userAssignedIdentities: [args.identity.id] },
        keyVaultReferenceIdentity: args.identity.id,
        siteConfig: {
          minTlsVersion: "1.2",
          ftpsState: "Disabled",
          http20Enabled: true,
          appSettings: Object.entries({ ...hostSettings, ...args.settings })
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, value]) => ({ name, value })),
        },
        functionAppConfig: {
          deployment: {
            storage: {
              type: "blobContainer",
              value: pulumi.interpolate`${hostStorage.primaryEndpoints.blob}${deploymentContainer.name}`,
              authentication: {
                type: "UserAssignedIdentity",
                userAssignedIdentityResourceId: args.identity.id,
              },
            },
          },
          runtime: { name: "node", version: "20" },
          scaleAndConcurrency: {
            maximumInstanceCount: args.maximumInstanceCount ?? 40,
            instanceMemoryMB: args.instanceMemoryMB ?? 2048,
          },
        },
      },
      { ...child, dependsOn: [packageBlob, hostGrant, telemetryGrant] },
    );
    this.functionAppId = app.id;
    this.functionAppName = app.name;
    this.appInsightsId = insights.id;
    this.workspaceId = workspace.id;
    this.hostStorageAccountId = hostStorage.id;
    this.registerOutputs({
      workspaceId: this.workspaceId,
      hostStorageAccountId: this.hostStorageAccountId,
      functionAppId: this.functionAppId,
      functionAppName: this.functionAppName,
      appInsightsId: this.appInsightsId,
    });
  }
}
