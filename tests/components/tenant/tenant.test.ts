import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { TenantConfigError } from "../../../components/tenant/config";
import { TenantCostPipeline } from "../../../components/tenant/pipeline";
import { Tenant } from "../../../components/tenant/tenant";
import { record } from "../../helpers/pulumi";
import { awsOnlyTenant, EXAMPLES } from "../../helpers/tenants";

const ROOT = join(__dirname, "..", "..", "..");
const globexText = () => readFileSync(join(EXAMPLES, "globex-aws.yaml"), "utf8");
const code = () => new pulumi.asset.FileArchive(join(ROOT, "runtime", "jobs", "aws"));

describe("Tenant (the component other Pulumi languages consume)", function () {
  this.timeout(120_000);

  it("has the schema Pulumi's analyzer derives from its declaration, as `pulumi package add` reads it", async () => {
    // The provider PulumiPlugin.yaml's entry (index.ts) hosts, asked for its schema as the CLI asks.
    const provider = new ComponentProvider({ name: "costline", components: [Tenant], dirname: ROOT });
    const schema = JSON.parse(await provider.getSchema());
    const tenant = schema.resources["costline:index:Tenant"];
    assert.equal(tenant.isComponent, true);
    assert.deepEqual(tenant.requiredInputs, ["tenant"]);
    const inputs = Object.fromEntries(
      Object.entries(tenant.inputProperties as Record<string, Record<string, unknown>>).map(([k, v]) => [
        k,
        v.$ref ?? v.type,
      ]),
    );
    assert.deepEqual(inputs, {
      tenant: "string",
      kubeconfigs: "object",
      awsJobCode: "pulumi.json#/Archive",
      gcpJobSource: "pulumi.json#/Archive",
      azureJobPackage: "pulumi.json#/Archive",
      kubernetesJobImage: "string",
    });
    // The tenant is read when the component is built, so it cannot wait for another resource's output.
    assert.equal(tenant.inputProperties.tenant.plain, true);
    assert.deepEqual(tenant.required, ["clouds", "tenantId"]);
    assert.match(tenant.inputProperties.tenant.description, /YAML \(or JSON\) text of a tenant file/);
  });

  it("builds the same pipeline from the tenant file's text as TenantCostPipeline from the parsed tenant", async () => {
    const shape = (resources: { type: string; name: string }[]) =>
      resources
        .filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== "costline:index:Tenant")
        .map((r) => `${r.type} ${r.name}`)
        .sort();
    const viaText = await record(() => {
      new Tenant("globex", { tenant: globexText(), awsJobCode: code() });
    });
    const direct = await record(() => {
      new TenantCostPipeline("globex", { tenant: awsOnlyTenant(), jobs: { aws: code() } });
    });
    const wrapper = viaText.one("costline:index:Tenant", "globex");
    assert.equal(viaText.one("costline:tenant:TenantCostPipeline", "globex").parent, wrapper.urn);
    assert.ok(shape(direct.resources).length > 20);
    assert.deepEqual(shape(viaText.resources), shape(direct.resources));
  });

  it("names every problem of a bad tenant text, YAML syntax included, and a missing job artifact", async () => {
    assert.throws(
      () => new Tenant("bad", { tenant: "tenantId: [unclosed" }),
      (e: unknown) =>
        e instanceof TenantConfigError &&
        /^Tenant bad: args\.tenant: invalid tenant config\n {2}\(yaml line 1\): .*; fix the YAML syntax/.test(
          e.message,
        ),
    );
    const wrongId = globexText().replace("tenantId: globex", "tenantId: Globex Corp");
    assert.throws(
      () => new Tenant("bad", { tenant: wrongId, awsJobCode: code() }),
      (e: unknown) => e instanceof TenantConfigError && e.problems.some((p) => p.path === "tenantId"),
    );
    await assert.rejects(
      record(() => {
        new Tenant("globex", { tenant: globexText() });
      }),
      /TenantCostPipeline needs jobs\.aws for this tenant's clouds/,
    );
  });
});
