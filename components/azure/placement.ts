import type { Provider } from "@pulumi/azure-native/provider";
import type * as pulumi from "@pulumi/pulumi";

/** Where an Azure component puts its resources; every Azure component's args extend this. */
export interface AzurePlacement {
  /** The explicit azure-native provider of the host subscription; never an ambient default. */
  provider: Provider;
  /** Resource group (in the host subscription) that holds the component's regional resources. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region of the regional resources, e.g. "westeurope". */
  location: string;
  /** Azure tags for every taggable resource, rendered once with `azureTags`. */
  tags: Record<string, string>;
}

/** The parent/provider options every child of an Azure component gets. */
export function childOptions(parent: pulumi.Resource, provider: Provider) {
  return { parent, provider };
}
