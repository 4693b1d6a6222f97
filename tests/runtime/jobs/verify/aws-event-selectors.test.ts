import assert from "node:assert/strict";
import {
  recordsManagementEvents,
  recordsObjectEvents,
} from "../../../../runtime/jobs/verify/aws-event-selectors";

describe("costline verify: what a trail's event selectors record, in either form", () => {
  const prefix = "arn:aws:s3:::costline-acme-111122223333-eu-west-1/exports/";
  const advanced = (...FieldSelectors: Array<{ Field: string; [op: string]: unknown }>) => ({
    AdvancedEventSelectors: [{ FieldSelectors }],
    $metadata: {},
  });
  const data = [
    { Field: "eventCategory", Equals: ["Data"] },
    { Field: "resources.type", Equals: ["AWS::S3::Object"] },
  ];

  it("counts the whole bucket or all of S3, and not a narrower or read-only selector", () => {
    assert.equal(recordsObjectEvents(advanced(...data), prefix), true, "every S3 object");
    assert.equal(
      recordsObjectEvents(
        advanced(...data, {
          Field: "resources.ARN",
          StartsWith: ["arn:aws:s3:::costline-acme-111122223333-eu-west-1/"],
        }),
        prefix,
      ),
      true,
      "the whole bucket",
    );
    assert.equal(
      recordsObjectEvents(
        advanced(...data, { Field: "resources.ARN", StartsWith: [`${prefix}cur2/`] }),
        prefix,
      ),
      false,
      "only part of the prefix",
    );
    assert.equal(
      recordsObjectEvents(advanced(...data, { Field: "readOnly", Equals: ["false"] }), prefix),
      false,
      "writes only",
    );
    assert.equal(
      recordsObjectEvents(
        advanced(...data, { Field: "resources.ARN", NotStartsWith: [`${prefix}cur2/`] }),
        prefix,
      ),
      false,
      "an exclusion inside the prefix",
    );
    assert.equal(
      recordsObjectEvents(
        {
          EventSelectors: [
            {
              ReadWriteType: "WriteOnly",
              DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }],
            },
          ],
          $metadata: {},
        },
        prefix,
      ),
      false,
      "legacy selector recording writes only",
    );
  });

  it("counts management events only when no field narrows them", () => {
    const management = { Field: "eventCategory", Equals: ["Management"] };
    assert.equal(recordsManagementEvents(advanced(management)), true);
    assert.equal(
      recordsManagementEvents(advanced(management, { Field: "readOnly", Equals: ["false"] })),
      false,
    );
    assert.equal(
      recordsManagementEvents({
        EventSelectors: [
          { IncludeManagementEvents: true, ExcludeManagementEventSources: ["kms.amazonaws.com"] },
        ],
        $metadata: {},
      }),
      false,
    );
    assert.equal(
      recordsManagementEvents({ EventSelectors: [{ ReadWriteType: "All" }], $metadata: {} }),
      true,
      "included by default",
    );
  });
});
