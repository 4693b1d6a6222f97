/**
 * Every IAM document of the AWS pipeline, as pure functions of plain values. Components resolve
 * their inputs and serialize these; tests simulate them. Each grant names exact resources.
 */
import { type AccountRegion, arns, type PolicyDocument, policyDocument, type Statement } from "./iam";
import { VIEW_NAMES } from "../../runtime/query/views";
import { type ExportLayout, normalizedKeys } from "./layout";

/** The service principal of AWS Data Exports, which writes the exports into the bucket. */
export const DATA_EXPORTS_SERVICE = "bcm-data-exports.amazonaws.com";

/** Conditions that tie a service's access to Data Exports of this account only. */
const fromOwnDataExports = (accountId: string) => ({
  StringEquals: { "aws:SourceAccount": accountId },
  ArnLike: { "aws:SourceArn": arns.dataExports(accountId) },
});

/** Inputs of the KMS key policy. */
export interface KeyPolicyInput extends AccountRegion {
  /** Log groups that CloudWatch Logs may encrypt with the key. */
  logGroupArns: string[];
  /**
   * The alarms (an ARN pattern) that may publish to a topic encrypted with the key: CloudWatch
   * needs the key to publish to it at all, and only on behalf of these alarms.
   */
  alarmArns?: string;
}

/** Conditions that tie CloudWatch's access to the job's own alarms (the confused deputy). */
const fromOwnAlarms = (accountId: string, alarmArns: string) => ({
  StringEquals: { "aws:SourceAccount": accountId },
  ArnLike: { "aws:SourceArn": alarmArns },
});

/**
 * The key policy: the account administers the key (so IAM policies can grant its use), Data
 * Exports may encrypt what they deliver for this account, and CloudWatch Logs may use it for the
 * named log groups only.
 */
export function keyPolicy(input: KeyPolicyInput): PolicyDocument {
  const statements: Statement[] = [
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: arns.accountRoot(input.accountId) },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "DataExportsEncryptDeliveries",
      Effect: "Allow",
      Principal: { Service: DATA_EXPORTS_SERVICE },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: fromOwnDataExports(input.accountId),
    },
  ];
  if (input.logGroupArns.length > 0) {
    statements.push({
      Sid: "CloudWatchLogsEncryptJobLogs",
      Effect: "Allow",
      Principal: { Service: `logs.${input.region}.amazonaws.com` },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": input.logGroupArns } },
    });
  }
  if (input.alarmArns) {
    statements.push({
      Sid: "CloudWatchAlarmsPublishEncrypted",
      Effect: "Allow",
      Principal: { Service: CLOUDWATCH_SERVICE },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: fromOwnAlarms(input.accountId, input.alarmArns),
    });
  }
  return policyDocument(...statements);
}

/** The service principal of CloudWatch alarms, which publish to the alerts topic. */
export const CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com";

/**
 * The alerts topic's policy: the account administers and subscribes to it, and CloudWatch may
 * publish only for the job's own alarms. Publishing without TLS is refused.
 */
export function alertTopicPolicy(
  input: AccountRegion & { topicArn: string; alarmArns: string },
): PolicyDocument {
  return policyDocument(
    {
      Sid: "AccountManagesTopic",
      Effect: "Allow",
      Principal: { AWS: arns.accountRoot(input.accountId) },
      Action: [
        "sns:GetTopicAttributes",
        "sns:SetTopicAttributes",
        "sns:Subscribe",
        "sns:ListSubscriptionsByTopic",
        "sns:Publish",
      ],
      Resource: input.topicArn,
    },
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: CLOUDWATCH_SERVICE },
      Action: "sns:Publish",
      Resource: input.topicArn,
      Condition: fromOwnAlarms(input.accountId, input.alarmArns),
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: input.topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
}

/** Refuses every request to a bucket without TLS 1.2 or newer. */
function tlsOnly(bucket: string): Statement[] {
  const bucketArn = arns.bucket(bucket);
  const everything = [bucketArn, `${bucketArn}/*`];
  return [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyTlsOlderThan12",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ];
}

/** Inputs of the bucket policy. */
export interface BucketPolicyInput {
  accountId: string;
  bucket: string;
  /** The prefix Data Exports deliver under (e.g. "exports/"). */
  exportsPrefix: string;
}

/**
 * The bucket policy: no request without TLS 1.2 or newer, and Data Exports of this account (and
 * only they) may deliver under the exports prefix and read the policy to check that they can.
 */
export function bucketPolicy(input: BucketPolicyInput): PolicyDocument {
  const bucketArn = arns.bucket(input.bucket);
  return policyDocument(
    ...tlsOnly(input.bucket),
    {
      Sid: "DataExportsReadPolicy",
      Effect: "Allow",
      Principal: { Service: DATA_EXPORTS_SERVICE },
      Action: "s3:GetBucketPolicy",
      Resource: bucketArn,
      Condition: fromOwnDataExports(input.accountId),
    },
    {
      Sid: "DataExportsDeliver",
      Effect: "Allow",
      Principal: { Service: DATA_EXPORTS_SERVICE },
      Action: "s3:PutObject",
      Resource: arns.objects(input.bucket, input.exportsPrefix),
      Condition: fromOwnDataExports(input.accountId),
    },
  );
}

/** Trust for the platform: one principal, and only with the tenant's external id. */
export function connectorTrustPolicy(platformPrincipalArn: string, externalId: string): PolicyDocument {
  return policyDocument({
    Sid: "PlatformAssumesWithExternalId",
    Effect: "Allow",
    Principal: { AWS: platformPrincipalArn },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": externalId } },
  });
}

/** What a role that reads the bucket needs to know about it. */
export interface ReadScope extends AccountRegion {
  layout: ExportLayout;
  /** The KMS key that encrypts the bucket. */
  keyArn: string;
}

/** What a role that queries the catalog needs to know about it. */
export interface QueryScope extends ReadScope {
  /** The Athena workgroup. */
  workgroup: string;
  /** The Glue database. */
  database: string;
}

const ATHENA_QUERY_ACTIONS = [
  "athena:StartQueryExecution",
  "athena:StopQueryExecution",
  "athena:GetQueryExecution",
  "athena:BatchGetQueryExecution",
  "athena:ListQueryExecutions",
  "athena:GetQueryResults",
  "athena:GetQueryResultsStream",
  "athena:GetWorkGroup",
];

const GLUE_READ_ACTIONS = [
  "glue:GetDatabase",
  "glue:GetTable",
  "glue:GetTables",
  "glue:GetPartition",
  "glue:GetPartitions",
  "glue:BatchGetPartition",
];

/** Athena writes a query's results and an UNLOAD's files with the caller's credentials. */
const RESULT_WRITE_ACTIONS = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"];

/** Listing and reading the objects under the prefixes. */
function readStatements(layout: ExportLayout, prefixes: string[]): Statement[] {
  return [
    {
      Sid: "ListOwnPrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: arns.bucket(layout.bucket),
      Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
    },
    {
      Sid: "ReadOwnPrefixes",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: prefixes.map((p) => arns.objects(layout.bucket, p)),
    },
  ];
}

/** Statements a querier of the workgroup needs beside reading: Athena, Glue read, result writes. */
function queryStatements(scope: QueryScope): Statement[] {
  const { layout } = scope;
  return [
    {
      Sid: "QueryInOwnWorkgroup",
      Effect: "Allow",
      Action: ATHENA_QUERY_ACTIONS,
      Resource: arns.workgroup(scope, scope.workgroup),
    },
    {
      Sid: "ReadOwnCatalog",
      Effect: "Allow",
      Action: GLUE_READ_ACTIONS,
      Resource: [
        arns.glueCatalog(scope),
        arns.glueDatabase(scope, scope.database),
        arns.glueTable(scope, scope.database, "*"),
      ],
    },
    {
      Sid: "LocateBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
      Resource: arns.bucket(layout.bucket),
    },
    {
      Sid: "WriteQueryResults",
      Effect: "Allow",
      Action: RESULT_WRITE_ACTIONS,
      Resource: arns.objects(layout.bucket, layout.resultsPrefix),
    },
  ];
}

/** Use of the bucket key, only through the given services (never a direct decrypt). */
function keyThroughServices(
  sid: string,
  scope: ReadScope,
  services: string[],
  actions = ["kms:Decrypt", "kms:GenerateDataKey"],
): Statement {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: scope.keyArn,
    Condition: {
      StringEquals: { "kms:ViaService": services.map((s) => `${s}.${scope.region}.amazonaws.com`) },
    },
  };
}

/**
 * The platform's read-only access: list and read the export and normalized data (collect reads the
 * run records and the run folders they name). It writes and deletes nothing, and runs no Athena
 * query: Athena writes a query's results with the caller's credentials, into the prefix whose
 * results the job reads back.
 */
export function connectorPolicy(scope: ReadScope): PolicyDocument {
  const { layout } = scope;
  return policyDocument(
    ...readStatements(layout, [layout.exportsPrefix, layout.normalizedPrefix]),
    keyThroughServices("DecryptThroughS3", scope, ["s3"], ["kms:Decrypt"]),
  );
}

/** What the normalization job touches beyond the query scope. */
export interface JobScope extends QueryScope {
  /** The normalized output table, the only one whose partitions the job may add. */
  normalizedTable: string;
  /** The tenant's connection secret. */
  secretArn: string;
  /** The job's log group name. */
  logGroupName: string;
  /** The dead-letter queue of failed invocations. */
  deadLetterQueueArn: string;
}

/**
 * The job's role: query the workgroup, read the exports, write the normalized data and its run
 * records, replace a period's data (and register its partitions) but never remove a run record,
 * read the tenant secret, log and dead-letter. Its freshness metric travels in its logs (embedded
 * metric format), so it needs no cloudwatch:PutMetricData on "*".
 */
export function jobPolicy(scope: JobScope): PolicyDocument {
  const { layout } = scope;
  const keys = normalizedKeys(layout.normalizedPrefix);
  return policyDocument(
    ...readStatements(layout, [layout.exportsPrefix, layout.normalizedPrefix, layout.resultsPrefix]),
    ...queryStatements(scope),
    {
      Sid: "WriteNormalizedData",
      Effect: "Allow",
      Action: RESULT_WRITE_ACTIONS,
      Resource: arns.objects(layout.bucket, layout.normalizedPrefix),
    },
    {
      // A rerun removes the period's previous files and a retried quarantine UNLOAD empties its
      // folder; the run records are the history of what ran, and no run may remove them.
      Sid: "RemoveReplacedData",
      Effect: "Allow",
      Action: "s3:DeleteObject",
      Resource: [keys.periodsPrefix, keys.quarantinePrefix].map((p) => arns.objects(layout.bucket, p)),
    },
    {
      // Athena's CREATE OR REPLACE VIEW writes the view into Glue: these names only.
      Sid: "ReplaceCostViews",
      Effect: "Allow",
      Action: ["glue:CreateTable", "glue:UpdateTable"],
      Resource: [
        arns.glueCatalog(scope),
        arns.glueDatabase(scope, scope.database),
        ...VIEW_NAMES.map((v) => arns.glueTable(scope, scope.database, v)),
      ],
    },
    {
      Sid: "RegisterNormalizedPartitions",
      Effect: "Allow",
      Action: ["glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition"],
      Resource: [
        arns.glueCatalog(scope),
        arns.glueDatabase(scope, scope.database),
        arns.glueTable(scope, scope.database, scope.normalizedTable),
      ],
    },
    keyThroughServices("UseKeyThroughS3AndSecretsManager", scope, ["s3", "secretsmanager"]),
    {
      Sid: "ReadTenantSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      Resource: scope.secretArn,
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${arns.logGroup(scope, scope.logGroupName)}:*`,
    },
    {
      Sid: "DeadLetterFailedRuns",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: scope.deadLetterQueueArn,
    },
  );
}

/** Trust for a role that one AWS service assumes, optionally only on behalf of this account. */
export function serviceTrustPolicy(service: string, sourceAccount?: string): PolicyDocument {
  return policyDocument({
    Sid: "ServiceAssumes",
    Effect: "Allow",
    Principal: { Service: service },
    Action: "sts:AssumeRole",
    ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
  });
}

/** The scheduler may invoke the one function and dead-letter what it cannot deliver. */
export function schedulerPolicy(functionArn: string, deadLetterQueueArn: string): PolicyDocument {
  return policyDocument(
    {
      Sid: "InvokeJob",
      Effect: "Allow",
      Action: "lambda:InvokeFunction",
      Resource: [functionArn, `${functionArn}:*`],
    },
    {
      Sid: "DeadLetterUndelivered",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: deadLetterQueueArn,
    },
  );
}

/** The read-only metrics access a member account grants the platform (CloudWatch has no resource scope). */
export function memberMetricsPolicy(): PolicyDocument {
  return policyDocument({
    Sid: "ReadMetrics",
    Effect: "Allow",
    Action: ["cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"],
    Resource: "*",
  });
}

const CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com";

/** Inputs of the audit trail's key and bucket policies. */
export interface AuditTrailPolicyInput extends AccountRegion {
  /** The trail's name; its ARN is known before it exists. */
  trailName: string;
  /** The bucket the trail delivers to. */
  bucket: string;
  /**
   * The roles Costline creates (job, connector): they read the audited data, so they must never be
   * able to touch the record of that reading.
   */
  deniedRoleArns: string[];
}

/**
 * The trail key's policy: the account administers it, CloudTrail may encrypt this trail's logs
 * (and only this trail's: aws:SourceArn), and the Costline roles may do nothing at all with it,
 * so they can neither schedule its deletion, disable it nor rewrite this policy.
 */
export function auditTrailKeyPolicy(input: AuditTrailPolicyInput): PolicyDocument {
  const trailArn = arns.trail(input, input.trailName);
  return policyDocument(
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: arns.accountRoot(input.accountId) },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudTrailEncryptsThisTrail",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trailArn } },
    },
    {
      Sid: "DenyCostlineRoles",
      Effect: "Deny",
      Principal: "*",
      Action: "kms:*",
      Resource: "*",
      Condition: { ArnEquals: { "aws:PrincipalArn": input.deniedRoleArns } },
    },
  );
}

/**
 * The trail bucket's policy: TLS only; CloudTrail, for this trail only, may check the ACL and
 * write under AWSLogs/{account}/ with the owner in full control; the Costline roles may neither
 * write, delete nor reconfigure anything in it (an explicit deny, whatever else grants).
 */
export function auditTrailBucketPolicy(input: AuditTrailPolicyInput): PolicyDocument {
  const bucketArn = arns.bucket(input.bucket);
  const fromThisTrail = { "aws:SourceArn": arns.trail(input, input.trailName) };
  return policyDocument(
    ...tlsOnly(input.bucket),
    {
      Sid: "CloudTrailChecksAcl",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: { StringEquals: fromThisTrail },
    },
    {
      Sid: "CloudTrailDelivers",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "s3:PutObject",
      Resource: arns.objects(input.bucket, `AWSLogs/${input.accountId}/`),
      Condition: { StringEquals: { ...fromThisTrail, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
    {
      Sid: "DenyCostlineRolesChanges",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:Put*", "s3:Delete*", "s3:Replicate*", "s3:RestoreObject"],
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { ArnEquals: { "aws:PrincipalArn": input.deniedRoleArns } },
    },
  );
}
