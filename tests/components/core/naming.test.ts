import assert from "node:assert/strict";
import { nameRules, physicalName, shortHash } from "../../../components/core/naming";

describe("physicalName", () => {
  it("joins parts with the provider's separator and lowercases where required", () => {
    assert.equal(physicalName("s3Bucket", "Acme", "cost", "exports"), "acme-cost-exports");
    assert.equal(physicalName("glue", "acme-prod", "cur2"), "acme_prod_cur2");
    assert.equal(physicalName("iamRole", "Acme", "Connector"), "Acme-Connector");
  });

  it("drops characters the provider forbids, with no separators for Azure storage accounts", () => {
    assert.equal(physicalName("azureStorageAccount", "acme", "cost"), "acmecost");
    assert.equal(physicalName("kubernetes", "team", "cost-job"), "team-cost-job");
  });

  it("ends a name whose parts lost characters in a hash of the whole name, so they stay distinct", () => {
    assert.equal(
      physicalName("azureStorageAccount", "acme-prod", "cost"),
      `acmeprodcost${shortHash("acme-prod-cost")}`,
    );
    assert.notEqual(
      physicalName("azureStorageAccount", "acme-prod", "cost"),
      physicalName("azureStorageAccount", "acmeprod", "cost"),
    );
    assert.equal(physicalName("kubernetes", "team--a", "job"), `team-a-job-${shortHash("team--a-job")}`);
    assert.notEqual(physicalName("s3Bucket", "acme--prod"), physicalName("s3Bucket", "acme-prod"));
    // A one-for-one swap loses nothing: Glue's "_" for "-" keeps the readable name.
    assert.equal(physicalName("glue", "acme-prod", "cur2"), "acme_prod_cur2");
  });

  it("starts with a letter where the provider requires it", () => {
    assert.equal(physicalName("gcpServiceAccount", "1acme", "job"), "x1acme-job");
  });

  it("truncates long names to the limit with a stable hash of the whole name", () => {
    const long = physicalName("azureStorageAccount", "averyveryverylongtenant", "exports");
    assert.equal(long.length, 24);
    assert.equal(long, physicalName("azureStorageAccount", "averyveryverylongtenant", "exports"));
    assert.ok(long.endsWith(shortHash("averyveryverylongtenant-exports")));
    const other = physicalName("azureStorageAccount", "averyveryverylongtenant", "normalized");
    assert.notEqual(long, other, "names that share a long prefix stay distinct");
  });

  it("keeps every rule's names within its limit and charset", () => {
    const parts = [
      "Tenant_With.Odd Chars",
      "a-very-long-purpose-that-does-not-fit-anywhere-at-all-really-long",
    ];
    for (const [kind, rule] of Object.entries(nameRules)) {
      const name = physicalName(kind as keyof typeof nameRules, ...parts);
      assert.ok(name.length <= rule.maxLength, `${kind}: ${name} is too long`);
      for (const ch of name)
        assert.ok(rule.allowed.test(ch) || ch === rule.separator, `${kind}: ${ch} in ${name}`);
      if (rule.lowercase) assert.equal(name, name.toLowerCase());
    }
  });

  it("refuses to make a name out of nothing", () => {
    assert.throws(() => physicalName("s3Bucket", "!!!"), /cannot make a s3Bucket name/);
  });
});
