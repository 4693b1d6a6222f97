import assert from "node:assert/strict";
import type * as k8s from "@pulumi/kubernetes";
import { memoryBudget } from "../../../components/kubernetes/job-pod";
import type { KubernetesSink } from "../../../components/kubernetes/sink";
import type { Recorded } from "../../helpers/pulumi";
import { exampleTenant } from "../../helpers/tenants";
import { type ApiRequest, rbacAllows } from "./evaluate";
import {
  containerOf,
  cronJobOf,
  envOf,
  objectOf,
  podOf,
  recordPipeline,
  S3_SINK,
  tenantWithCluster,
} from "./fixtures";

type Role = k8s.types.output.rbac.v1.Role;
type RoleBinding = k8s.types.output.rbac.v1.RoleBinding;
type ServiceAccount = k8s.types.output.core.v1.ServiceAccount;

const GUID = "3f2c1e2a-4b5d-4c6e-8f90-a1b2c3d4e5f6";
const SINKS: Record<
  KubernetesSink["kind"],
  { cloud: "aws" | "gcp" | "azure" | "other"; sink: KubernetesSink }
> = {
  s3: { cloud: "aws", sink: S3_SINK },
  gcs: {
    cloud: "gcp",
    sink: {
      kind: "gcs",
      bucket: "acme-costline-output",
      prefix: "",
      serviceAccountEmail: "costline-job@acme-finops-prod.iam.gserviceaccount.com",
    },
  },
  "azure-blob": {
    cloud: "azure",
    sink: {
      kind: "azure-blob",
      accountUrl: "https://acmecost.blob.core.windows.net",
      container: "costline",
      prefix: "kubernetes",
      clientId: GUID,
    },
  },
  volume: { cloud: "other", sink: { kind: "volume", claimName: "costline-output" } },
};

/** Records the pipeline on a cluster of the sink's cloud. */
function recordWithSink(kind: KubernetesSink["kind"]): Promise<Recorded> {
  const { cloud, sink } = SINKS[kind];
  const tenant = tenantWithCluster(cloud);
  return recordPipeline({ cluster: tenant.kubernetes!.clusters[0], sink }, tenant);
}

describe("NormalizationJob", () => {
  describe("CronJob", () => {
    it("runs on the tenant's schedule in UTC, never twice at once, with bounded retries and history", async () => {
      const tenant = { ...exampleTenant(), schedule: "30 2 * * 1-5" };
      const spec = cronJobOf(await recordPipeline({}, tenant)).spec;
      assert.equal(spec.schedule, "30 2 * * 1-5");
      assert.equal(spec.timeZone, "Etc/UTC");
      assert.equal(spec.concurrencyPolicy, "Forbid");
      assert.equal(spec.startingDeadlineSeconds, 3600);
      assert.equal(spec.successfulJobsHistoryLimit, 3);
      assert.equal(spec.failedJobsHistoryLimit, 5);
      assert.equal(spec.jobTemplate.spec.backoffLimit, 2);
      assert.equal(spec.jobTemplate.spec.activeDeadlineSeconds, 10800);
      assert.equal(spec.jobTemplate.spec.template.spec.restartPolicy, "Never");
    });

    it("runs non-root with no privilege, no escalation, no capabilities, RuntimeDefault seccomp and a read-only root", async () => {
      const r = await recordPipeline();
      assert.deepEqual(podOf(r).securityContext, {
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        fsGroup: 65532,
        seccompProfile: { type: "RuntimeDefault" },
      });
      assert.deepEqual(containerOf(r).securityContext, {
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
    });

    for (const kind of Object.keys(SINKS) as KubernetesSink["kind"][]) {
      it(`has no host access and no added capabilities (${kind} sink)`, async () => {
        const pod = podOf(await recordWithSink(kind));
        assert.equal(pod.hostNetwork, undefined);
        assert.equal(pod.hostPID, undefined);
        assert.equal(pod.hostIPC, undefined);
        for (const volume of pod.volumes) {
          assert.equal(volume.hostPath, undefined, volume.name);
          const source = Object.keys(volume).filter((k) => k !== "name");
          assert.ok(
            ["emptyDir", "persistentVolumeClaim"].includes(source[0]) && source.length === 1,
            `${volume.name} is ${source}`,
          );
        }
        for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
          assert.equal(c.securityContext.capabilities.add, undefined);
          assert.equal(c.securityContext.privileged, false);
          assert.equal(c.ports, undefined, "the job listens on nothing");
        }
      });
    }

    for (const kind of Object.keys(SINKS) as KubernetesSink["kind"][]) {
      it(`mounts no Kubernetes API token (${kind} sink): the job never calls the API`, async () => {
        const pod = podOf(await recordWithSink(kind));
        assert.equal(pod.automountServiceAccountToken, false);
        const projected = pod.volumes.filter((v) => "projected" in v);
        assert.deepEqual(projected, []);
      });
    }

    it("writes only to an emptyDir at /tmp, which is where DuckDB spills", async () => {
      const r = await recordPipeline();
      assert.deepEqual(containerOf(r).volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
      assert.deepEqual(podOf(r).volumes, [{ name: "tmp", emptyDir: { sizeLimit: "4Gi" } }]);
      assert.equal(envOf(r).COSTLINE_TEMP_DIR, "/tmp");
    });

    it("requests and limits CPU, memory and disk, and gives DuckDB and V8 shares that fit the limit", async () => {
      for (const [memoryMiB, duckdb, heap] of [
        [undefined, "512MiB", 256],
        [3072, "1536MiB", 768],
      ] as const) {
        const r = await recordPipeline({ jobMemoryMiB: memoryMiB });
        const limit = memoryMiB ?? 1024;
        assert.deepEqual(containerOf(r).resources, {
          requests: { cpu: "250m", memory: `${limit}Mi`, "ephemeral-storage": "1Gi" },
          limits: { cpu: "1", memory: `${limit}Mi`, "ephemeral-storage": "5Gi" },
        });
        assert.equal(envOf(r).COSTLINE_MEMORY_LIMIT, duckdb);
        assert.equal(envOf(r).NODE_OPTIONS, `--max-old-space-size=${heap}`);
      }
    });

    it("splits any valid memory limit so that DuckDB plus the heap leave a quarter for the rest", () => {
      for (const limit of [512, 700, 1024, 4097, 65536]) {
        const b = memoryBudget(limit);
        assert.equal(b.limitMiB, limit);
        assert.ok(b.duckdbMiB + b.heapMiB <= limit * 0.75, `${limit}`);
        assert.ok(b.duckdbMiB >= 256 && b.heapMiB >= 128, `${limit}`);
      }
      for (const limit of [0, 511, 1024.5, 70000, Number.NaN])
        assert.throws(() => memoryBudget(limit), /jobMemoryMiB/);
    });

    it("tells the job the tenant's FOCUS version", async () => {
      const tenant = { ...exampleTenant(), focusVersion: "1.3" as const };
      assert.equal(envOf(await recordPipeline({}, tenant)).COSTLINE_FOCUS_VERSION, "1.3");
    });

    it("tells the job its tenant, cluster and OpenCost, and carries no credential", async () => {
      const r = await recordPipeline();
      const env = envOf(r);
      assert.equal(env.COSTLINE_FOCUS_VERSION, "1.2", "the tenant's FOCUS version, 1.2 by default");
      assert.equal(env.COSTLINE_TENANT_ID, "acme");
      assert.equal(env.COSTLINE_CLUSTER, "prod-eks");
      const container = containerOf(r);
      assert.equal(container.envFrom, undefined);
      assert.ok(container.env.every((e) => e.valueFrom === undefined));
      for (const name of Object.keys(env)) {
        assert.doesNotMatch(name, /SECRET|ACCESS_KEY|PASSWORD|TOKEN|CREDENTIALS/, name);
      }
      assert.equal(container.image, "ghcr.io/costline/job-kubernetes:0.1.0");
      assert.equal(podOf(r).enableServiceLinks, false);
    });
  });

  describe("identity per object store", () => {
    const cases: [
      KubernetesSink["kind"],
      Record<string, string> | undefined,
      Record<string, string>,
      Record<string, string>,
    ][] = [
      [
        "s3",
        { "eks.amazonaws.com/role-arn": S3_SINK.roleArn },
        {},
        { COSTLINE_SINK_URL: "s3://acme-costline-output/kubernetes/prod-eks", AWS_REGION: "eu-west-1" },
      ],
      [
        "gcs",
        { "iam.gke.io/gcp-service-account": "costline-job@acme-finops-prod.iam.gserviceaccount.com" },
        {},
        { COSTLINE_SINK_URL: "gs://acme-costline-output" },
      ],
      [
        "azure-blob",
        { "azure.workload.identity/client-id": GUID },
        { "azure.workload.identity/use": "true" },
        { COSTLINE_SINK_URL: "https://acmecost.blob.core.windows.net/costline/kubernetes" },
      ],
      ["volume", {}, {}, { COSTLINE_SINK_URL: "file:///data" }],
    ];
    for (const [kind, annotations, podLabels, env] of cases) {
      it(`${kind}: the service account carries the cloud identity, the job the store's address`, async () => {
        const r = await recordWithSink(kind);
        const account = objectOf<ServiceAccount>(r, "kubernetes:core/v1:ServiceAccount");
        assert.deepEqual(account.metadata.annotations, annotations);
        const labels = cronJobOf(r).spec.jobTemplate.spec.template.metadata.labels;
        for (const [k, v] of Object.entries(podLabels)) assert.equal(labels[k], v);
        if (Object.keys(podLabels).length === 0)
          assert.equal(labels["azure.workload.identity/use"], undefined);
        const jobEnv = envOf(r);
        for (const [k, v] of Object.entries(env)) assert.equal(jobEnv[k], v, k);
      });
    }

    it("volume: mounts the claim at /data and nothing from a cloud", async () => {
      const r = await recordWithSink("volume");
      assert.deepEqual(podOf(r).volumes[1], {
        name: "sink",
        persistentVolumeClaim: { claimName: "costline-output" },
      });
      assert.deepEqual(containerOf(r).volumeMounts[1], { name: "sink", mountPath: "/data" });
    });

    it("refuses a sink with an invalid field, naming it", async () => {
      await assert.rejects(
        recordPipeline({ sink: { ...S3_SINK, roleArn: "costline-job" } }),
        /sink\.roleArn is "costline-job"; it must be an IAM role ARN/,
      );
      await assert.rejects(
        recordPipeline({ sink: { ...S3_SINK, prefix: "/kubernetes/" } }),
        /sink\.prefix is "\/kubernetes\/"; it must be a key prefix/,
      );
      const tenant = tenantWithCluster("azure");
      const azure = SINKS["azure-blob"].sink as Extract<KubernetesSink, { kind: "azure-blob" }>;
      await assert.rejects(
        recordPipeline(
          {
            cluster: tenant.kubernetes!.clusters[0],
            sink: { ...azure, accountUrl: "http://acmecost.blob.core.windows.net" },
          },
          tenant,
        ),
        /sink\.accountUrl is "http:\/\/acmecost.blob.core.windows.net"; it must be the storage account's blob endpoint/,
      );
    });

    it("refuses an unknown sink kind, listing the known ones", async () => {
      const sink = { kind: "ftp", host: "x" } as unknown as KubernetesSink;
      await assert.rejects(
        recordPipeline({ sink }),
        /sink\.kind "ftp" is unknown; use one of "s3", "gcs", "azure-blob", "volume"/,
      );
    });

    it("refuses a workload identity the cluster's cloud does not offer, and allows a volume anywhere", async () => {
      const tenant = tenantWithCluster("other");
      const cluster = tenant.kubernetes!.clusters[0];
      for (const kind of ["s3", "gcs", "azure-blob"] as const) {
        await assert.rejects(
          recordPipeline({ cluster, sink: SINKS[kind].sink }, tenant),
          new RegExp(
            `cluster "prod-other" runs on other, but sink.kind "${kind}" uses .*; use a sink of kind "volume"`,
          ),
        );
      }
    });
  });

  describe("RBAC", () => {
    const request = (resource: string, verb: string, name?: string, apiGroup = ""): ApiRequest => ({
      apiGroup,
      resource,
      verb,
      name,
    });

    it("lets the job read the OpenCost Service and its Endpoints, and nothing else", async () => {
      const r = await recordPipeline();
      const role = objectOf<Role>(r, "kubernetes:rbac.authorization.k8s.io/v1:Role");
      const allows = (req: ApiRequest) => rbacAllows(role.rules, req);
      assert.ok(allows(request("services", "get", "acme-opencost")));
      assert.ok(allows(request("endpoints", "get", "acme-opencost")));
      const denied = [
        request("secrets", "get", "acme-opencost"),
        request("secrets", "list"),
        request("services", "list"),
        request("services", "watch"),
        request("services", "get", "kubernetes"),
        request("services", "get", "acme-opencost-other"),
        request("services", "update", "acme-opencost"),
        request("services", "delete", "acme-opencost"),
        request("services/proxy", "get", "acme-opencost"),
        request("configmaps", "get", "acme-opencost"),
        request("pods", "create"),
        request("pods/exec", "create", "acme-opencost-0"),
        request("serviceaccounts/token", "create", "acme-normalizer"),
        request("endpointslices", "list", undefined, "discovery.k8s.io"),
        request("roles", "escalate", "acme-normalizer", "rbac.authorization.k8s.io"),
      ];
      for (const req of denied) assert.ok(!allows(req), JSON.stringify(req));
      for (const rule of role.rules) {
        for (const field of [rule.apiGroups, rule.resources, rule.verbs]) assert.ok(!field.includes("*"));
      }
    });

    it("binds that Role, in the namespace, to the job's service account only, and creates no cluster-wide rights", async () => {
      const r = await recordPipeline();
      const binding = objectOf<RoleBinding>(r, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
      assert.deepEqual(binding.roleRef, {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Role",
        name: "acme-normalizer",
      });
      assert.deepEqual(binding.subjects, [
        { kind: "ServiceAccount", name: "acme-normalizer", namespace: "costline" },
      ]);
      assert.equal(binding.metadata.namespace, "costline");
      assert.equal(
        objectOf<Role>(r, "kubernetes:rbac.authorization.k8s.io/v1:Role").metadata.namespace,
        "costline",
      );
      const clusterWide = r.resources.filter((x) => /ClusterRole/.test(x.type));
      assert.deepEqual(clusterWide, []);
      assert.equal(podOf(r).serviceAccountName, "acme-normalizer");
    });
  });
});
