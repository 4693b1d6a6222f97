import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { tenantPlanChecker } from "../../stacks/plan/tenant-pack";
import { planTenant } from "../../stacks/plan/offline-plan";
import { loadTenantFile } from "../../stacks/tenant/load";
import { EXAMPLES } from "../helpers/tenants";

const tenants = readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml") && f !== "invalid.yaml");

describe("the example tenants under the policy pack", function () {
  this.timeout(120_000);

  it("finds example tenants to check", () => assert.ok(tenants.length >= 2, tenants.join(", ")));

  for (const file of tenants) {
    it(`${file} plans with zero mandatory violations`, async () => {
      const plan = await planTenant(loadTenantFile(join(EXAMPLES, file)), tenantPlanChecker);
      const mandatory = plan.violations.filter((v) => v.level === "mandatory");
      assert.deepEqual(mandatory, [], JSON.stringify(mandatory, null, 2));
    });
  }
});
