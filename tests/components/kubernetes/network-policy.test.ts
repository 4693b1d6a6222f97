import assert from "node:assert/strict";
import type { KubernetesSink } from "../../../components/kubernetes/sink";
import type { Recorded } from "../../helpers/pulumi";
import { type Connection, egressAllowed, ingressAllowed, type NetworkPolicySpec } from "./evaluate";
import { objectOf, recordPipeline, S3_SINK, tenantWithCluster } from "./fixtures";

const NS = "costline";
const OPENCOST = { "app.kubernetes.io/name": "opencost", "app.kubernetes.io/instance": "acme-opencost" };
const DNS = { "k8s-app": "kube-dns" };

const tcp = (peer: Connection["peer"], port: number): Connection => ({ peer, port, protocol: "TCP" });
const udp = (peer: Connection["peer"], port: number): Connection => ({ peer, port, protocol: "UDP" });
const pod = (labels: Record<string, string>, namespace = NS) => ({ pod: labels, namespace });
const ip = (address: string) => ({ ip: address });

/** What the job needs in every case, and what it must never reach. */
const ALWAYS_ALLOWED = [
  tcp(pod(OPENCOST), 9003),
  udp(pod(DNS, "kube-system"), 53),
  tcp(pod(DNS, "kube-system"), 53),
];
const ALWAYS_DENIED = [
  tcp(pod(OPENCOST), 9090), // the OpenCost UI
  tcp(pod(OPENCOST), 8081), // the MCP server
  tcp(pod({ "app.kubernetes.io/name": "opencost" }, "other-tenant"), 9003), // another release's OpenCost
  tcp(pod({ "app.kubernetes.io/name": "prometheus" }, "monitoring"), 9090),
  tcp(pod({ app: "postgres" }), 5432),
  udp(pod({ "k8s-app": "metrics-server" }, "kube-system"), 53),
  udp(pod(DNS, "other-namespace"), 53),
  tcp(ip("10.0.12.7"), 5432),
  tcp(ip("52.95.150.1"), 80),
  tcp(ip("52.95.150.1"), 22),
  udp(ip("8.8.8.8"), 53), // DNS only through the cluster's resolver
  // HTTPS stays out of the cluster and its networks: nodes, services, the API server, peered VPCs.
  tcp(ip("10.0.12.7"), 443),
  tcp(ip("172.20.0.1"), 443),
  tcp(ip("192.168.4.20"), 443),
  tcp(ip("100.64.3.4"), 443),
  tcp(ip("127.0.0.1"), 443),
  tcp(ip("169.254.169.254"), 443),
];

function policyOf(r: Recorded): NetworkPolicySpec {
  return objectOf<{ spec: NetworkPolicySpec }>(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy").spec;
}

async function policyFor(cloud: "aws" | "gcp" | "azure" | "other", sink: KubernetesSink) {
  const tenant = tenantWithCluster(cloud);
  return policyOf(await recordPipeline({ cluster: tenant.kubernetes!.clusters[0], sink }, tenant));
}

function assertEgress(spec: NetworkPolicySpec, allowed: Connection[], denied: Connection[]): void {
  for (const c of allowed) assert.ok(egressAllowed(spec, NS, c), `allowed: ${JSON.stringify(c)}`);
  for (const c of denied) assert.ok(!egressAllowed(spec, NS, c), `denied: ${JSON.stringify(c)}`);
}

describe("NormalizationJob NetworkPolicy", () => {
  it("the evaluator denies what a policy does not name (so the assertions below can fail)", () => {
    const spec: NetworkPolicySpec = {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ podSelector: { matchLabels: { a: "b" } } }], ports: [{ protocol: "TCP", port: 1 }] }],
    };
    assert.ok(egressAllowed(spec, NS, tcp(pod({ a: "b" }), 1)));
    assert.ok(!egressAllowed(spec, NS, tcp(pod({ a: "b" }), 2)));
    assert.ok(!egressAllowed(spec, NS, tcp(pod({ a: "b" }, "elsewhere"), 1)));
    assert.ok(egressAllowed({ podSelector: {}, policyTypes: ["Ingress"] }, NS, tcp(ip("1.2.3.4"), 1)));
  });

  it("selects the job's pods and admits no connection to them", async () => {
    const r = await recordPipeline();
    const spec = policyOf(r);
    assert.deepEqual(spec.podSelector, {
      matchLabels: {
        "app.kubernetes.io/name": "costline-normalizer",
        "app.kubernetes.io/instance": "acme-normalizer",
      },
    });
    const podLabels = objectOf<{
      spec: { jobTemplate: { spec: { template: { metadata: { labels: Record<string, string> } } } } };
    }>(r, "kubernetes:batch/v1:CronJob").spec.jobTemplate.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(spec.podSelector.matchLabels ?? {})) assert.equal(podLabels[k], v);
    assert.deepEqual(spec.policyTypes, ["Ingress", "Egress"]);
    for (const from of [
      tcp(pod(OPENCOST), 8080),
      tcp(pod({}, "kube-system"), 443),
      tcp(ip("203.0.113.9"), 443),
    ]) {
      assert.ok(!ingressAllowed(spec, NS, from), JSON.stringify(from));
    }
  });

  it("s3: OpenCost, DNS and HTTPS to the store; not the instance metadata service", async () => {
    const spec = await policyFor("aws", S3_SINK);
    assertEgress(
      spec,
      [...ALWAYS_ALLOWED, tcp(ip("52.95.150.1"), 443), tcp(ip("52.94.0.10"), 443)],
      [...ALWAYS_DENIED, tcp(ip("169.254.169.254"), 80)],
    );
  });

  it("gcs: also the GKE metadata server that hands out Workload Identity tokens", async () => {
    const spec = await policyFor("gcp", {
      kind: "gcs",
      bucket: "acme-out",
      prefix: "k8s",
      serviceAccountEmail: "costline-job@acme-finops-prod.iam.gserviceaccount.com",
    });
    assertEgress(
      spec,
      [
        ...ALWAYS_ALLOWED,
        tcp(ip("142.250.74.27"), 443),
        tcp(ip("169.254.169.254"), 80),
        tcp(ip("169.254.169.252"), 988),
      ],
      [...ALWAYS_DENIED, tcp(ip("169.254.169.254"), 8080), tcp(ip("169.254.169.253"), 80)],
    );
  });

  it("azure-blob: OpenCost, DNS and HTTPS to the store and Entra ID", async () => {
    const spec = await policyFor("azure", {
      kind: "azure-blob",
      accountUrl: "https://acmecost.blob.core.windows.net",
      container: "costline",
      prefix: "",
      clientId: "3f2c1e2a-4b5d-4c6e-8f90-a1b2c3d4e5f6",
    });
    assertEgress(
      spec,
      [...ALWAYS_ALLOWED, tcp(ip("20.60.1.1"), 443)],
      [...ALWAYS_DENIED, tcp(ip("169.254.169.254"), 80)],
    );
  });

  it("httpsEgressCidrs: HTTPS only to the named ranges (a VPC endpoint), no public address", async () => {
    const tenant = tenantWithCluster("aws");
    const cluster = {
      ...tenant.kubernetes!.clusters[0],
      httpsEgressCidrs: ["10.0.128.0/26", "52.218.0.0/17"],
    };
    const spec = policyOf(await recordPipeline({ cluster, sink: S3_SINK }, tenant));
    assertEgress(
      spec,
      [...ALWAYS_ALLOWED, tcp(ip("10.0.128.5"), 443), tcp(ip("52.218.1.1"), 443)],
      [
        ...ALWAYS_DENIED.filter((c) => !("ip" in c.peer && c.peer.ip === "10.0.128.5")),
        tcp(ip("52.95.150.1"), 443),
        tcp(ip("10.0.128.64"), 443),
      ],
    );
  });

  it("volume: OpenCost and DNS only, no way out of the cluster", async () => {
    const spec = await policyFor("other", { kind: "volume", claimName: "costline-output" });
    assertEgress(spec, ALWAYS_ALLOWED, [
      ...ALWAYS_DENIED,
      tcp(ip("52.95.150.1"), 443),
      tcp(ip("10.0.0.1"), 443),
    ]);
  });
});
