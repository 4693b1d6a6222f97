import assert from "node:assert/strict";
import { CREDENTIAL_EVENTS, objectEvents, trailRecords } from "../../../policies/lib/cloudtrail-selectors";

const [read, write] = objectEvents("arn:aws:s3:::acme-costs/exports/");
const secretRead = CREDENTIAL_EVENTS.find((e) => e.eventName === "GetSecretValue" && e.readOnly === "true")!;
const data = (...more: Record<string, unknown>[]) => ({
  advancedEventSelectors: [
    {
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
        ...more,
      ],
    },
  ],
});

describe("policies/lib/cloudtrail-selectors: which events a trail records", () => {
  it("records every management event and no data event without selectors", () => {
    assert.equal(trailRecords({}, secretRead), true);
    assert.equal(trailRecords({}, read), false);
  });

  it("ANDs the field selectors of one advanced selector, each operator as CloudTrail reads it", () => {
    assert.equal(trailRecords(data(), read), true);
    assert.equal(
      trailRecords(data({ field: "resources.ARN", startsWiths: ["arn:aws:s3:::acme-costs/"] }), read),
      true,
    );
    assert.equal(
      trailRecords(data({ field: "resources.ARN", startsWiths: ["arn:aws:s3:::other/"] }), read),
      false,
    );
    assert.equal(
      trailRecords(
        data({ field: "resources.ARN", notStartsWiths: ["arn:aws:s3:::acme-costs/exports/"] }),
        read,
      ),
      false,
    );
    assert.equal(trailRecords(data({ field: "eventName", notEquals: ["GetObject"] }), read), false);
    assert.equal(trailRecords(data({ field: "eventName", notEquals: ["GetObject"] }), write), true);
    assert.equal(trailRecords(data({ field: "resources.ARN", endsWiths: [".parquet"] }), read), false);
    // A data selector never admits a management event: it names resources.type, which they lack.
    assert.equal(trailRecords(data(), secretRead), false);
  });

  it("reads basic selectors: read/write type, management exclusions, bucket-wide data resources", () => {
    const basic = (s: Record<string, unknown>) => ({ eventSelectors: [s] });
    const s3 = (values: string[]) => ({ dataResources: [{ type: "AWS::S3::Object", values }] });
    assert.equal(trailRecords(basic({ readWriteType: "All", ...s3(["arn:aws:s3"]) }), read), true);
    assert.equal(trailRecords(basic({ readWriteType: "WriteOnly", ...s3(["arn:aws:s3"]) }), read), false);
    assert.equal(trailRecords(basic({ ...s3(["arn:aws:s3:::acme-costs/"]) }), write), true);
    assert.equal(trailRecords(basic({ ...s3(["arn:aws:s3:::acme-costs/normalized/"]) }), write), false);
    assert.equal(trailRecords(basic({ includeManagementEvents: false }), secretRead), false);
    assert.equal(
      trailRecords(basic({ excludeManagementEventSources: ["secretsmanager.amazonaws.com"] }), secretRead),
      false,
    );
  });

  it("lets advanced selectors replace basic ones", () => {
    assert.equal(trailRecords({ ...data(), eventSelectors: [{ readWriteType: "All" }] }, secretRead), false);
  });
});
