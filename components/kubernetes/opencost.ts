import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesCluster } from "../tenant/config";
import { type OpenCostCloudCost, wireCloudCost } from "./cloud-cost";
import { selectorLabels } from "./labels";
import { restrictedContainerSecurity, restrictedPodSecurity } from "./pod-security";

/**
 * The OpenCost Helm chart we deploy, pinned: chart 2.5.17 ships OpenCost 1.120.1 (its
 * appVersion). Upgrading means reading the chart's values.yaml again, since the values below
 * follow its layout.
 */
export const OPENCOST_CHART = {
  repo: "https://opencost.github.io/opencost-helm-chart",
  chart: "opencost",
  version: "2.5.17",
} as const;

/** The port of OpenCost's API (`/allocation`), on its pods and its Service. */
export const OPENCOST_API_PORT = 9003;

/** The user the OpenCost image declares (USER 1001 in its Dockerfile). */
const OPENCOST_UID = 1001;

/** The chart's `app.kubernetes.io/name` for OpenCost pods. */
const OPENCOST_APP = "opencost";

/** What a client of OpenCost in the same namespace needs to know about it. */
export interface OpenCostEndpoint {
  /** Name of OpenCost's Service. */
  serviceName: string;
  /** Port of its API. */
  apiPort: number;
  /** Labels of its pods (for network policies). */
  podSelector: Record<string, string>;
  /** In-cluster URL of the allocation API. */
  allocationUrl: pulumi.Output<string>;
  /** The chart, to depend on so that OpenCost is installed and ready first (Chart waits for its objects). */
  installed: pulumi.Resource;
}

export interface OpenCostArgs {
  /** The cluster's provider; every child uses it explicitly. */
  provider: k8s.Provider;
  /** Namespace to install into. */
  namespace: pulumi.Input<string>;
  /** The cluster; its name becomes OpenCost's cluster id and its prometheusUrl the Prometheus OpenCost reads. */
  cluster: KubernetesCluster;
  /** Helm release name; also the name of OpenCost's Service, Deployment and service account. */
  releaseName: string;
  /** Tenant labels, from `kubernetesLabels`; put on every object the chart renders and on the pods. */
  labels: Readonly<Record<string, string>>;
  /** Whether to run the OpenCost UI container; off unless asked for, since nothing here exposes it. */
  ui?: boolean;
  /** Cloud Costs integration reading the tenant's AWS or GCP export; off when omitted. */
  cloudCost?: OpenCostCloudCost;
}

/**
 * OpenCost from its Helm chart (helm.v4.Chart: the chart's objects become ordinary Pulumi
 * resources, so a real preview lists and policy-checks each of them), configured for the
 * cluster's Prometheus and cluster id, hardened to the namespace's `restricted` Pod Security.
 */
export class OpenCost extends pulumi.ComponentResource {
  /** How to reach it from the namespace. */
  readonly endpoint: OpenCostEndpoint;

  constructor(name: string, args: OpenCostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:kubernetes:OpenCost", name, {}, opts);
    const cost = args.cloudCost ? wireCloudCost(args.cloudCost, args.cluster) : undefined;
    const chart = new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        chart: OPENCOST_CHART.chart,
        version: OPENCOST_CHART.version,
        repositoryOpts: { repo: OPENCOST_CHART.repo },
        name: args.releaseName,
        namespace: args.namespace,
        values: chartValues(args, cost),
      },
      { parent: this, provider: args.provider },
    );
    this.endpoint = {
      serviceName: args.releaseName,
      apiPort: OPENCOST_API_PORT,
      podSelector: selectorLabels(OPENCOST_APP, args.releaseName),
      allocationUrl: pulumi.interpolate`http://${args.releaseName}.${args.namespace}.svc:${OPENCOST_API_PORT}/allocation`,
      installed: chart,
    };
    this.registerOutputs({ allocationUrl: this.endpoint.allocationUrl });
  }
}

function chartValues(args: OpenCostArgs, cost: ReturnType<typeof wireCloudCost> | undefined) {
  // OpenCost copies its pricing files into /var/configs at start. With a read-only root that must
  // be a volume; the chart mounts its own there when a cloud integration is configured, and two
  // mounts on one path would be refused, so ours is only added without one.
  const configs = cost ? [] : [{ name: "costline-var-configs", emptyDir: {} }];
  const configMounts = cost ? [] : [{ name: "costline-var-configs", mountPath: "/var/configs" }];
  const prometheus = args.cluster.prometheusUrl
    ? { external: { enabled: true, url: args.cluster.prometheusUrl }, internal: { enabled: false } }
    : { external: { enabled: false }, internal: { enabled: true } };
  return {
    // The Service name is what the job connects to: fixing it keeps it independent of the chart's
    // rule for deriving names from the release name.
    fullnameOverride: args.releaseName,
    commonLabels: args.labels,
    podLabels: args.labels,
    serviceAccount: { create: true, annotations: cost?.serviceAccountAnnotations ?? {} },
    podSecurityContext: restrictedPodSecurity(OPENCOST_UID),
    extraVolumes: configs,
    opencost: {
      exporter: {
        apiPort: OPENCOST_API_PORT,
        defaultClusterId: args.cluster.name,
        securityContext: restrictedContainerSecurity,
        extraVolumeMounts: configMounts,
      },
      prometheus,
      ui: {
        enabled: args.ui ?? false,
        // nginx in the UI image writes its cache and pid under the root filesystem.
        securityContext: { ...restrictedContainerSecurity, readOnlyRootFilesystem: false },
      },
      // The MCP server opens a second API for AI agents; nothing of ours uses it.
      mcp: { enabled: false },
      cloudIntegrationJSON: cost?.integrationJson ?? "",
      cloudCost: { enabled: cost !== undefined },
    },
  };
}
