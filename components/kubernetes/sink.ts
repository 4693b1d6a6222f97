import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesCluster } from "../tenant/config";
import { rules } from "../core/input-rules";
import { NOT_PUBLIC_V4, NOT_PUBLIC_V6 } from "../core/networks";
import { checked } from "./checks";
import { KUBERNETES_JOB_ENV as ENV } from "./job-contract";

type Input = pulumi.Input<string>;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

/** An S3 bucket, reached with IAM Roles for Service Accounts (EKS). */
export interface S3Sink {
  kind: "s3";
  /** Bucket name. */
  bucket: Input;
  /** Key prefix under which the job writes ("" for the bucket root). */
  prefix: Input;
  /** Region of the bucket. */
  region: Input;
  /** IAM role the job's service account assumes through IRSA; its trust policy names this service account. */
  roleArn: Input;
}

/** A Cloud Storage bucket, reached with GKE Workload Identity. */
export interface GcsSink {
  kind: "gcs";
  /** Bucket name. */
  bucket: Input;
  /** Object prefix under which the job writes ("" for the bucket root). */
  prefix: Input;
  /** Google service account the job's Kubernetes service account impersonates. */
  serviceAccountEmail: Input;
}

/** An Azure blob container, reached with Azure Workload Identity. */
export interface AzureBlobSink {
  kind: "azure-blob";
  /** Blob endpoint of the storage account, e.g. https://acmecost.blob.core.windows.net */
  accountUrl: Input;
  /** Container name. */
  container: Input;
  /** Blob name prefix under which the job writes ("" for the container root). */
  prefix: Input;
  /** Client id of the managed identity (or app) federated with the job's service account. */
  clientId: Input;
}

/** A PersistentVolumeClaim in the job's namespace: no cloud credentials at all. */
export interface VolumeSink {
  kind: "volume";
  /** Name of an existing claim in the job's namespace. */
  claimName: Input;
}

/** Where the normalization job writes its output, and the keyless identity it uses to get there. */
export type KubernetesSink = S3Sink | GcsSink | AzureBlobSink | VolumeSink;

/** What a sink adds to the job: where to write, which identity to carry, where it may connect. */
export interface SinkWiring {
  /** Environment variables of the job container (COSTLINE_SINK_URL and what the SDK needs beside it). */
  env: EnvVar[];
  /** Annotations of the job's service account that bind it to a cloud identity. */
  serviceAccountAnnotations: Record<string, Input>;
  /** Labels of the job's pods that the identity webhook looks for. */
  podLabels: Record<string, string>;
  /** Egress the job needs to reach the store (beyond OpenCost and DNS). */
  egress: EgressRule[];
  /** Volumes and mounts the sink needs. */
  volumes: k8s.types.input.core.v1.Volume[];
  volumeMounts: k8s.types.input.core.v1.VolumeMount[];
}

/** Where a volume sink is mounted in the job container. */
export const VOLUME_SINK_PATH = "/data";

/** The cluster cloud on which each sink's keyless identity works; a volume works anywhere. */
const SINK_IDENTITY: Record<
  KubernetesSink["kind"],
  { cloud: KubernetesCluster["cloud"]; identity: string } | undefined
> = {
  s3: { cloud: "aws", identity: "IRSA, which needs an EKS cluster" },
  gcs: { cloud: "gcp", identity: "GKE Workload Identity, which needs a GKE cluster" },
  "azure-blob": { cloud: "azure", identity: "Azure Workload Identity, which needs an AKS cluster" },
  volume: undefined,
};

/**
 * Where the job's HTTPS may go: the object store and the identity token exchange (STS, Google and
 * Entra ID token endpoints). A NetworkPolicy cannot name a host and those endpoints' addresses
 * change, so by default it is any public address and nothing inside the cluster or its networks;
 * `cidrs` (a cluster's `httpsEgressCidrs`: VPC endpoints, private endpoints, a proxy) narrow it.
 */
export function httpsEgress(cidrs?: readonly string[]): EgressRule {
  const to = cidrs?.length
    ? cidrs.map((cidr) => ({ ipBlock: { cidr: String(checked(cidr, rules.cidr, "httpsEgressCidrs")) } }))
    : [
        { ipBlock: { cidr: "0.0.0.0/0", except: NOT_PUBLIC_V4 } },
        { ipBlock: { cidr: "::/0", except: NOT_PUBLIC_V6 } },
      ];
  return { to, ports: [{ protocol: "TCP", port: 443 }] };
}

// GKE Workload Identity hands out tokens from the GKE metadata server: 169.254.169.254:80 on
// Dataplane V2, 169.254.169.252:988 otherwise (GKE documentation on network policies and
// Workload Identity).
const GKE_METADATA: EgressRule = {
  to: [{ ipBlock: { cidr: "169.254.169.254/32" } }, { ipBlock: { cidr: "169.254.169.252/32" } }],
  ports: [
    { protocol: "TCP", port: 80 },
    { protocol: "TCP", port: 988 },
  ],
};

/** Refuses a sink whose keyless identity cannot work on this cluster's cloud. */
export function assertSinkFitsCluster(sink: KubernetesSink, cluster: KubernetesCluster): void {
  const kinds = Object.keys(SINK_IDENTITY);
  if (!kinds.includes(sink.kind)) {
    throw new Error(
      `sink.kind "${sink.kind}" is unknown; use one of ${kinds.map((k) => `"${k}"`).join(", ")}`,
    );
  }
  const needs = SINK_IDENTITY[sink.kind];
  if (needs && needs.cloud !== cluster.cloud) {
    const fitting = kinds.filter((k) => {
      const cloud = SINK_IDENTITY[k as KubernetesSink["kind"]]?.cloud;
      return cloud === undefined || cloud === cluster.cloud;
    });
    throw new Error(
      `cluster "${cluster.name}" runs on ${cluster.cloud}, but sink.kind "${sink.kind}" uses ${needs.identity}; ` +
        `use a sink of kind ${fitting.map((k) => `"${k}"`).join(" or ")} for this cluster`,
    );
  }
}

/**
 * Validates the sink's fields and returns what it adds to the job; `httpsTo` narrows where its
 * HTTPS may go (see httpsEgress).
 */
export function wireSink(sink: KubernetesSink, httpsTo?: readonly string[]): SinkWiring {
  const none = { serviceAccountAnnotations: {}, podLabels: {}, volumes: [], volumeMounts: [] };
  const https = httpsEgress(httpsTo);
  switch (sink.kind) {
    case "s3": {
      const bucket = checked(sink.bucket, rules.s3Bucket, "sink.bucket");
      const prefix = checked(sink.prefix, rules.objectPrefix, "sink.prefix");
      return {
        ...none,
        env: [
          { name: ENV.sinkUrl, value: storeUrl([bucket], prefix, (b) => `s3://${b}`) },
          { name: "AWS_REGION", value: checked(sink.region, rules.awsRegion, "sink.region") },
        ],
        serviceAccountAnnotations: {
          "eks.amazonaws.com/role-arn": checked(sink.roleArn, rules.awsRoleArn, "sink.roleArn"),
        },
        egress: [https],
      };
    }
    case "gcs": {
      const bucket = checked(sink.bucket, rules.gcsBucket, "sink.bucket");
      const prefix = checked(sink.prefix, rules.objectPrefix, "sink.prefix");
      return {
        ...none,
        env: [{ name: ENV.sinkUrl, value: storeUrl([bucket], prefix, (b) => `gs://${b}`) }],
        serviceAccountAnnotations: {
          "iam.gke.io/gcp-service-account": checked(
            sink.serviceAccountEmail,
            rules.gcpServiceAccountEmail,
            "sink.serviceAccountEmail",
          ),
        },
        egress: [https, GKE_METADATA],
      };
    }
    case "azure-blob": {
      const account = checked(sink.accountUrl, rules.azureBlobAccountUrl, "sink.accountUrl");
      const container = checked(sink.container, rules.azureContainer, "sink.container");
      const prefix = checked(sink.prefix, rules.objectPrefix, "sink.prefix");
      return {
        ...none,
        env: [
          {
            name: ENV.sinkUrl,
            value: storeUrl([account, container], prefix, (a, c) => `${a}/${c}`),
          },
        ],
        serviceAccountAnnotations: {
          "azure.workload.identity/client-id": checked(sink.clientId, rules.guid, "sink.clientId"),
        },
        // The Azure Workload Identity webhook only injects the token into pods that carry this label.
        podLabels: { "azure.workload.identity/use": "true" },
        egress: [https],
      };
    }
    case "volume": {
      const claimName = checked(sink.claimName, rules.dnsLabel, "sink.claimName");
      return {
        ...none,
        env: [{ name: ENV.sinkUrl, value: `file://${VOLUME_SINK_PATH}` }],
        volumes: [{ name: "sink", persistentVolumeClaim: { claimName } }],
        volumeMounts: [{ name: "sink", mountPath: VOLUME_SINK_PATH }],
        egress: [],
      };
    }
  }
}

/** The store's URL: the base that `root` makes of its parts, then `/prefix` when there is one. */
function storeUrl(
  parts: Input[],
  prefix: Input,
  root: (...parts: string[]) => string,
): pulumi.Output<string> {
  return pulumi.all([prefix, ...parts]).apply(([p, ...ps]) => (p ? `${root(...ps)}/${p}` : root(...ps)));
}
