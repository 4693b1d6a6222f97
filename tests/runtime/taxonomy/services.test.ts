import assert from "node:assert/strict";
import { SERVICE_CATEGORIES, SERVICE_SUBCATEGORIES } from "../../../runtime/taxonomy/focus-values";
import { SERVICE_FAMILIES, SERVICES, UNKNOWN_SERVICE } from "../../../runtime/taxonomy/services";

/** The key form the normalizer joins on (runtime/mapping): lower case, spaces removed. */
const joinKey = (key: string) => key.toLowerCase().replaceAll(" ", "");

describe("service taxonomy", () => {
  it("maps at least 150 AWS, GCP and Azure services, at least 40 per cloud", () => {
    const clouds = SERVICES.filter((s) => s.provider !== "kubernetes");
    assert.ok(clouds.length >= 150, `${clouds.length} cloud services`);
    for (const provider of ["aws", "gcp", "azure"] as const) {
      const count = SERVICES.filter((s) => s.provider === provider).length;
      assert.ok(count >= 40, `${provider}: ${count} services`);
    }
  });

  it("maps every OpenCost cost component", () => {
    const keys = SERVICES.filter((s) => s.provider === "kubernetes").map((s) => s.key);
    assert.deepEqual(keys.sort(), [
      "cpu",
      "external",
      "gpu",
      "loadBalancer",
      "network",
      "pv",
      "ram",
      "shared",
    ]);
  });

  it("uses only FOCUS 1.2 categories, with a subcategory of that category", () => {
    for (const s of SERVICES) {
      assert.ok(SERVICE_CATEGORIES.includes(s.category), `${s.provider}/${s.key}: category '${s.category}'`);
      assert.ok(
        SERVICE_SUBCATEGORIES[s.category].includes(s.subcategory),
        `${s.provider}/${s.key}: '${s.subcategory}' is not a subcategory of '${s.category}'`,
      );
    }
    assert.ok(SERVICE_SUBCATEGORIES[UNKNOWN_SERVICE.category].includes(UNKNOWN_SERVICE.subcategory));
  });

  it("uses only known service families, and some of each main family", () => {
    for (const s of SERVICES)
      assert.ok(SERVICE_FAMILIES.includes(s.family), `${s.provider}/${s.key}: '${s.family}'`);
    assert.ok(SERVICE_FAMILIES.includes(UNKNOWN_SERVICE.family));
    const used = new Set(SERVICES.map((s) => s.family));
    for (const family of [
      "compute",
      "kubernetes",
      "storage",
      "database",
      "analytics",
      "networking",
      "ai-ml",
      "security",
    ]) {
      assert.ok(used.has(family), `no service in family ${family}`);
    }
  });

  it("has no key twice per provider, also after join normalization", () => {
    const seen = new Map<string, string>();
    for (const s of SERVICES) {
      const id = `${s.provider}:${joinKey(s.key)}`;
      assert.ok(!seen.has(id), `${s.provider} '${s.key}' collides with '${seen.get(id)}'`);
      seen.set(id, s.key);
    }
  });

  it("has no blank or padded names", () => {
    for (const s of SERVICES) {
      for (const value of [s.key, s.serviceName]) {
        assert.ok(value.length > 0 && value.trim() === value, `${s.provider}: '${value}'`);
      }
    }
  });

  it("keys services by the exports' own spellings", () => {
    const has = (provider: string, key: string) =>
      SERVICES.some((s) => s.provider === provider && s.key === key);
    for (const key of [
      "AmazonEC2",
      "AmazonS3",
      "AWSLambda",
      "AmazonRDS",
      "AWSQueueService",
      "awskms",
      "AmazonStates",
    ]) {
      assert.ok(has("aws", key), key);
    }
    for (const key of ["Compute Engine", "Cloud Storage", "BigQuery", "Kubernetes Engine", "Cloud Pub/Sub"]) {
      assert.ok(has("gcp", key), key);
    }
    for (const key of [
      "Virtual Machines",
      "Storage",
      "Azure App Service",
      "Azure Kubernetes Service",
      "Bandwidth",
    ]) {
      assert.ok(has("azure", key), key);
    }
  });
});
