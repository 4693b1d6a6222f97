import assert from "node:assert/strict";
import { parseTenantConfig, TenantConfigError } from "../../../components/tenant/config";
import { planTenant } from "../../../stacks/plan/offline-plan";
import { exampleTenant } from "../../helpers/tenants";

const minimal = () => ({
  tenantId: "acme",
  displayName: "ACME",
  tags: { "cost-center": "cc1", owner: "o@acme.example" },
  residency: { allowedRegions: ["eu-west-1"] },
  aws: {
    managementAccountId: "111122223333",
    region: "eu-west-1",
    platformPrincipalArn: "arn:aws:iam::999988887777:role/costline-platform",
  },
});

function problems(raw: unknown): Record<string, string> {
  try {
    parseTenantConfig(raw);
  } catch (e) {
    assert.ok(e instanceof TenantConfigError);
    return Object.fromEntries(e.problems.map((p) => [p.path, p.message]));
  }
  assert.fail("expected the config to be rejected");
}

describe("TenantConfig", () => {
  it("accepts a minimal one-cloud tenant and fills the defaults", () => {
    const t = parseTenantConfig(minimal());
    assert.equal(t.schedule, "0 6 * * *");
    assert.equal(t.reportingCurrency, "USD");
    assert.deepEqual(t.aws?.exports, ["cur2"]);
    assert.equal(t.aws?.granularity, "DAILY");
  });

  it("writes FOCUS 1.2 unless the tenant asks for 1.3, and names any other version", () => {
    assert.equal(parseTenantConfig(minimal()).focusVersion, "1.2");
    assert.equal(parseTenantConfig({ ...minimal(), focusVersion: "1.3" }).focusVersion, "1.3");
    assert.match(problems({ ...minimal(), focusVersion: "1.4" }).focusVersion!, /1\.2.*1\.3/);
  });

  it("accepts the all-clouds example", () => {
    const t = exampleTenant();
    assert.ok(t.aws && t.gcp && t.azure && t.kubernetes);
    assert.equal(t.kubernetes.clusters[0].namespace, "costline");
  });

  it("lists every problem by path, with a hint", () => {
    const p = problems({
      ...minimal(),
      tenantId: "Acme_Prod",
      tags: { owner: "x" },
      schedule: "daily",
      aws: { ...minimal().aws, managementAccountId: 1111, region: "us-east-1", exports: [] },
    });
    assert.match(p.tenantId, /3-20 characters of a-z/);
    assert.match(p["tags.cost-center"], /required tag "cost-center" is missing/);
    assert.match(p.schedule, /has 1 fields; write five/);
    assert.match(p["aws.managementAccountId"], /quote it in YAML/);
    assert.match(p["aws.exports"], /at least one export type/);
    assert.match(p["aws.region"], /outside residency.allowedRegions; add it there/);
  });

  describe("audit", () => {
    const azure = {
      directoryTenantId: "00000000-0000-0000-0000-000000000001",
      hostSubscriptionId: "00000000-0000-0000-0000-000000000002",
      subscriptionIds: ["00000000-0000-0000-0000-000000000002"],
      location: "westeurope",
    };
    const withAzure = (audit: object) => ({
      ...minimal(),
      residency: { allowedRegions: ["eu-west-1", "westeurope"] },
      azure,
      audit,
    });

    it("keeps audit logs 400 days unless told otherwise, and assumes no organization trail", () => {
      const t = parseTenantConfig(minimal());
      assert.deepEqual(t.audit, { retentionDays: 400 });
      assert.equal(t.aws?.organizationTrailName, undefined);
      const org = parseTenantConfig({
        ...minimal(),
        aws: { ...minimal().aws, organizationTrailName: "org-trail" },
      });
      assert.equal(org.aws?.organizationTrailName, "org-trail");
    });

    it("refuses retention that no cloud's log store can keep", () => {
      assert.deepEqual(problems({ ...minimal(), audit: { retentionDays: 0 } }), {
        "audit.retentionDays": "audit.retentionDays is at least 1",
      });
      assert.deepEqual(problems({ ...minimal(), audit: { retentionDays: 12.5 } }), {
        "audit.retentionDays": "audit.retentionDays is a whole number of days",
      });
      assert.deepEqual(problems({ ...minimal(), audit: { retentionDays: 3651 } }), {
        "audit.retentionDays":
          "audit.retentionDays is at most 3650 (the longest a Cloud Logging bucket keeps logs)",
      });
      assert.equal(
        parseTenantConfig({ ...minimal(), audit: { retentionDays: 3650 } }).audit.retentionDays,
        3650,
      );
    });

    it("holds a tenant with Azure to Log Analytics' 30 to 730 days", () => {
      const beyond =
        "audit.retentionDays is 731, but the Azure Log Analytics workspace keeps logs 30 to 730 days; choose a value in that range";
      assert.deepEqual(problems(withAzure({ retentionDays: 731 })), { "audit.retentionDays": beyond });
      assert.match(
        problems(withAzure({ retentionDays: 29 }))["audit.retentionDays"],
        /is 29, .* 30 to 730 days/,
      );
      assert.equal(parseTenantConfig(withAzure({ retentionDays: 730 })).audit.retentionDays, 730);
    });
  });

  it("requires at least one cloud", () => {
    const { aws: _aws, ...none } = minimal();
    assert.match(problems(none)["(tenant)"], /at least one cloud/);
  });

  it("requires each cluster's sink and checks its fields", () => {
    const p = problems({
      ...minimal(),
      kubernetes: {
        clusters: [
          { name: "nosink", cloud: "aws" },
          {
            name: "badsink",
            cloud: "azure",
            sink: { kind: "azure-blob", accountUrl: "http://x", container: "c", clientId: "n" },
          },
        ],
      },
    });
    assert.match(p["kubernetes.clusters.0.sink"], /^must be one of|required|Invalid/);
    assert.match(p["kubernetes.clusters.1.sink.accountUrl"], /blob endpoint/);
    assert.match(p["kubernetes.clusters.1.sink.clientId"], /GUID/);
  });

  describe("checks.tagAliases", () => {
    const withAliases = (tagAliases: unknown, requiredTags: string[] = []) => ({
      ...minimal(),
      checks: { tagAliases, requiredTags: { tags: requiredTags } },
    });

    it("takes each canonical key's spellings, and none by default", () => {
      const aliases = { cost_center: ["cost-center", "CostCenter"], env: ["Environment"] };
      assert.deepEqual(parseTenantConfig(withAliases(aliases, ["cost_center"])).checks.tagAliases, aliases);
      assert.deepEqual(parseTenantConfig(minimal()).checks.tagAliases, {});
    });

    it("gives each spelling one meaning, naming the alias at fault and the fix", () => {
      const p = problems(
        withAliases({
          cost_center: ["cost-center", "CostCenter"],
          costcenter: ["CostCenter"],
          CostCentre: ["CostCentre"],
          env: ["costcenter"],
        }),
      );
      assert.deepEqual(Object.keys(p).sort(), [
        "checks.tagAliases.CostCentre.0",
        "checks.tagAliases.costcenter.0",
        "checks.tagAliases.env.0",
      ]);
      assert.match(
        p["checks.tagAliases.costcenter.0"]!,
        /"CostCenter" is already an alias of "cost_center"; list it once/,
      );
      assert.match(p["checks.tagAliases.CostCentre.0"]!, /is the key itself; remove it/);
      assert.match(
        p["checks.tagAliases.env.0"]!,
        /"costcenter" is a canonical key of its own; list it and its aliases under one/,
      );
    });

    it("refuses blank spellings and empty lists", () => {
      const p = problems(withAliases({ cost_center: ["cost-center", " "], " ": ["x"], team: [] }));
      assert.match(p["checks.tagAliases.cost_center.1"]!, /a tag key must not be blank/);
      assert.match(p["checks.tagAliases. "]!, /a tag key must not be blank/);
      assert.match(p["checks.tagAliases.team"]!, /list at least one alias, or remove the key/);
    });

    it("requires the canonical key, not one of its aliases", () => {
      const p = problems(withAliases({ cost_center: ["cost-center"] }, ["owner", "cost-center"]));
      assert.match(
        p["checks.requiredTags.tags.1"]!,
        /"cost-center" is an alias of "cost_center".*require "cost_center"/,
      );
    });
  });

  it("rejects unknown fields, so that typos do not pass silently", () => {
    assert.match(problems({ ...minimal(), residencey: {} })["(tenant)"], /unknown field\(s\) "residencey"/);
  });

  it("rejects tags that would collide in a cloud", () => {
    assert.match(
      problems({ ...minimal(), tags: { "cost-center": "a", owner: "b", Owner: "c" } }).tags,
      /both become/,
    );
  });

  it("names GCP billing accounts only among gcp.billingAccountIds, each with a non-empty name", () => {
    const gcp = {
      projectId: "acme-finops-prod",
      region: "europe-west1",
      billingAccountIds: ["01A2B3-C4D5E6-F7A8B9", "01B2C3-D4E5F6-A7B8C9"],
      datasetLocation: "EU",
      platformIdentity: { kind: "aws", accountId: "999988887777", roleName: "costline-platform" },
    };
    const tenant = (names?: unknown) => ({
      ...minimal(),
      residency: { allowedRegions: ["eu-west-1", "EU", "europe-west1"] },
      gcp: { ...gcp, ...(names === undefined ? {} : { billingAccountNames: names }) },
    });
    assert.deepEqual(parseTenantConfig(tenant()).gcp?.billingAccountNames, {}, "optional: no names");
    assert.deepEqual(
      parseTenantConfig(tenant({ "01A2B3-C4D5E6-F7A8B9": " ACME Production " })).gcp?.billingAccountNames,
      { "01A2B3-C4D5E6-F7A8B9": "ACME Production" },
    );
    assert.deepEqual(exampleTenant().gcp?.billingAccountNames, {
      "01A2B3-C4D5E6-F7A8B9": "ACME Production",
      "01B2C3-D4E5F6-A7B8C9": "ACME Japan",
    });
    const p = problems(tenant({ "01FFFF-FFFFFF-FFFFFF": "Typo", "01B2C3-D4E5F6-A7B8C9": "  " }));
    assert.match(
      p["gcp.billingAccountNames.01FFFF-FFFFFF-FFFFFF"],
      /01FFFF-FFFFFF-FFFFFF is not in gcp\.billingAccountIds; correct the id or add the account there/,
    );
    assert.match(p["gcp.billingAccountNames.01B2C3-D4E5F6-A7B8C9"], /must not be empty/);
    assert.match(
      problems(tenant({ "not-an-id": "X" }))["gcp.billingAccountNames.not-an-id"],
      /a billing account id looks like "01ABCD-23EF45-67ABCD"/,
    );
  });

  it("admits to Azure Storage only public IPv4 ranges its IP rules can hold", () => {
    const azure = (storageAllowedIpRanges: string[]) => ({
      ...minimal(),
      residency: { allowedRegions: ["eu-west-1", "westeurope"] },
      azure: {
        directoryTenantId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
        hostSubscriptionId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
        subscriptionIds: ["0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"],
        location: "westeurope",
        storageAllowedIpRanges,
      },
    });
    assert.deepEqual(parseTenantConfig(azure(["203.0.113.0/28"])).azure?.storageAllowedIpRanges, [
      "203.0.113.0/28",
    ]);
    const p = problems(azure(["10.1.0.0/16", "198.51.100.6/31", "2001:db8::/32", "nope"]));
    assert.match(p["azure.storageAllowedIpRanges.0"], /public addresses only/);
    assert.match(p["azure.storageAllowedIpRanges.1"], /refuses \/31/);
    assert.match(p["azure.storageAllowedIpRanges.2"], /IPv4 only/);
    assert.match(p["azure.storageAllowedIpRanges.3"], /CIDR form/);
  });

  it("narrows a cluster's HTTPS only to ranges in CIDR form", () => {
    const cluster = (httpsEgressCidrs: unknown) => ({
      ...minimal(),
      kubernetes: {
        clusters: [
          {
            name: "prod-eks",
            cloud: "aws",
            sink: { kind: "volume", claimName: "costline-out" },
            httpsEgressCidrs,
          },
        ],
      },
    });
    const ok = parseTenantConfig(cluster(["10.0.128.0/26", "2600:1f18::/36"]));
    assert.deepEqual(ok.kubernetes?.clusters[0].httpsEgressCidrs, ["10.0.128.0/26", "2600:1f18::/36"]);
    const p = problems(cluster(["10.0.128.0", "300.1.1.1/8", "s3.amazonaws.com"]));
    for (const i of [0, 1, 2]) assert.match(p[`kubernetes.clusters.0.httpsEgressCidrs.${i}`], /CIDR form/);
    assert.match(problems(cluster([]))["kubernetes.clusters.0.httpsEgressCidrs"], /at least one range/);
    assert.match(
      problems(cluster(["0.0.0.0/0"]))["kubernetes.clusters.0.httpsEgressCidrs.0"],
      /leave httpsEgressCidrs out/,
    );
  });

  it("subscribes alert emails and topics only when they are addresses and SNS topic ARNs", () => {
    const t = parseTenantConfig(minimal());
    assert.deepEqual(t.aws?.alerts, { emails: [], topicArns: [] });
    const p = problems({
      ...minimal(),
      aws: {
        ...minimal().aws,
        alerts: {
          emails: ["oncall@acme.example", "oncall@acme.example", "not-an-address"],
          topicArns: ["arn:aws:sqs:eu-west-1:111122223333:queue"],
        },
      },
    });
    assert.match(p["aws.alerts.emails"], /each email once/);
    assert.match(p["aws.alerts.emails.2"], /an email address/);
    assert.match(p["aws.alerts.topicArns.0"], /an SNS topic ARN/);
  });

  it("validates each cloud's identifiers", () => {
    const p = problems({
      ...minimal(),
      residency: { allowedRegions: ["eu-west-1", "EU", "europe-west1", "westeurope"] },
      gcp: {
        projectId: "x",
        region: "europe-west1",
        billingAccountIds: ["nope"],
        datasetLocation: "EU",
        platformIdentity: { kind: "oidc", issuerUri: "http://insecure", audience: "a", subject: "s" },
      },
      azure: {
        directoryTenantId: "not-a-guid",
        hostSubscriptionId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
        subscriptionIds: [],
        location: "westeurope",
        jobAddressSpace: "10.0.0.0/8",
      },
      kubernetes: {
        clusters: [
          { name: "c1x", cloud: "aws", sink: { kind: "volume", claimName: "costline-out" } },
          { name: "c1x", cloud: "gcp", sink: { kind: "volume", claimName: "costline-out" } },
        ],
      },
    });
    assert.match(p["gcp.projectId"], /6-30 characters/);
    assert.match(p["gcp.billingAccountIds.0"], /01ABCD-23EF45-67ABCD/);
    assert.match(p["gcp.platformIdentity.issuerUri"], /https/);
    assert.match(p["azure.directoryTenantId"], /GUID/);
    assert.match(p["azure.subscriptionIds"], /at least one subscription/);
    assert.match(p["azure.jobAddressSpace"], /from \/16 to \/24/);
    assert.match(p["kubernetes.clusters"], /unique/);
  });

  it("refuses two clusters writing to one object-store location, and allows their own prefixes or volumes", () => {
    const s3 = (prefix: string) => ({
      kind: "s3",
      bucket: "acme-costline",
      prefix,
      region: "eu-west-1",
      roleArn: "arn:aws:iam::111122223333:role/costline-sink",
    });
    const clusters = (...sinks: unknown[]) => ({
      ...minimal(),
      kubernetes: { clusters: sinks.map((sink, i) => ({ name: `prod-${i + 1}`, cloud: "aws", sink })) },
    });
    const p = problems(clusters(s3("opencost/"), s3("/opencost")));
    assert.equal(
      p["kubernetes.clusters.1.sink"],
      'cluster "prod-2" writes to s3://acme-costline/opencost, as cluster "prod-1" does; give each cluster its own sink or prefix',
    );
    const volume = { kind: "volume", claimName: "costline-out" };
    const ok = parseTenantConfig(clusters(s3("prod-1"), s3("prod-2"), volume, volume));
    assert.equal(ok.kubernetes?.clusters.length, 4);
  });

  describe("a tenant that validates always plans (the rules the components enforce are checked here)", function () {
    this.timeout(60000);
    const withCluster = (sink: Record<string, unknown>) => {
      const t = exampleTenant() as unknown as { kubernetes: { clusters: { sink: unknown }[] } };
      t.kubernetes.clusters[0]!.sink = sink;
      return t;
    };

    it("refuses a schedule that EventBridge cannot express, naming the fix", () => {
      assert.match(
        problems({ ...minimal(), schedule: "0 6 1 * 1" }).schedule ?? "",
        /sets both day of month and day of week, which AWS EventBridge cannot express .*set one of them to "\*"/,
      );
    });

    it("reads a sink prefix with slashes at either end as the folder it names, and plans it", async () => {
      const sink = {
        kind: "s3",
        bucket: "acme-costline-kubernetes",
        prefix: "/prod-eks/",
        region: "eu-west-1",
        roleArn: "arn:aws:iam::111122223333:role/costline-acme-prod-eks-job",
      };
      const tenant = parseTenantConfig(withCluster(sink));
      assert.equal((tenant.kubernetes!.clusters[0]!.sink as { prefix: string }).prefix, "prod-eks");
      const plan = await planTenant(tenant);
      assert.ok(plan.resources.some((r) => r.type === "kubernetes:batch/v1:CronJob"));
    });

    it("checks sink fields with the components' own rules", () => {
      const gcs = (bucket: string, serviceAccountEmail: string) =>
        problems(withCluster({ kind: "gcs", bucket, serviceAccountEmail }));
      // Before, TenantConfig took any e-mail and the component then refused it during the plan.
      assert.match(
        gcs("acme-costline", "someone@gmail.com")["kubernetes.clusters.0.sink.serviceAccountEmail"] ?? "",
        /a GCP service account email/,
      );
      // A dotless name over 63 characters is refused by Cloud Storage; TenantConfig allowed 222.
      assert.match(
        gcs("a".repeat(64), "costline-job@acme-analytics.iam.gserviceaccount.com")[
          "kubernetes.clusters.0.sink.bucket"
        ] ?? "",
        /3-63 characters/,
      );
      assert.match(
        problems(
          withCluster({
            kind: "s3",
            bucket: "acme-costline-kubernetes",
            prefix: "a//b",
            region: "eu-west-1",
            roleArn: "arn:aws:iam::111122223333:role/x",
          }),
        )["kubernetes.clusters.0.sink.prefix"] ?? "",
        /a key prefix such as/,
      );
    });

    it("accepts a dotted Cloud Storage bucket name of up to 222 characters, each part at most 63", () => {
      const part = "b".repeat(63);
      const name = [part, part, part, "c".repeat(30)].join(".");
      assert.equal(name.length, 222);
      const email = "costline-job@acme-analytics.iam.gserviceaccount.com";
      const ok = parseTenantConfig(withCluster({ kind: "gcs", bucket: name, serviceAccountEmail: email }));
      assert.equal((ok.kubernetes!.clusters[0]!.sink as { bucket: string }).bucket, name);
      assert.ok(
        problems(withCluster({ kind: "gcs", bucket: `${name}c`, serviceAccountEmail: email }))[
          "kubernetes.clusters.0.sink.bucket"
        ],
      );
      assert.ok(
        problems(withCluster({ kind: "gcs", bucket: `${"d".repeat(64)}.e`, serviceAccountEmail: email }))[
          "kubernetes.clusters.0.sink.bucket"
        ],
      );
    });
  });
});
