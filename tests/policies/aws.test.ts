import assert from "node:assert/strict";
import { awsCases } from "./aws.cases";
import { describeCases, resource, violationsOf } from "./harness";

describeCases("AWS policies", awsCases);

describe("aws-audit-trail and an organization trail", () => {
  const stack = [
    resource("aws:bcmdata/export:Export", "cur2", {
      export: {
        destinationConfigurations: [
          { s3Destinations: [{ s3Bucket: "acme-costs", s3Prefix: "exports/cur2" }] },
        ],
      },
    }),
  ];

  it("asks for a trail of the stack's own when no organization trail is named", async () => {
    const found = await violationsOf("aws-audit-trail", stack);
    assert.match(found[0]?.message ?? "", /no logging CloudTrail trail .* or set organizationTrailName/);
  });

  it("lets the named organization trail stand for it (costline verify checks that trail)", async () => {
    const config = { "aws-audit-trail": { organizationTrailName: "acme-org-trail" } };
    assert.deepEqual(await violationsOf("aws-audit-trail", stack, config), []);
  });
});

describe("S3 stack policies and a value not known before deployment", () => {
  const bucket = (name: string) => resource("aws:s3/bucket:Bucket", name, { bucket: name });
  const policyOf = (name: string, policy: unknown) =>
    resource("aws:s3/bucketPolicy:BucketPolicy", `${name}-policy`, { bucket: name, policy });

  it("judges every other bucket when one bucket's policy is unknown", async () => {
    const stack = [bucket("acme-known"), bucket("acme-pending"), policyOf("acme-pending", "[unknown]")];
    const found = await violationsOf("aws-s3-tls-only", stack);
    assert.deepEqual(
      found.map((v) => [v.urn.split("::").pop(), v.level]),
      [["acme-known", "mandatory"]],
    );
  });
});
