import assert from "node:assert/strict";
import { GEOS, REGIONS } from "../../../runtime/taxonomy/regions";

describe("region taxonomy", () => {
  it("lists the public regions of each cloud", () => {
    const count = (provider: string) =>
      REGIONS.filter((r) => r.provider === provider && r.country !== null).length;
    assert.ok(count("aws") >= 34, `aws: ${count("aws")}`);
    assert.ok(count("gcp") >= 40, `gcp: ${count("gcp")}`);
    assert.ok(count("azure") >= 55, `azure: ${count("azure")}`);
  });

  it("has unique ids per provider, written as the provider writes them", () => {
    const seen = new Set<string>();
    for (const r of REGIONS) {
      const id = `${r.provider}:${r.id}`;
      assert.ok(!seen.has(id), `duplicate region ${id}`);
      seen.add(id);
    }
    const pattern = {
      aws: /^([a-z]{2}(-gov)?-[a-z]+-\d|global)$/,
      gcp: /^([a-z]+-[a-z]+\d+|us|eu|asia|global)$/,
      azure: /^[a-z0-9]+$/,
    };
    for (const r of REGIONS) {
      assert.match(r.id, pattern[r.provider as keyof typeof pattern], `${r.provider} region id '${r.id}'`);
    }
  });

  it("gives every region a known geo, a name and an ISO country (or null for multi-country locations)", () => {
    for (const r of REGIONS) {
      assert.ok(GEOS.includes(r.geo), `${r.provider}/${r.id}: geo '${r.geo}'`);
      assert.ok(r.name.trim().length > 0, `${r.provider}/${r.id}: name`);
      if (r.country === null)
        assert.ok(["global", "ap"].includes(r.geo), `${r.provider}/${r.id} has no country`);
      else assert.match(r.country, /^[A-Z]{2}$/, `${r.provider}/${r.id}: country '${r.country}'`);
    }
  });

  it("places well-known regions correctly", () => {
    const find = (provider: string, id: string) =>
      REGIONS.find((r) => r.provider === provider && r.id === id);
    assert.deepEqual(find("aws", "eu-west-1"), {
      provider: "aws",
      id: "eu-west-1",
      name: "Europe (Ireland)",
      geo: "eu-west",
      country: "IE",
    });
    assert.equal(find("gcp", "europe-west3")?.country, "DE");
    assert.equal(find("gcp", "us")?.geo, "us");
    assert.equal(find("azure", "westeurope")?.country, "NL");
    assert.equal(find("azure", "japaneast")?.geo, "ap-northeast");
  });
});
