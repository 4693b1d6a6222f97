import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseTenantConfig } from "../../../components/tenant/config";
import { loadTenantFile } from "../../../stacks/tenant/load";
import { EXAMPLES } from "../../helpers/tenants";

const ROOT = join(__dirname, "..", "..", "..");

describe("example stack files", () => {
  const stackFiles = readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));

  it("exist for every valid example tenant", () => {
    const tenants = readdirSync(EXAMPLES)
      .filter((f) => f.endsWith(".yaml") && f !== "invalid.yaml")
      .map((f) => loadTenantFile(join(EXAMPLES, f)).tenantId)
      .sort();
    assert.deepEqual(stackFiles.map((f) => f.slice("Pulumi.".length, -".yaml".length)).sort(), tenants);
  });

  for (const file of stackFiles) {
    it(`${file} holds the same tenant as its example, under costline:tenant`, () => {
      const raw = parse(readFileSync(join(ROOT, file), "utf8")).config["costline:tenant"];
      const tenant = parseTenantConfig(raw, file);
      const example = readdirSync(EXAMPLES)
        .filter((f) => f !== "invalid.yaml")
        .map((f) => loadTenantFile(join(EXAMPLES, f)))
        .find((t) => t.tenantId === tenant.tenantId);
      assert.deepEqual(tenant, example);
    });
  }
});
