import assert from "node:assert/strict";
import { join } from "node:path";
import {
  AccessDeniedException,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  TrailNotFoundException,
} from "@aws-sdk/client-cloudtrail";
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { TenantConfig } from "../../../../components/tenant/config";
import { awsAuditChecks } from "../../../../runtime/jobs/verify/aws-audit";
import { renderReport } from "../../../../runtime/jobs/verify/types";
import { loadTenantFile } from "../../../../stacks/tenant/load";
import { deployedAuditTrail } from "../../../helpers/aws-audit-trail";

const tenant = loadTenantFile(
  join(__dirname, "..", "..", "..", "..", "examples", "tenants", "acme-all.yaml"),
);
const OPS = "arn:aws:iam::111122223333:user/ops";
const failing = (audit: Array<{ setting: string; ok: boolean }>) =>
  audit.filter((a) => !a.ok).map((a) => a.setting);
const s3Denied = () =>
  new S3ServiceException({
    name: "AccessDenied",
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
    message: "Access Denied",
  });

describe("costline verify: the AWS audit trail read back (aws-sdk-client-mock)", () => {
  let deployed: ReturnType<typeof deployedAuditTrail>;
  beforeEach(() => {
    deployed = deployedAuditTrail();
  });
  afterEach(() => deployed.restore());

  it("passes the trail and bucket the stack deploys, and reads the trail and bucket it names", async () => {
    const { audit, notChecked } = await awsAuditChecks(deployed.clients, tenant, OPS);
    assert.deepEqual(failing(audit), []);
    assert.deepEqual(notChecked, []);
    assert.deepEqual(
      audit.map((a) => a.setting),
      [
        "trail costline-acme-audit exists",
        "trail costline-acme-audit records events of every region",
        "trail costline-acme-audit validates its log files",
        "trail costline-acme-audit encrypts its log files with a KMS key",
        "trail costline-acme-audit is logging",
        "trail costline-acme-audit records every management event (secret reads, role assumptions)",
        `trail costline-acme-audit records S3 data events on s3://${deployed.layout.bucket}/exports/`,
        `trail costline-acme-audit records S3 data events on s3://${deployed.layout.bucket}/normalized/`,
        `bucket ${deployed.names.bucket} expires log files after 400 days (current and noncurrent versions)`,
        `bucket ${deployed.names.bucket} keeps versions of its log files`,
      ],
    );
    assert.deepEqual(deployed.trail.commandCalls(GetTrailCommand)[0]!.args[0].input, {
      Name: "costline-acme-audit",
    });
    assert.deepEqual(deployed.bucket.commandCalls(GetBucketVersioningCommand)[0]!.args[0].input, {
      Bucket: deployed.names.bucket,
    });
  });

  it("names a stopped trail, a lost data selector and a shorter expiration, each with its fix", async () => {
    deployed.trail.on(GetTrailStatusCommand).resolves({
      IsLogging: false,
      StopLoggingTime: new Date("2026-12-01T22:03:51Z"),
    });
    deployed.trail.on(GetEventSelectorsCommand).resolves({
      AdvancedEventSelectors: [
        { Name: "Management", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
      ],
    });
    deployed.bucket.on(GetBucketLifecycleConfigurationCommand).resolves({
      Rules: [
        {
          ID: "expire-audit-logs",
          Status: "Enabled",
          Filter: {},
          Expiration: { Days: 30 },
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
        },
      ],
    });
    const { audit } = await awsAuditChecks(deployed.clients, tenant, OPS);
    assert.deepEqual(failing(audit), [
      "trail costline-acme-audit is logging",
      `trail costline-acme-audit records S3 data events on s3://${deployed.layout.bucket}/exports/`,
      `trail costline-acme-audit records S3 data events on s3://${deployed.layout.bucket}/normalized/`,
      `bucket ${deployed.names.bucket} expires log files after 400 days (current and noncurrent versions)`,
    ]);
    const logging = audit.find((a) => a.setting.endsWith("is logging"))!;
    assert.equal(logging.found, "IsLogging false since 2026-12-01T22:03:51.000Z");
    assert.match(
      logging.fix,
      /run pulumi up for this tenant \(components\/aws\/audit-trail.ts sets enableLogging\)/,
    );
    const expiry = audit.find((a) => a.setting.includes("expires"))!;
    assert.match(
      expiry.found,
      /rule expire-audit-logs Enabled: expiration 30 days, noncurrent versions 30 days/,
    );
    assert.match(
      renderReport({ cloud: "aws", identity: "x", checks: [], audit, notChecked: [] }),
      /FAILING trail costline-acme-audit is logging\n {10}found: IsLogging false since .*\n {10}fix: run pulumi up/,
    );
  });

  it("fails a missing trail with the way to create it, and an unversioned bucket without lifecycle rules", async () => {
    deployed.trail.on(GetTrailCommand).rejects(
      new TrailNotFoundException({
        message: "Unknown trail: costline-acme-audit for the user: 111122223333",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    deployed.bucket.on(GetBucketLifecycleConfigurationCommand).rejects(
      new S3ServiceException({
        name: "NoSuchLifecycleConfiguration",
        $fault: "client",
        $metadata: { httpStatusCode: 404 },
        message: "The lifecycle configuration does not exist",
      }),
    );
    deployed.bucket.on(GetBucketVersioningCommand).resolves({});
    const { audit } = await awsAuditChecks(deployed.clients, tenant, OPS);
    assert.deepEqual(
      audit.map((a) => [a.ok, a.found]),
      [
        [
          false,
          "no trail named costline-acme-audit (TrailNotFoundException: Unknown trail: costline-acme-audit for the user: 111122223333)",
        ],
        [false, "no lifecycle rules: log files are kept forever"],
        [false, "versioning never enabled"],
      ],
    );
    assert.equal(audit[0]!.fix, "run pulumi up for this tenant (the stack creates the trail)");
    assert.equal(
      deployed.trail.commandCalls(GetTrailStatusCommand).length,
      0,
      "nothing more is asked of a trail that is not there",
    );
  });

  it("fails a single-region trail without its KMS key", async () => {
    deployed.trail.on(GetTrailCommand).resolves({
      Trail: {
        Name: deployed.names.trail,
        S3BucketName: deployed.names.bucket,
        IsMultiRegionTrail: false,
        HomeRegion: "eu-west-1",
        LogFileValidationEnabled: true,
      },
    });
    const { audit } = await awsAuditChecks(deployed.clients, tenant, OPS);
    assert.deepEqual(
      audit.filter((a) => !a.ok).map((a) => [a.setting, a.found, a.fix]),
      [
        [
          "trail costline-acme-audit records events of every region",
          "IsMultiRegionTrail false",
          "run pulumi up for this tenant (components/aws/audit-trail.ts sets isMultiRegionTrail)",
        ],
        [
          "trail costline-acme-audit encrypts its log files with a KMS key",
          "no KmsKeyId (S3-managed encryption only)",
          "run pulumi up for this tenant (components/aws/audit-trail.ts sets kmsKeyId)",
        ],
      ],
    );
  });

  it("fails a rule that expires log files but keeps their old versions forever, or only part of the bucket", async () => {
    const expiring = `bucket ${deployed.names.bucket} expires log files after 400 days (current and noncurrent versions)`;
    deployed.bucket.on(GetBucketLifecycleConfigurationCommand).resolves({
      Rules: [
        { ID: "expire-current", Status: "Enabled", Filter: {}, Expiration: { Days: 400 } },
        {
          ID: "expire-old-versions",
          Status: "Enabled",
          Filter: { Prefix: "AWSLogs/" },
          Expiration: { Days: 400 },
          NoncurrentVersionExpiration: { NoncurrentDays: 400 },
        },
      ],
    });
    const { audit } = await awsAuditChecks(deployed.clients, tenant, OPS);
    assert.deepEqual(failing(audit), [expiring]);
    assert.equal(
      audit.find((a) => a.setting === expiring)!.found,
      "rule expire-current Enabled: expiration 400 days, noncurrent versions none; rule expire-old-versions Enabled (part of the bucket): expiration 400 days, noncurrent versions 400 days",
    );
  });

  it("names the CloudTrail permission the caller lacks, without a stack trace", async () => {
    deployed.trail.on(GetTrailStatusCommand).rejects(
      new AccessDeniedException({
        message: `User: ${OPS} is not authorized to perform: cloudtrail:GetTrailStatus on resource: arn:aws:cloudtrail:eu-west-1:111122223333:trail/costline-acme-audit because no identity-based policy allows the cloudtrail:GetTrailStatus action`,
        $metadata: { httpStatusCode: 400 },
      }),
    );
    deployed.bucket.on(GetBucketVersioningCommand).rejects(s3Denied());
    const { audit } = await awsAuditChecks(deployed.clients, tenant, OPS);
    const status = audit.find((a) => a.setting.endsWith("is logging"))!;
    assert.equal(status.ok, false);
    assert.match(
      status.found,
      /^AccessDeniedException: User: .* is not authorized to perform: cloudtrail:GetTrailStatus/,
    );
    assert.equal(
      status.fix,
      `grant ${OPS} cloudtrail:GetTrailStatus on trail costline-acme-audit, then verify again`,
    );
    const versions = audit.find((a) => a.setting.includes("keeps versions"))!;
    assert.equal(
      versions.fix,
      `grant ${OPS} s3:GetBucketVersioning on arn:aws:s3:::${deployed.names.bucket}, then verify again`,
    );
    assert.doesNotMatch(JSON.stringify(audit), /\n\s+at /, "no stack trace");
  });

  describe("an organization trail the tenant names", () => {
    const org: TenantConfig = {
      ...tenant,
      aws: { ...tenant.aws!, organizationTrailName: "org-audit" },
    };
    const archive = "acme-log-archive-444455556666";

    it("verifies it instead of assuming it, and reports a bucket in another account as not checked", async () => {
      deployed.trail.on(GetTrailCommand).resolves({
        Trail: {
          Name: "org-audit",
          S3BucketName: archive,
          IsMultiRegionTrail: true,
          HomeRegion: "us-east-1",
          LogFileValidationEnabled: false,
          KmsKeyId: "arn:aws:kms:us-east-1:444455556666:key/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
          IsOrganizationTrail: true,
        },
      });
      deployed.trail.on(GetEventSelectorsCommand).resolves({
        EventSelectors: [
          {
            ReadWriteType: "All",
            IncludeManagementEvents: true,
            DataResources: [{ Type: "AWS::S3::Object", Values: [`arn:aws:s3:::${deployed.layout.bucket}/`] }],
            ExcludeManagementEventSources: [],
          },
        ],
      });
      deployed.bucket.on(GetBucketLifecycleConfigurationCommand).rejects(s3Denied());
      deployed.bucket.on(GetBucketVersioningCommand).rejects(s3Denied());
      const { audit, notChecked } = await awsAuditChecks(deployed.clients, org, OPS);
      assert.deepEqual(failing(audit), ["organization trail org-audit validates its log files"]);
      assert.equal(
        audit.find((a) => !a.ok)!.fix,
        "aws cloudtrail update-trail --name org-audit --enable-log-file-validation (the organization's trail: the stack does not manage it)",
      );
      assert.equal(audit.length, 8, "the same trail checks as the stack's own trail");
      assert.deepEqual(
        deployed.bucket
          .commandCalls(GetBucketLifecycleConfigurationCommand)
          .map((c) => c.args[0].input.Bucket),
        [archive],
        "the bucket the trail delivers to is read, not the stack's",
      );
      assert.equal(notChecked.length, 2);
      assert.match(
        notChecked[0]!,
        new RegExp(
          `^bucket ${archive} expires log files after 400 days .*: the bucket is in another account \\(AccessDenied: Access Denied\\); check it there$`,
        ),
      );
    });
  });
});
