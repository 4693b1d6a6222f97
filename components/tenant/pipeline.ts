import * as pulumi from "@pulumi/pulumi";
import { AwsCostPipeline } from "../aws/pipeline";
import { AzureCostPipeline } from "../azure/pipeline";
import { GcpCostPipeline } from "../gcp/pipeline";
import { KubernetesCostPipeline } from "../kubernetes/pipeline";
import type { TenantConfig } from "./config";
import { createTenantProviders, type Kubeconfigs, type TenantProviders } from "./providers";

export interface TenantCostPipelineArgs {
  /** The tenant, already validated with `parseTenantConfig`. */
  tenant: TenantConfig;
  /** kubeconfig contents by cluster name; clusters without one use their `context` in the ambient kubeconfig. */
  kubeconfigs?: Kubeconfigs;
  /** The deployable job artifacts (`npm run build:jobs`), read by the stack; required for each configured cloud. */
  jobs: JobArtifacts;
}

/** What the scheduled jobs run, per cloud. */
export interface JobArtifacts {
  /** Lambda code of the AWS job. */
  aws?: pulumi.Input<pulumi.asset.Archive>;
  /** Cloud Functions gen2 source of the GCP job. */
  gcp?: pulumi.Input<pulumi.asset.Archive>;
  /** Azure Functions package of the Azure job. */
  azure?: pulumi.Input<pulumi.asset.Archive>;
  /** Container image of the Kubernetes job. */
  kubernetesImage?: pulumi.Input<string>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`TenantCostPipeline needs jobs.${what} for this tenant's clouds`);
  return value;
}

/**
 * One tenant's whole cost pipeline: explicit providers for each configured cloud, and the cloud
 * components composed on them. Everything is a child of this component, named `${name}-...`.
 */
export class TenantCostPipeline extends pulumi.ComponentResource {
  /** The tenant id this pipeline belongs to. */
  readonly tenantId: pulumi.Output<string>;
  /** The clouds this tenant uses. */
  readonly clouds: pulumi.Output<string[]>;
  /** The provider instances, for components added beside this one. */
  readonly providers: TenantProviders;
  /** Each configured cloud's side of the pipeline. */
  readonly aws?: AwsCostPipeline;
  readonly gcp?: GcpCostPipeline;
  readonly azure?: AzureCostPipeline;
  readonly kubernetes: Readonly<Record<string, KubernetesCostPipeline>> = {};

  constructor(name: string, args: TenantCostPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:tenant:TenantCostPipeline", name, {}, opts);
    const { tenant } = args;
    this.providers = createTenantProviders(name, tenant, args.kubeconfigs ?? {}, this);
    if (tenant.aws && this.providers.aws) {
      this.aws = new AwsCostPipeline(
        `${name}-aws`,
        {
          tenant,
          aws: tenant.aws,
          provider: this.providers.aws.main,
          usEast1Provider: this.providers.aws.usEast1,
          jobCode: required(args.jobs.aws, "aws"),
        },
        { parent: this },
      );
    }
    if (tenant.gcp && this.providers.gcp) {
      this.gcp = new GcpCostPipeline(
        `${name}-gcp`,
        { provider: this.providers.gcp, tenant, gcp: tenant.gcp, jobSource: required(args.jobs.gcp, "gcp") },
        { parent: this },
      );
    }
    if (tenant.azure && this.providers.azure) {
      this.azure = new AzureCostPipeline(
        `${name}-azure`,
        {
          provider: this.providers.azure,
          tenant,
          azure: tenant.azure,
          jobPackage: required(args.jobs.azure, "azure"),
        },
        { parent: this },
      );
    }
    const kubernetes: Record<string, KubernetesCostPipeline> = {};
    for (const cluster of tenant.kubernetes?.clusters ?? []) {
      kubernetes[cluster.name] = new KubernetesCostPipeline(
        `${name}-k8s-${cluster.name}`,
        {
          provider: this.providers.kubernetes[cluster.name],
          tenant,
          cluster,
          jobImage: required(args.jobs.kubernetesImage, "kubernetesImage"),
          sink: cluster.sink,
        },
        { parent: this },
      );
    }
    this.kubernetes = kubernetes;
    const clouds = (["aws", "gcp", "azure", "kubernetes"] as const).filter((c) => tenant[c] !== undefined);
    this.tenantId = pulumi.output(tenant.tenantId);
    this.clouds = pulumi.output([...clouds]);
    this.registerOutputs({ tenantId: this.tenantId, clouds: this.clouds });
  }
}
