import * as resources from "@pulumi/azure-native/resources";
import type { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../core/naming";
import { type ExportDataset, exportTemplate } from "./export-template";
import { builtinRoleId, grantRole } from "./roles";

export interface AzureCostExportsArgs {
  /** The explicit azure-native provider; the deployments name their own scopes, so one provider serves all subscriptions. */
  provider: Provider;
  /** Tenant id, for the export and deployment names. */
  tenantId: string;
  /** Which dataset to export. */
  dataset: ExportDataset;
  /** Subscriptions that each get their own export; ignored when `billingScope` is set. */
  subscriptionIds: string[];
  /** One export at this billing scope instead of one per subscription. */
  billingScope?: string;
  /** Region of the exports' managed identities and of the deployment metadata. */
  location: string;
  /** ARM id of the storage account the exports deliver to. */
  storageAccountId: pulumi.Input<string>;
  /** Container the exports write to. */
  container: string;
  /** ARM id of that container: the only scope the export identities get write access to. */
  containerId: pulumi.Input<string>;
  /** Azure tags for the deployment records. */
  tags: Record<string, string>;
}

/** The export's name: the same for every subscription, so that Azure Policy's existence check recognises it. */
export function exportName(tenantId: string, dataset: ExportDataset): string {
  return physicalName("azure", "costline", tenantId, dataset.toLowerCase());
}

/**
 * Daily Cost Management exports for a tenant: one per subscription, or one at the billing scope,
 * each deployed as an ARM template at API 2025-03-01 (see export-template.ts for why), and each
 * export's own managed identity allowed to write to the exports container only.
 */
export class AzureCostExports extends pulumi.ComponentResource {
  /** The export's name in every scope. */
  readonly exportName: pulumi.Output<string>;
  /** ARM ids of the exports, by the scope they export. */
  readonly exportIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AzureCostExportsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:CostExports", name, {}, opts);
    const scopes = args.billingScope
      ? [{ key: "billing", scope: args.billingScope }]
      : uniqueSubscriptions(args.subscriptionIds).map((id) => ({ key: id, scope: `/subscriptions/${id}` }));
    const nameOfExport = exportName(args.tenantId, args.dataset);
    const parameters = (extra: Record<string, string>) => ({
      exportName: { value: nameOfExport },
      dataset: { value: args.dataset },
      storageAccountId: { value: args.storageAccountId },
      container: { value: args.container },
      identityLocation: { value: args.location },
      ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { value: v }])),
    });
    const deploymentName = physicalName("azure", "costline", args.tenantId, "cost-export");
    const child = { parent: this, provider: args.provider };

    const ids: Record<string, pulumi.Output<string>> = {};
    for (const { key, scope } of scopes) {
      const deployment = args.billingScope
        ? new resources.DeploymentAtTenantScope(
            `${name}-${key}`,
            {
              deploymentName,
              location: args.location,
              properties: {
                mode: "Incremental",
                template: exportTemplate("billingScope", false),
                parameters: parameters({ billingScope: scope }),
              },
              tags: args.tags,
            },
            child,
          )
        : new resources.DeploymentAtScope(
            `${name}-${key}`,
            {
              scope,
              deploymentName,
              location: args.location,
              properties: {
                mode: "Incremental",
                template: exportTemplate("subscription", false),
                parameters: parameters({}),
              },
              tags: args.tags,
            },
            child,
          );
      const output = (field: string) =>
        deployment.properties.apply((p) => {
          const value = p.outputs?.[field]?.value;
          if (typeof value !== "string") {
            throw new Error(`export deployment for ${scope} returned no "${field}" output`);
          }
          return value;
        });
      grantRole(
        `${name}-${key}-writes-exports`,
        {
          scope: args.containerId,
          roleDefinitionId: builtinRoleId("storageBlobDataContributor"),
          principalId: output("principalId"),
          description: `Lets the Costline cost export of ${scope} write its files`,
        },
        child,
      );
      ids[scope] = output("exportId");
    }
    this.exportName = pulumi.output(nameOfExport);
    this.exportIds = pulumi.all(ids);
    this.registerOutputs({ exportName: this.exportName, exportIds: this.exportIds });
  }
}

function uniqueSubscriptions(ids: string[]): string[] {
  const seen = new Map<string, string>();
  for (const id of ids) {
    const key = id.toLowerCase();
    if (seen.has(key))
      throw new Error(`subscription ${id} is listed twice in azure.subscriptionIds; list it once`);
    seen.set(key, id);
  }
  return [...seen.values()];
}
