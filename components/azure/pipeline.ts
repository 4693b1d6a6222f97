import type { Provider } from "@pulumi/azure-native/provider";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { azureTags } from "../../policies/lib/tags";
import type { AzureConfig, TenantConfig } from "../tenant/config";
import { AzureAuditLogging } from "./audit-logging";
import { AzureCostExports, exportName } from "./exports";
import { AzureJobIdentity } from "./identity";
import { AzureNormalizationJob } from "./job";
import { AzureJobNetwork } from "./network";
import { AzureExportPolicy } from "./policy";
import { builtinRoleId, grantRole } from "./roles";
import { type AzureConnection, AZURE_JOB_SETTINGS as SETTING } from "./job-contract";
import { auditSettingName, CONTAINERS, resourceGroupName } from "./layout";
import { AzureCostStorage } from "./storage";
import { AzureCostVault } from "./vault";
import { CHECKS_SETTING } from "../../runtime/checks/config";

export interface AzureCostPipelineArgs {
  /** The azure-native provider of the host subscription (TenantProviders.azure). */
  provider: Provider;
  /** The tenant, already validated. */
  tenant: TenantConfig;
  /** The tenant's Azure section (passed separately so the caller has checked it is there). */
  azure: AzureConfig;
  /** The Azure Functions package the jobs build writes to dist/jobs/azure/. */
  jobPackage: pulumi.Input<pulumi.asset.Archive>;
  /**
   * Allow the Key Vault's public endpoint. Off by default: the job then reaches the vault through
   * its own virtual network and a private endpoint (`azure.jobAddressSpace`).
   */
  keyVaultPublicNetworkAccess?: boolean;
}

/**
 * Everything Costline creates in a tenant's Azure: a resource group with the cost data account,
 * the job identity and its grants, the Cost Management exports (per subscription or at the billing
 * scope), the self-healing export policy when a management group is given, the Key Vault with the
 * connection secret, the job's network to reach that vault privately, the scheduled
 * normalization job, and the audit logs of the vault and the storage account's blobs in the job's
 * Log Analytics workspace, kept for the tenant's `audit.retentionDays`.
 */
export class AzureCostPipeline extends pulumi.ComponentResource {
  /** The resource group holding the regional resources. */
  readonly resourceGroupName: pulumi.Output<string>;
  /** The cost data storage account. */
  readonly storageAccountName: pulumi.Output<string>;
  /** The export's name in every scope. */
  readonly exportName: pulumi.Output<string>;
  /** The function app running the job. */
  readonly functionAppName: pulumi.Output<string>;
  /** The job identity's client id. */
  readonly jobClientId: pulumi.Output<string>;
  /** The connection secret's name (the tenant secret path). */
  readonly secretName: pulumi.Output<string>;
  /** The export policy assignment, when a management group is configured. */
  readonly policyAssignmentId: pulumi.Output<string | undefined>;

  constructor(name: string, args: AzureCostPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:CostPipeline", name, {}, opts);
    const { tenant, azure, provider } = args;
    if (azure.billingScope && azure.managementGroupId) {
      throw new Error(
        "azure.billingScope and azure.managementGroupId both export the same costs; keep one (billingScope for one export of the whole billing account, managementGroupId for one per subscription)",
      );
    }
    const tags = azureTags(tenant.tenantId, tenant.tags);
    const child = { parent: this, provider };
    const group = new resources.ResourceGroup(
      `${name}-rg`,
      {
        resourceGroupName: resourceGroupName(tenant.tenantId),
        location: azure.location,
        tags,
      },
      child,
    );
    const place = { provider, resourceGroupName: group.name, location: azure.location, tags };

    // The job's network exists unless the vault is public; the cost data account then admits only
    // that network, trusted Azure services (the exports) and the addresses the tenant lists.
    const net = args.keyVaultPublicNetworkAccess
      ? undefined
      : new AzureJobNetwork(
          `${name}-network`,
          { ...place, tenantId: tenant.tenantId, addressSpace: azure.jobAddressSpace },
          { parent: this },
        );
    const store = new AzureCostStorage(
      `${name}-storage`,
      {
        ...place,
        tenantId: tenant.tenantId,
        network: net && { subnetIds: [net.jobSubnetId], ipRanges: azure.storageAllowedIpRanges },
      },
      { parent: this },
    );
    const mgScope = azure.managementGroupId
      ? [`/providers/Microsoft.Management/managementGroups/${azure.managementGroupId}`]
      : [];
    const identity = new AzureJobIdentity(
      `${name}-job-identity`,
      {
        ...place,
        tenantId: tenant.tenantId,
        exportContainerId: store.exportContainerId,
        normalizedContainerId: store.normalizedContainerId,
        costScopes: [...azure.subscriptionIds.map((id) => `/subscriptions/${id}`), ...mgScope],
      },
      { parent: this },
    );
    if (azure.platformPrincipalId) {
      grantRole(
        `${name}-platform-reads-normalized`,
        {
          scope: store.normalizedContainerId,
          roleDefinitionId: builtinRoleId("storageBlobDataReader"),
          principalId: azure.platformPrincipalId,
          description:
            "Lets the Costline platform read this tenant's normalized FOCUS output (costline collect)",
        },
        child,
      );
    }
    const exportsArgs = {
      provider,
      tenantId: tenant.tenantId,
      dataset: azure.exportDataset,
      location: azure.location,
      storageAccountId: store.accountId,
      container: CONTAINERS.exports,
      containerId: store.exportContainerId,
    };
    const exports = new AzureCostExports(
      `${name}-exports`,
      { ...exportsArgs, subscriptionIds: azure.subscriptionIds, billingScope: azure.billingScope, tags },
      { parent: this },
    );
    const policy = azure.managementGroupId
      ? new AzureExportPolicy(
          `${name}-export-policy`,
          {
            ...exportsArgs,
            managementGroupId: azure.managementGroupId,
            exportName: exportName(tenant.tenantId, azure.exportDataset),
            resourceGroupId: group.id,
          },
          { parent: this },
        )
      : undefined;

    const exportUrl = pulumi.interpolate`${store.blobEndpoint}${CONTAINERS.exports}`;
    const outputUrl = pulumi.interpolate`${store.blobEndpoint}${CONTAINERS.normalized}`;
    // What a reader needs to find this tenant's Azure data; identity-based access means it holds
    // no credential, but it lives at the tenant secret path like every cloud's connection.
    const connection = pulumi.jsonStringify({
      tenantId: tenant.tenantId,
      provider: "azure",
      directoryTenantId: azure.directoryTenantId,
      subscriptionIds: azure.subscriptionIds,
      billingScope: azure.billingScope ?? null,
      exportDataset: azure.exportDataset,
      exportUrl,
      outputUrl,
      jobClientId: identity.clientId,
    } satisfies { [K in keyof AzureConnection]: pulumi.Input<AzureConnection[K]> });
    const vault = new AzureCostVault(
      `${name}-vault`,
      {
        ...place,
        tenantId: tenant.tenantId,
        directoryTenantId: azure.directoryTenantId,
        hostSubscriptionId: azure.hostSubscriptionId,
        connection,
        readerPrincipalId: identity.principalId,
        publicNetworkAccess: args.keyVaultPublicNetworkAccess,
        privateEndpoint: net && { subnetId: net.endpointSubnetId, dnsZoneId: net.vaultZoneId },
      },
      { parent: this },
    );
    const job = new AzureNormalizationJob(
      `${name}-job`,
      {
        ...place,
        tenantId: tenant.tenantId,
        schedule: tenant.schedule,
        jobPackage: args.jobPackage,
        workspaceRetentionDays: tenant.audit.retentionDays,
        subnetId: net?.jobSubnetId,
        identity: { id: identity.id, clientId: identity.clientId, principalId: identity.principalId },
        settings: {
          [SETTING.tenantId]: tenant.tenantId,
          [SETTING.provider]: "azure",
          [SETTING.sourceFormat]: azure.exportDataset === "FocusCost" ? "azure-focus" : "azure-cost-details",
          [SETTING.exportDataset]: azure.exportDataset,
          [SETTING.exportName]: exportName(tenant.tenantId, azure.exportDataset),
          // The scopes whose export the job checks: the billing scope, or each listed subscription.
          [SETTING.exportScopes]: JSON.stringify(
            azure.billingScope
              ? [azure.billingScope]
              : azure.subscriptionIds.map((id) => `/subscriptions/${id}`),
          ),
          [SETTING.exportUrl]: exportUrl,
          [SETTING.outputUrl]: outputUrl,
          [SETTING.reportingCurrency]: tenant.reportingCurrency,
          [SETTING.focusVersion]: tenant.focusVersion,
          [CHECKS_SETTING]: JSON.stringify(tenant.checks),
          [SETTING.connectionSecretUri]: vault.secretUri,
        },
      },
      { parent: this },
    );

    new AzureAuditLogging(
      `${name}-audit`,
      {
        provider,
        vaultId: vault.vaultId,
        storageAccountId: store.accountId,
        hostStorageAccountId: job.hostStorageAccountId,
        workspaceId: job.workspaceId,
        settingName: auditSettingName(tenant.tenantId),
      },
      { parent: this },
    );

    this.resourceGroupName = group.name;
    this.storageAccountName = store.accountName;
    this.exportName = exports.exportName;
    this.functionAppName = job.functionAppName;
    this.jobClientId = identity.clientId;
    this.secretName = vault.secretName;
    this.policyAssignmentId = policy ? policy.policyAssignmentId : pulumi.output(undefined);
    this.registerOutputs({
      resourceGroupName: this.resourceGroupName,
      storageAccountName: this.storageAccountName,
      exportName: this.exportName,
      functionAppName: this.functionAppName,
      jobClientId: this.jobClientId,
      secretName: this.secretName,
      ...(policy ? { policyAssignmentId: this.policyAssignmentId } : {}),
    });
  }
}
