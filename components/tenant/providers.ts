import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as kubernetes from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import { awsTags, gcpLabels } from "../../policies/lib/tags";
import type { TenantConfig } from "./config";

/** The explicit provider instances of one tenant; a component never falls back to an ambient default. */
export interface TenantProviders {
  aws?: {
    /** The management account in the tenant's region. */
    main: aws.Provider;
    /** The same account in us-east-1, where Data Exports must be created. */
    usEast1: aws.Provider;
  };
  gcp?: gcp.Provider;
  azure?: AzureProvider;
  /** One provider a cluster, by cluster name. */
  kubernetes: Record<string, kubernetes.Provider>;
}

/** kubeconfig contents per cluster, read by the stack (a component never reads files). */
export type Kubeconfigs = Readonly<Record<string, pulumi.Input<string>>>;

/** Creates the tenant's providers as children of `parent`, named `${name}-{cloud}...`. */
export function createTenantProviders(
  name: string,
  tenant: TenantConfig,
  kubeconfigs: Kubeconfigs,
  parent: pulumi.Resource,
): TenantProviders {
  const providers: TenantProviders = { kubernetes: {} };
  if (tenant.aws) {
    const cfg = tenant.aws;
    const awsArgs = (region: string): aws.ProviderArgs => ({
      region,
      allowedAccountIds: [cfg.managementAccountId],
      assumeRoles: cfg.deployRoleArn
        ? [{ roleArn: cfg.deployRoleArn, sessionName: `costline-${tenant.tenantId}` }]
        : undefined,
      defaultTags: { tags: awsTags(tenant.tenantId, tenant.tags) },
    });
    providers.aws = {
      main: new aws.Provider(`${name}-aws`, awsArgs(cfg.region), { parent }),
      usEast1: new aws.Provider(`${name}-aws-us-east-1`, awsArgs("us-east-1"), { parent }),
    };
  }
  if (tenant.gcp) {
    providers.gcp = new gcp.Provider(
      `${name}-gcp`,
      {
        project: tenant.gcp.projectId,
        region: tenant.gcp.region,
        defaultLabels: gcpLabels(tenant.tenantId, tenant.tags),
        addPulumiAttributionLabel: false,
      },
      { parent },
    );
  }
  if (tenant.azure) {
    providers.azure = new AzureProvider(
      `${name}-azure`,
      {
        tenantId: tenant.azure.directoryTenantId,
        subscriptionId: tenant.azure.hostSubscriptionId,
        location: tenant.azure.location,
      },
      { parent },
    );
  }
  for (const cluster of tenant.kubernetes?.clusters ?? []) {
    providers.kubernetes[cluster.name] = new kubernetes.Provider(
      `${name}-k8s-${cluster.name}`,
      {
        context: cluster.context,
        kubeconfig: kubeconfigs[cluster.name],
        namespace: cluster.namespace,
        enableServerSideApply: true,
      },
      { parent },
    );
  }
  return providers;
}
