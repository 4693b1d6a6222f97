import assert from "node:assert/strict";
import { OPENCOST_CHART } from "../../../components/kubernetes";
import { at, chartOf, envOf, recordPipeline, tenantWithCluster } from "./fixtures";

const GCS_SINK = {
  kind: "gcs",
  bucket: "acme-costline-output",
  prefix: "kubernetes",
  serviceAccountEmail: "costline-job@acme-finops-prod.iam.gserviceaccount.com",
} as const;

const ATHENA = {
  kind: "aws-athena",
  queryResultsBucket: "acme-athena-results",
  region: "eu-west-1",
  database: "costline_acme",
  table: "cur2",
  workgroup: "costline-acme",
  accountId: "111122223333",
  roleArn: "arn:aws:iam::111122223333:role/acme-opencost-cloud-cost",
} as const;

const BIGQUERY = {
  kind: "gcp-bigquery",
  projectId: "acme-finops-prod",
  dataset: "costline_billing",
  table: "gcp_billing_export_resource_v1_01ABCD_23EF45_67ABCD",
  serviceAccountEmail: "opencost@acme-finops-prod.iam.gserviceaccount.com",
} as const;

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  }
  return [];
}

/** The fields OpenCost's key-based authorizers use; none may appear. */
function assertNoKeyMaterial(integration: unknown): void {
  const keys = keysOf(integration);
  for (const field of ["id", "secret", "key", "private_key", "serviceKeyName", "serviceKeySecret"]) {
    assert.ok(!keys.includes(field), `no "${field}" in the integration`);
  }
}

describe("OpenCost", () => {
  it("installs the pinned chart from the OpenCost repository as the named release", async () => {
    const chart = chartOf(await recordPipeline());
    assert.deepEqual(OPENCOST_CHART, {
      repo: "https://opencost.github.io/opencost-helm-chart",
      chart: "opencost",
      version: "2.5.17",
    });
    assert.equal(chart.chart, "opencost");
    assert.equal(chart.version, "2.5.17");
    assert.deepEqual(chart.repositoryOpts, { repo: "https://opencost.github.io/opencost-helm-chart" });
    assert.equal(chart.name, "acme-opencost");
    assert.equal(chart.namespace, "costline");
    assert.equal(at(chart, "values.fullnameOverride"), "acme-opencost");
  });

  it("reads the cluster's external Prometheus and reports the cluster name as its id", async () => {
    const values = at(chartOf(await recordPipeline()), "values");
    assert.deepEqual(at(values, "opencost.prometheus"), {
      external: { enabled: true, url: "http://prometheus-server.monitoring.svc:80" },
      internal: { enabled: false },
    });
    assert.equal(at(values, "opencost.exporter.defaultClusterId"), "prod-eks");
    assert.equal(at(values, "opencost.exporter.apiPort"), 9003);
  });

  it("reads the in-cluster Prometheus when the cluster names none", async () => {
    const tenant = tenantWithCluster("aws");
    const values = at(
      chartOf(await recordPipeline({ cluster: tenant.kubernetes!.clusters[0] }, tenant)),
      "values",
    );
    assert.deepEqual(at(values, "opencost.prometheus"), {
      external: { enabled: false },
      internal: { enabled: true },
    });
    assert.equal(at(values, "opencost.exporter.defaultClusterId"), "prod-aws");
  });

  it("keeps the UI and the MCP server off unless the UI is asked for", async () => {
    const off = at(chartOf(await recordPipeline()), "values.opencost");
    assert.equal(at(off, "ui.enabled"), false);
    assert.equal(at(off, "mcp.enabled"), false);
    const on = at(chartOf(await recordPipeline({ opencostUi: true })), "values.opencost");
    assert.equal(at(on, "ui.enabled"), true);
    assert.equal(at(on, "ui.securityContext.allowPrivilegeEscalation"), false);
    assert.deepEqual(at(on, "ui.securityContext.capabilities"), { drop: ["ALL"] });
  });

  it("runs OpenCost under restricted Pod Security with a read-only root and a writable /var/configs", async () => {
    const values = at(chartOf(await recordPipeline()), "values");
    assert.deepEqual(at(values, "podSecurityContext"), {
      runAsNonRoot: true,
      runAsUser: 1001,
      runAsGroup: 1001,
      fsGroup: 1001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(at(values, "opencost.exporter.securityContext"), {
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(at(values, "extraVolumes"), [{ name: "costline-var-configs", emptyDir: {} }]);
    assert.deepEqual(at(values, "opencost.exporter.extraVolumeMounts"), [
      { name: "costline-var-configs", mountPath: "/var/configs" },
    ]);
  });

  it("has no cloud cost integration and no cloud identity unless asked", async () => {
    const values = at(chartOf(await recordPipeline()), "values");
    assert.equal(at(values, "opencost.cloudCost.enabled"), false);
    assert.equal(at(values, "opencost.cloudIntegrationJSON"), "");
    assert.deepEqual(at(values, "serviceAccount.annotations"), {});
  });

  it("reads the AWS CUR through Athena with IRSA and no key", async () => {
    const values = at(chartOf(await recordPipeline({ cloudCost: ATHENA })), "values");
    assert.equal(at(values, "opencost.cloudCost.enabled"), true);
    const integration = JSON.parse(at(values, "opencost.cloudIntegrationJSON") as string);
    assert.deepEqual(integration, {
      aws: {
        athena: [
          {
            bucket: "s3://acme-athena-results",
            region: "eu-west-1",
            database: "costline_acme",
            table: "cur2",
            workgroup: "costline-acme",
            account: "111122223333",
            authorizer: { authorizerType: "AWSServiceAccount" },
          },
        ],
      },
    });
    assertNoKeyMaterial(integration);
    assert.deepEqual(at(values, "serviceAccount.annotations"), {
      "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/acme-opencost-cloud-cost",
    });
    // The chart mounts its own /var/configs with the integration; a second mount there would be refused.
    assert.deepEqual(at(values, "extraVolumes"), []);
    assert.deepEqual(at(values, "opencost.exporter.extraVolumeMounts"), []);
  });

  it("reads the GCP billing export in BigQuery with GKE Workload Identity and no key", async () => {
    const tenant = tenantWithCluster("gcp");
    const values = at(
      chartOf(
        await recordPipeline(
          { cluster: tenant.kubernetes!.clusters[0], sink: GCS_SINK, cloudCost: BIGQUERY },
          tenant,
        ),
      ),
      "values",
    );
    const integration = JSON.parse(at(values, "opencost.cloudIntegrationJSON") as string);
    assert.deepEqual(integration.gcp.bigQuery[0].authorizer, { authorizerType: "GCPWorkloadIdentity" });
    assert.equal(integration.gcp.bigQuery[0].table, BIGQUERY.table);
    assert.deepEqual(at(values, "serviceAccount.annotations"), {
      "iam.gke.io/gcp-service-account": BIGQUERY.serviceAccountEmail,
    });
    assertNoKeyMaterial(integration);
  });

  it("refuses an integration whose identity belongs to another cloud", async () => {
    await assert.rejects(
      recordPipeline({ cloudCost: BIGQUERY }),
      /cluster "prod-eks" runs on aws, but cloudCost.kind "gcp-bigquery" needs the gcp workload identity/,
    );
  });

  it("refuses an invalid integration field, naming it", async () => {
    await assert.rejects(
      recordPipeline({ cloudCost: { ...ATHENA, database: "Costline-ACME" } }),
      /cloudCost\.database is "Costline-ACME"; it must be a Glue database or table name/,
    );
  });

  it("gives the job the tenant's checks settings", async () => {
    const checks = JSON.parse(String(envOf(await recordPipeline()).COSTLINE_CHECKS));
    assert.equal(checks.freshness.maxExportLagHours, 4);
    assert.equal(checks.budgets.enabled, true);
    assert.deepEqual(checks.tagAliases, { cost_center: ["cost-center"] });
  });

  it("tells the job where OpenCost's allocation API is", async () => {
    assert.equal(
      envOf(await recordPipeline()).COSTLINE_OPENCOST_URL,
      "http://acme-opencost.costline.svc:9003/allocation",
    );
  });
});
