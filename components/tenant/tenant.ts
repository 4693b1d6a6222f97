import * as pulumi from "@pulumi/pulumi";
import { parseTenantText } from "./config";
import { TenantCostPipeline } from "./pipeline";

/**
 * The inputs of `Tenant`, in the types Pulumi can carry to every language (no unions, no schema
 * types): the tenant travels as the text of its tenant file and is validated here, as `costline
 * plan` validates it.
 */
export interface TenantArgs {
  /** The tenant: the YAML (or JSON) text of a tenant file, such as `examples/tenants/acme-all.yaml`. */
  tenant: string;
  /** kubeconfig contents by cluster name; a cluster without one uses its `context` in the ambient kubeconfig. */
  kubeconfigs?: { [cluster: string]: pulumi.Input<string> };
  /** Lambda code of the AWS job (`npm run build:jobs` writes `dist/jobs/aws`); required when the tenant has AWS. */
  awsJobCode?: pulumi.Input<pulumi.asset.Archive>;
  /** Cloud Functions gen2 source of the GCP job (`dist/jobs/gcp`); required when the tenant has GCP. */
  gcpJobSource?: pulumi.Input<pulumi.asset.Archive>;
  /** Azure Functions package of the Azure job (`dist/jobs/azure`); required when the tenant has Azure. */
  azureJobPackage?: pulumi.Input<pulumi.asset.Archive>;
  /** Container image of the Kubernetes job; required when the tenant has clusters. */
  kubernetesJobImage?: pulumi.Input<string>;
}

/**
 * One tenant's whole cost pipeline, as other Pulumi languages consume it (the package's
 * `PulumiPlugin.yaml`): a `TenantCostPipeline` of the validated tenant, named as the component.
 */
export class Tenant extends pulumi.ComponentResource {
  /** The tenant id. */
  readonly tenantId: pulumi.Output<string>;
  /** The clouds the tenant uses. */
  readonly clouds: pulumi.Output<string[]>;

  constructor(name: string, args: TenantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:index:Tenant", name, {}, opts);
    const tenant = parseTenantText(args.tenant, `Tenant ${name}: args.tenant`);
    const pipeline = new TenantCostPipeline(
      name,
      {
        tenant,
        kubeconfigs: args.kubeconfigs,
        jobs: {
          aws: args.awsJobCode,
          gcp: args.gcpJobSource,
          azure: args.azureJobPackage,
          kubernetesImage: args.kubernetesJobImage,
        },
      },
      { parent: this },
    );
    this.tenantId = pipeline.tenantId;
    this.clouds = pipeline.clouds;
    this.registerOutputs({ tenantId: this.tenantId, clouds: this.clouds });
  }
}
