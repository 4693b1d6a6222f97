import type * as k8s from "@pulumi/kubernetes";
import type { SinkWiring } from "./sink";

/** Where the job may connect: OpenCost's pods on its API port, and DNS. */
export interface JobPeers {
  /** Labels of OpenCost's pods (same namespace as the job). */
  opencostPods: Record<string, string>;
  /** OpenCost's API port on those pods. */
  opencostPort: number;
}

// CoreDNS on EKS, GKE and AKS runs in kube-system with the label k8s-app=kube-dns.
const CLUSTER_DNS = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

/**
 * The job's NetworkPolicy: nothing may connect to it, and it may connect only to OpenCost, to the
 * cluster DNS, and to what its sink needs (HTTPS to the object store, a metadata server).
 */
export function jobNetworkPolicySpec(
  jobPods: Record<string, string>,
  peers: JobPeers,
  sink: SinkWiring,
): k8s.types.input.networking.v1.NetworkPolicySpec {
  return {
    podSelector: { matchLabels: jobPods },
    policyTypes: ["Ingress", "Egress"],
    ingress: [],
    egress: [
      {
        to: [{ podSelector: { matchLabels: peers.opencostPods } }],
        ports: [{ protocol: "TCP", port: peers.opencostPort }],
      },
      CLUSTER_DNS,
      ...sink.egress,
    ],
  };
}
