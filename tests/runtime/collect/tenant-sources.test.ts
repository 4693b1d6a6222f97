import assert from "node:assert/strict";
import { join } from "node:path";
import { parseSourceOverride, tenantSources } from "../../../runtime/collect/tenant-sources";
import { loadTenantFile } from "../../../stacks/tenant/load";

const ACME = loadTenantFile(join(__dirname, "..", "..", "..", "examples", "tenants", "acme-all.yaml"));

describe("collect: where each of a tenant's clouds is read", () => {
  it("reads all four clouds of the example tenant where its stack has the jobs write", () => {
    const plan = tenantSources(ACME, []);
    assert.deepEqual(plan.notCollected, []);
    const by = Object.fromEntries(plan.sources.map((s) => [s.id, s]));
    assert.deepEqual(Object.keys(by).sort(), ["aws", "azure", "gcp", "kubernetes.prod-eks"]);
    assert.equal(by.aws!.url, "s3://costline-acme-111122223333-eu-west-1");
    assert.deepEqual(by.aws!.assumeRole, {
      roleArn: "arn:aws:iam::111122223333:role/costline-acme-connector",
      externalIdVariable: "COSTLINE_AWS_EXTERNAL_ID_ACME",
    });
    assert.deepEqual(by.gcp!.bigQuery, {
      projectId: "acme-finops-prod",
      location: "EU",
      normalized: "`acme-finops-prod.costline_acme_normalized.focus_cost`",
      runs: "`acme-finops-prod.costline_acme_normalized.costline_runs`",
    });
    assert.match(by.azure!.url, /^https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/normalized$/);
    assert.equal(by["kubernetes.prod-eks"]!.url, "s3://acme-costline-kubernetes/prod-eks");
    assert.equal(by["kubernetes.prod-eks"]!.region, "eu-west-1");
    // What to grant, named per cloud, for when a read is denied.
    assert.match(by.aws!.deniedHint, /connectorPolicy .* sts:AssumeRole/);
    assert.match(by.gcp!.deniedHint, /roles\/bigquery\.dataViewer on costline_acme_normalized/);
    assert.match(
      by.azure!.deniedHint,
      /set azure\.platformPrincipalId .* Storage Blob Data Reader on the normalized container/,
    );
    const granted = tenantSources(
      { ...ACME, azure: { ...ACME.azure!, platformPrincipalId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d" } },
      [],
    );
    assert.match(
      granted.sources.find((s) => s.cloud === "azure")!.deniedHint,
      /^run collect as the platform principal 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d/,
    );
  });

  it("reads a cloud from a --source instead, and parses the flag strictly", () => {
    const override = parseSourceOverride("acme:kubernetes=file:///mnt/copy");
    assert.deepEqual(override, { tenant: "acme", cloud: "kubernetes", url: "file:///mnt/copy" });
    const plan = tenantSources(ACME, [override as Exclude<typeof override, string>]);
    const kubernetes = plan.sources.filter((s) => s.cloud === "kubernetes");
    assert.deepEqual(
      kubernetes.map((s) => [s.id, s.url]),
      [["kubernetes", "file:///mnt/copy"]],
    );
    // A token in a hand-given URL is never part of what collect prints.
    const sas = parseSourceOverride("acme:azure=https://a.blob.core.windows.net/c?sv=2024&sig=SECRET");
    const hint = tenantSources(ACME, [sas as Exclude<typeof sas, string>]).sources.find(
      (s) => s.cloud === "azure",
    )!;
    assert.equal(
      hint.deniedHint,
      "the identity collect runs as needs to list and read https://a.blob.core.windows.net/c",
    );
    assert.match(parseSourceOverride("acme=file:///x") as string, /--source takes TENANT:CLOUD=URL/);
    assert.match(parseSourceOverride("acme:oci=file:///x") as string, /not "oci"/);
  });
});
