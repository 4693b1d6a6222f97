import assert from "node:assert/strict";
import { tenantSecretPath } from "../../../components/core/secrets";

describe("tenantSecretPath", () => {
  it("follows tenant-{tenantId}-{provider}-{accountId}", () => {
    assert.equal(tenantSecretPath("acme", "aws", "111122223333"), "tenant-acme-aws-111122223333");
    assert.equal(tenantSecretPath("acme", "gcp", "acme-finops-prod"), "tenant-acme-gcp-acme-finops-prod");
  });

  it("keeps Key Vault's charset for any account id", () => {
    assert.equal(tenantSecretPath("acme", "kubernetes", "prod.eks/1"), "tenant-acme-kubernetes-prod-eks-1");
  });

  it("refuses an empty tenant or account", () => {
    assert.throws(() => tenantSecretPath("", "aws", "1"), /needs a tenant id/);
  });
});
