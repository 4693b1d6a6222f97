import assert from "node:assert/strict";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { REQUIRED_APIS } from "../../../components/gcp/apis";
import { billingExportSetup } from "../../../components/gcp/billing-export";
import { AUDITED_SERVICES, GCP_JOB_ENV } from "../../../components/gcp/job-contract";
import { GcpCostPipeline } from "../../../components/gcp/pipeline";
import { tenantSecretPath } from "../../../components/core/secrets";
import { gcpLabels } from "../../../policies/lib/tags";
import type { TenantConfig } from "../../../components/tenant/config";
import { CHECKS_SETTING } from "../../../runtime/checks/config";
import { outputColumns, sqlType } from "../../../runtime/schema/output";
import { FAKE } from "../../../stacks/plan/fakes";
import { type Recorded, record } from "../../helpers/pulumi";
import { exampleTenant } from "../../helpers/tenants";
import { type Grant, grantsFor, grantsOf } from "./grants";

const PROJECT = "acme-finops-prod";
const POOL = `projects/${FAKE.gcpProjectNumber}/locations/global/workloadIdentityPools/costline-acme`;
const sa = (id: string) => `serviceAccount:${id}@${PROJECT}.iam.gserviceaccount.com`;
const JOB = sa("costline-acme-job");
const READER = sa("costline-acme-reader");
const BUILDER = sa("costline-acme-build");
const INVOKER = sa("costline-acme-invoker");
const PLATFORM = `principalSet://iam.googleapis.com/${POOL}/attribute.aws_role/arn:aws:sts::999988887777:assumed-role/costline-platform`;
const EXPORT_DATASET = `dataset:${PROJECT}.costline_acme_billing_export`;
const NORMALIZED_DATASET = `dataset:${PROJECT}.costline_acme_normalized`;

/** Records the GCP pipeline of a tenant on an explicit provider, returning it for its outputs. */
async function recordPipeline(
  tenant: TenantConfig,
): Promise<{ recorded: Recorded; pipeline: GcpCostPipeline }> {
  let pipeline: GcpCostPipeline | undefined;
  const recorded = await record(() => {
    const cfg = tenant.gcp!;
    const provider = new gcp.Provider("tenant-gcp", { project: cfg.projectId, region: cfg.region });
    pipeline = new GcpCostPipeline("acme-gcp", {
      provider,
      tenant,
      gcp: cfg,
      jobSource: new pulumi.asset.FileArchive("dist/jobs/gcp"),
    });
  });
  return { recorded, pipeline: pipeline! };
}

const resolved = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("gcp: GcpCostPipeline on the example tenant", () => {
  let r: Recorded;
  let pipeline: GcpCostPipeline;
  let grants: Grant[];
  before(async () => {
    ({ recorded: r, pipeline } = await recordPipeline(exampleTenant()));
    grants = grantsOf(r.resources);
  });

  it("composes one component per concern under the pipeline", () => {
    const top = r.one("costline:gcp:CostPipeline");
    const children = r.resources.filter((x) => x.parent === top.urn).map((x) => x.type);
    assert.deepEqual(children, [
      "costline:gcp:ProjectApis",
      "costline:gcp:AuditLogging",
      "costline:gcp:BillingExport",
      "costline:gcp:NormalizedDataset",
      "costline:gcp:CostViews",
      "costline:gcp:PlatformAccess",
      "costline:gcp:ConnectionSecret",
      "costline:gcp:JobIdentity",
      "costline:gcp:NormalizationJob",
    ]);
  });

  it("creates every GCP resource on the tenant's provider, after the APIs it needs are enabled", () => {
    const provider = r.one("pulumi:providers:gcp");
    const services = r.ofType("gcp:projects/service:Service");
    assert.deepEqual(services.map((s) => s.inputs.service).sort(), [...REQUIRED_APIS].sort());
    assert.ok(services.every((s) => s.inputs.disableOnDestroy === false));
    const resources = r.resources.filter((x) => x.custom && x.type.startsWith("gcp:"));
    assert.ok(resources.length > services.length);
    for (const x of resources) {
      assert.ok(x.provider?.startsWith(`${provider.urn}::`), `${x.name} uses ${x.provider}`);
      assert.match(x.name, /^acme-gcp-/);
      if (x.type === "gcp:projects/service:Service") continue;
      for (const s of services)
        assert.ok(x.dependsOn.includes(s.urn), `${x.name} does not wait for ${s.inputs.service}`);
    }
  });

  describe("least privilege", () => {
    it("grants the job exactly: read the export, write the normalized dataset, run queries, read its secret", () => {
      assert.deepEqual(grantsFor(grants, JOB), [
        `roles/bigquery.dataEditor on ${NORMALIZED_DATASET}`,
        `roles/bigquery.dataViewer on ${EXPORT_DATASET}`,
        `roles/bigquery.jobUser on project:${PROJECT}`,
        `roles/secretmanager.secretAccessor on secret:${PROJECT}/tenant-acme-gcp-acme-finops-prod`,
      ]);
    });

    it("grants the platform's reader exactly: view the two datasets and run queries", () => {
      assert.deepEqual(grantsFor(grants, READER), [
        `roles/bigquery.dataViewer on ${EXPORT_DATASET}`,
        `roles/bigquery.dataViewer on ${NORMALIZED_DATASET}`,
        `roles/bigquery.jobUser on project:${PROJECT}`,
      ]);
    });

    it("lets only the platform's AWS role impersonate the reader, and nothing else", () => {
      assert.deepEqual(grantsFor(grants, PLATFORM), [
        `roles/iam.workloadIdentityUser on serviceAccount:projects/${PROJECT}/serviceAccounts/costline-acme-reader@${PROJECT}.iam.gserviceaccount.com`,
      ]);
      const impersonation = grants.filter((g) =>
        /workloadIdentityUser|serviceAccountTokenCreator|serviceAccountUser/.test(g.role),
      );
      assert.deepEqual(
        impersonation.map((g) => g.member),
        [PLATFORM],
      );
    });

    it("grants the build and the scheduler only what building and invoking need", () => {
      assert.deepEqual(grantsFor(grants, BUILDER), [
        `roles/artifactregistry.writer on repository:${PROJECT}/europe-west1/costline-acme-jobs`,
        `roles/logging.logWriter on project:${PROJECT}`,
        "roles/storage.objectViewer on bucket:acme-finops-prod-costline-acme-jobs",
      ]);
      assert.deepEqual(grantsFor(grants, INVOKER), [
        `roles/run.invoker on runService:${PROJECT}/europe-west1/costline-acme-normalize`,
      ]);
    });

    it("grants nothing to anyone else", () => {
      const known = new Set([JOB, READER, PLATFORM, BUILDER, INVOKER]);
      assert.deepEqual(
        grants.filter((g) => !known.has(g.member)),
        [],
      );
      assert.equal(grants.length, 4 + 3 + 1 + 3 + 1);
    });

    it("denies: no primitive or admin roles, no public members, no pool-wide principal set", () => {
      for (const g of grants) {
        assert.doesNotMatch(g.role, /^roles\/(owner|editor|viewer)$/, g.urn);
        assert.doesNotMatch(g.role, /admin|\.owner$/i, g.urn);
        assert.doesNotMatch(g.member, /^(allUsers|allAuthenticatedUsers)$|^domain:|^group:/, g.urn);
        assert.doesNotMatch(
          g.member,
          /workloadIdentityPools\/[^/]+\/\*$|workloadIdentityPools\/[^/]+$/,
          g.urn,
        );
      }
    });

    it("denies: no data write beyond the normalized dataset, no project-wide data or secret access", () => {
      const projectRoles = grants.filter((g) => g.scope.startsWith("project:")).map((g) => g.role);
      assert.deepEqual([...new Set(projectRoles)].sort(), [
        "roles/bigquery.jobUser",
        "roles/logging.logWriter",
      ]);
      assert.deepEqual(
        grants.filter((g) => g.role === "roles/bigquery.dataEditor").map((g) => `${g.member} ${g.scope}`),
        [`${JOB} ${NORMALIZED_DATASET}`],
      );
      assert.deepEqual(
        grants.filter((g) => g.scope.startsWith("secret:")).map((g) => g.member),
        [JOB],
      );
    });

    it("grants no role that can change the project's audit configs (they are part of its IAM policy)", () => {
      // Every role granted, all of them: none holds resourcemanager.projects.setIamPolicy, which
      // roles/owner, roles/resourcemanager.projectIamAdmin and roles/iam.securityAdmin carry.
      assert.deepEqual([...new Set(grants.map((g) => g.role))].sort(), [
        "roles/artifactregistry.writer",
        "roles/bigquery.dataEditor",
        "roles/bigquery.dataViewer",
        "roles/bigquery.jobUser",
        "roles/iam.workloadIdentityUser",
        "roles/logging.logWriter",
        "roles/run.invoker",
        "roles/secretmanager.secretAccessor",
        "roles/storage.objectViewer",
      ]);
      assert.deepEqual(r.ofType("gcp:projects/iAMPolicy:IAMPolicy"), []);
      assert.deepEqual(r.ofType("gcp:projects/iAMBinding:IAMBinding"), []);
    });

    it("creates no service account key of any kind", () => {
      const keyTypes = r.resources.filter((x) => /key/i.test(x.type.split(":")[2] ?? "")).map((x) => x.type);
      assert.deepEqual(keyTypes, []);
    });
  });

  describe("audit logging", () => {
    it("turns on ADMIN_READ and DATA_READ audit logs of Secret Manager, BigQuery and Cloud Storage", () => {
      const configs = r.ofType("gcp:projects/iAMAuditConfig:IAMAuditConfig").map((c) => c.inputs);
      assert.deepEqual(
        configs.map((c) => c.service),
        ["secretmanager.googleapis.com", "bigquery.googleapis.com", "storage.googleapis.com"],
      );
      assert.deepEqual(
        [...AUDITED_SERVICES],
        configs.map((c) => c.service),
      );
      for (const c of configs) {
        assert.equal(c.project, PROJECT);
        assert.deepEqual(c.auditLogConfigs, [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }]);
      }
    });

    it("keeps those audit logs 400 days in a log bucket in the tenant's region, fed by a sink", async () => {
      const bucket = r.one("gcp:logging/projectBucketConfig:ProjectBucketConfig").inputs;
      assert.deepEqual(
        {
          project: bucket.project,
          location: bucket.location,
          bucketId: bucket.bucketId,
          days: bucket.retentionDays,
        },
        { project: PROJECT, location: "europe-west1", bucketId: "costline-acme-audit", days: 400 },
      );
      const path = `projects/${PROJECT}/locations/europe-west1/buckets/costline-acme-audit`;
      const sink = r.one("gcp:logging/projectSink:ProjectSink");
      assert.equal(sink.inputs.destination, `logging.googleapis.com/${path}`);
      assert.equal(
        sink.inputs.filter,
        'logName:"cloudaudit.googleapis.com" AND protoPayload.serviceName=("secretmanager.googleapis.com" OR "bigquery.googleapis.com" OR "storage.googleapis.com")',
      );
      assert.ok(sink.dependsOn.includes(r.one("gcp:logging/projectBucketConfig:ProjectBucketConfig").urn));
      assert.equal(await resolved(pipeline.auditLogBucket), path);
    });
  });

  it("admits only the configured AWS role through the pool's single provider", () => {
    const pool = r.one("gcp:iam/workloadIdentityPool:WorkloadIdentityPool");
    assert.equal(pool.inputs.workloadIdentityPoolId, "costline-acme");
    const provider = r.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider");
    assert.equal(provider.inputs.workloadIdentityPoolId, "costline-acme");
    assert.deepEqual(provider.inputs.aws, { accountId: "999988887777" });
    assert.equal(provider.inputs.oidc, undefined);
    assert.equal(
      provider.inputs.attributeCondition,
      'attribute.aws_role == "arn:aws:sts::999988887777:assumed-role/costline-platform"',
    );
  });

  it("keeps the billing export and normalized datasets in the configured location, protected from deletion", () => {
    for (const d of r.ofType("gcp:bigquery/dataset:Dataset")) {
      assert.equal(d.inputs.location, "EU");
      assert.equal(d.inputs.deletionPolicy, "PREVENT");
      assert.equal(d.inputs.deleteContentsOnDestroy, false);
      assert.equal(d.inputs.defaultEncryptionConfiguration, undefined);
      assert.equal(
        d.inputs.accesses,
        undefined,
        "an authoritative access list would remove the billing export's writer",
      );
    }
    assert.deepEqual(
      r.ofType("gcp:bigquery/dataset:Dataset").map((d) => d.inputs.datasetId),
      ["costline_acme_billing_export", "costline_acme_normalized"],
    );
  });

  it("partitions the normalized table by day, clusters it by tenant, provider and service, with the runtime's schema", () => {
    const table = r.one("gcp:bigquery/table:Table", "acme-gcp-normalized-table");
    assert.equal(table.inputs.datasetId, "costline_acme_normalized");
    assert.equal(table.inputs.tableId, "focus_cost");
    assert.deepEqual(table.inputs.timePartitioning, { type: "DAY", field: "x_ChargeDate" });
    assert.deepEqual(table.inputs.clusterings, ["x_TenantId", "x_Provider", "ServiceName"]);
    assert.equal(table.inputs.deletionProtection, true);
    const schema = JSON.parse(String(table.inputs.schema)) as { name: string; type: string; mode: string }[];
    assert.deepEqual(
      schema.map((f) => `${f.name}:${f.type}`),
      outputColumns().map((c) => `${c.name}:${sqlType(c.type, "bigquery")}`),
    );
  });

  it("gives a tenant writing FOCUS 1.3 a normalized table of 1.3's columns", async () => {
    const { recorded } = await recordPipeline({ ...exampleTenant(), focusVersion: "1.3" });
    const table = recorded.one("gcp:bigquery/table:Table", "acme-gcp-normalized-table");
    const schema = JSON.parse(String(table.inputs.schema)) as { name: string; type: string }[];
    assert.deepEqual(
      schema.map((f) => `${f.name}:${f.type}`),
      outputColumns("1.3").map((c) => `${c.name}:${sqlType(c.type, "bigquery")}`),
    );
    assert.ok(schema.some((f) => f.name === "ContractApplied" && f.type === "JSON"));
  });

  it("keeps the connection settings at the tenant secret path, replicated only in the tenant's region", () => {
    const secret = r.one("gcp:secretmanager/secret:Secret");
    assert.equal(secret.inputs.secretId, tenantSecretPath("acme", "gcp", PROJECT));
    assert.deepEqual(secret.inputs.replication, {
      userManaged: { replicas: [{ location: "europe-west1" }] },
    });
    const version = r.one("gcp:secretmanager/secretVersion:SecretVersion");
    assert.equal(version.inputs.secret, `projects/${PROJECT}/secrets/tenant-acme-gcp-acme-finops-prod`);
    assert.equal(version.inputs.secretData, "[secret]");
  });

  it("runs the job as a gen2 function with internal ingress, its own identity and a dedicated build account", () => {
    const fn = r.one("gcp:cloudfunctionsv2/function:Function");
    const config = fn.inputs.serviceConfig as Record<string, unknown>;
    assert.equal(config.ingressSettings, "ALLOW_INTERNAL_ONLY");
    assert.equal(config.serviceAccountEmail, `costline-acme-job@${PROJECT}.iam.gserviceaccount.com`);
    assert.deepEqual(config.environmentVariables, {
      [GCP_JOB_ENV.tenantId]: "acme",
      [GCP_JOB_ENV.settingsSecret]: `projects/${PROJECT}/secrets/tenant-acme-gcp-acme-finops-prod/versions/latest`,
      // The tenant's display names of its billing accounts, which the export lacks.
      [GCP_JOB_ENV.billingAccountNames]:
        '{"01A2B3-C4D5E6-F7A8B9":"ACME Production","01B2C3-D4E5F6-A7B8C9":"ACME Japan"}',
      // The tenant's checks, which the job runs over the months it writes.
      [CHECKS_SETTING]: JSON.stringify(exampleTenant().checks),
    });
    const build = fn.inputs.buildConfig as Record<string, unknown>;
    assert.equal(
      build.serviceAccount,
      `projects/${PROJECT}/serviceAccounts/costline-acme-build@${PROJECT}.iam.gserviceaccount.com`,
    );
    assert.equal(
      build.dockerRepository,
      `projects/${PROJECT}/locations/europe-west1/repositories/costline-acme-jobs`,
    );
    assert.deepEqual(build.source, {
      storageSource: { bucket: "acme-finops-prod-costline-acme-jobs", object: "gcp-job.zip" },
    });
    assert.equal(fn.inputs.location, "europe-west1");
    const grantUrns = grants.filter((g) => g.member === BUILDER).map((g) => g.urn);
    for (const urn of grantUrns) assert.ok(fn.dependsOn.includes(urn), "the build must wait for its grants");
  });

  it("uploads the source to a private bucket with uniform access", () => {
    const bucket = r.one("gcp:storage/bucket:Bucket");
    assert.equal(bucket.inputs.uniformBucketLevelAccess, true);
    assert.equal(bucket.inputs.publicAccessPrevention, "enforced");
    assert.equal(bucket.inputs.location, "europe-west1");
    const object = r.one("gcp:storage/bucketObject:BucketObject");
    assert.equal(object.inputs.bucket, bucket.inputs.name);
  });

  it("calls the function on the tenant schedule in UTC with an OIDC token of the invoker account", () => {
    const job = r.one("gcp:cloudscheduler/job:Job");
    assert.equal(job.inputs.schedule, "0 6 * * *");
    assert.equal(job.inputs.timeZone, "Etc/UTC");
    assert.equal(job.inputs.region, "europe-west1");
    const target = job.inputs.httpTarget as {
      uri: string;
      httpMethod: string;
      oidcToken: Record<string, string>;
    };
    assert.match(target.uri, /^https:\/\/costline-acme-normalize-[0-9a-f]+\.a\.run\.app$/);
    assert.equal(target.httpMethod, "POST");
    assert.deepEqual(target.oidcToken, {
      serviceAccountEmail: `costline-acme-invoker@${PROJECT}.iam.gserviceaccount.com`,
      audience: target.uri,
    });
    assert.equal(job.inputs.oauthToken, undefined);
  });

  it("creates unified and the named cost views beside the normalized table, each after what it reads", () => {
    type View = { query: string; useLegacySql: boolean };
    const views = r.ofType("gcp:bigquery/table:Table").filter((t) => t.inputs.view);
    const view = (t: (typeof views)[number]) => t.inputs.view as View;
    assert.deepEqual(
      views.map((v) => v.inputs.tableId),
      ["unified", "monthly_cost", "tag_coverage", "commitment_savings", "kubernetes_vs_cloud"],
    );
    const table = r.one("gcp:bigquery/table:Table", "acme-gcp-normalized-table");
    const unified = views[0]!;
    for (const v of views) {
      assert.equal(v.inputs.datasetId, "costline_acme_normalized");
      assert.equal(view(v).useLegacySql, false);
      assert.ok(v.dependsOn.includes(table.urn), `${v.name} does not wait for the table`);
      if (v !== unified) {
        assert.ok(v.dependsOn.includes(unified.urn), `${v.name} does not wait for unified`);
        assert.match(view(v).query, /FROM `acme-finops-prod\.costline_acme_normalized\.unified`/);
      }
    }
    assert.match(view(unified).query, /FROM `acme-finops-prod\.costline_acme_normalized\.focus_cost`/);
    // The tenant's alias cost-center is read into its canonical key in canonical_tags.
    assert.match(
      view(unified).query,
      /STRUCT\('cost-center' AS k, CAST\(NULL AS STRING\) AS v\).* AS `canonical_tags`/,
    );
  });

  it("labels every labelable resource with the tenant's GCP labels", () => {
    const labels = gcpLabels("acme", exampleTenant().tags);
    const labelable = new Set([
      "gcp:bigquery/dataset:Dataset",
      "gcp:bigquery/table:Table",
      "gcp:secretmanager/secret:Secret",
      "gcp:storage/bucket:Bucket",
      "gcp:artifactregistry/repository:Repository",
      "gcp:cloudfunctionsv2/function:Function",
    ]);
    // Types whose API has no labels; a new type must be put in one list or the other.
    const unlabelable = new Set([
      "gcp:projects/service:Service",
      "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
      "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
      "gcp:serviceaccount/account:Account",
      "gcp:secretmanager/secretVersion:SecretVersion",
      "gcp:storage/bucketObject:BucketObject",
      "gcp:cloudscheduler/job:Job",
      "gcp:projects/iAMAuditConfig:IAMAuditConfig",
      "gcp:logging/projectBucketConfig:ProjectBucketConfig",
      "gcp:logging/projectSink:ProjectSink",
      ...Object.keys(Object.fromEntries(grants.map((g) => [r.byUrn(g.urn).type, true]))),
    ]);
    for (const x of r.resources.filter((y) => y.custom && y.type.startsWith("gcp:"))) {
      if (labelable.has(x.type)) assert.deepEqual(x.inputs.labels, labels, x.name);
      else assert.ok(unlabelable.has(x.type), `${x.type} is in neither list`);
    }
    assert.ok(r.resources.filter((x) => labelable.has(x.type)).length >= labelable.size + 1);
  });

  it("outputs the console steps for each billing account and the platform's audience", async () => {
    const tenant = exampleTenant();
    assert.deepEqual(
      await resolved(pipeline.billingExportSetup),
      billingExportSetup({
        projectId: PROJECT,
        datasetId: "costline_acme_billing_export",
        billingAccountIds: tenant.gcp!.billingAccountIds,
        exportTypes: tenant.gcp!.exportTypes,
      }),
    );
    assert.equal(
      await resolved(pipeline.workloadIdentityAudience),
      `//iam.googleapis.com/${POOL}/providers/platform-aws`,
    );
    assert.equal(
      await resolved(pipeline.readerServiceAccountEmail),
      `costline-acme-reader@${PROJECT}.iam.gserviceaccount.com`,
    );
  });
});

describe("gcp: GcpCostPipeline variants", () => {
  const withGcp = (
    patch: Partial<NonNullable<TenantConfig["gcp"]>>,
    tenant = exampleTenant(),
  ): TenantConfig => ({
    ...tenant,
    gcp: { ...tenant.gcp!, ...patch },
  });

  it("keeps audit logs as long as the tenant's audit.retentionDays says", async () => {
    const { recorded } = await recordPipeline({ ...exampleTenant(), audit: { retentionDays: 3650 } });
    assert.equal(
      recorded.one("gcp:logging/projectBucketConfig:ProjectBucketConfig").inputs.retentionDays,
      3650,
    );
  });

  it("federates an OIDC platform: issuer, audience, one subject, granted to that principal alone", async () => {
    const subject = "system:serviceaccount:costline:platform";
    const { recorded } = await recordPipeline(
      withGcp({
        platformIdentity: {
          kind: "oidc",
          issuerUri: "https://oidc.example.com/cluster",
          audience: "costline-gcp",
          subject,
        },
      }),
    );
    const provider = recorded.one("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider");
    assert.deepEqual(provider.inputs.oidc, {
      issuerUri: "https://oidc.example.com/cluster",
      allowedAudiences: ["costline-gcp"],
    });
    assert.equal(provider.inputs.aws, undefined);
    assert.equal(provider.inputs.attributeCondition, `assertion.sub == "${subject}"`);
    const wif = grantsOf(recorded.resources).filter((g) => g.role === "roles/iam.workloadIdentityUser");
    assert.deepEqual(
      wif.map((g) => g.member),
      [`principal://iam.googleapis.com/${POOL}/subject/${subject}`],
    );
  });

  describe("Cloud Asset Inventory for the platform, only when asked", () => {
    const asset = (g: Grant) => g.role.startsWith("roles/cloudasset.");
    const apis = (rec: Recorded) => rec.ofType("gcp:projects/service:Service").map((x) => x.inputs.service);

    it("grants nothing and enables no asset API by default", async () => {
      const { recorded } = await recordPipeline(exampleTenant());
      assert.deepEqual(grantsOf(recorded.resources).filter(asset), []);
      assert.ok(!apis(recorded).includes("cloudasset.googleapis.com"));
    });

    it("lets the reader alone view asset metadata on the project, and gives it nothing else new", async () => {
      const before = grantsOf((await recordPipeline(exampleTenant())).recorded.resources);
      const { recorded } = await recordPipeline(withGcp({ assetInventory: {} }));
      const grants = grantsOf(recorded.resources);
      assert.deepEqual(
        grants.filter(asset).map((g) => `${g.member} ${g.role} on ${g.scope}`),
        [`${READER} roles/cloudasset.viewer on project:${PROJECT}`],
      );
      // Denied: the job, the build and the platform principal get no asset access, and the reader
      // no role beyond the viewer (no cloudasset.owner, which could create feeds and exports).
      assert.deepEqual(
        grants.filter((g) => !before.some((b) => b.urn === g.urn)).map((g) => g.role),
        ["roles/cloudasset.viewer"],
      );
      assert.ok(apis(recorded).includes("cloudasset.googleapis.com"));
    });

    it("grants it on the organization the tenant names instead of the project", async () => {
      const { recorded } = await recordPipeline(
        withGcp({ assetInventory: { organizationId: "123456789012" } }),
      );
      assert.deepEqual(
        grantsOf(recorded.resources)
          .filter(asset)
          .map((g) => `${g.member} ${g.role} on ${g.scope}`),
        [`${READER} roles/cloudasset.viewer on organization:123456789012`],
      );
    });
  });

  it("encrypts both datasets and the table with the customer-managed key when one is configured", async () => {
    const key = "projects/acme-kms/locations/europe/keyRings/costline/cryptoKeys/billing";
    const { recorded } = await recordPipeline(withGcp({ kmsKeyName: key }));
    for (const d of recorded.ofType("gcp:bigquery/dataset:Dataset")) {
      assert.deepEqual(d.inputs.defaultEncryptionConfiguration, { kmsKeyName: key });
    }
    assert.deepEqual(
      recorded.one("gcp:bigquery/table:Table", "acme-gcp-normalized-table").inputs.encryptionConfiguration,
      {
        kmsKeyName: key,
      },
    );
  });
});
