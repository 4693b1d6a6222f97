import assert from "node:assert/strict";
import { BUILTIN_ROLES, FORBIDDEN_ROLES, builtinRoleId, stableGuid } from "../../../components/azure/roles";

describe("Azure roles", () => {
  it("derives a GUID-shaped, stable, case-insensitive name from the grant", () => {
    const a = stableGuid("/subscriptions/X", "role", "principal");
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(stableGuid("/SUBSCRIPTIONS/x", "ROLE", "Principal"), a);
    assert.notEqual(stableGuid("/subscriptions/X", "role", "other"), a);
    assert.notEqual(stableGuid("/subscriptions/X", "other", "principal"), a);
  });

  it("names built-in roles by their tenant-level id and holds no broad role", () => {
    assert.equal(
      builtinRoleId("costManagementReader"),
      "/providers/Microsoft.Authorization/roleDefinitions/72fafb9e-0641-4937-9268-a91bfd8191a3",
    );
    const used = new Set(Object.values(BUILTIN_ROLES));
    for (const forbidden of Object.values(FORBIDDEN_ROLES)) assert.ok(!used.has(forbidden as never));
  });
});
