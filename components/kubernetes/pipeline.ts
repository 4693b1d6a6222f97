import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../core/naming";
import { toUnixCron } from "../core/schedule";
import { kubernetesLabels } from "../../policies/lib/tags";
import type { KubernetesCluster, TenantConfig } from "../tenant/config";
import type { OpenCostCloudCost } from "./cloud-cost";
import { CostNamespace } from "./namespace";
import { NormalizationJob } from "./normalization-job";
import { OpenCost } from "./opencost";
import { assertSinkFitsCluster, type KubernetesSink } from "./sink";

export interface KubernetesCostPipelineArgs {
  /** The cluster's provider (TenantProviders.kubernetes[cluster.name]); every resource uses it explicitly. */
  provider: k8s.Provider;
  /** The tenant, validated with `parseTenantConfig`. */
  tenant: TenantConfig;
  /** One of `tenant.kubernetes.clusters`. */
  cluster: KubernetesCluster;
  /** The normalization job image, pinned by tag or digest (built from runtime/jobs/kubernetes/Dockerfile). */
  jobImage: pulumi.Input<string>;
  /** Where the job writes; its identity must be the keyless one of the cluster's cloud (or a volume). */
  sink: KubernetesSink;
  /** OpenCost's optional Cloud Costs integration with the tenant's AWS or GCP export. */
  cloudCost?: OpenCostCloudCost;
  /** Whether to run the OpenCost UI; off by default. */
  opencostUi?: boolean;
  /** Memory limit of the job container in MiB (default 1024). */
  jobMemoryMiB?: number;
}

/** The in-cluster names the cloud side must trust before the cluster side exists (IRSA, Workload Identity). */
export interface NormalizerIdentity {
  namespace: string;
  serviceAccount: string;
  /** The token subject, `system:serviceaccount:{namespace}:{serviceAccount}`. */
  subject: string;
}

/** The names of the job's service account in a cluster, for trust policies written by the cloud components. */
export function normalizerIdentity(tenant: TenantConfig, cluster: KubernetesCluster): NormalizerIdentity {
  const namespace = physicalName("kubernetes", cluster.namespace);
  const serviceAccount = physicalName("kubernetes", tenant.tenantId, "normalizer");
  return { namespace, serviceAccount, subject: `system:serviceaccount:${namespace}:${serviceAccount}` };
}

/**
 * Everything Costline runs in one of a tenant's clusters: a namespace under the `restricted` Pod
 * Security Standard, OpenCost, and the normalization CronJob that turns OpenCost's allocations
 * into FOCUS rows in the tenant's object store.
 */
export class KubernetesCostPipeline extends pulumi.ComponentResource {
  /** The namespace everything runs in. */
  readonly namespace: pulumi.Output<string>;
  /** In-cluster URL of OpenCost's allocation API. */
  readonly opencostUrl: pulumi.Output<string>;
  /** Name of the normalization CronJob. */
  readonly cronJobName: pulumi.Output<string>;
  /** Token subject of the job's service account. */
  readonly jobSubject: pulumi.Output<string>;

  constructor(name: string, args: KubernetesCostPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:kubernetes:CostPipeline", name, {}, opts);
    const { tenant, cluster, provider } = args;
    const known = tenant.kubernetes?.clusters.map((c) => c.name) ?? [];
    if (!known.includes(cluster.name)) {
      throw new Error(
        `cluster "${cluster.name}" is not in tenant "${tenant.tenantId}"'s kubernetes.clusters (${known.join(", ") || "none"}); ` +
          "pass one of the tenant's own clusters",
      );
    }
    assertSinkFitsCluster(args.sink, cluster);
    const labels = kubernetesLabels(tenant.tenantId, tenant.tags);
    const identity = normalizerIdentity(tenant, cluster);
    const child = { parent: this };

    const namespace = new CostNamespace(
      `${name}-namespace`,
      { provider, name: identity.namespace, labels },
      child,
    );
    const opencost = new OpenCost(
      `${name}-opencost`,
      {
        provider,
        namespace: namespace.name,
        cluster,
        releaseName: physicalName("kubernetes", tenant.tenantId, "opencost"),
        labels,
        ui: args.opencostUi,
        cloudCost: args.cloudCost,
      },
      child,
    );
    const job = new NormalizationJob(
      `${name}-normalization`,
      {
        provider,
        namespace: namespace.name,
        // CronJob names are at most 52 characters; a 20-character tenant id keeps this one far below.
        jobName: identity.serviceAccount,
        tenantId: tenant.tenantId,
        reportingCurrency: tenant.reportingCurrency,
        focusVersion: tenant.focusVersion,
        clusterName: cluster.name,
        checks: tenant.checks,
        labels,
        image: args.jobImage,
        schedule: toUnixCron(tenant.schedule),
        sink: args.sink,
        httpsEgressCidrs: cluster.httpsEgressCidrs,
        opencost: opencost.endpoint,
        memoryMiB: args.jobMemoryMiB,
      },
      child,
    );
    this.namespace = namespace.name;
    this.opencostUrl = opencost.endpoint.allocationUrl;
    this.cronJobName = job.cronJobName;
    this.jobSubject = pulumi.output(identity.subject);
    this.registerOutputs({
      namespace: this.namespace,
      opencostUrl: this.opencostUrl,
      cronJobName: this.cronJobName,
      jobSubject: this.jobSubject,
    });
  }
}
