import * as keyvault from "@pulumi/azure-native/keyvault";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../core/naming";
import { tenantSecretPath } from "../core/secrets";
import { keyVaultName } from "./layout";
import { type AzurePlacement, childOptions } from "./placement";
import { builtinRoleId, grantRole } from "./roles";

export interface AzureCostVaultArgs extends AzurePlacement {
  /** Tenant id, for the vault name and the secret path. */
  tenantId: string;
  /** The Entra ID directory the vault trusts. */
  directoryTenantId: string;
  /** The host subscription: the account part of the secret path. */
  hostSubscriptionId: string;
  /** The tenant's connection document (JSON); stored as a Pulumi secret, never in plain state. */
  connection: pulumi.Input<string>;
  /** The only principal that may read the secret (the job's identity). */
  readerPrincipalId: pulumi.Input<string>;
  /**
   * Allow the vault's public endpoint. Off by default: then only private endpoints and trusted
   * Azure services reach it, and the job needs private connectivity to read the secret.
   */
  publicNetworkAccess?: boolean;
  /**
   * Where the vault's private endpoint goes (AzureJobNetwork): its subnet and the private DNS zone
   * that resolves the vault's name to it. Without it, a private vault is reachable by trusted
   * Azure services only.
   */
  privateEndpoint?: { subnetId: pulumi.Input<string>; dnsZoneId: pulumi.Input<string> };
  /** Days a deleted secret or vault stays recoverable (7-90). */
  softDeleteRetentionDays?: number;
}

/**
 * The tenant's Key Vault: RBAC authorization only (no access policies), soft delete with purge
 * protection, no public network by default, holding the connection secret at the tenant secret
 * path. Key Vault Secrets User is granted on that one secret, to the job only.
 */
export class AzureCostVault extends pulumi.ComponentResource {
  /** ARM id of the vault. */
  readonly vaultId: pulumi.Output<string>;
  /** Vault URI, e.g. https://name.vault.azure.net/. */
  readonly vaultUri: pulumi.Output<string>;
  /** The secret's name: the tenant secret path. */
  readonly secretName: pulumi.Output<string>;
  /** The secret's URI without version (always the latest). */
  readonly secretUri: pulumi.Output<string>;

  constructor(name: string, args: AzureCostVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:CostVault", name, {}, opts);
    const retention = args.softDeleteRetentionDays ?? 90;
    if (!Number.isInteger(retention) || retention < 7 || retention > 90) {
      throw new Error(`softDeleteRetentionDays (${retention}) must be a whole number of days from 7 to 90`);
    }
    const child = childOptions(this, args.provider);
    const open = args.publicNetworkAccess ?? false;
    const vault = new keyvault.Vault(
      `${name}-vault`,
      {
        vaultName: keyVaultName(args.tenantId),
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        properties: {
          tenantId: args.directoryTenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          softDeleteRetentionInDays: retention,
          enablePurgeProtection: true,
          enabledForDeployment: false,
          enabledForDiskEncryption: false,
          enabledForTemplateDeployment: false,
          publicNetworkAccess: open ? "Enabled" : "Disabled",
          networkAcls: { defaultAction: open ? "Allow" : "Deny", bypass: "AzureServices" },
        },
        tags: args.tags,
      },
      child,
    );
    const secretName = tenantSecretPath(args.tenantId, "azure", args.hostSubscriptionId);
    const secret = new keyvault.Secret(
      `${name}-connection`,
      {
        vaultName: vault.name,
        resourceGroupName: args.resourceGroupName,
        secretName,
        properties: { value: pulumi.secret(args.connection), contentType: "application/json" },
        tags: args.tags,
      },
      child,
    );
    grantRole(
      `${name}-job-reads-connection`,
      {
        scope: pulumi.interpolate`${vault.id}/secrets/${secretName}`,
        roleDefinitionId: builtinRoleId("keyVaultSecretsUser"),
        principalId: args.readerPrincipalId,
        description: "Lets the Costline job read its tenant connection secret, and no other secret",
      },
      { ...child, dependsOn: [secret] },
    );
    if (args.privateEndpoint) {
      const endpoint = new network.PrivateEndpoint(
        `${name}-endpoint`,
        {
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: args.tags,
          privateEndpointName: physicalName("azure", "costline", args.tenantId, "vault-endpoint"),
          subnet: { id: args.privateEndpoint.subnetId },
          privateLinkServiceConnections: [
            { name: "vault", privateLinkServiceId: vault.id, groupIds: ["vault"] },
          ],
        },
        child,
      );
      new network.PrivateDnsZoneGroup(
        `${name}-endpoint-dns`,
        {
          resourceGroupName: args.resourceGroupName,
          privateEndpointName: endpoint.name,
          privateDnsZoneGroupName: "vault",
          privateDnsZoneConfigs: [{ name: "vault", privateDnsZoneId: args.privateEndpoint.dnsZoneId }],
        },
        child,
      );
    }
    this.vaultId = vault.id;
    this.vaultUri = vault.properties.apply((p) => p.vaultUri);
    this.secretName = pulumi.output(secretName);
    this.secretUri = pulumi.interpolate`${this.vaultUri}secrets/${secretName}`;
    this.registerOutputs({
      vaultId: this.vaultId,
      vaultUri: this.vaultUri,
      secretName: this.secretName,
      secretUri: this.secretUri,
    });
  }
}
