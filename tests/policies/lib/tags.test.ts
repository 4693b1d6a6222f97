import assert from "node:assert/strict";
import { awsTags, azureTags, gcpLabels, kubernetesLabels, TENANT_TAG_KEY } from "../../../policies/lib/tags";

const tags = { "cost-center": "CC-1042", owner: "FinOps@Acme.example", "Cost Center Name": "Platform Eng" };

describe("tenant tags", () => {
  it("writes AWS tags as given, plus the tenant key", () => {
    assert.deepEqual(awsTags("acme", tags), { ...tags, [TENANT_TAG_KEY]: "acme" });
  });

  it("writes GCP labels lowercase with only letters, digits, _ and -", () => {
    assert.deepEqual(gcpLabels("acme", tags), {
      "cost-center": "cc-1042",
      owner: "finops_acme_example",
      cost_center_name: "platform_eng",
      [TENANT_TAG_KEY]: "acme",
    });
  });

  it("makes GCP label keys start with a letter and fit 63 characters", () => {
    const labels = gcpLabels("acme", { "1team": "x", ["k".repeat(80)]: "v".repeat(80) });
    for (const [k, v] of Object.entries(labels)) {
      assert.match(k, /^[a-z][a-z0-9_-]{0,62}$/);
      assert.ok(v.length <= 63);
    }
  });

  it("writes Azure tags without the characters Azure forbids in names", () => {
    assert.deepEqual(azureTags("acme", { "team/area": "a&b" }), {
      team_area: "a&b",
      [TENANT_TAG_KEY]: "acme",
    });
  });

  it("writes Kubernetes labels that start and end alphanumeric", () => {
    assert.deepEqual(kubernetesLabels("acme", { owner: "finops@acme.example", "-x-": "-y-" }), {
      owner: "finops_acme.example",
      x: "y",
      [TENANT_TAG_KEY]: "acme",
    });
  });

  it("refuses two tags that collide after cleaning, naming both", () => {
    assert.throws(
      () => gcpLabels("acme", { Owner: "a", owner: "b" }),
      /"Owner" and "owner" both become the GCP label key "owner"/,
    );
  });
});
