import assert from "node:assert/strict";
import fc from "fast-check";
import { parseTenantConfig, type TenantConfig } from "../../../components/tenant/config";
import { planTenant } from "../../../stacks/plan/offline-plan";
import { physicalNames } from "../../../stacks/plan/physical-names";
import { exampleTenant } from "../../helpers/tenants";

/** The all-clouds example tenant under another id, everything else equal. */
const withId = (tenantId: string): TenantConfig => parseTenantConfig({ ...exampleTenant(), tenantId });

const namesOf = async (tenant: TenantConfig) =>
  physicalNames((await planTenant(tenant)).recorded).map((n) => `${n.kind} ${n.name}`);

// A plan takes seconds: each id is planned once.
const planned = new Map<string, Promise<string[]>>();
const namesOfId = (id: string) => planned.get(id) ?? planned.set(id, namesOf(withId(id))).get(id)!;

/** Names two tenants' plans both create, but the cluster namespace: it is config, and the registry keeps it apart. */
async function shared(a: string, b: string): Promise<string[]> {
  const theirs = new Set(await namesOfId(b));
  return (await namesOfId(a)).filter((n) => theirs.has(n) && n !== "kubernetes:core/v1:Namespace costline");
}

describe("physical names across tenants", function () {
  this.timeout(300_000);

  it("reads every kind of physical name of the all-clouds plan", async () => {
    const names = new Set(await namesOf(exampleTenant()));
    for (const name of [
      "aws:s3/bucket:Bucket costline-acme-111122223333-eu-west-1",
      "aws:iam/role:Role costline-acme-connector",
      "aws:lambda/function:Function costline-acme-aws-normalize",
      "aws:secretsmanager/secret:Secret tenant-acme-aws-111122223333",
      "aws:bcmdata/export:Export costline-acme-cur2",
      "gcp:bigquery/dataset:Dataset costline_acme_normalized",
      "gcp:secretmanager/secret:Secret tenant-acme-gcp-acme-finops-prod",
      "gcp:storage/bucket:Bucket acme-finops-prod-costline-acme-jobs",
      "azure-native:storage:StorageAccount costlineacmedata",
      "azure-native:keyvault:Vault costline-acme",
      "azure-native:keyvault:Secret tenant-acme-azure-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
      "kubernetes:core/v1:Namespace costline",
      "kubernetes:batch/v1:CronJob costline/acme-normalizer",
    ]) {
      assert.ok(names.has(name), `${name} is missing from ${[...names].join("\n")}`);
    }
  });

  it("keeps ids that differ only in a '-' apart (an Azure storage account drops it)", async () => {
    assert.deepEqual(await shared("acme-prod", "acmeprod"), []);
    assert.deepEqual(await shared("ab-cd-ef", "abc-def"), []);
  });

  it("refuses ids with '--', which every name would collapse to '-'", () => {
    assert.throws(() => withId("acme--prod"), /tenantId must not hold "--".*use one "-"/);
  });

  it("gives any two valid tenant ids disjoint names", async () => {
    const tenantId = fc.stringMatching(/^[a-z](-?[a-z0-9]){2,19}$/).filter((id) => id.length <= 20);
    await fc.assert(
      fc.asyncProperty(tenantId, tenantId, async (a, b) => {
        fc.pre(a !== b);
        assert.deepEqual(await shared(a, b), [], `${a} and ${b} share names`);
      }),
      { numRuns: 5 },
    );
  });
});
