import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { tenantPlanChecker } from "../../../stacks/plan/tenant-pack";
import { planTenant, renderPlan } from "../../../stacks/plan/offline-plan";
import { runUnderMocks } from "../../../stacks/plan/mock-run";
import { awsOnlyTenant, exampleTenant } from "../../helpers/tenants";

/** A custom resource of any type, as the mocks accept (CustomResource itself is abstract). */
class Thing extends pulumi.CustomResource {
  constructor(type: string, name: string, props: pulumi.Inputs) {
    super(type, name, props);
  }
}

describe("offline plan", function () {
  this.timeout(60_000);

  it("produces the JSON contract of docs/DESIGN.md, with each resource's provider reference", async () => {
    const { recorded: _r, ...plan } = await planTenant(exampleTenant());
    assert.deepEqual(Object.keys(plan).sort(), ["resources", "violations"]);
    assert.ok(plan.resources.length > 0);
    for (const r of plan.resources) {
      assert.deepEqual(Object.keys(r).sort(), [
        "dependsOn",
        "inputs",
        "name",
        "parent",
        "provider",
        "type",
        "urn",
      ]);
      assert.match(r.urn, /^urn:pulumi:acme::costline::/);
    }
    assert.ok(Array.isArray(plan.violations));
  });

  it("is a tree rooted at the stack, every parent listed before its children", async () => {
    const { resources } = await planTenant(exampleTenant());
    const seen = new Set<string>([resources[0].urn]);
    assert.equal(resources[0].type, "pulumi:pulumi:Stack");
    assert.equal(resources[0].parent, null);
    for (const r of resources.slice(1)) {
      assert.ok(r.parent && seen.has(r.parent), `${r.urn} has parent ${r.parent} listed after it or missing`);
      seen.add(r.urn);
    }
  });

  it("creates explicit, name-prefixed providers for each configured cloud only", async () => {
    const all = await planTenant(exampleTenant());
    const providers = (p: typeof all) =>
      p.resources
        .filter((r) => r.type.startsWith("pulumi:providers:"))
        .map((r) => r.name)
        .sort();
    assert.deepEqual(providers(all), [
      "acme-aws",
      "acme-aws-us-east-1",
      "acme-azure",
      "acme-gcp",
      "acme-k8s-prod-eks",
    ]);
    const awsOnly = await planTenant(awsOnlyTenant());
    assert.deepEqual(providers(awsOnly), ["globex-aws", "globex-aws-us-east-1"]);
    const main = awsOnly.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "globex-aws");
    assert.deepEqual(main?.inputs.allowedAccountIds, ["444455556666"]);
    const east = all.resources.find(
      (r) => r.type === "pulumi:providers:aws" && r.name === "acme-aws-us-east-1",
    );
    assert.equal(east?.inputs.region, "us-east-1");
    assert.deepEqual(east?.inputs.assumeRoles, [
      { roleArn: "arn:aws:iam::111122223333:role/costline-deployer", sessionName: "costline-acme" },
    ]);
  });

  it("carries every cloud's audit logging, kept the tenant's 400 days, and the globex trail's own", async () => {
    const { resources } = await planTenant(exampleTenant());
    const inputs = (type: string) => resources.filter((r) => r.type === type).map((r) => r.inputs);
    const [trail] = inputs("aws:cloudtrail/trail:Trail");
    assert.equal(trail.name, "costline-acme-audit");
    assert.equal(trail.enableLogFileValidation, true);
    const auditLifecycle = resources.find((r) => r.name === "acme-aws-audit-lifecycle");
    const rules = (auditLifecycle ?? assert.fail("no audit lifecycle")).inputs.rules as {
      expiration: unknown;
    }[];
    assert.deepEqual(rules[0].expiration, { days: 400 });
    assert.deepEqual(
      inputs("gcp:projects/iAMAuditConfig:IAMAuditConfig").map((c) => c.service),
      ["secretmanager.googleapis.com", "bigquery.googleapis.com", "storage.googleapis.com"],
    );
    assert.deepEqual(
      inputs("gcp:logging/projectBucketConfig:ProjectBucketConfig").map((b) => [b.location, b.retentionDays]),
      [["europe-west1", 400]],
    );
    assert.deepEqual(
      inputs("azure-native:monitor:DiagnosticSetting").map((d) =>
        (d.logs as { category: string }[]).map((l) => l.category),
      ),
      [["AuditEvent"], ...Array(2).fill(["StorageRead", "StorageWrite", "StorageDelete"])],
    );
    assert.deepEqual(
      inputs("azure-native:operationalinsights:Workspace").map((w) => w.retentionInDays),
      [400],
    );
    const globex = await planTenant(awsOnlyTenant());
    assert.equal(globex.resources.filter((r) => r.type === "aws:cloudtrail/trail:Trail").length, 1);
  });

  it("passes the pack on the all-clouds example, every advisory finding explained in the README", async () => {
    const { violations } = await planTenant(exampleTenant(), tenantPlanChecker);
    assert.deepEqual(
      violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy}: ${v.message}`),
      [],
    );
    const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
    const section = readme.split("**Advisory findings on Costline's own stack.**")[1]?.split("\n\n")[1] ?? "";
    const explained = new Set(
      section
        .split("\n")
        .slice(2)
        .flatMap((row) => [...(row.split("|")[1] ?? "").matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1])),
    );
    assert.ok(explained.size > 0, "the README's table of advisory findings is missing");
    const advisory = new Set(violations.filter((v) => v.level === "advisory").map((v) => v.policy));
    assert.deepEqual(
      [...advisory].sort(),
      [...explained].sort(),
      "the table lists exactly what the plan shows",
    );
  });

  it("is deterministic", async () => {
    const a = await planTenant(exampleTenant());
    const b = await planTenant(exampleTenant());
    assert.equal(JSON.stringify(a.resources), JSON.stringify(b.resources));
  });

  it("shows secrets as [secret]", async () => {
    const { resources } = await runUnderMocks(() => {
      new pulumi.ComponentResource("test:index:Holder", "holder", {
        password: pulumi.secret("hunter2"),
        plain: "x",
      });
    });
    const holder = resources.find((r) => r.name === "holder");
    assert.deepEqual(holder?.inputs, { password: "[secret]", plain: "x" });
    assert.ok(!JSON.stringify(resources).includes("hunter2"));
  });

  it("shows a secret policy document's structure with only the secret values in it masked", async () => {
    const { resources } = await runUnderMocks(() => {
      const id = pulumi.secret("ext-id-7f3a9c2e");
      const trust = id.apply((externalId) =>
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "sts:ExternalId": externalId } },
            },
          ],
        }),
      );
      new Thing("test:index:Secret", "store", {
        value: pulumi.jsonStringify({ externalId: id }),
      });
      new Thing("test:index:Role", "role", { trust });
      // A secret document that holds no value known to be secret may hold unknown ones: it stays whole.
      const settings = pulumi.secret(
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "x", Note: "opaque-value" }] }),
      );
      new Thing("test:index:Other", "other", { policy: settings });
    });
    const inputs = (name: string) => resources.find((r) => r.name === name)?.inputs ?? {};
    assert.deepEqual(JSON.parse(String(inputs("role").trust)).Statement[0].Condition, {
      StringEquals: { "sts:ExternalId": "[secret]" },
    });
    assert.equal(inputs("store").value, "[secret]");
    assert.equal(inputs("other").policy, "[secret]");
    assert.ok(!JSON.stringify(resources).includes("ext-id-7f3a9c2e"));
  });

  it("renders a preview-like tree", async () => {
    const tenant = awsOnlyTenant();
    const text = renderPlan(tenant, await planTenant(tenant));
    assert.match(text, /\+ {3}costline:tenant:TenantCostPipeline +globex/);
    assert.match(text, /Policy violations: none/);
  });
});
