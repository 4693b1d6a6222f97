import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/**
 * Options for a child of a GCP component: the component as parent, the tenant's explicit
 * provider, and the component's own `dependsOn` (the enabled APIs) plus any `extra` ones. Pulumi
 * does not pass a component's dependencies on to its children, so each child states them.
 */
export function childOptions(
  parent: pulumi.ComponentResource,
  provider: gcp.Provider,
  opts: pulumi.ComponentResourceOptions | undefined,
  ...extra: pulumi.Resource[]
): pulumi.CustomResourceOptions {
  const own = opts?.dependsOn;
  let dependsOn: pulumi.Input<pulumi.Resource>[];
  if (own === undefined) dependsOn = extra;
  else if (Array.isArray(own)) dependsOn = [...own, ...extra];
  else if (pulumi.Resource.isInstance(own)) dependsOn = [own, ...extra];
  else
    throw new Error("give a GCP component's dependsOn as a resource or a list of resources, not an Output");
  return { parent, provider, dependsOn };
}
