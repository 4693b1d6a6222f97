import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { CONTAINERS, costStorageAccountName } from "./layout";
import { type AzurePlacement, childOptions } from "./placement";

/** Replication choices; archive tiering needs one of the non-zone-redundant ones. */
export type StorageSku =
  | "Standard_LRS"
  | "Standard_GRS"
  | "Standard_RAGRS"
  | "Standard_ZRS"
  | "Standard_GZRS";

export interface AzureCostStorageArgs extends AzurePlacement {
  /** Tenant id, for the account's physical name. */
  tenantId: string;
  /** Replication; locally redundant by default (exports can be re-run, so LRS is enough). */
  sku?: StorageSku;
  /** Days after the last write when export blobs move to the cool tier. */
  coolAfterDays?: number;
  /** Days after the last write when export blobs move to archive; must exceed `coolAfterDays`. */
  archiveAfterDays?: number;
  /** Days a deleted blob or container can be restored. */
  softDeleteDays?: number;
  /**
   * Who may reach the account's endpoints: subnets (with a Storage service endpoint) and public
   * IPv4 addresses or ranges; everything else is refused, but trusted Azure services (Cost
   * Management's exports, with their managed identities) still deliver. Without it the account
   * accepts every network and relies on identity alone.
   */
  network?: { subnetIds: pulumi.Input<string>[]; ipRanges: string[] };
}

/**
 * The tenant's cost data account: hardened StorageV2 with a container the Cost Management
 * exports write to and one the normalization job writes FOCUS output to. Shared key access is
 * off: the exports use their managed identities and the job its user-assigned identity.
 */
export class AzureCostStorage extends pulumi.ComponentResource {
  /** ARM id of the storage account. */
  readonly accountId: pulumi.Output<string>;
  /** Physical name of the storage account. */
  readonly accountName: pulumi.Output<string>;
  /** Blob endpoint, e.g. https://name.blob.core.windows.net/. */
  readonly blobEndpoint: pulumi.Output<string>;
  /** ARM id of the exports container (the scope of export and reader grants). */
  readonly exportContainerId: pulumi.Output<string>;
  /** ARM id of the normalized container (the only scope the job may write). */
  readonly normalizedContainerId: pulumi.Output<string>;

  constructor(name: string, args: AzureCostStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:CostStorage", name, {}, opts);
    const sku = args.sku ?? "Standard_LRS";
    const coolAfterDays = args.coolAfterDays ?? 30;
    const archiveAfterDays = args.archiveAfterDays ?? 180;
    const softDeleteDays = args.softDeleteDays ?? 7;
    checkLifecycle(sku, coolAfterDays, archiveAfterDays, softDeleteDays);
    const child = childOptions(this, args.provider);

    const account = new storage.StorageAccount(
      `${name}-account`,
      {
        accountName: costStorageAccountName(args.tenantId),
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "StorageV2",
        sku: { name: sku },
        accessTier: "Hot",
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        allowCrossTenantReplication: false,
        isLocalUserEnabled: false,
        isSftpEnabled: false,
        encryption: {
          keySource: "Microsoft.Storage",
          requireInfrastructureEncryption: true,
          services: {
            blob: { enabled: true, keyType: "Account" },
            file: { enabled: true, keyType: "Account" },
          },
        },
        // Cost Management delivers from Azure's own network, as a trusted service ("AzureServices").
        networkRuleSet: args.network
          ? {
              defaultAction: "Deny",
              bypass: "AzureServices",
              virtualNetworkRules: args.network.subnetIds.map((id) => ({
                virtualNetworkResourceId: id,
                action: "Allow",
              })),
              ipRules: args.network.ipRanges.map((range) => ({
                iPAddressOrRange: storageIpRule(range),
                action: "Allow",
              })),
            }
          : { defaultAction: "Allow", bypass: "AzureServices" },
        tags: args.tags,
      },
      child,
    );

    const blobService = new storage.BlobServiceProperties(
      `${name}-blob-service`,
      {
        accountName: account.name,
        resourceGroupName: args.resourceGroupName,
        blobServicesName: "default",
        deleteRetentionPolicy: { enabled: true, days: softDeleteDays },
        containerDeleteRetentionPolicy: { enabled: true, days: softDeleteDays },
      },
      child,
    );

    const container = (key: keyof typeof CONTAINERS) =>
      new storage.BlobContainer(
        `${name}-${CONTAINERS[key]}`,
        {
          accountName: account.name,
          resourceGroupName: args.resourceGroupName,
          containerName: CONTAINERS[key],
          publicAccess: "None",
        },
        { ...child, dependsOn: [blobService] },
      );
    const exports = container("exports");
    const normalized = container("normalized");

    new storage.ManagementPolicy(
      `${name}-lifecycle`,
      {
        accountName: account.name,
        resourceGroupName: args.resourceGroupName,
        managementPolicyName: "default",
        policy: {
          rules: [
            {
              name: "age-out-exports",
              enabled: true,
              type: "Lifecycle",
              definition: {
                filters: { blobTypes: ["blockBlob"], prefixMatch: [`${CONTAINERS.exports}/`] },
                actions: {
                  baseBlob: {
                    tierToCool: { daysAfterModificationGreaterThan: coolAfterDays },
                    tierToArchive: { daysAfterModificationGreaterThan: archiveAfterDays },
                  },
                },
              },
            },
          ],
        },
      },
      { ...child, dependsOn: [exports] },
    );

    // Built from the known container name (not the container's outputs) but after the container exists.
    const containerId = (c: storage.BlobContainer, key: keyof typeof CONTAINERS) =>
      pulumi
        .all([account.id, c.id])
        .apply(([id]) => `${id}/blobServices/default/containers/${CONTAINERS[key]}`);
    this.accountId = account.id;
    this.accountName = account.name;
    this.blobEndpoint = account.primaryEndpoints.blob;
    this.exportContainerId = containerId(exports, "exports");
    this.normalizedContainerId = containerId(normalized, "normalized");
    this.registerOutputs({
      accountId: this.accountId,
      accountName: this.accountName,
      blobEndpoint: this.blobEndpoint,
      exportContainerId: this.exportContainerId,
      normalizedContainerId: this.normalizedContainerId,
    });
  }
}

function checkLifecycle(sku: StorageSku, cool: number, archive: number, softDelete: number): void {
  const whole = (n: number) => Number.isInteger(n) && n >= 1;
  if (!whole(cool) || !whole(archive)) {
    throw new Error(`coolAfterDays (${cool}) and archiveAfterDays (${archive}) must be whole days >= 1`);
  }
  if (archive <= cool) {
    throw new Error(
      `archiveAfterDays (${archive}) must be greater than coolAfterDays (${cool}); blobs go cool first`,
    );
  }
  if (sku === "Standard_ZRS" || sku === "Standard_GZRS") {
    throw new Error(
      `the archive tier is not available on ${sku} accounts; use Standard_LRS, Standard_GRS or Standard_RAGRS`,
    );
  }
  if (!Number.isInteger(softDelete) || softDelete < 1 || softDelete > 365) {
    throw new Error(`softDeleteDays (${softDelete}) must be a whole number of days from 1 to 365`);
  }
}

/**
 * A range as Storage's IP rules take it: a single address without its "/32" (Storage refuses /31
 * and /32 prefixes); TenantConfig has already refused what Storage cannot hold.
 */
export const storageIpRule = (range: string) => range.replace(/\/32$/, "");
