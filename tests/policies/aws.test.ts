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
