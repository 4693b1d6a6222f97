/**
 * IAM behaviour of the generated documents: each request below is evaluated by an IAM policy
 * simulator against the very documents the component deployed (recorded inputs, or the component's
 * own outputs where the document is secret). Denials are asserted as carefully as grants.
 */
import assert from "node:assert/strict";
import type { PolicyDocument } from "../../../components/aws/iam";
import { type PipelineRun, parsedInput, recordAwsPipeline, resolved } from "./harness";
import { type Decision, decide, type SimRequest } from "./simulate";

const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const BUCKET = "costline-acme-111122223333-eu-west-1";
const CUR_OBJECT = `arn:aws:s3:::${BUCKET}/exports/cur2/costline-acme-cur2/data/BILLING_PERIOD=2025-01/costline-acme-cur2-00001.snappy.parquet`;
const NORMALIZED_OBJECT = `arn:aws:s3:::${BUCKET}/normalized/billing_period=2025-01/part-0.parquet`;
const RUN_FOLDER_OBJECT = `arn:aws:s3:::${BUCKET}/normalized/billing_period=2025-01/run=run-2/20250203_00001`;
const RUN_RECORD_OBJECT = `arn:aws:s3:::${BUCKET}/normalized/_costline/runs/run-2.json`;
const QUARANTINE_OBJECT = `arn:aws:s3:::${BUCKET}/normalized/_costline/quarantine/billing_period=2025-01/run=run-2/20250203_00001`;
const RESULT_OBJECT = `arn:aws:s3:::${BUCKET}/athena-results/5f0c-query.csv`;
const OTHER_PREFIX_OBJECT = `arn:aws:s3:::${BUCKET}/private/notes.txt`;
const OTHER_BUCKET_OBJECT = "arn:aws:s3:::someone-elses-bucket/exports/cur2/x.parquet";
const WORKGROUP = `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/costline-acme`;
const PRIMARY_WORKGROUP = `arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/primary`;
const glue = (path: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${path}`;
const TLS = { "aws:SecureTransport": "true", "s3:TlsVersion": "1.3" };
const PLATFORM = "arn:aws:iam::999988887777:role/costline-platform";
const CONNECTOR = `arn:aws:iam::${ACCOUNT}:role/costline-acme-connector`;
const JOB = `arn:aws:iam::${ACCOUNT}:role/costline-acme-aws-normalize`;
const EXPORT_ARN = `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:export/costline-acme-cur2-1a2b3c`;

interface Documents {
  bucketPolicy: PolicyDocument;
  keyPolicy: PolicyDocument;
  connectorTrust: PolicyDocument;
  connectorPolicy: PolicyDocument;
  jobTrust: PolicyDocument;
  jobPolicy: PolicyDocument;
  schedulerTrust: PolicyDocument;
  schedulerPolicy: PolicyDocument;
  externalId: string;
  keyArn: string;
  secretArn: string;
  functionArn: string;
  queueArn: string;
}

async function documents(run: PipelineRun): Promise<Documents> {
  const json = (type: string, name: string, field: string) =>
    parsedInput(run.recorded, type, name, field) as PolicyDocument;
  const role = "aws:iam/role:Role";
  const rolePolicy = "aws:iam/rolePolicy:RolePolicy";
  return {
    bucketPolicy: json("aws:s3/bucketPolicy:BucketPolicy", "acme-aws-bucket-policy", "policy"),
    keyPolicy: json("aws:kms/key:Key", "acme-aws-bucket-key", "policy"),
    connectorTrust: await resolved(run.pipeline.connector.trustPolicy),
    connectorPolicy: json(rolePolicy, "acme-aws-connector-read", "policy"),
    jobTrust: json(role, "acme-aws-job-role", "assumeRolePolicy"),
    jobPolicy: json(rolePolicy, "acme-aws-job-permissions", "policy"),
    schedulerTrust: json(role, "acme-aws-job-scheduler-role", "assumeRolePolicy"),
    schedulerPolicy: json(rolePolicy, "acme-aws-job-scheduler-permissions", "policy"),
    externalId: await resolved(run.pipeline.connector.externalId),
    keyArn: await resolved(run.pipeline.bucket.keyArn),
    secretArn: await resolved(run.pipeline.externalIdSecretArn),
    functionArn: await resolved(run.pipeline.job.functionArn),
    queueArn: String(
      (run.recorded.one("aws:lambda/function:Function").inputs.deadLetterConfig as { targetArn: string })
        .targetArn,
    ),
  };
}

describe("AWS IAM behaviour (simulated)", function () {
  this.timeout(120_000);
  let d: Documents;
  before(async () => {
    d = await documents(await recordAwsPipeline());
  });

  /** A request by a role of the tenant account, under its policy and, for S3, the bucket policy. */
  const asRole =
    (principal: string, policy: () => PolicyDocument) =>
    async (
      action: string,
      resource: string,
      context: Record<string, string | string[]> = {},
    ): Promise<Decision> => {
      const s3 = action.startsWith("s3:");
      const request: SimRequest = {
        principal,
        action,
        resource,
        // The offline fakes give computed ARNs (the key's) account 000000000000; the key really
        // lives in the tenant account, and that is what the simulator must be told.
        resourceAccount: ACCOUNT,
        context: s3 ? { ...TLS, ...context } : context,
      };
      // S3 also evaluates the bucket policy, KMS always the key policy.
      const resourcePolicy = s3 ? d.bucketPolicy : action.startsWith("kms:") ? d.keyPolicy : undefined;
      return decide(request, { identity: [policy()], resource: resourcePolicy });
    };
  const viaS3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com` };
  const viaSecrets = { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` };

  describe("connector role", () => {
    const connector = asRole(CONNECTOR, () => d.connectorPolicy);
    const assume = (principal: string, context: Record<string, string>) =>
      decide(
        { principal, action: "sts:AssumeRole", resource: CONNECTOR, resourceAccount: ACCOUNT, context },
        {
          // The caller's own account lets it try; the trust policy decides.
          identity: [
            {
              Version: "2012-10-17",
              Statement: [{ Sid: "Any", Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }],
            },
          ],
          resource: d.connectorTrust,
        },
      );

    it("can be assumed by the platform principal with the external id", async () => {
      assert.equal(await assume(PLATFORM, { "sts:ExternalId": d.externalId }), "Allowed");
    });

    it("cannot be assumed without the external id, with a wrong one, or by another principal", async () => {
      assert.equal(await assume(PLATFORM, {}), "ImplicitlyDenied");
      assert.equal(await assume(PLATFORM, { "sts:ExternalId": `${d.externalId}x` }), "ImplicitlyDenied");
      assert.equal(
        await assume("arn:aws:iam::999988887777:role/intruder", { "sts:ExternalId": d.externalId }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await assume(`arn:aws:iam::${ACCOUNT}:role/tenant-admin`, { "sts:ExternalId": d.externalId }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await assume("arn:aws:iam::444455556666:role/costline-platform", { "sts:ExternalId": d.externalId }),
        "ImplicitlyDenied",
      );
    });

    it("reads the export and normalized objects and lists their prefixes", async () => {
      assert.equal(await connector("s3:GetObject", CUR_OBJECT), "Allowed");
      assert.equal(await connector("s3:GetObject", NORMALIZED_OBJECT), "Allowed");
      assert.equal(
        await connector("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, { "s3:prefix": "exports/cur2/" }),
        "Allowed",
      );
      assert.equal(
        await connector("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, { "s3:prefix": "normalized/" }),
        "Allowed",
      );
      assert.equal(await connector("kms:Decrypt", d.keyArn, viaS3), "Allowed");
    });

    it("reads the run records and the run folders they name, as collect does", async () => {
      assert.equal(
        await connector("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, {
          "s3:prefix": "normalized/_costline/runs/",
        }),
        "Allowed",
      );
      assert.equal(await connector("s3:GetObject", RUN_RECORD_OBJECT), "Allowed");
      assert.equal(
        await connector("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, {
          "s3:prefix": "normalized/billing_period=2025-01/run=run-2/",
        }),
        "Allowed",
      );
      assert.equal(await connector("s3:GetObject", RUN_FOLDER_OBJECT), "Allowed");
    });

    it("cannot run queries: Athena would write their results with its credentials where the job reads its own", async () => {
      for (const action of [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:StopQueryExecution",
      ]) {
        assert.equal(await connector(action, WORKGROUP), "ImplicitlyDenied", action);
      }
      assert.equal(
        await connector("glue:GetTable", glue("table/costline_acme/normalized")),
        "ImplicitlyDenied",
      );
      assert.equal(await connector("s3:GetObject", RESULT_OBJECT), "ImplicitlyDenied");
      assert.equal(
        await connector("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, { "s3:prefix": "athena-results/" }),
        "ImplicitlyDenied",
      );
      assert.equal(await connector("kms:GenerateDataKey", d.keyArn, viaS3), "ImplicitlyDenied");
    });

    it("cannot write or delete where the job reads or writes: query results, run folders, run records", async () => {
      for (const object of [
        CUR_OBJECT,
        NORMALIZED_OBJECT,
        RUN_FOLDER_OBJECT,
        RUN_RECORD_OBJECT,
        QUARANTINE_OBJECT,
        RESULT_OBJECT,
      ]) {
        for (const action of [
          "s3:PutObject",
          "s3:AbortMultipartUpload",
          "s3:DeleteObject",
          "s3:DeleteObjectVersion",
        ]) {
          assert.equal(await connector(action, object), "ImplicitlyDenied", `${action} ${object}`);
        }
      }
      for (const action of ["s3:PutBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning"]) {
        assert.equal(await connector(action, `arn:aws:s3:::${BUCKET}`), "ImplicitlyDenied", action);
      }
    });

    it("cannot read another bucket or another prefix", async () => {
      assert.equal(await connector("s3:GetObject", OTHER_BUCKET_OBJECT), "ImplicitlyDenied");
      assert.equal(await connector("s3:GetObject", OTHER_PREFIX_OBJECT), "ImplicitlyDenied");
      assert.equal(
        await connector("s3:ListBucket", `arn:aws:s3:::${BUCKET}`, { "s3:prefix": "private/" }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await connector("s3:ListBucket", "arn:aws:s3:::someone-elses-bucket", { "s3:prefix": "exports/" }),
        "ImplicitlyDenied",
      );
    });

    it("cannot use another workgroup, another database, change the catalog or decrypt directly", async () => {
      assert.equal(await connector("athena:StartQueryExecution", PRIMARY_WORKGROUP), "ImplicitlyDenied");
      assert.equal(await connector("athena:UpdateWorkGroup", WORKGROUP), "ImplicitlyDenied");
      assert.equal(await connector("athena:DeleteWorkGroup", WORKGROUP), "ImplicitlyDenied");
      assert.equal(await connector("glue:GetTable", glue("table/hr_payroll/salaries")), "ImplicitlyDenied");
      assert.equal(await connector("glue:DeleteTable", glue("table/costline_acme/cur2")), "ImplicitlyDenied");
      assert.equal(
        await connector("glue:UpdateTable", glue("table/costline_acme/normalized")),
        "ImplicitlyDenied",
      );
      assert.equal(
        await connector("glue:CreatePartition", glue("table/costline_acme/normalized")),
        "ImplicitlyDenied",
      );
      assert.equal(await connector("kms:Decrypt", d.keyArn), "ImplicitlyDenied");
      assert.equal(await connector("kms:Decrypt", d.keyArn, viaSecrets), "ImplicitlyDenied");
      assert.equal(await connector("secretsmanager:GetSecretValue", d.secretArn), "ImplicitlyDenied");
      assert.equal(await connector("iam:PassRole", JOB), "ImplicitlyDenied");
      assert.equal(await connector("lambda:InvokeFunction", d.functionArn), "ImplicitlyDenied");
    });

    it("is refused without TLS or with TLS older than 1.2, even where it may read", async () => {
      assert.equal(
        await connector("s3:GetObject", CUR_OBJECT, { "aws:SecureTransport": "false" }),
        "ExplicitlyDenied",
      );
      assert.equal(
        await connector("s3:GetObject", CUR_OBJECT, { "s3:TlsVersion": "1.1" }),
        "ExplicitlyDenied",
      );
      assert.equal(await connector("s3:GetObject", CUR_OBJECT, { "s3:TlsVersion": "1.2" }), "Allowed");
    });
  });

  describe("normalization job role", () => {
    const job = asRole(JOB, () => d.jobPolicy);

    it("is assumable by Lambda only", async () => {
      const assume = (principal: string) =>
        decide(
          { principal, action: "sts:AssumeRole", resource: JOB, resourceAccount: ACCOUNT },
          { resource: d.jobTrust },
        );
      assert.equal(await assume("lambda.amazonaws.com"), "Allowed");
      assert.equal(await assume("ec2.amazonaws.com"), "ImplicitlyDenied");
      assert.equal(await assume("scheduler.amazonaws.com"), "ImplicitlyDenied");
      assert.equal(await assume(`arn:aws:iam::${ACCOUNT}:role/tenant-admin`), "ImplicitlyDenied");
    });

    it("reads exports, queries its workgroup and replaces normalized data", async () => {
      assert.equal(await job("s3:GetObject", CUR_OBJECT), "Allowed");
      assert.equal(await job("athena:StartQueryExecution", WORKGROUP), "Allowed");
      assert.equal(await job("glue:GetTable", glue("table/costline_acme/cur2")), "Allowed");
      assert.equal(await job("s3:PutObject", NORMALIZED_OBJECT), "Allowed");
      assert.equal(await job("s3:DeleteObject", NORMALIZED_OBJECT), "Allowed");
      assert.equal(await job("s3:PutObject", RESULT_OBJECT), "Allowed");
      assert.equal(await job("glue:BatchCreatePartition", glue("table/costline_acme/normalized")), "Allowed");
      assert.equal(await job("glue:UpdatePartition", glue("table/costline_acme/normalized")), "Allowed");
      assert.equal(await job("kms:GenerateDataKey", d.keyArn, viaS3), "Allowed");
    });

    it("writes run folders, quarantine and run records, and deletes what a rerun replaces", async () => {
      for (const object of [RUN_FOLDER_OBJECT, QUARANTINE_OBJECT, RUN_RECORD_OBJECT]) {
        assert.equal(await job("s3:PutObject", object), "Allowed", `PutObject ${object}`);
      }
      // The previous run's folder and any file left directly in the period's folder.
      assert.equal(await job("s3:DeleteObject", RUN_FOLDER_OBJECT), "Allowed");
      assert.equal(await job("s3:DeleteObject", NORMALIZED_OBJECT), "Allowed");
      // A retried quarantine UNLOAD empties its folder first.
      assert.equal(await job("s3:DeleteObject", QUARANTINE_OBJECT), "Allowed");
    });

    it("cannot delete its run records, by key, by version or through the bucket's configuration", async () => {
      assert.equal(await job("s3:DeleteObject", RUN_RECORD_OBJECT), "ImplicitlyDenied");
      assert.equal(await job("s3:DeleteObjectVersion", RUN_RECORD_OBJECT), "ImplicitlyDenied");
      // Nothing under _costline/ but the quarantine.
      assert.equal(
        await job("s3:DeleteObject", `arn:aws:s3:::${BUCKET}/normalized/_costline/checks.json`),
        "ImplicitlyDenied",
      );
      // The bucket is versioned: a replaced run folder stays recoverable until its version expires.
      assert.equal(await job("s3:DeleteObjectVersion", RUN_FOLDER_OBJECT), "ImplicitlyDenied");
      for (const action of ["s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketPolicy"]) {
        assert.equal(await job(action, `arn:aws:s3:::${BUCKET}`), "ImplicitlyDenied", action);
      }
    });

    it("replaces the cost views by name, and no other table", async () => {
      for (const view of ["unified", "monthly_cost", "kubernetes_vs_cloud"]) {
        assert.equal(await job("glue:CreateTable", glue(`table/costline_acme/${view}`)), "Allowed");
        assert.equal(await job("glue:UpdateTable", glue(`table/costline_acme/${view}`)), "Allowed");
        assert.equal(await job("glue:DeleteTable", glue(`table/costline_acme/${view}`)), "ImplicitlyDenied");
      }
      // Not the data's own table (its schema is the stack's), nor the export's.
      assert.equal(await job("glue:UpdateTable", glue("table/costline_acme/normalized")), "ImplicitlyDenied");
      assert.equal(await job("glue:UpdateTable", glue("table/costline_acme/cur2")), "ImplicitlyDenied");
      assert.equal(await job("glue:CreateTable", glue("table/other_db/unified")), "ImplicitlyDenied");
    });

    it("reads its secret, logs and dead-letters", async () => {
      assert.equal(await job("secretsmanager:GetSecretValue", d.secretArn), "Allowed");
      assert.equal(await job("kms:Decrypt", d.keyArn, viaSecrets), "Allowed");
      const stream = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/costline-acme-aws-normalize:log-stream:2025/01/01/abc`;
      assert.equal(await job("logs:PutLogEvents", stream), "Allowed");
      assert.equal(await job("sqs:SendMessage", d.queueArn), "Allowed");
    });

    it("cannot touch the exports, other buckets, workgroups, tables, secrets or logs", async () => {
      assert.equal(await job("s3:PutObject", CUR_OBJECT), "ImplicitlyDenied");
      assert.equal(await job("s3:DeleteObject", CUR_OBJECT), "ImplicitlyDenied");
      assert.equal(await job("s3:GetObject", OTHER_BUCKET_OBJECT), "ImplicitlyDenied");
      assert.equal(await job("s3:PutObject", OTHER_PREFIX_OBJECT), "ImplicitlyDenied");
      assert.equal(await job("s3:DeleteObject", RESULT_OBJECT), "ImplicitlyDenied");
      assert.equal(await job("athena:StartQueryExecution", PRIMARY_WORKGROUP), "ImplicitlyDenied");
      assert.equal(
        await job("glue:BatchCreatePartition", glue("table/costline_acme/cur2")),
        "ImplicitlyDenied",
      );
      assert.equal(await job("glue:DeleteTable", glue("table/costline_acme/normalized")), "ImplicitlyDenied");
      assert.equal(await job("glue:UpdatePartition", glue("table/costline_acme/cur2")), "ImplicitlyDenied");
      assert.equal(await job("glue:CreateTable", glue("table/costline_acme/extra")), "ImplicitlyDenied");
      const otherSecret = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:tenant-globex-aws-444455556666-AbCdEf`;
      assert.equal(await job("secretsmanager:GetSecretValue", otherSecret), "ImplicitlyDenied");
      assert.equal(await job("secretsmanager:PutSecretValue", d.secretArn), "ImplicitlyDenied");
      assert.equal(await job("kms:Decrypt", d.keyArn), "ImplicitlyDenied");
      const otherLogs = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/payroll:log-stream:x`;
      assert.equal(await job("logs:PutLogEvents", otherLogs), "ImplicitlyDenied");
      assert.equal(
        await job("cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "Costline" }),
        "ImplicitlyDenied",
      );
      assert.equal(await job("iam:PassRole", CONNECTOR), "ImplicitlyDenied");
      assert.equal(await job("lambda:InvokeFunction", d.functionArn), "ImplicitlyDenied");
    });
  });

  describe("scheduler role", () => {
    it("is assumable by EventBridge Scheduler for this account only", async () => {
      const assume = (principal: string, sourceAccount: string) =>
        decide(
          {
            principal,
            action: "sts:AssumeRole",
            resource: `arn:aws:iam::${ACCOUNT}:role/costline-acme-aws-normalize-scheduler`,
            resourceAccount: ACCOUNT,
            context: { "aws:SourceAccount": sourceAccount },
          },
          { resource: d.schedulerTrust },
        );
      assert.equal(await assume("scheduler.amazonaws.com", ACCOUNT), "Allowed");
      assert.equal(await assume("scheduler.amazonaws.com", "999988887777"), "ImplicitlyDenied");
      assert.equal(await assume("events.amazonaws.com", ACCOUNT), "ImplicitlyDenied");
    });

    it("invokes only the job and dead-letters only to its queue", async () => {
      const scheduler = asRole(
        `arn:aws:iam::${ACCOUNT}:role/costline-acme-aws-normalize-scheduler`,
        () => d.schedulerPolicy,
      );
      assert.equal(await scheduler("lambda:InvokeFunction", d.functionArn), "Allowed");
      assert.equal(
        await scheduler("lambda:InvokeFunction", d.functionArn.replace(/function:.*/, "function:other")),
        "ImplicitlyDenied",
      );
      assert.equal(await scheduler("sqs:SendMessage", d.queueArn), "Allowed");
      assert.equal(
        await scheduler("sqs:SendMessage", d.queueArn.replace(/[^:]+$/, "other-queue")),
        "ImplicitlyDenied",
      );
      assert.equal(await scheduler("lambda:UpdateFunctionCode", d.functionArn), "ImplicitlyDenied");
    });
  });

  describe("bucket policy", () => {
    const deliver = (action: string, resource: string, context: Record<string, string>) =>
      decide(
        {
          principal: "bcm-data-exports.amazonaws.com",
          action,
          resource,
          resourceAccount: ACCOUNT,
          context: { ...TLS, ...context },
        },
        { resource: d.bucketPolicy },
      );
    const own = { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": EXPORT_ARN };

    it("lets Data Exports of this account deliver under exports/ and read the policy", async () => {
      assert.equal(await deliver("s3:PutObject", CUR_OBJECT, own), "Allowed");
      assert.equal(await deliver("s3:GetBucketPolicy", `arn:aws:s3:::${BUCKET}`, own), "Allowed");
    });

    it("refuses deliveries without the right SourceAccount and SourceArn", async () => {
      assert.equal(await deliver("s3:PutObject", CUR_OBJECT, {}), "ImplicitlyDenied");
      assert.equal(
        await deliver("s3:PutObject", CUR_OBJECT, { "aws:SourceArn": EXPORT_ARN }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await deliver("s3:PutObject", CUR_OBJECT, { "aws:SourceAccount": ACCOUNT }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await deliver("s3:PutObject", CUR_OBJECT, {
          "aws:SourceAccount": "999988887777",
          "aws:SourceArn": EXPORT_ARN,
        }),
        "ImplicitlyDenied",
      );
      const foreignExport = EXPORT_ARN.replace(ACCOUNT, "999988887777");
      assert.equal(
        await deliver("s3:PutObject", CUR_OBJECT, {
          "aws:SourceAccount": "999988887777",
          "aws:SourceArn": foreignExport,
        }),
        "ImplicitlyDenied",
      );
      const legacyCur = `arn:aws:cur:us-east-1:${ACCOUNT}:definition/costline`;
      assert.equal(
        await deliver("s3:PutObject", CUR_OBJECT, {
          "aws:SourceAccount": ACCOUNT,
          "aws:SourceArn": legacyCur,
        }),
        "ImplicitlyDenied",
      );
    });

    it("gives Data Exports nothing outside exports/ and nothing but delivery", async () => {
      assert.equal(await deliver("s3:PutObject", NORMALIZED_OBJECT, own), "ImplicitlyDenied");
      assert.equal(await deliver("s3:DeleteObject", CUR_OBJECT, own), "ImplicitlyDenied");
      assert.equal(await deliver("s3:GetObject", CUR_OBJECT, own), "ImplicitlyDenied");
      assert.equal(await deliver("s3:PutBucketPolicy", `arn:aws:s3:::${BUCKET}`, own), "ImplicitlyDenied");
    });

    it("denies non-TLS and TLS < 1.2 deliveries outright", async () => {
      assert.equal(
        await deliver("s3:PutObject", CUR_OBJECT, { ...own, "aws:SecureTransport": "false" }),
        "ExplicitlyDenied",
      );
      assert.equal(
        await deliver("s3:PutObject", CUR_OBJECT, { ...own, "s3:TlsVersion": "1.0" }),
        "ExplicitlyDenied",
      );
      assert.equal(await deliver("s3:PutObject", CUR_OBJECT, { ...own, "s3:TlsVersion": "1.2" }), "Allowed");
    });
  });

  describe("key policy", () => {
    const keyRequest = (principal: string, action: string, context: Record<string, string>) =>
      decide(
        {
          principal,
          action,
          resource: `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b9c4c7e-2f43-4a2b-9d7c-1f0e5d6c7b8a`,
          resourceAccount: ACCOUNT,
          context,
        },
        { resource: d.keyPolicy },
      );
    const own = { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": EXPORT_ARN };

    it("lets this account's Data Exports encrypt deliveries, and no one else's", async () => {
      assert.equal(await keyRequest("bcm-data-exports.amazonaws.com", "kms:GenerateDataKey", own), "Allowed");
      assert.equal(
        await keyRequest("bcm-data-exports.amazonaws.com", "kms:GenerateDataKey", {}),
        "ImplicitlyDenied",
      );
      assert.equal(
        await keyRequest("bcm-data-exports.amazonaws.com", "kms:GenerateDataKey", {
          ...own,
          "aws:SourceAccount": "999988887777",
        }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await keyRequest("bcm-data-exports.amazonaws.com", "kms:ScheduleKeyDeletion", own),
        "ImplicitlyDenied",
      );
    });
  });
});
