import * as aws from "@pulumi/aws";
import { type PolicyResource, validateResourceOfType } from "@pulumi/policy";
import {
  actionCovers,
  admitsAnyone,
  conditionValues,
  type IamStatement,
  isReadOnlyAction,
  type ParsedDocument,
  parsePolicyDocument,
  pinnedValues,
  statementLabel,
} from "./lib/aws-iam-document";
import { describePlaintextSecrets, plaintextSecrets } from "./lib/secret-values";
import { AUDIT_RETENTION_SETTING } from "./lib/audit";
import { CREDENTIAL_EVENTS, objectEvents, trailRecords } from "./lib/cloudtrail-selectors";
import { eachKnown, targetsOf } from "./lib/stack";
import { type CostlinePolicy, list, record, settingsOf, typeToken } from "./policy";

const BUCKET_TYPES = [typeToken(aws.s3.Bucket), typeToken(aws.s3.BucketV2)];
const SSE_TYPES = [
  typeToken(aws.s3.BucketServerSideEncryptionConfiguration),
  typeToken(aws.s3.BucketServerSideEncryptionConfigurationV2),
];
const bucketsIn = (resources: PolicyResource[]) => resources.filter((r) => BUCKET_TYPES.includes(r.type));
const bucketNames = (b: PolicyResource) => [b.props.bucket, b.props.id, b.name];
const bucketLabel = (b: PolicyResource) => `S3 bucket "${b.props.bucket ?? b.name}"`;

/** The statements of every bucket policy that applies to `bucket`: inline or a BucketPolicy resource. */
function bucketPolicies(bucket: PolicyResource, resources: PolicyResource[]): ParsedDocument[] {
  const policyResources = resources.filter(
    (r) =>
      r.type === typeToken(aws.s3.BucketPolicy) &&
      targetsOf(r, "bucket", bucketsIn(resources), bucketNames).includes(bucket),
  );
  return [bucket.props.policy, ...policyResources.map((r) => r.props.policy)]
    .filter((p) => p !== undefined && p !== null && p !== "")
    .map(parsePolicyDocument);
}

const statementsOf = (parsed: ParsedDocument) => ("statements" in parsed ? parsed.statements : []);

// Conditions that narrow a "*" principal to known callers (an account, an organization, a source ARN, a VPC).
const NARROWING_KEYS = [
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceowner",
  "aws:sourceorgid",
  "aws:principalorgid",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourcevpce",
  "aws:sourcevpc",
];

function publicGrants(parsed: ParsedDocument): string[] {
  if ("problem" in parsed) return [parsed.problem];
  return parsed.statements.flatMap((s, i) =>
    s.effect === "Allow" && admitsAnyone(s) && !NARROWING_KEYS.some((k) => conditionValues(s, k).length > 0)
      ? [
          `${statementLabel(s, i)} allows ${s.actions.join(", ") || "actions"} to any principal ("*") without a condition on the caller's account, organization or source`,
        ]
      : [],
  );
}

function deniesInsecureTransport(s: IamStatement): boolean {
  return (
    s.effect === "Deny" &&
    admitsAnyone(s) &&
    (s.actions.includes("s3:*") || s.actions.includes("*")) &&
    (s.conditions.Bool?.["aws:securetransport"] ?? []).map((v) => v.toLowerCase()).includes("false")
  );
}

const ENCRYPTION_SCHEMA = {
  properties: {
    allowedAlgorithms: {
      type: "array" as const,
      items: { type: "string" as const, enum: ["AES256", "aws:kms", "aws:kms:dsse"] },
      minItems: 1,
      default: ["aws:kms", "aws:kms:dsse", "AES256"],
      description: "Server-side encryption algorithms a bucket's default encryption may use.",
    },
    requireCustomerManagedKey: {
      type: "boolean" as const,
      default: false,
      description: "Require a customer-managed KMS key (kmsMasterKeyId), not the aws/s3 managed key.",
    },
  },
};

const LOG_RETENTION_SCHEMA = {
  properties: {
    minimumDays: {
      type: "integer" as const,
      minimum: 1,
      default: 30,
      description: "Shortest retention a log group may have.",
    },
    maximumDays: {
      type: "integer" as const,
      minimum: 1,
      default: 3653,
      description: "Longest retention a log group may have (logs kept forever are a cost and a data risk).",
    },
  },
};

const WILDCARD_RESOURCE_SCHEMA = {
  properties: {
    exemptActions: {
      type: "array" as const,
      items: { type: "string" as const },
      default: [] as string[],
      description:
        'Write actions that AWS only authorizes on "*" (e.g. "xray:PutTraceSegments") and may keep it.',
    },
  },
};

const ADMIN_SCHEMA = {
  properties: {
    forbiddenPolicyArns: {
      type: "array" as const,
      items: { type: "string" as const },
      default: [
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/PowerUserAccess",
        "arn:aws:iam::aws:policy/IAMFullAccess",
      ],
      description: "Managed policies no role of the pipeline may carry.",
    },
  },
};

/** The IAM documents an IAM resource carries, named for messages. */
function iamDocuments(type: string, props: Record<string, unknown>): [string, unknown][] {
  if (type === typeToken(aws.iam.Role)) {
    return list(props.inlinePolicies).map((p, i) => [
      `inline policy "${record(p).name ?? i}"`,
      record(p).policy,
    ]);
  }
  if (
    [aws.iam.RolePolicy, aws.iam.Policy, aws.iam.UserPolicy, aws.iam.GroupPolicy].some(
      (c) => typeToken(c) === type,
    )
  ) {
    return [["policy", props.policy]];
  }
  return [];
}

/** Runs `check` over every statement of every IAM document of the resource. */
function checkIamStatements(
  args: { type: string; props: Record<string, unknown>; notApplicable(reason?: string): never },
  report: (message: string) => void,
  check: (s: IamStatement, label: string) => string | undefined,
) {
  const documents = iamDocuments(args.type, args.props);
  if (documents.length === 0) args.notApplicable("not an IAM policy document holder");
  for (const [where, doc] of documents) {
    const parsed = parsePolicyDocument(doc);
    if ("problem" in parsed) {
      report(`${where}: ${parsed.problem}`);
      continue;
    }
    parsed.statements.forEach((s, i) => {
      const problem = check(s, statementLabel(s, i));
      if (problem) report(`${where}: ${problem}`);
    });
  }
}

const AUDIT_TRAIL_SCHEMA = {
  properties: {
    organizationTrailName: {
      type: "string" as const,
      default: "",
      description:
        "An AWS Organizations trail that already records this account; the stack then needs no trail of its own (`costline verify` checks that trail).",
    },
    minimumRetentionDays: AUDIT_RETENTION_SETTING,
  },
};

/** Where a Data Export writes: `arn:aws:s3:::bucket/prefix/` for each S3 destination it names. */
function exportDestinations(exp: PolicyResource): string[] {
  return list(record(exp.props.export).destinationConfigurations)
    .flatMap((c) => list(record(c).s3Destinations))
    .map(record)
    .filter((d) => typeof d.s3Bucket === "string")
    .map(
      (d) =>
        `arn:aws:s3:::${d.s3Bucket}/${typeof d.s3Prefix === "string" && d.s3Prefix ? `${d.s3Prefix.replace(/\/$/, "")}/` : ""}`,
    );
}

/** Days after which a bucket's lifecycle deletes current objects: the shortest enabled expiration. */
function expirationDays(bucket: unknown, resources: PolicyResource[]): number | undefined {
  const days = resources
    .filter(
      (r) =>
        (r.type === typeToken(aws.s3.BucketLifecycleConfiguration) ||
          r.type === typeToken(aws.s3.BucketLifecycleConfigurationV2)) &&
        r.props.bucket === bucket,
    )
    .flatMap((r) => list(r.props.rules))
    .map(record)
    .filter((rule) => rule.status === "Enabled")
    .map((rule) => record(list(rule.expiration)[0] ?? rule.expiration).days)
    .filter((d): d is number => typeof d === "number");
  return days.length ? Math.min(...days) : undefined;
}

export const awsPolicies: CostlinePolicy[] = [
  {
    name: "aws-s3-encryption-at-rest",
    description: "Every S3 bucket has default server-side encryption with an allowed algorithm.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket (sseAlgorithm aws:kms with a kmsMasterKeyId).",
    configSchema: ENCRYPTION_SCHEMA,
    validateStack: (args, report) => {
      const { allowedAlgorithms, requireCustomerManagedKey } = settingsOf<{
        allowedAlgorithms: string[];
        requireCustomerManagedKey: boolean;
      }>(args, ENCRYPTION_SCHEMA);
      const buckets = bucketsIn(args.resources);
      if (buckets.length === 0) args.notApplicable("no S3 buckets");
      const configs = args.resources.filter((r) => SSE_TYPES.includes(r.type));
      eachKnown(buckets, (bucket) => {
        const inline = record(bucket.props.serverSideEncryptionConfiguration).rule;
        const rules = [
          ...(inline ? [inline] : []),
          ...configs
            .filter((c) => targetsOf(c, "bucket", buckets, bucketNames).includes(bucket))
            .flatMap((c) => list(c.props.rules)),
        ].map((r) => record(record(r).applyServerSideEncryptionByDefault));
        if (rules.length === 0) {
          report(`${bucketLabel(bucket)} has no default encryption configuration`, bucket.urn);
          return;
        }
        for (const rule of rules) {
          const algorithm = String(rule.sseAlgorithm);
          if (!allowedAlgorithms.includes(algorithm)) {
            report(
              `${bucketLabel(bucket)} encrypts with "${algorithm}"; allowed: ${allowedAlgorithms.join(", ")}`,
              bucket.urn,
            );
          } else if (requireCustomerManagedKey && !rule.kmsMasterKeyId) {
            report(
              `${bucketLabel(bucket)} must encrypt with a customer-managed KMS key (kmsMasterKeyId)`,
              bucket.urn,
            );
          }
        }
      });
    },
  },
  {
    name: "aws-s3-block-public-access",
    description: "Every S3 bucket has a public access block with all four settings on.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    validateStack: (args, report) => {
      const buckets = bucketsIn(args.resources);
      if (buckets.length === 0) args.notApplicable("no S3 buckets");
      const blocks = args.resources.filter((r) => r.type === typeToken(aws.s3.BucketPublicAccessBlock));
      eachKnown(buckets, (bucket) => {
        const mine = blocks.filter((b) => targetsOf(b, "bucket", buckets, bucketNames).includes(bucket));
        if (mine.length === 0) report(`${bucketLabel(bucket)} has no public access block`, bucket.urn);
        for (const block of mine) {
          const off = [
            "blockPublicAcls",
            "blockPublicPolicy",
            "ignorePublicAcls",
            "restrictPublicBuckets",
          ].filter((k) => block.props[k] !== true);
          if (off.length > 0)
            report(`${bucketLabel(bucket)}'s public access block leaves ${off.join(", ")} off`, block.urn);
        }
      });
    },
  },
  {
    name: "aws-s3-no-public-principal",
    description: 'Bucket policies grant nothing to the "*" principal unless a condition pins the caller.',
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      'Name the principal, or add a condition on aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID to the statement with "*".',
    validateResource: [
      validateResourceOfType(aws.s3.BucketPolicy, (p, _args, report) => {
        for (const problem of publicGrants(parsePolicyDocument(p.policy)))
          report(`bucket policy: ${problem}`);
      }),
      validateResourceOfType(aws.s3.Bucket, (p, _args, report) => {
        for (const problem of publicGrants(parsePolicyDocument(p.policy)))
          report(`inline bucket policy: ${problem}`);
      }),
    ],
  },
  {
    name: "aws-s3-tls-only",
    description: "Every S3 bucket's policy denies requests that do not use TLS (aws:SecureTransport false).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Add to the bucket policy: Deny, Principal "*", Action "s3:*", on the bucket and its objects, Condition Bool aws:SecureTransport "false".',
    validateStack: (args, report) => {
      const buckets = bucketsIn(args.resources);
      if (buckets.length === 0) args.notApplicable("no S3 buckets");
      eachKnown(buckets, (bucket) => {
        const docs = bucketPolicies(bucket, args.resources);
        if (!docs.some((d) => statementsOf(d).some(deniesInsecureTransport))) {
          report(
            `${bucketLabel(bucket)} has no bucket policy statement denying non-TLS requests`,
            bucket.urn,
          );
        }
      });
    },
  },
  {
    name: "aws-kms-key-rotation",
    description: "Symmetric KMS keys rotate automatically.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set enableKeyRotation: true on the aws.kms.Key.",
    validateResource: validateResourceOfType(aws.kms.Key, (key, args, report) => {
      // The AWS API renamed CustomerMasterKeySpec to KeySpec; a saved or exported stack may carry either.
      const spec = key.customerMasterKeySpec ?? record(key).keySpec ?? "SYMMETRIC_DEFAULT";
      if (spec !== "SYMMETRIC_DEFAULT")
        args.notApplicable(`AWS rotates only symmetric keys; this one is ${spec}`);
      if (key.enableKeyRotation !== true) report("the KMS key does not rotate; set enableKeyRotation: true");
    }),
  },
  {
    name: "aws-iam-no-wildcard-actions",
    description: 'IAM policies allow no "*" or "service:*" action, and no Allow with NotAction.',
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "List the exact actions the role needs.",
    validateResource: (args, report) =>
      checkIamStatements(args, report, (s, label) => {
        if (s.effect !== "Allow") return undefined;
        if (s.notActions.length > 0)
          return `${label} allows everything except ${s.notActions.join(", ")} (NotAction)`;
        const wild = s.actions.filter((a) => a === "*" || /^[a-z0-9-]+:\*$/i.test(a));
        return wild.length > 0 ? `${label} allows wildcard action(s) ${wild.join(", ")}` : undefined;
      }),
  },
  {
    name: "aws-iam-no-wildcard-resource-writes",
    description: 'IAM policies allow write actions only on named resources, never on "*".',
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Scope the statement's Resource to the ARNs it writes to (the bucket, the table, the log group).",
    configSchema: WILDCARD_RESOURCE_SCHEMA,
    validateResource: (args, report) => {
      const { exemptActions } = settingsOf<{ exemptActions: string[] }>(args, WILDCARD_RESOURCE_SCHEMA);
      checkIamStatements(args, report, (s, label) => {
        if (s.effect !== "Allow" || !(s.resources.includes("*") || s.notResources.length > 0))
          return undefined;
        const writes = s.actions.filter((a) => !isReadOnlyAction(a) && !exemptActions.includes(a));
        return writes.length > 0
          ? `${label} allows write action(s) ${writes.join(", ")} on every resource ("*")`
          : undefined;
      });
    },
  },
  {
    name: "aws-iam-external-id-for-cross-account-trust",
    description: "A role that another AWS account may assume requires an sts:ExternalId.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      'Add Condition StringEquals "sts:ExternalId" to the trust statement that names the other account (the confused-deputy guard).',
    validateResource: validateResourceOfType(aws.iam.Role, (role, args, report) => {
      const parsed = parsePolicyDocument(role.assumeRolePolicy);
      if ("problem" in parsed) return report(`assumeRolePolicy: ${parsed.problem}`);
      // The deploying account, when the provider pins it: principals in it are not cross-account.
      const ownAccounts = list(args.provider?.props.allowedAccountIds).map(String);
      parsed.statements.forEach((s, i) => {
        // `sts:Assume*` and `sts:AssumeRole*` assume the role as surely as `sts:AssumeRole`.
        if (s.effect !== "Allow" || !s.actions.some((a) => actionCovers(a, "sts:AssumeRole"))) return;
        const foreign = (s.principals.AWS ?? []).filter((p) => {
          const account = /^(\d{12})$|^arn:aws[a-z-]*:(iam|sts)::(\d{12}):/.exec(p);
          const id = account?.[1] ?? account?.[3];
          return p === "*" || !id || !ownAccounts.includes(id);
        });
        if (foreign.length === 0 || pinnedValues(s, "sts:ExternalId").length > 0) return;
        report(
          conditionValues(s, "sts:ExternalId").length === 0
            ? `${statementLabel(s, i)} lets ${foreign.join(", ")} assume the role without an sts:ExternalId condition`
            : `${statementLabel(s, i)} lets ${foreign.join(", ")} assume the role with an sts:ExternalId condition that accepts any value; pin it with StringEquals`,
        );
      });
    }),
  },
  {
    name: "aws-iam-no-admin-policies",
    description: "No role, user or group is given an administrator-like AWS managed policy.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Attach a policy with the exact actions needed instead.",
    configSchema: ADMIN_SCHEMA,
    validateResource: (args, report) => {
      const { forbiddenPolicyArns } = settingsOf<{ forbiddenPolicyArns: string[] }>(args, ADMIN_SCHEMA);
      const attachments = [
        aws.iam.RolePolicyAttachment,
        aws.iam.UserPolicyAttachment,
        aws.iam.GroupPolicyAttachment,
      ];
      const arns = attachments.some((c) => typeToken(c) === args.type)
        ? [args.props.policyArn]
        : args.type === typeToken(aws.iam.Role)
          ? list(args.props.managedPolicyArns)
          : args.notApplicable("not an IAM policy attachment");
      for (const arn of arns) {
        if (forbiddenPolicyArns.includes(String(arn))) report(`attaches the managed policy ${arn}`);
      }
    },
  },
  {
    name: "aws-lambda-no-plaintext-secrets",
    description: "Lambda environment variables hold references to secrets, never the secrets.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Store the value in Secrets Manager and pass its name or ARN (e.g. SECRET_ARN); the function reads it at run time.",
    validateResource: validateResourceOfType(aws.lambda.Function, (fn, _args, report) => {
      const found = plaintextSecrets(Object.entries(record(fn.environment?.variables)));
      if (found.length > 0) {
        report(
          describePlaintextSecrets(
            "the function's environment",
            found,
            "Pass a Secrets Manager reference instead.",
          ),
        );
      }
    }),
  },
  {
    name: "aws-lambda-dead-letter",
    description:
      "Every Lambda function sends failed asynchronous invocations somewhere (a DLQ or an on-failure destination).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Set deadLetterConfig.targetArn to an SQS queue or SNS topic, or add an aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure.",
    validateStack: (args, report) => {
      const functions = args.resources.filter((r) => r.type === typeToken(aws.lambda.Function));
      if (functions.length === 0) args.notApplicable("no Lambda functions");
      const invokeConfigs = args.resources.filter(
        (r) => r.type === typeToken(aws.lambda.FunctionEventInvokeConfig),
      );
      for (const fn of functions) {
        const ownDlq = record(fn.props.deadLetterConfig).targetArn;
        const onFailure = invokeConfigs.some(
          (c) =>
            targetsOf(c, "functionName", functions, (f) => [f.props.name, f.name]).includes(fn) &&
            record(record(c.props.destinationConfig).onFailure).destination,
        );
        if (!ownDlq && !onFailure)
          report(
            `Lambda function "${fn.props.name ?? fn.name}" has no dead-letter queue or on-failure destination`,
            fn.urn,
          );
      }
    },
  },
  {
    name: "aws-lambda-error-alarm",
    description: "Every Lambda function has a CloudWatch alarm on its Errors metric.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      'Add an aws.cloudwatch.MetricAlarm with namespace "AWS/Lambda", metricName "Errors" and dimensions { FunctionName }.',
    validateStack: (args, report) => {
      const functions = args.resources.filter((r) => r.type === typeToken(aws.lambda.Function));
      if (functions.length === 0) args.notApplicable("no Lambda functions");
      const alarms = args.resources.filter(
        (r) =>
          r.type === typeToken(aws.cloudwatch.MetricAlarm) &&
          r.props.namespace === "AWS/Lambda" &&
          r.props.metricName === "Errors",
      );
      for (const fn of functions) {
        const covered = alarms.some((a) =>
          targetsOf(
            a,
            "dimensions",
            functions,
            (f) => [f.props.name, f.name],
            record(a.props.dimensions).FunctionName,
          ).includes(fn),
        );
        if (!covered)
          report(`Lambda function "${fn.props.name ?? fn.name}" has no alarm on its Errors metric`, fn.urn);
      }
    },
  },
  {
    name: "aws-log-retention",
    description: "CloudWatch log groups keep logs for a bounded, sufficient time.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set retentionInDays within the configured range.",
    configSchema: LOG_RETENTION_SCHEMA,
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) => {
      const { minimumDays, maximumDays } = settingsOf<{ minimumDays: number; maximumDays: number }>(
        args,
        LOG_RETENTION_SCHEMA,
      );
      const days = group.retentionInDays;
      if (days === undefined || days === 0) report("the log group keeps logs forever; set retentionInDays");
      else if (days < minimumDays)
        report(`the log group keeps logs ${days} days, less than the minimum of ${minimumDays}`);
      else if (days > maximumDays)
        report(`the log group keeps logs ${days} days, more than the maximum of ${maximumDays}`);
    }),
  },
  {
    name: "aws-sqs-encryption",
    description: "SQS queues (dead-letter queues included) are encrypted at rest.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsMasterKeyId, or sqsManagedSseEnabled: true.",
    validateResource: validateResourceOfType(aws.sqs.Queue, (queue, _args, report) => {
      if (!queue.kmsMasterKeyId && queue.sqsManagedSseEnabled === false) {
        report(
          "the queue turns server-side encryption off (sqsManagedSseEnabled: false without kmsMasterKeyId)",
        );
      }
    }),
  },
  {
    name: "aws-athena-workgroup-encryption",
    description: "Athena workgroups encrypt query results and enforce their configuration on every query.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Set configuration.resultConfiguration.encryptionConfiguration.encryptionOption (SSE_KMS or SSE_S3) and configuration.enforceWorkgroupConfiguration: true.",
    validateResource: validateResourceOfType(aws.athena.Workgroup, (wg, _args, report) => {
      if (!wg.configuration?.resultConfiguration?.encryptionConfiguration?.encryptionOption) {
        report("the workgroup does not encrypt query results");
      }
      if (wg.configuration?.enforceWorkgroupConfiguration === false) {
        report("the workgroup lets queries override its settings (enforceWorkgroupConfiguration: false)");
      }
    }),
  },
  {
    name: "aws-cloudtrail-integrity",
    description:
      "CloudTrail trails cover every region, encrypt their log files with a KMS key and validate them, so that a deleted or altered log file is detected.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Set isMultiRegionTrail: true, kmsKeyId to a KMS key and enableLogFileValidation: true.",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
      if (trail.isMultiRegionTrail !== true)
        report("the trail records one region only; set isMultiRegionTrail: true");
      if (!trail.kmsKeyId) report("the trail's log files are not encrypted with a KMS key; set kmsKeyId");
      if (trail.enableLogFileValidation !== true)
        report("the trail does not validate its log files; set enableLogFileValidation: true");
    }),
  },
  {
    name: "aws-audit-trail",
    description:
      "A stack that holds billing exports or secrets has a logging CloudTrail trail that records every read of its secrets, every role assumption and every object read and write of its exports, kept at least the configured days (or names the organization trail that does).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Add an aws.cloudtrail.Trail with all management events and S3 data events on the export prefixes (advancedEventSelectors), enableLogging true, and a bucket lifecycle that keeps its logs at least minimumRetentionDays; or set organizationTrailName.",
    configSchema: AUDIT_TRAIL_SCHEMA,
    validateStack: (args, report) => {
      const { organizationTrailName, minimumRetentionDays } = settingsOf<{
        organizationTrailName: string;
        minimumRetentionDays: number;
      }>(args, AUDIT_TRAIL_SCHEMA);
      const exports = args.resources.filter((r) => r.type === typeToken(aws.bcmdata.Export));
      const secrets = args.resources.filter((r) => r.type === typeToken(aws.secretsmanager.Secret));
      if (exports.length === 0 && secrets.length === 0) args.notApplicable("no billing export or secret");
      if (organizationTrailName) return;
      const trails = args.resources.filter(
        (r) => r.type === typeToken(aws.cloudtrail.Trail) && r.props.enableLogging !== false,
      );
      const subject = exports[0] ?? secrets[0]!;
      if (trails.length === 0) {
        report(
          "no logging CloudTrail trail records reads of the secrets and cost data in this stack; add one or set organizationTrailName",
          subject.urn,
        );
        return;
      }
      const recorded = (events: Record<string, string>[]) =>
        events.every((e) => trails.some((t) => trailRecords(t.props, e)));
      const missing = CREDENTIAL_EVENTS.filter((e) => !trails.some((t) => trailRecords(t.props, e)));
      for (const e of missing) {
        report(
          `no trail records ${e.eventName} (${e.readOnly === "true" ? "read" : "write"} management events); record every management event`,
          trails[0]!.urn,
        );
      }
      for (const exp of exports) {
        for (const prefix of exportDestinations(exp)) {
          if (!recorded(objectEvents(prefix)))
            report(
              `no trail records object reads and writes under ${prefix} (S3 data events on the export's prefix)`,
              exp.urn,
            );
        }
      }
      for (const trail of trails) {
        const days = expirationDays(trail.props.s3BucketName, args.resources);
        if (days !== undefined && days < minimumRetentionDays)
          report(
            `trail "${trail.props.name ?? trail.name}" keeps its log files ${days} days; keep them at least ${minimumRetentionDays}`,
            trail.urn,
          );
      }
    },
  },
];
