import * as aws from "@pulumi/aws";
import { type PolicyResource, validateResourceOfType } from "@pulumi/policy";
import { AUDIT_RETENTION_SETTING } from "./lib/audit";
import {
  ATTACHING_TYPES,
  attachedPolicyArns,
  documentsOf,
  lambdaGrants,
  type NamedDocument,
} from "./lib/aws-documents";
import {
  actionCovers,
  admitsAnyone,
  allowsAction,
  callerConditions,
  conditionValues,
  foreignPrincipals,
  type IamStatement,
  isReadOnlyAction,
  type ParsedDocument,
  parsePolicyDocument,
  pinnedValues,
  statementLabel,
} from "./lib/aws-iam-document";
import { CREDENTIAL_EVENTS, objectEvents, trailRecords } from "./lib/cloudtrail-selectors";
import { describePlaintextSecrets, plaintextSecrets } from "./lib/secret-values";
import { eachKnown, targetsOf } from "./lib/stack";
import { type CostlinePolicy, list, record, settingsOf, typeToken, stringList } from "./policy";

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

/**
 * Judges each S3 bucket of the stack on its own (eachKnown), handing it the resources of `types`
 * that configure it through their `bucket` input.
 */
function eachBucket(
  args: { resources: PolicyResource[]; notApplicable(reason?: string): never },
  judge: (bucket: PolicyResource, companions: (types: string[]) => PolicyResource[]) => void,
) {
  const buckets = bucketsIn(args.resources);
  if (buckets.length === 0) args.notApplicable("no S3 buckets");
  eachKnown(buckets, (bucket) =>
    judge(bucket, (types) =>
      args.resources.filter(
        (r) => types.includes(r.type) && targetsOf(r, "bucket", buckets, bucketNames).includes(bucket),
      ),
    ),
  );
}

const statementsOf = (parsed: ParsedDocument) => ("statements" in parsed ? parsed.statements : []);

/** What a resource policy statement grants to anyone: "*" without a condition that pins the caller, or NotPrincipal. */
function publicGrant(s: IamStatement, label: string): string | undefined {
  if (s.effect !== "Allow") return undefined;
  const actions = s.actions.join(", ") || "actions";
  if (Object.keys(s.notPrincipals).length > 0)
    return `${label} allows ${actions} to every principal but those named (Allow with NotPrincipal)`;
  return admitsAnyone(s) && callerConditions(s).length === 0
    ? `${label} allows ${actions} to any principal ("*") without a condition that pins the caller's account, organization or source`
    : undefined;
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
    exemptActions: stringList(
      [],
      'Write actions that AWS only authorizes on "*" (e.g. "xray:PutTraceSegments") and may keep it.',
    ),
  },
};

/** The config schema of a policy that forbids managed policies: their ARNs, with defaults. */
const forbiddenPoliciesSchema = (names: string[], description: string) => ({
  properties: {
    forbiddenPolicyArns: stringList(
      names.map((n) => `arn:aws:iam::aws:policy/${n}`),
      description,
    ),
  },
});

const ADMIN_SCHEMA = forbiddenPoliciesSchema(
  ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"],
  "Managed policies no role of the pipeline may carry.",
);

const RESOURCE_POLICY_KINDS: NamedDocument["kind"][] = ["s3", "sqs", "sns", "secretsmanager", "kms"];

/** The accounts the provider pins (allowedAccountIds): principals in them are the stack's own. */
const ownAccountsOf = (args: { provider?: { props: Record<string, unknown> } }, doc: NamedDocument) =>
  doc.template ? [] : list(args.provider?.props.allowedAccountIds).map(String);

/**
 * Runs `check` over every statement of every document of `kinds` the resource carries (its
 * template's included), reporting a document that cannot be read.
 */
function checkStatements(
  args: {
    type: string;
    props: Record<string, unknown>;
    provider?: { props: Record<string, unknown> };
    notApplicable(reason?: string): never;
  },
  report: (message: string) => void,
  kinds: NamedDocument["kind"][],
  check: (s: IamStatement, label: string, doc: NamedDocument) => string | undefined,
) {
  const documents = documentsOf(args.type, args.props).filter((d) => kinds.includes(d.kind));
  if (documents.length === 0) args.notApplicable(`carries no ${kinds.join(" or ")} policy document`);
  for (const doc of documents) {
    const parsed = parsePolicyDocument(doc.doc);
    if ("problem" in parsed) {
      report(`${doc.where}: ${parsed.problem}`);
      continue;
    }
    parsed.statements.forEach((s, i) => {
      const problem = check(s, statementLabel(s, i), doc);
      if (problem) report(`${doc.where}: ${problem}`);
    });
  }
}

/** Runs `check` over every managed policy ARN the resource attaches. */
function checkAttachments(
  args: { type: string; props: Record<string, unknown>; notApplicable(reason?: string): never },
  report: (message: string) => void,
  forbidden: string[],
) {
  if (!ATTACHING_TYPES.includes(args.type)) args.notApplicable("attaches no managed policy");
  for (const arn of attachedPolicyArns(args.type, args.props)) {
    if (forbidden.includes(arn)) report(`attaches the managed policy ${arn}`);
  }
}

/** Whether a statement applies to every resource: Resource "*" or a NotResource. */
const onEveryResource = (s: IamStatement) => s.resources.includes("*") || s.notResources.length > 0;

const DATA_READ_SCHEMA = {
  properties: {
    dataReadActions: stringList(
      [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "secretsmanager:GetSecretValue",
        "kms:Decrypt",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "sqs:ReceiveMessage",
        "logs:GetLogEvents",
        "logs:FilterLogEvents",
        "athena:GetQueryResults",
        "glue:GetTable",
        "lambda:GetFunction",
      ],
      'Actions that read data, which a policy may allow only on named resources, not on "*".',
    ),
  },
};

// Each lets a principal give itself (or a principal it controls) more than it was given.
const ESCALATION_ACTIONS = [
  "iam:PutRolePolicy",
  "iam:PutUserPolicy",
  "iam:PutGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:AttachUserPolicy",
  "iam:AttachGroupPolicy",
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:AddUserToGroup",
];

const BROAD_POLICY_SCHEMA = forbiddenPoliciesSchema(
  [
    "ReadOnlyAccess",
    "ViewOnlyAccess",
    "AmazonS3ReadOnlyAccess",
    "AmazonS3FullAccess",
    "SecretsManagerReadWrite",
    "AWSKeyManagementServicePowerUser",
    "AmazonAthenaFullAccess",
    "AWSGlueConsoleFullAccess",
    "AmazonSQSFullAccess",
    "AmazonSNSFullAccess",
    "CloudWatchLogsFullAccess",
    "CloudWatchLogsReadOnlyAccess",
    "AWSLambda_FullAccess",
    "AWSCloudFormationFullAccess",
    "AWSBillingReadOnlyAccess",
  ],
  "Broad managed policies (every resource of a service) no role of the pipeline may carry.",
);

/**
 * The condition key that names who a federated principal admits: "<host>:sub" for an OIDC provider
 * (an ARN of one, or its host), "cognito-identity.amazonaws.com:aud" for Cognito, "SAML:aud" for SAML.
 */
function federatedSubjectKey(provider: string): string | undefined {
  if (provider === "cognito-identity.amazonaws.com") return `${provider}:aud`;
  if (/:saml-provider\//.test(provider)) return "SAML:aud";
  const oidc = /:oidc-provider\/(.+)$/.exec(provider)?.[1] ?? provider;
  return /^[a-z0-9.-]+\.[a-z]{2,}(\/.*)?$/i.test(oidc) && !oidc.endsWith(".amazonaws.com")
    ? `${oidc}:sub`
    : undefined;
}

// What a foreign principal must not do with a key: use it to read data, hand it on, or administer it.
const KEY_USE_ACTIONS = [
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:CreateGrant",
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
];

const VERSIONING_TYPES = [typeToken(aws.s3.BucketVersioning), typeToken(aws.s3.BucketVersioningV2)];
const LOGGING_TYPES = [typeToken(aws.s3.BucketLogging), typeToken(aws.s3.BucketLoggingV2)];

const SQS_ENCRYPTION_SCHEMA = {
  properties: {
    requireCustomerManagedKey: {
      type: "boolean" as const,
      default: false,
      description:
        "Require a customer-managed KMS key (kmsMasterKeyId), not SQS-managed keys or alias/aws/sqs.",
    },
  },
};

const ACL_TYPES = [typeToken(aws.s3.BucketAcl), typeToken(aws.s3.BucketAclV2)];
// Canned ACLs and grantee groups that reach beyond the bucket owner's account.
const PUBLIC_ACL =
  /^(public-read|public-read-write|authenticated-read)$|acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

const RUNTIME_SCHEMA = {
  properties: {
    deprecatedRuntimes: stringList(
      [
        "nodejs",
        "nodejs4.3",
        "nodejs4.3-edge",
        "nodejs6.10",
        "nodejs8.10",
        "nodejs10.x",
        "nodejs12.x",
        "nodejs14.x",
        "nodejs16.x",
        "python2.7",
        "python3.6",
        "python3.7",
        "python3.8",
        "dotnetcore1.0",
        "dotnetcore2.0",
        "dotnetcore2.1",
        "dotnetcore3.1",
        "dotnet5.0",
        "dotnet6",
        "ruby2.5",
        "ruby2.7",
        "java8",
        "go1.x",
        "provided",
      ],
      "Lambda runtimes past AWS's deprecation date.",
    ),
  },
};

const LIFECYCLE_TYPES = [
  typeToken(aws.s3.BucketLifecycleConfiguration),
  typeToken(aws.s3.BucketLifecycleConfigurationV2),
];

const ROTATION_SCHEMA = {
  properties: {
    maximumDays: {
      type: "integer" as const,
      minimum: 1,
      default: 90,
      description: "Longest time a secret may go without rotating.",
    },
  },
};

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
      eachBucket(args, (bucket, companions) => {
        const inline = record(bucket.props.serverSideEncryptionConfiguration).rule;
        const rules = [
          ...(inline ? [inline] : []),
          ...companions(SSE_TYPES).flatMap((c) => list(c.props.rules)),
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
      eachBucket(args, (bucket, companions) => {
        const mine = companions([typeToken(aws.s3.BucketPublicAccessBlock)]);
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
    name: "aws-resource-policy-no-public-principal",
    description:
      'Resource policies (S3 bucket, SQS queue, SNS topic, Secrets Manager secret, KMS key, Lambda permission, in the stack or its CloudFormation templates) grant nothing to "*" unless a condition pins the caller, never Allow with NotPrincipal, and a Lambda permission to a service names its source.',
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      'Name the principal, or add a condition on aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID with a value (no wildcard in an account or organization id) to the statement with "*"; replace NotPrincipal with the principals allowed; give a Lambda permission sourceArn or sourceAccount.',
    validateResource: (args, report) => {
      const grants = lambdaGrants(args.type, args.props);
      for (const g of grants) {
        const principal = String(g.principal ?? "");
        if (g.functionUrlAuthType === "NONE")
          report(`${g.where} opens the function URL to anyone (functionUrlAuthType NONE)`);
        else if (principal === "*" && !g.sourceArn && !g.sourceAccount && !g.principalOrgId)
          report(
            `${g.where} lets any principal ("*") invoke the function without sourceArn, sourceAccount or principalOrgId`,
          );
        else if (principal.endsWith(".amazonaws.com") && !g.sourceArn && !g.sourceAccount)
          report(
            `${g.where} lets ${principal} invoke the function for any account's resources; set sourceArn or sourceAccount`,
          );
      }
      const holdsPolicy = documentsOf(args.type, args.props).some((d) =>
        RESOURCE_POLICY_KINDS.includes(d.kind),
      );
      if (grants.length > 0 && !holdsPolicy) return;
      checkStatements(args, report, RESOURCE_POLICY_KINDS, (s, label) => publicGrant(s, label));
    },
  },
  {
    name: "aws-s3-tls-only",
    description: "Every S3 bucket's policy denies requests that do not use TLS (aws:SecureTransport false).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Add to the bucket policy: Deny, Principal "*", Action "s3:*", on the bucket and its objects, Condition Bool aws:SecureTransport "false".',
    validateStack: (args, report) => {
      eachBucket(args, (bucket) => {
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
    description:
      'IAM and resource policies (KMS key policies aside: see aws-kms-key-policy) allow no "*" or "service:*" action, and no Allow with NotAction.',
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "List the exact actions the role or the resource's callers need.",
    validateResource: (args, report) =>
      checkStatements(args, report, ["identity", "s3", "sqs", "sns", "secretsmanager"], (s, label) => {
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
      checkStatements(args, report, ["identity"], (s, label) => {
        if (s.effect !== "Allow" || !onEveryResource(s)) return undefined;
        const writes = s.actions.filter((a) => !isReadOnlyAction(a) && !exemptActions.includes(a));
        return writes.length > 0
          ? `${label} allows write action(s) ${writes.join(", ")} on every resource ("*")`
          : undefined;
      });
    },
  },
  {
    name: "aws-iam-no-wildcard-resource-data-reads",
    description:
      'IAM policies allow reads of data (objects, secret values, decryption, parameters, items, messages, logs, query results) only on named resources, never on "*".',
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Scope the statement's Resource to the bucket prefixes, secrets, keys or tables the role reads.",
    configSchema: DATA_READ_SCHEMA,
    validateResource: (args, report) => {
      const { dataReadActions } = settingsOf<{ dataReadActions: string[] }>(args, DATA_READ_SCHEMA);
      checkStatements(args, report, ["identity"], (s, label) => {
        if (s.effect !== "Allow" || !onEveryResource(s)) return undefined;
        const reads = dataReadActions.filter((a) => allowsAction(s, a));
        return reads.length > 0
          ? `${label} allows data reads ${reads.join(", ")} on every resource ("*")`
          : undefined;
      });
    },
  },
  {
    name: "aws-iam-no-privilege-escalation",
    description:
      "IAM policies allow no action by which a principal grants itself more: writing or attaching policies, new policy versions, trust policy changes, credentials for users, and iam:PassRole on any role or to any service.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Remove the IAM write actions from the role's policy; deploy IAM changes through the pipeline. Scope iam:PassRole to the role passed, with an iam:PassedToService condition.",
    validateResource: (args, report) =>
      checkStatements(args, report, ["identity"], (s, label) => {
        const granted = ESCALATION_ACTIONS.filter((a) => allowsAction(s, a));
        const passRole =
          allowsAction(s, "iam:PassRole") &&
          (s.notResources.length > 0 ||
            s.resources.some((r) => r === "*" || /:role\/\*?$|:\*$/.test(r)) ||
            pinnedValues(s, "iam:PassedToService").length === 0);
        const all = [...granted, ...(passRole ? ["iam:PassRole (any role or any service)"] : [])];
        return all.length > 0 ? `${label} allows privilege escalation: ${all.join(", ")}` : undefined;
      }),
  },
  {
    name: "aws-iam-external-id-for-cross-account-trust",
    description:
      "A role that another AWS account may assume (in the stack or its CloudFormation templates) requires an sts:ExternalId.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      'Add Condition StringEquals "sts:ExternalId" to the trust statement that names the other account (the confused-deputy guard).',
    validateResource: (args, report) =>
      checkStatements(args, report, ["trust"], (s, label, doc) => {
        // `sts:Assume*` and `sts:AssumeRole*` assume the role as surely as `sts:AssumeRole`.
        if (s.effect !== "Allow" || !s.actions.some((a) => actionCovers(a, "sts:AssumeRole"))) return;
        const foreign = foreignPrincipals(s, ownAccountsOf(args, doc));
        if (foreign.length === 0 || pinnedValues(s, "sts:ExternalId").length > 0) return;
        return conditionValues(s, "sts:ExternalId").length === 0
          ? `${label} lets ${foreign.join(", ")} assume the role without an sts:ExternalId condition`
          : `${label} lets ${foreign.join(", ")} assume the role with an sts:ExternalId condition that accepts any value; pin it with StringEquals`;
      }),
  },
  {
    name: "aws-iam-federated-trust-conditions",
    description:
      "A role trusted by a web identity (OIDC: GitHub Actions, EKS, any provider) or SAML provider pins who may assume it: the token's sub (Cognito: aud; SAML: SAML:aud) to exact values.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      'Add Condition StringEquals "<provider>:sub" with the exact subject (e.g. "repo:acme/infra:ref:refs/heads/main" for token.actions.githubusercontent.com) to the trust statement.',
    validateResource: (args, report) =>
      checkStatements(args, report, ["trust"], (s, label) => {
        if (s.effect !== "Allow") return undefined;
        const unpinned = (s.principals.Federated ?? []).flatMap((provider) => {
          const key = federatedSubjectKey(provider);
          return key && pinnedValues(s, key).length === 0 ? [`${provider} (${key})`] : [];
        });
        return unpinned.length > 0
          ? `${label} lets any identity of ${unpinned.join(", ")} assume the role; pin the claim with StringEquals`
          : undefined;
      }),
  },
  {
    name: "aws-iam-no-admin-policies",
    description:
      "No role, user or group is given an administrator-like AWS managed policy, by any attachment route or CloudFormation template.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Attach a policy with the exact actions needed instead.",
    configSchema: ADMIN_SCHEMA,
    validateResource: (args, report) => {
      const { forbiddenPolicyArns } = settingsOf<{ forbiddenPolicyArns: string[] }>(args, ADMIN_SCHEMA);
      checkAttachments(args, report, forbiddenPolicyArns);
    },
  },
  {
    name: "aws-iam-no-broad-managed-policies",
    description:
      "No role, user or group is given a broad AWS managed policy that reads or writes every resource of a service (ReadOnlyAccess, AmazonS3ReadOnlyAccess, SecretsManagerReadWrite, ...).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Replace the managed policy with an inline policy naming the resources the role needs (the bucket prefixes, the secret, the workgroup).",
    configSchema: BROAD_POLICY_SCHEMA,
    validateResource: (args, report) => {
      const { forbiddenPolicyArns } = settingsOf<{ forbiddenPolicyArns: string[] }>(
        args,
        BROAD_POLICY_SCHEMA,
      );
      checkAttachments(args, report, forbiddenPolicyArns);
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
    description:
      "SQS queues (dead-letter queues included) are encrypted at rest, with a customer-managed KMS key when the config requires it.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsMasterKeyId, or sqsManagedSseEnabled: true.",
    configSchema: SQS_ENCRYPTION_SCHEMA,
    validateResource: validateResourceOfType(aws.sqs.Queue, (queue, args, report) => {
      const { requireCustomerManagedKey } = settingsOf<{ requireCustomerManagedKey: boolean }>(
        args,
        SQS_ENCRYPTION_SCHEMA,
      );
      if (!queue.kmsMasterKeyId && queue.sqsManagedSseEnabled === false) {
        report(
          "the queue turns server-side encryption off (sqsManagedSseEnabled: false without kmsMasterKeyId)",
        );
      } else if (
        requireCustomerManagedKey &&
        (!queue.kmsMasterKeyId || queue.kmsMasterKeyId === "alias/aws/sqs")
      ) {
        report("the queue must be encrypted with a customer-managed KMS key (kmsMasterKeyId)");
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
  {
    name: "aws-kms-key-policy",
    description:
      "Every KMS key has its own key policy, and it lets no other account (nor a principal whose account cannot be read) use the key to decrypt, re-encrypt, grant or administer (kms:*).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Set the key's policy; grant key use to principals of the deploying account (pin it with the provider's allowedAccountIds) and to AWS services with aws:SourceAccount or aws:SourceArn conditions.",
    validateResource: (args, report) => {
      if (
        args.type === typeToken(aws.kms.Key) &&
        (args.props.policy === undefined || args.props.policy === "")
      ) {
        // Reported, then done: checkStatements would call the key not applicable, having no document.
        return report(
          "the key has no key policy of its own (it gets AWS's default, which lets every IAM policy of the account use it); set policy",
        );
      }
      checkStatements(args, report, ["kms"], (s, label, doc) => {
        const uses = KEY_USE_ACTIONS.filter((a) => allowsAction(s, a));
        const foreign = foreignPrincipals(s, ownAccountsOf(args, doc)).filter((p) => p !== "*");
        return uses.length > 0 && foreign.length > 0
          ? `${label} lets ${foreign.join(", ")} (outside the deploying account) ${uses.join(", ")}`
          : undefined;
      });
    },
  },
  {
    name: "aws-s3-versioning",
    description:
      "Every S3 bucket keeps object versions, so that an overwritten or deleted object can be restored.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      'Add an aws.s3.BucketVersioning for the bucket with versioningConfiguration.status "Enabled".',
    validateStack: (args, report) => {
      eachBucket(args, (bucket, companions) => {
        const statuses = [
          ...(record(bucket.props.versioning).enabled === true ? ["Enabled"] : []),
          ...companions(VERSIONING_TYPES).map((c) => record(c.props.versioningConfiguration).status),
        ];
        if (!statuses.includes("Enabled"))
          report(`${bucketLabel(bucket)} does not keep object versions`, bucket.urn);
      });
    },
  },
  {
    name: "aws-s3-access-logging",
    description:
      "Every read and write of every S3 bucket's objects is logged: by server access logging, or by a logging CloudTrail trail's S3 data events on the whole bucket.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Add an aws.s3.BucketLogging that sends the bucket's access logs to a log bucket, or record S3 data events (reads and writes) on arn:aws:s3:::<bucket>/ in a trail.",
    validateStack: (args, report) => {
      const trails = args.resources.filter(
        (r) => r.type === typeToken(aws.cloudtrail.Trail) && r.props.enableLogging !== false,
      );
      eachBucket(args, (bucket, companions) => {
        const inline =
          record(bucket.props.logging).targetBucket ??
          list(bucket.props.loggings)
            .map(record)
            .find((l) => l.targetBucket)?.targetBucket;
        const logged = companions(LOGGING_TYPES).some((l) => l.props.targetBucket);
        const events = objectEvents(`arn:aws:s3:::${bucket.props.bucket ?? bucket.name}/`);
        const recorded = events.every((e) => trails.some((t) => trailRecords(t.props, e)));
        if (!inline && !logged && !recorded)
          report(
            `${bucketLabel(bucket)} has no server access logging and no trail records data events on all its objects`,
            bucket.urn,
          );
      });
    },
  },
  {
    name: "aws-glue-catalog-encryption",
    description:
      "A stack with a Glue Data Catalog database encrypts the catalog's metadata with KMS and connection passwords (aws.glue.DataCatalogEncryptionSettings).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      'Add an aws.glue.DataCatalogEncryptionSettings with encryptionAtRest.catalogEncryptionMode "SSE-KMS" (a sseAwsKmsKeyId) and connectionPasswordEncryption.returnConnectionPasswordEncrypted true; the account has one such setting per region.',
    validateStack: (args, report) => {
      const databases = args.resources.filter((r) => r.type === typeToken(aws.glue.CatalogDatabase));
      const settings = args.resources.filter(
        (r) => r.type === typeToken(aws.glue.DataCatalogEncryptionSettings),
      );
      if (databases.length === 0 && settings.length === 0) args.notApplicable("no Glue catalog");
      if (settings.length === 0)
        report(
          "the Glue Data Catalog of this stack's databases has no encryption settings",
          databases[0]?.urn,
        );
      eachKnown(settings, (setting) => {
        const c = record(setting.props.dataCatalogEncryptionSettings);
        const mode = record(c.encryptionAtRest).catalogEncryptionMode;
        if (mode !== "SSE-KMS" && mode !== "SSE-KMS-WITH-SERVICE-ROLE")
          report(
            `the Data Catalog's metadata is not encrypted with KMS (catalogEncryptionMode ${JSON.stringify(mode)})`,
            setting.urn,
          );
        if (record(c.connectionPasswordEncryption).returnConnectionPasswordEncrypted !== true)
          report("the Data Catalog returns connection passwords unencrypted", setting.urn);
      });
    },
  },
  {
    name: "aws-log-group-kms",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Set kmsKeyId to a customer-managed key whose policy lets logs.<region>.amazonaws.com use it for the log group.",
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, report) => {
      if (!group.kmsKeyId)
        report("the log group is not encrypted with a customer-managed KMS key; set kmsKeyId");
    }),
  },
  {
    name: "aws-secrets-kms",
    description:
      "Secrets Manager secrets are encrypted with a customer-managed KMS key, not the aws/secretsmanager key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsKeyId to a customer-managed key (its ARN, id or alias).",
    validateResource: validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, report) => {
      if (!secret.kmsKeyId || secret.kmsKeyId === "alias/aws/secretsmanager")
        report(
          "the secret is encrypted with the AWS managed key aws/secretsmanager; set kmsKeyId to a customer-managed key",
        );
    }),
  },
  {
    name: "aws-sns-encryption",
    description: "SNS topics are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set kmsMasterKeyId to a customer-managed key (not alias/aws/sns).",
    validateResource: validateResourceOfType(aws.sns.Topic, (topic, _args, report) => {
      if (!topic.kmsMasterKeyId) report("the topic is not encrypted; set kmsMasterKeyId");
      else if (topic.kmsMasterKeyId === "alias/aws/sns")
        report("the topic is encrypted with the AWS managed key alias/aws/sns; use a customer-managed key");
    }),
  },
  {
    name: "aws-alarm-actions",
    description:
      "Every CloudWatch alarm notifies someone: it has alarm actions, and its actions are enabled.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Set alarmActions (and okActions) to an SNS topic that reaches the team; leave actionsEnabled true.",
    validateResource: validateResourceOfType(aws.cloudwatch.MetricAlarm, (alarm, _args, report) => {
      if (alarm.actionsEnabled === false) report("the alarm's actions are disabled (actionsEnabled: false)");
      if (list(alarm.alarmActions).length === 0)
        report("the alarm has no alarm actions; nobody is told when it fires");
    }),
  },
  {
    name: "aws-export-destination-in-stack",
    description:
      "Every AWS Data Export writes to an S3 bucket of this stack, so that the bucket policies (encryption, public access, TLS, versioning, logging) judge where the cost data lands.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Declare the destination bucket in the stack (Costline's ExportBucket), or point the export at a bucket that is.",
    validateStack: (args, report) => {
      const exports = args.resources.filter((r) => r.type === typeToken(aws.bcmdata.Export));
      if (exports.length === 0) args.notApplicable("no billing export");
      eachKnown(exports, (exp) => {
        const names = bucketsIn(args.resources).map((b) => b.props.bucket);
        for (const d of list(record(exp.props.export).destinationConfigurations).flatMap((c) =>
          list(record(c).s3Destinations),
        )) {
          const bucket = record(d).s3Bucket;
          if (!names.includes(bucket))
            report(
              `the export writes to S3 bucket ${JSON.stringify(bucket)}, which is not a bucket of this stack`,
              exp.urn,
            );
        }
      });
    },
  },
  {
    name: "aws-s3-acls-disabled",
    description:
      "Every S3 bucket disables ACLs (object ownership BucketOwnerEnforced), so that no ACL can share an object, and no bucket ACL grants anything to all users or authenticated users.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Add an aws.s3.BucketOwnershipControls for the bucket with rule.objectOwnership "BucketOwnerEnforced"; remove any public ACL.',
    validateStack: (args, report) => {
      eachBucket(args, (bucket, companions) => {
        const mine = companions([typeToken(aws.s3.BucketOwnershipControls)]);
        if (!mine.some((c) => record(c.props.rule).objectOwnership === "BucketOwnerEnforced"))
          report(
            `${bucketLabel(bucket)} does not disable ACLs (objectOwnership BucketOwnerEnforced)`,
            bucket.urn,
          );
        const granted = [
          bucket.props.acl,
          ...companions(ACL_TYPES).flatMap((a) => [
            a.props.acl,
            ...list(record(a.props.accessControlPolicy).grants).map((g) => record(record(g).grantee).uri),
          ]),
        ].filter((g) => typeof g === "string" && PUBLIC_ACL.test(g));
        if (granted.length > 0)
          report(`${bucketLabel(bucket)} has a public ACL grant (${granted.join(", ")})`, bucket.urn);
      });
    },
  },
  {
    name: "aws-kms-key-enabled",
    description: "KMS keys are enabled: a disabled key makes everything encrypted with it unreadable.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Leave isEnabled unset or true; schedule deletion of a key no longer used instead.",
    validateResource: validateResourceOfType(aws.kms.Key, (key, _args, report) => {
      if (key.isEnabled === false) report("the KMS key is disabled (isEnabled: false)");
    }),
  },
  {
    name: "aws-lambda-runtime-supported",
    description: "Lambda functions run on a runtime that AWS still supports (no deprecated runtime).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Move the function to a supported runtime (e.g. nodejs22.x, python3.13).",
    configSchema: RUNTIME_SCHEMA,
    validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
      const { deprecatedRuntimes } = settingsOf<{ deprecatedRuntimes: string[] }>(args, RUNTIME_SCHEMA);
      if (typeof fn.runtime === "string" && deprecatedRuntimes.includes(fn.runtime))
        report(`the function runs on ${fn.runtime}, which AWS no longer supports`);
    }),
  },
  {
    name: "aws-lambda-tracing",
    description: "Lambda functions send X-Ray traces (tracingConfig.mode Active).",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
      'Set tracingConfig: { mode: "Active" } and let the role write traces (xray:PutTraceSegments, xray:PutTelemetryRecords, which AWS authorizes only on "*").',
    validateResource: validateResourceOfType(aws.lambda.Function, (fn, _args, report) => {
      if (fn.tracingConfig?.mode !== "Active") report("the function sends no X-Ray traces");
    }),
  },
  {
    name: "aws-s3-lifecycle",
    description:
      "Every S3 bucket has an enabled lifecycle rule, and one that aborts incomplete multipart uploads (their parts are stored and billed, unseen).",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
      "Add an aws.s3.BucketLifecycleConfiguration for the bucket with an Enabled rule, including abortIncompleteMultipartUpload.daysAfterInitiation.",
    validateStack: (args, report) => {
      eachBucket(args, (bucket, companions) => {
        const rules = companions(LIFECYCLE_TYPES)
          .flatMap((c) => list(c.props.rules))
          .map(record)
          .filter((r) => r.status === "Enabled");
        if (rules.length === 0) report(`${bucketLabel(bucket)} has no enabled lifecycle rule`, bucket.urn);
        else if (!rules.some((r) => record(r.abortIncompleteMultipartUpload).daysAfterInitiation))
          report(`${bucketLabel(bucket)} never aborts incomplete multipart uploads`, bucket.urn);
      });
    },
  },
  {
    name: "aws-s3-bucket-name-dns",
    description:
      "S3 bucket names are DNS-compliant (3-63 lowercase letters, digits and hyphens, no dots), so that every request can use virtual-hosted TLS.",
    enforcementLevel: "mandatory",
    severity: "low",
    remediationSteps:
      "Rename the bucket: lowercase letters, digits and hyphens, starting and ending with a letter or digit.",
    validateResource: (args, report) => {
      if (!BUCKET_TYPES.includes(args.type)) args.notApplicable("not an S3 bucket");
      const name = args.props.bucket;
      if (typeof name === "string" && !/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name))
        report(`bucket name "${name}" is not DNS-compliant`);
    },
  },
  {
    name: "aws-resource-policy-no-foreign-account",
    description:
      "SQS queue, SNS topic and Secrets Manager policies (in the stack or its templates) grant nothing to a principal of another account.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Grant to principals of the deploying account (pin it with the provider's allowedAccountIds); share across accounts through a role the other account assumes with an sts:ExternalId.",
    validateResource: (args, report) =>
      checkStatements(args, report, ["sqs", "sns", "secretsmanager"], (s, label, doc) => {
        if (s.effect !== "Allow") return undefined;
        const foreign = foreignPrincipals(s, ownAccountsOf(args, doc)).filter((p) => p !== "*");
        return foreign.length > 0
          ? `${label} grants to ${foreign.join(", ")}, outside the deploying account`
          : undefined;
      }),
  },
  {
    name: "aws-secrets-rotation",
    description:
      "Every Secrets Manager secret rotates automatically, at most every configured number of days.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Add an aws.secretsmanager.SecretRotation for the secret with rotationRules.automaticallyAfterDays (or a scheduleExpression) within the limit.",
    configSchema: ROTATION_SCHEMA,
    validateStack: (args, report) => {
      const { maximumDays } = settingsOf<{ maximumDays: number }>(args, ROTATION_SCHEMA);
      const secrets = args.resources.filter((r) => r.type === typeToken(aws.secretsmanager.Secret));
      if (secrets.length === 0) args.notApplicable("no secrets");
      const rotations = args.resources.filter((r) => r.type === typeToken(aws.secretsmanager.SecretRotation));
      eachKnown(secrets, (secret) => {
        const mine = rotations.filter((r) =>
          targetsOf(r, "secretId", secrets, (x) => [x.props.name, x.props.arn, x.name]).includes(secret),
        );
        const label = `secret "${secret.props.name ?? secret.name}"`;
        if (mine.length === 0) return report(`${label} does not rotate`, secret.urn);
        for (const r of mine) {
          const days = record(r.props.rotationRules).automaticallyAfterDays;
          if (typeof days === "number" && days > maximumDays)
            report(`${label} rotates every ${days} days, more than ${maximumDays}`, r.urn);
        }
      });
    },
  },
  {
    name: "aws-lambda-concurrency-limit",
    description:
      "Lambda functions reserve a concurrency limit, so that a burst cannot exhaust the account's pool or the function's downstreams.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set reservedConcurrentExecutions to the most parallel runs the function needs.",
    validateResource: validateResourceOfType(aws.lambda.Function, (fn, _args, report) => {
      if (typeof fn.reservedConcurrentExecutions !== "number" || fn.reservedConcurrentExecutions < 0)
        report("the function has no reserved concurrency limit");
    }),
  },
  {
    name: "aws-lambda-environment-kms",
    description:
      "A Lambda function with environment variables encrypts them with a customer-managed KMS key.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set kmsKeyArn to a customer-managed key the function's role may decrypt with.",
    validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, report) => {
      if (Object.keys(record(fn.environment?.variables)).length === 0)
        args.notApplicable("no environment variables");
      if (!fn.kmsKeyArn)
        report("the function's environment is encrypted with the AWS managed key; set kmsKeyArn");
    }),
  },
  {
    name: "aws-scheduler-kms",
    description:
      "EventBridge Scheduler schedules encrypt their target input with a customer-managed KMS key.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set kmsKeyArn to a customer-managed key.",
    validateResource: validateResourceOfType(aws.scheduler.Schedule, (schedule, _args, report) => {
      if (!schedule.kmsKeyArn) report("the schedule is encrypted with an AWS owned key; set kmsKeyArn");
    }),
  },
  {
    name: "aws-cloudtrail-delivery",
    description:
      "CloudTrail trails also deliver to CloudWatch Logs (for metric filters and alarms) and notify an SNS topic of each log file.",
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps: "Set cloudWatchLogsGroupArn and cloudWatchLogsRoleArn, and snsTopicName.",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
      if (!trail.cloudWatchLogsGroupArn) report("the trail does not deliver to CloudWatch Logs");
      if (!trail.snsTopicName) report("the trail notifies no SNS topic of new log files");
    }),
  },
  {
    name: "aws-iam-role-policies-one-way",
    description:
      "A role whose inlinePolicies or managedPolicyArns the Role resource manages gets no RolePolicy, RolePolicyAttachment or PolicyAttachment besides: the two fight and each update reverts the other.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Manage the role's policies one way: move them into the Role's inlinePolicies/managedPolicyArns, or drop those inputs and keep the separate resources.",
    validateStack: (args, report) => {
      const roles = args.resources.filter((r) => r.type === typeToken(aws.iam.Role));
      if (roles.length === 0) args.notApplicable("no IAM roles");
      const roleNames = (r: PolicyResource) => [r.props.name, r.props.arn, r.name];
      for (const [cls, prop] of [
        [aws.iam.RolePolicy, "role"],
        [aws.iam.RolePolicyAttachment, "role"],
        [aws.iam.PolicyAttachment, "roles"],
      ] as const) {
        const companions = args.resources.filter((r) => r.type === typeToken(cls));
        eachKnown(companions, (c) => {
          const values = prop === "roles" ? list(c.props.roles) : [c.props.role];
          const targets = values.flatMap((v) => targetsOf(c, prop, roles, roleNames, v));
          for (const role of targets) {
            const managed = (["inlinePolicies", "managedPolicyArns"] as const).filter(
              (k) => list(role.props[k]).length > 0,
            );
            if (managed.length > 0)
              report(
                `role "${role.props.name ?? role.name}" also manages ${managed.join(" and ")}; manage its policies one way`,
                c.urn,
              );
          }
        });
      }
    },
  },
];
