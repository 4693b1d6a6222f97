import assert from "node:assert/strict";
import { platformTrust } from "../../../components/gcp/platform-access";

const POOL = "projects/123456789012/locations/global/workloadIdentityPools/costline-acme";

describe("gcp: platform trust", () => {
  it("admits one AWS role of one account, whatever the session name", () => {
    const trust = platformTrust({ kind: "aws", accountId: "999988887777", roleName: "costline-platform" });
    assert.deepEqual(trust.source, { aws: { accountId: "999988887777" } });
    assert.equal(trust.attributeMapping["google.subject"], "assertion.arn");
    assert.match(trust.attributeMapping["attribute.aws_role"], /assumed-role/);
    assert.equal(
      trust.attributeCondition,
      'attribute.aws_role == "arn:aws:sts::999988887777:assumed-role/costline-platform"',
    );
    assert.equal(
      trust.member(POOL),
      `principalSet://iam.googleapis.com/${POOL}/attribute.aws_role/arn:aws:sts::999988887777:assumed-role/costline-platform`,
    );
  });

  it("admits one OIDC subject, with its audience, and grants to that principal alone", () => {
    const trust = platformTrust({
      kind: "oidc",
      issuerUri: "https://token.actions.githubusercontent.com",
      audience: "costline",
      subject: "repo:acme/platform:ref:refs/heads/main",
    });
    assert.deepEqual(trust.source, {
      oidc: { issuerUri: "https://token.actions.githubusercontent.com", allowedAudiences: ["costline"] },
    });
    assert.deepEqual(trust.attributeMapping, { "google.subject": "assertion.sub" });
    assert.equal(trust.attributeCondition, 'assertion.sub == "repo:acme/platform:ref:refs/heads/main"');
    assert.equal(
      trust.member(POOL),
      `principal://iam.googleapis.com/${POOL}/subject/repo:acme/platform:ref:refs/heads/main`,
    );
  });

  it("quotes a subject so that it cannot widen the condition", () => {
    const subject = 'x" || true || "';
    const trust = platformTrust({ kind: "oidc", issuerUri: "https://idp.example", audience: "a", subject });
    const literal = trust.attributeCondition.replace(/^assertion\.sub == /, "");
    assert.equal(JSON.parse(literal), subject);
    assert.equal(trust.attributeCondition, 'assertion.sub == "x\\" || true || \\""');
  });

  it("refuses a subject longer than google.subject can hold", () => {
    assert.throws(
      () =>
        platformTrust({
          kind: "oidc",
          issuerUri: "https://idp.example",
          audience: "a",
          subject: "s".repeat(128),
        }),
      /platformIdentity\.subject is longer than the 127 bytes/,
    );
  });

  it("never builds a member from anything but a pool resource name", () => {
    const trust = platformTrust({ kind: "aws", accountId: "999988887777", roleName: "r" });
    for (const bad of [
      "costline-acme",
      `${POOL}/*`,
      "projects/acme/locations/global/workloadIdentityPools/p",
    ]) {
      assert.throws(() => trust.member(bad), /expected a workload identity pool resource name/, bad);
    }
  });
});
