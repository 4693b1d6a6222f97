/**
 * The AWS audit trail: what it records and keeps, under mocks, and, through the IAM policy
 * simulator, that the roles Costline creates cannot stop, delete or rewrite the trail, its key or
 * its bucket, while CloudTrail itself (for this trail only) can deliver.
 */
import assert from "node:assert/strict";
import type { PolicyDocument } from "../../../components/aws/iam";
import { parseTenantConfig } from "../../../components/tenant/config";
import { exampleTenant } from "../../helpers/tenants";
import { awsTenant, type PipelineRun, parsedInput, recordAwsPipeline, resolved } from "./harness";
import { type Decision, decide } from "./simulate";

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const EXPORT_BUCKET = "costline-acme-111122223333-eu-west-1";
const TRAIL_BUCKET = "costline-acme-111122223333-eu-west-1-audit";
const TRAIL = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/costline-acme-audit`;
const LOG_OBJECT = `arn:aws:s3:::${TRAIL_BUCKET}/AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2025/01/01/log.json.gz`;
const TRAIL_BUCKET_ARN = `arn:aws:s3:::${TRAIL_BUCKET}`;
const CONNECTOR = `arn:aws:iam::${ACCOUNT}:role/costline-acme-connector`;
const JOB = `arn:aws:iam::${ACCOUNT}:role/costline-acme-aws-normalize`;
const TLS = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };
const TRAIL_TYPE = "aws:cloudtrail/trail:Trail";

/** The example tenant with changes to its `audit` and `aws` sections, validated again. */
function tenantWith(audit: object, aws: object = {}) {
  const base = exampleTenant();
  return awsTenant(parseTenantConfig({ ...base, audit, aws: { ...base.aws, ...aws } }));
}

describe("AWS audit trail", function () {
  this.timeout(120_000);
  let run: PipelineRun;
  before(async () => {
    run = await recordAwsPipeline();
  });

  it("records all management events and S3 data events on the export and normalized prefixes", () => {
    const trail = run.recorded.one(TRAIL_TYPE, "acme-aws-audit-trail").inputs;
    assert.equal(trail.name, "costline-acme-audit");
    assert.equal(trail.s3BucketName, TRAIL_BUCKET);
    assert.equal(trail.enableLogFileValidation, true);
    assert.equal(trail.isMultiRegionTrail, true);
    assert.equal(trail.includeGlobalServiceEvents, true);
    assert.deepEqual(trail.advancedEventSelectors, [
      {
        name: "All management events",
        fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }],
      },
      {
        name: "S3 data events on cost data",
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          {
            field: "resources.ARN",
            startsWiths: [
              `arn:aws:s3:::${EXPORT_BUCKET}/exports/`,
              `arn:aws:s3:::${EXPORT_BUCKET}/normalized/`,
            ],
          },
        ],
      },
    ]);
  });

  it("encrypts with its own key and keeps versioned log files for the tenant's 400 days", async () => {
    const trail = run.recorded.one(TRAIL_TYPE).inputs;
    const key = run.recorded.one("aws:kms/key:Key", "acme-aws-audit-key");
    assert.equal(trail.kmsKeyId, await resolved(run.pipeline.auditTrail?.keyArn ?? assert.fail("no trail")));
    assert.notEqual(trail.kmsKeyId, await resolved(run.pipeline.bucket.keyArn));
    assert.equal(key.inputs.enableKeyRotation, true);
    assert.deepEqual(
      run.recorded.one("aws:s3/bucketVersioning:BucketVersioning", "acme-aws-audit-versioning").inputs
        .versioningConfiguration,
      { status: "Enabled" },
    );
    const lifecycle = run.recorded.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "acme-aws-audit-lifecycle",
    );
    assert.deepEqual(lifecycle.inputs.rules, [
      {
        id: "expire-audit-logs",
        status: "Enabled",
        filter: {},
        expiration: { days: 400 },
        noncurrentVersionExpiration: { noncurrentDays: 400 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
    assert.deepEqual(await resolved(run.pipeline.audit), {
      trail: "costline-acme-audit",
      managedBy: "stack",
    });
  });

  it("keeps log files as long as the tenant's audit.retentionDays says", async () => {
    const { recorded } = await recordAwsPipeline(tenantWith({ retentionDays: 90 }));
    const rules = recorded.one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "acme-aws-audit-lifecycle",
    ).inputs.rules as { expiration: { days: number } }[];
    assert.equal(rules[0].expiration.days, 90);
  });

  it("creates no trail when the tenant names an organization trail, and records that it is assumed", async () => {
    const org = await recordAwsPipeline(tenantWith({}, { organizationTrailName: "org-trail" }));
    assert.deepEqual(org.recorded.ofType(TRAIL_TYPE), []);
    assert.deepEqual(
      org.recorded.ofType("aws:s3/bucket:Bucket").map((b) => b.inputs.bucket),
      [EXPORT_BUCKET],
    );
    assert.equal(org.pipeline.auditTrail, undefined);
    assert.deepEqual(await resolved(org.pipeline.audit), { trail: "org-trail", managedBy: "organization" });
  });

  describe("IAM (simulated)", () => {
    const json = (type: string, name: string, field: string) =>
      parsedInput(run.recorded, type, name, field) as PolicyDocument;
    const bucketPolicy = () => json("aws:s3/bucketPolicy:BucketPolicy", "acme-aws-audit-policy", "policy");
    const keyPolicy = () => json("aws:kms/key:Key", "acme-aws-audit-key", "policy");
    const rolePolicy = (name: string) => () => json("aws:iam/rolePolicy:RolePolicy", name, "policy");
    /** A policy that allows everything: what a later, careless grant to the role could add. */
    const everything: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }],
    };
    const roles: [string, string, () => PolicyDocument][] = [
      ["job", JOB, rolePolicy("acme-aws-job-permissions")],
      ["connector", CONNECTOR, rolePolicy("acme-aws-connector-read")],
    ];
    const ask = (principal: string, identity: PolicyDocument, action: string, resource: string) => {
      const s3 = action.startsWith("s3:");
      const resourcePolicy = s3 ? bucketPolicy() : action.startsWith("kms:") ? keyPolicy() : undefined;
      // AWS sets aws:PrincipalArn to the role's ARN for every session of the role; the simulator
      // does not derive it, so requests judged by a resource policy carry it.
      const principalArn: Record<string, string> = resourcePolicy ? { "aws:PrincipalArn": principal } : {};
      return decide(
        {
          principal,
          action,
          resource,
          resourceAccount: ACCOUNT,
          context: { ...(s3 ? TLS : {}), ...principalArn },
        },
        { identity: [identity], resource: resourcePolicy },
      );
    };
    const keyArn = () => resolved(run.pipeline.auditTrail?.keyArn ?? assert.fail("no trail"));

    for (const [role, arn, policy] of roles) {
      it(`denies the ${role} role stopping, deleting or changing the trail`, async () => {
        for (const action of [
          "cloudtrail:StopLogging",
          "cloudtrail:DeleteTrail",
          "cloudtrail:UpdateTrail",
          "cloudtrail:PutEventSelectors",
        ]) {
          assert.equal(await ask(arn, policy(), action, TRAIL), "ImplicitlyDenied", action);
        }
      });

      it(`explicitly denies the ${role} role any write or delete on the trail bucket, whatever it is granted`, async () => {
        const cases: [string, string][] = [
          ["s3:PutObject", LOG_OBJECT],
          ["s3:DeleteObject", LOG_OBJECT],
          ["s3:DeleteObjectVersion", LOG_OBJECT],
          ["s3:PutBucketPolicy", TRAIL_BUCKET_ARN],
          ["s3:DeleteBucketPolicy", TRAIL_BUCKET_ARN],
          ["s3:PutLifecycleConfiguration", TRAIL_BUCKET_ARN],
          ["s3:PutBucketVersioning", TRAIL_BUCKET_ARN],
          ["s3:DeleteBucket", TRAIL_BUCKET_ARN],
        ];
        for (const [action, resource] of cases) {
          assert.equal(await ask(arn, everything, action, resource), "ExplicitlyDenied", action);
          assert.notEqual(await ask(arn, policy(), action, resource), "Allowed", action);
        }
      });

      it(`explicitly denies the ${role} role deleting, disabling or re-policing the trail key`, async () => {
        const key = await keyArn();
        for (const action of [
          "kms:ScheduleKeyDeletion",
          "kms:DisableKey",
          "kms:PutKeyPolicy",
          "kms:Decrypt",
        ]) {
          assert.equal(await ask(arn, everything, action, key), "ExplicitlyDenied", action);
        }
      });
    }

    it("leaves the account's administrators able to administer the key", async () => {
      const admin = `arn:aws:iam::${ACCOUNT}:role/security-admin`;
      assert.equal(await ask(admin, everything, "kms:PutKeyPolicy", await keyArn()), "Allowed");
    });

    const cloudtrail = (
      action: string,
      resource: string,
      context: Record<string, string>,
    ): Promise<Decision> =>
      decide(
        { principal: "cloudtrail.amazonaws.com", action, resource, resourceAccount: ACCOUNT, context },
        { resource: action.startsWith("s3:") ? bucketPolicy() : keyPolicy() },
      );
    const own = { "aws:SourceArn": TRAIL };
    const otherTrail = { "aws:SourceArn": TRAIL.replace("costline-acme-audit", "someone-else") };
    const acl = { "s3:x-amz-acl": "bucket-owner-full-control" };

    it("lets CloudTrail, for this trail only, check the ACL and deliver under AWSLogs/", async () => {
      assert.equal(await cloudtrail("s3:GetBucketAcl", TRAIL_BUCKET_ARN, { ...TLS, ...own }), "Allowed");
      assert.equal(await cloudtrail("s3:PutObject", LOG_OBJECT, { ...TLS, ...own, ...acl }), "Allowed");
      assert.equal(
        await cloudtrail("s3:PutObject", LOG_OBJECT, { ...TLS, ...otherTrail, ...acl }),
        "ImplicitlyDenied",
      );
      assert.equal(await cloudtrail("s3:PutObject", LOG_OBJECT, { ...TLS, ...own }), "ImplicitlyDenied");
      assert.equal(
        await cloudtrail("s3:PutObject", `${TRAIL_BUCKET_ARN}/elsewhere/x`, { ...TLS, ...own, ...acl }),
        "ImplicitlyDenied",
      );
      assert.equal(await cloudtrail("s3:DeleteObject", LOG_OBJECT, { ...TLS, ...own }), "ImplicitlyDenied");
    });

    it("lets CloudTrail encrypt with the key for this trail only", async () => {
      const key = await keyArn();
      assert.equal(await cloudtrail("kms:GenerateDataKey", key, own), "Allowed");
      assert.equal(await cloudtrail("kms:DescribeKey", key, own), "Allowed");
      assert.equal(await cloudtrail("kms:GenerateDataKey", key, otherTrail), "ImplicitlyDenied");
      assert.equal(await cloudtrail("kms:ScheduleKeyDeletion", key, own), "ImplicitlyDenied");
    });
  });
});
