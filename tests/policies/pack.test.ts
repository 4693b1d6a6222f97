import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { costlinePolicies } from "../../policies/pack";
import { awsCases } from "./aws.cases";
import { azureCases } from "./azure.cases";
import { commonCases } from "./common.cases";
import { gcpCases } from "./gcp.cases";
import { kubernetesCases } from "./kubernetes.cases";

const cases = [...awsCases, ...gcpCases, ...azureCases, ...kubernetesCases, ...commonCases];

describe("the Costline policy pack", () => {
  it("has at least 30 uniquely named policies across every cloud", () => {
    const names = costlinePolicies.map((p) => p.name);
    assert.ok(names.length >= 30, `${names.length} policies`);
    assert.equal(new Set(names).size, names.length, "policy names are unique");
    for (const prefix of ["aws-", "gcp-", "azure-", "k8s-"]) {
      assert.ok(names.filter((n) => n.startsWith(prefix)).length >= 5, `at least 5 ${prefix} policies`);
    }
    assert.ok(names.includes("required-tags") && names.includes("data-residency"));
  });

  it("states a description, a mandatory or advisory level, a severity and a fix for every policy", () => {
    for (const p of costlinePolicies) {
      assert.ok(p.description.length > 20, p.name);
      assert.ok(["mandatory", "advisory"].includes(p.enforcementLevel), p.name);
      assert.ok(["low", "medium", "high", "critical"].includes(p.severity), p.name);
      assert.ok(p.remediationSteps.length > 10, p.name);
      assert.notEqual(p.name, "all", '"all" is reserved by CrossGuard');
    }
  });

  it("gives every setting a documented, defaulted config schema that CrossGuard accepts", () => {
    for (const p of costlinePolicies.filter((x) => x.configSchema)) {
      const properties = p.configSchema?.properties ?? {};
      assert.ok(!("enforcementLevel" in properties), `${p.name}: enforcementLevel is reserved`);
      for (const [key, schema] of Object.entries(properties)) {
        assert.ok(typeof schema === "object" && schema.description, `${p.name}.${key} has a description`);
        assert.ok(
          typeof schema === "object" && schema.default !== undefined,
          `${p.name}.${key} has a default`,
        );
      }
    }
  });

  it("has a compliant and a violating test case for every policy", () => {
    const covered = new Set(cases.map((c) => c.policy));
    const missing = costlinePolicies.map((p) => p.name).filter((n) => !covered.has(n));
    assert.deepEqual(missing, []);
    const unknown = [...covered].filter((n) => !costlinePolicies.some((p) => p.name === n));
    assert.deepEqual(unknown, []);
  });

  it("is a Pulumi policy pack whose entry point serves the plain array", () => {
    const dir = join(__dirname, "..", "..", "policies");
    assert.match(readFileSync(join(dir, "PulumiPolicy.yaml"), "utf8"), /^runtime:\n\s+name: nodejs/m);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    assert.ok(pkg.version, "the PolicyPack constructor requires a version in package.json");
    const entry = readFileSync(join(dir, pkg.main), "utf8");
    assert.match(entry, /new PolicyPack\("costline", \{[\s\S]*policies: costlinePolicies/);
  });
});
