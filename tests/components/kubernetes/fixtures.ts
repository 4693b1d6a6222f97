import * as k8s from "@pulumi/kubernetes";
import { KubernetesCostPipeline, type KubernetesCostPipelineArgs } from "../../../components/kubernetes";
import type { KubernetesCluster, TenantConfig } from "../../../components/tenant/config";
import { type Recorded, record } from "../../helpers/pulumi";
import { exampleTenant } from "../../helpers/tenants";

export const JOB_IMAGE = "ghcr.io/costline/job-kubernetes:0.1.0";

/** The example tenant with one cluster on the given cloud. */
export function tenantWithCluster(cloud: KubernetesCluster["cloud"], prometheusUrl?: string): TenantConfig {
  const tenant = exampleTenant();
  const base = tenant.kubernetes!.clusters[0];
  const cluster: KubernetesCluster = { ...base, name: `prod-${cloud}`, cloud, prometheusUrl };
  return { ...tenant, kubernetes: { clusters: [cluster] } };
}

export const S3_SINK = {
  kind: "s3",
  bucket: "acme-costline-output",
  prefix: "kubernetes/prod-eks",
  region: "eu-west-1",
  roleArn: "arn:aws:iam::111122223333:role/acme-costline-k8s-job",
} as const;

/** Records the whole Kubernetes pipeline for the tenant's first cluster (or `overrides.cluster`) under mocks. */
export function recordPipeline(
  overrides: Partial<KubernetesCostPipelineArgs> = {},
  tenant: TenantConfig = exampleTenant(),
): Promise<Recorded> {
  return record(() => {
    const cluster = overrides.cluster ?? tenant.kubernetes!.clusters[0];
    const provider = new k8s.Provider("k8s", { namespace: cluster.namespace });
    new KubernetesCostPipeline("acme-k8s", {
      provider,
      tenant,
      cluster,
      jobImage: JOB_IMAGE,
      sink: S3_SINK,
      ...overrides,
    });
  });
}

export type PodSpec = k8s.types.output.core.v1.PodSpec;

/** A recorded object's inputs, typed as the Kubernetes object they describe. */
export function objectOf<T>(r: Recorded, type: string): T {
  return r.one(type).inputs as unknown as T;
}

export const cronJobOf = (r: Recorded) =>
  objectOf<k8s.types.output.batch.v1.CronJob>(r, "kubernetes:batch/v1:CronJob");
export const podOf = (r: Recorded): PodSpec => cronJobOf(r).spec.jobTemplate.spec.template.spec;
export const containerOf = (r: Recorded) => podOf(r).containers[0];
export const envOf = (r: Recorded): Record<string, string> =>
  Object.fromEntries(containerOf(r).env.map((e) => [e.name, e.value]));

/** The value at a dotted path of a recorded value (chart values are free-form). */
export function at(value: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], value);
}

/** The OpenCost chart's recorded inputs. */
export const chartOf = (r: Recorded) => r.one("kubernetes:helm.sh/v4:Chart").inputs;
