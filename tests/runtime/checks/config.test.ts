import assert from "node:assert/strict";
import { CHECKS_SETTING, checksFromEnv } from "../../../runtime/checks/config";

describe("checks settings of a deployed job", () => {
  it("are the defaults when the setting is absent", () => {
    const checks = checksFromEnv({});
    assert.equal(checks.credentialAge.rotationDays, 90);
    assert.deepEqual(checks.tagAliases, {});
    assert.deepEqual(checks.requiredTags.tags, []);
  });

  it("are the tenant's checks section the component wrote, with defaults filled", () => {
    const checks = checksFromEnv({
      [CHECKS_SETTING]: JSON.stringify({
        tagAliases: { team: ["Team"] },
        requiredTags: { tags: ["team"] },
        anomalies: { enabled: false },
      }),
    });
    assert.deepEqual(checks.requiredTags.tags, ["team"]);
    assert.deepEqual(checks.tagAliases, { team: ["Team"] });
    assert.equal(checks.anomalies.enabled, false);
    assert.equal(checks.freshness.maxExportLagHours, 4);
  });

  it("name what is wrong with a bad setting", () => {
    assert.throws(() => checksFromEnv({ [CHECKS_SETTING]: "{" }), /COSTLINE_CHECKS is not JSON/);
    assert.throws(
      () =>
        checksFromEnv({
          [CHECKS_SETTING]: JSON.stringify({ budgets: { budgets: [{ name: "x", amount: -5 }] } }),
        }),
      /COSTLINE_CHECKS is not a valid checks section: checks\.budgets\.budgets\.0\.amount: a budget amount is a positive number/,
    );
  });
});
