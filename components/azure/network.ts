import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../core/naming";
import { type AzurePlacement, childOptions } from "./placement";

export interface AzureJobNetworkArgs extends AzurePlacement {
  /** Tenant id, for names. */
  tenantId: string;
  /**
   * The virtual network's IPv4 address space, /16 to /24 (`azure.jobAddressSpace`). The job's
   * subnet is its first /25, the private endpoints' the /27 after it. Nothing is peered, so it
   * only has to avoid networks the tenant may later peer with it.
   */
  addressSpace: string;
}

/** The Key Vault's private DNS zone: a private endpoint's A record lives there. */
export const VAULT_DNS_ZONE = "privatelink.vaultcore.azure.net";
/** Flex Consumption apps integrate with a subnet delegated to Container Apps environments. */
export const FLEX_DELEGATION = "Microsoft.App/environments";

/**
 * The job's private network: a virtual network whose first subnet the function app integrates
 * with (outbound only; the app takes no inbound traffic) and reaches the cost data account from
 * through a Storage service endpoint (the account admits that subnet only), a second subnet for
 * private endpoints (the vault's, see AzureCostVault), and the private DNS zone that makes the
 * vault's name resolve to its endpoint inside the network. It is built before the account and the
 * vault, whose network rules and endpoint name it. Traffic to other public endpoints (Cost
 * Management, Entra ID) still leaves through the app's own outbound addresses.
 */
export class AzureJobNetwork extends pulumi.ComponentResource {
  /** ARM id of the subnet the function app integrates with. */
  readonly jobSubnetId: pulumi.Output<string>;
  /** ARM id of the subnet that holds private endpoints. */
  readonly endpointSubnetId: pulumi.Output<string>;
  /** ARM id of the vault's private DNS zone. */
  readonly vaultZoneId: pulumi.Output<string>;

  constructor(name: string, args: AzureJobNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:JobNetwork", name, {}, opts);
    const subnets = jobSubnets(args.addressSpace);
    const child = childOptions(this, args.provider);
    const place = { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags };
    const names = { job: "job", endpoints: "private-endpoints" };
    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      {
        ...place,
        virtualNetworkName: physicalName("azure", "costline", args.tenantId, "job-vnet"),
        addressSpace: { addressPrefixes: [args.addressSpace] },
        subnets: [
          {
            name: names.job,
            addressPrefix: subnets.job,
            delegations: [{ name: "flex-consumption", serviceName: FLEX_DELEGATION }],
            serviceEndpoints: [{ service: "Microsoft.Storage", locations: [args.location] }],
          },
          {
            name: names.endpoints,
            addressPrefix: subnets.endpoints,
            privateEndpointNetworkPolicies: "Disabled",
          },
        ],
      },
      child,
    );
    const subnetId = (subnet: string) => pulumi.interpolate`${vnet.id}/subnets/${subnet}`;
    const zone = new privatedns.PrivateZone(
      `${name}-vault-zone`,
      {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: VAULT_DNS_ZONE,
        location: "Global",
        tags: args.tags,
      },
      child,
    );
    new privatedns.VirtualNetworkLink(
      `${name}-vault-zone-link`,
      {
        resourceGroupName: args.resourceGroupName,
        privateZoneName: zone.name,
        virtualNetworkLinkName: physicalName("azure", "costline", args.tenantId, "job-vnet"),
        location: "Global",
        registrationEnabled: false,
        virtualNetwork: { id: vnet.id },
        tags: args.tags,
      },
      child,
    );
    this.jobSubnetId = subnetId(names.job);
    this.endpointSubnetId = subnetId(names.endpoints);
    this.vaultZoneId = zone.id;
    this.registerOutputs({
      jobSubnetId: this.jobSubnetId,
      endpointSubnetId: this.endpointSubnetId,
      vaultZoneId: this.vaultZoneId,
    });
  }
}

/**
 * The job's subnets in an address space: the first /25 for the Functions instances (one address
 * each, up to the plan's 40 by default), the /27 after it for private endpoints.
 */
export function jobSubnets(addressSpace: string): { job: string; endpoints: string } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(addressSpace);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const bits = match ? Number(match[5]) : Number.NaN;
  if (!match || octets.some((o) => o > 255) || bits < 16 || bits > 24) {
    throw new Error(
      `azure.jobAddressSpace (${addressSpace}) must be an IPv4 range from /16 to /24, such as 10.231.0.0/24`,
    );
  }
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  if (base % 2 ** (32 - bits) !== 0) {
    throw new Error(
      `azure.jobAddressSpace (${addressSpace}) has host bits set; its network address is ${dotted(base - (base % 2 ** (32 - bits)))}/${bits}`,
    );
  }
  return { job: `${dotted(base)}/25`, endpoints: `${dotted(base + 128)}/27` };
}

const dotted = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
