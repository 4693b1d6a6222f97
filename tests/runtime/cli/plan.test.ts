import assert from "node:assert/strict";
import { join } from "node:path";
import { EXAMPLES } from "../../helpers/tenants";
import { runCli as run } from "../../helpers/cli";

describe("costline plan", function () {
  this.timeout(60_000);

  it("prints each error of an invalid tenant by path and exits 2", async () => {
    const r = await run("plan", "--tenant", join(EXAMPLES, "invalid.yaml"));
    assert.equal(r.code, 2);
    assert.equal(r.out, "");
    for (const path of [
      "tenantId",
      "displayName",
      "tags.cost-center",
      "schedule",
      "aws.managementAccountId",
      "aws.exports.0",
      "aws.platformPrincipalArn",
      "aws.region",
    ]) {
      assert.match(r.err, new RegExp(`^  ${path.replace(/\./g, "\\.")}: `, "m"), path);
    }
  });

  it("prints the JSON contract with --json", async () => {
    const r = await run("plan", "--tenant", join(EXAMPLES, "globex-aws.yaml"), "--json");
    assert.equal(r.code, 0, r.err);
    const doc = JSON.parse(r.out);
    assert.deepEqual(Object.keys(doc), ["resources", "violations"]);
  });

  it("fails clearly on a missing flag or an unknown command", async () => {
    assert.match((await run("plan")).err, /--tenant FILE is required/);
    assert.equal((await run("plan", "--tenat", "x")).code, 2);
    assert.equal((await run("nope")).code, 2);
  });
});
