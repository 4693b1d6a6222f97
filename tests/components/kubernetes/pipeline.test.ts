import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesLabels } from "../../../policies/lib/tags";
import { normalizerIdentity } from "../../../components/kubernetes";
import { exampleTenant } from "../../helpers/tenants";
import { at, chartOf, cronJobOf, envOf, recordPipeline, S3_SINK, tenantWithCluster } from "./fixtures";

const T = {
  pipeline: "costline:kubernetes:CostPipeline",
  namespace: "costline:kubernetes:Namespace",
  opencost: "costline:kubernetes:OpenCost",
  job: "costline:kubernetes:NormalizationJob",
};

type Meta = { labels?: Record<string, string>; name?: string };

describe("KubernetesCostPipeline", () => {
  it("composes one component per concern, each object under its concern", async () => {
    const r = await recordPipeline();
    const top = r.one(T.pipeline);
    for (const type of [T.namespace, T.opencost, T.job]) assert.equal(r.one(type).parent, top.urn, type);
    const under = (type: string) =>
      r.resources
        .filter((x) => x.parent === r.one(type).urn)
        .map((x) => x.type)
        .sort();
    assert.deepEqual(under(T.namespace), ["kubernetes:core/v1:Namespace"]);
    assert.deepEqual(under(T.opencost), ["kubernetes:helm.sh/v4:Chart"]);
    assert.deepEqual(under(T.job), [
      "kubernetes:batch/v1:CronJob",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:rbac.authorization.k8s.io/v1:Role",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    ]);
    for (const x of r.resources.filter(
      (x) => x.parent !== null && x.type !== "pulumi:providers:kubernetes",
    )) {
      assert.match(x.name, /^acme-k8s(-|$)/, `${x.type} is named after its parent`);
    }
  });

  it("gives every Kubernetes object the cluster's provider explicitly", async () => {
    const r = await recordPipeline();
    const provider = r.one("pulumi:providers:kubernetes");
    const objects = r.resources.filter((x) => x.type.startsWith("kubernetes:"));
    assert.equal(objects.length, 7);
    for (const x of objects)
      assert.equal(x.provider?.split("::").slice(0, -1).join("::"), provider.urn, x.name);
  });

  it("labels every object, pod template and chart object with the tenant's labels", async () => {
    const r = await recordPipeline();
    const tenantLabels = kubernetesLabels("acme", exampleTenant().tags);
    const hasTenantLabels = (labels: Record<string, string> | undefined, where: string) => {
      for (const [k, v] of Object.entries(tenantLabels)) assert.equal(labels?.[k], v, `${where}: ${k}`);
    };
    for (const x of r.resources.filter((x) => x.type.startsWith("kubernetes:") && x.custom)) {
      hasTenantLabels((x.inputs.metadata as Meta).labels, x.type);
    }
    const cron = cronJobOf(r);
    hasTenantLabels(cron.spec.jobTemplate.metadata.labels, "job template");
    hasTenantLabels(cron.spec.jobTemplate.spec.template.metadata.labels, "pod template");
    assert.deepEqual(at(chartOf(r), "values.commonLabels"), tenantLabels);
    assert.deepEqual(at(chartOf(r), "values.podLabels"), tenantLabels);
  });

  it("names objects with physicalName and runs in the cluster's namespace under restricted Pod Security", async () => {
    const r = await recordPipeline();
    const ns = r.one("kubernetes:core/v1:Namespace").inputs.metadata as Meta;
    assert.equal(ns.name, "costline");
    assert.equal(ns.labels?.["pod-security.kubernetes.io/enforce"], "restricted");
    assert.equal(ns.labels?.["pod-security.kubernetes.io/warn"], "restricted");
    assert.equal(ns.labels?.["pod-security.kubernetes.io/audit"], "restricted");
    assert.equal((r.one("kubernetes:batch/v1:CronJob").inputs.metadata as Meta).name, "acme-normalizer");
    assert.equal(r.one("kubernetes:helm.sh/v4:Chart").inputs.name, "acme-opencost");
    const identity = normalizerIdentity(exampleTenant(), exampleTenant().kubernetes!.clusters[0]);
    assert.equal(identity.subject, "system:serviceaccount:costline:acme-normalizer");
    assert.equal(
      (r.one("kubernetes:core/v1:ServiceAccount").inputs.metadata as Meta).name,
      identity.serviceAccount,
    );
  });

  it("starts the job only after OpenCost, its RoleBinding and its NetworkPolicy", async () => {
    const r = await recordPipeline();
    const cron = r.one("kubernetes:batch/v1:CronJob");
    for (const type of [
      "kubernetes:helm.sh/v4:Chart",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ]) {
      assert.ok(cron.dependsOn.includes(r.one(type).urn), type);
    }
  });

  it("takes sink fields that other resources compute", async () => {
    const r = await recordPipeline({ sink: { ...S3_SINK, bucket: pulumi.output("acme-bucket-from-aws") } });
    assert.equal(envOf(r).COSTLINE_SINK_URL, "s3://acme-bucket-from-aws/kubernetes/prod-eks");
  });

  describe("refuses bad input with the fix", () => {
    it("a cluster that is not the tenant's", async () => {
      const tenant = exampleTenant();
      const stranger = { ...tenant.kubernetes!.clusters[0], name: "someone-else" };
      await assert.rejects(
        recordPipeline({ cluster: stranger }, tenant),
        /cluster "someone-else" is not in tenant "acme"'s kubernetes.clusters \(prod-eks\)/,
      );
    });

    it("a sink whose workload identity is another cloud's", async () => {
      const tenant = tenantWithCluster("gcp");
      await assert.rejects(
        recordPipeline({ cluster: tenant.kubernetes!.clusters[0] }, tenant),
        /cluster "prod-gcp" runs on gcp, but sink.kind "s3" uses IRSA, which needs an EKS cluster; use a sink of kind "gcs" or "volume"/,
      );
    });

    it("an unpinned job image", async () => {
      for (const jobImage of ["ghcr.io/costline/job-kubernetes", "ghcr.io/costline/job-kubernetes:latest"]) {
        await assert.rejects(recordPipeline({ jobImage }), /jobImage is .*pinned tag or digest/);
      }
      await recordPipeline({ jobImage: `ghcr.io/costline/job-kubernetes@sha256:${"a".repeat(64)}` });
    });

    it("a memory limit DuckDB cannot work in", async () => {
      await assert.rejects(recordPipeline({ jobMemoryMiB: 128 }), /jobMemoryMiB is 128; give a whole number/);
    });
  });
});
