import * as aws from "@pulumi/aws";
import { parse } from "yaml";
import { list, record, typeToken } from "../policy";

/**
 * Where the AWS policies find the documents and grants they judge, by every route a stack has: a
 * Pulumi resource's inputs, or a resource of a CloudFormation template that the stack deploys (a
 * StackSet into member accounts, a Stack into this one), judged like the stack's own.
 */

/** A policy document a resource carries, named for messages. */
export interface NamedDocument {
  where: string;
  doc: unknown;
  /** What holds it, for rules that treat one kind apart (a KMS key policy administers the key). */
  kind: "identity" | "trust" | "s3" | "sqs" | "sns" | "secretsmanager" | "kms";
  /**
   * Set for a document of a CloudFormation template: deployed into accounts the stack does not
   * pin, so no literal account in it counts as the deploying one.
   */
  template?: true;
}

/** One resource of a CloudFormation template. */
interface TemplateResource {
  logicalId: string;
  type: string;
  props: Record<string, unknown>;
}

const TEMPLATE_TYPES = [typeToken(aws.cloudformation.StackSet), typeToken(aws.cloudformation.Stack)];

/**
 * The resources of the template a StackSet or Stack deploys (JSON or YAML). A template the plan
 * cannot see or read has none; the short-form intrinsics of YAML (!Ref) read as plain text.
 */
function templateResources(type: string, props: Record<string, unknown>): TemplateResource[] {
  if (!TEMPLATE_TYPES.includes(type) || typeof props.templateBody !== "string") return [];
  let template: unknown;
  try {
    template = parse(props.templateBody, { logLevel: "silent" });
  } catch {
    return [];
  }
  return Object.entries(record(record(template).Resources)).map(([logicalId, r]) => ({
    logicalId,
    type: String(record(r).Type),
    props: record(record(r).Properties),
  }));
}

const is = (type: string, ...classes: (new (...rest: never[]) => unknown)[]) =>
  classes.some((c) => typeToken(c as never) === type);

/** The documents of one template resource, named by its logical id. */
function templateDocuments(r: TemplateResource): NamedDocument[] {
  const at = `template resource ${r.logicalId}`;
  const inline = (policies: unknown): NamedDocument[] =>
    list(policies).map((p, i) => ({
      where: `${at} policy "${record(p).PolicyName ?? i}"`,
      doc: record(p).PolicyDocument,
      kind: "identity",
    }));
  switch (r.type) {
    case "AWS::IAM::Role":
      return [
        { where: `${at} trust policy`, doc: r.props.AssumeRolePolicyDocument, kind: "trust" },
        ...inline(r.props.Policies),
      ];
    case "AWS::IAM::User":
    case "AWS::IAM::Group":
      return inline(r.props.Policies);
    case "AWS::IAM::Policy":
    case "AWS::IAM::ManagedPolicy":
    case "AWS::IAM::RolePolicy":
    case "AWS::IAM::UserPolicy":
    case "AWS::IAM::GroupPolicy":
      return [{ where: `${at} policy`, doc: r.props.PolicyDocument, kind: "identity" }];
    case "AWS::S3::BucketPolicy":
      return [{ where: `${at} bucket policy`, doc: r.props.PolicyDocument, kind: "s3" }];
    case "AWS::SQS::QueuePolicy":
      return [{ where: `${at} queue policy`, doc: r.props.PolicyDocument, kind: "sqs" }];
    case "AWS::SNS::TopicPolicy":
      return [{ where: `${at} topic policy`, doc: r.props.PolicyDocument, kind: "sns" }];
    case "AWS::SecretsManager::ResourcePolicy":
      return [{ where: `${at} secret policy`, doc: r.props.ResourcePolicy, kind: "secretsmanager" }];
    case "AWS::KMS::Key":
      return [{ where: `${at} key policy`, doc: r.props.KeyPolicy, kind: "kms" }];
    default:
      return [];
  }
}

/** Every policy document a resource carries: identity, trust and resource policies, its template's included. */
export function documentsOf(type: string, props: Record<string, unknown>): NamedDocument[] {
  const own = (where: string, doc: unknown, kind: NamedDocument["kind"]): NamedDocument[] =>
    doc === undefined || doc === null || doc === "" ? [] : [{ where, doc, kind }];
  if (is(type, aws.iam.Role)) {
    return [
      ...own("assumeRolePolicy", props.assumeRolePolicy, "trust"),
      ...list(props.inlinePolicies).flatMap((p, i) =>
        own(`inline policy "${record(p).name ?? i}"`, record(p).policy, "identity"),
      ),
    ];
  }
  if (is(type, aws.iam.RolePolicy, aws.iam.Policy, aws.iam.UserPolicy, aws.iam.GroupPolicy))
    return own("policy", props.policy, "identity");
  if (is(type, aws.s3.BucketPolicy)) return own("bucket policy", props.policy, "s3");
  if (is(type, aws.s3.Bucket, aws.s3.BucketV2)) return own("inline bucket policy", props.policy, "s3");
  if (is(type, aws.sqs.QueuePolicy, aws.sqs.Queue)) return own("queue policy", props.policy, "sqs");
  if (is(type, aws.sns.TopicPolicy, aws.sns.Topic)) return own("topic policy", props.policy, "sns");
  if (is(type, aws.secretsmanager.SecretPolicy, aws.secretsmanager.Secret))
    return own("secret policy", props.policy, "secretsmanager");
  if (is(type, aws.kms.KeyPolicy, aws.kms.Key)) return own("key policy", props.policy, "kms");
  return templateResources(type, props).flatMap((r) =>
    templateDocuments(r).map((d) => ({ ...d, template: true as const })),
  );
}

/** A grant of a Lambda permission: a Pulumi aws.lambda.Permission or a template's AWS::Lambda::Permission. */
export interface LambdaGrant {
  where: string;
  principal: unknown;
  sourceArn: unknown;
  sourceAccount: unknown;
  principalOrgId: unknown;
  functionUrlAuthType: unknown;
}

/** The Lambda permissions a resource grants. */
export function lambdaGrants(type: string, props: Record<string, unknown>): LambdaGrant[] {
  if (is(type, aws.lambda.Permission)) {
    return [
      {
        where: "the permission",
        principal: props.principal,
        sourceArn: props.sourceArn,
        sourceAccount: props.sourceAccount,
        principalOrgId: props.principalOrgId,
        functionUrlAuthType: props.functionUrlAuthType,
      },
    ];
  }
  return templateResources(type, props)
    .filter((r) => r.type === "AWS::Lambda::Permission")
    .map((r) => ({
      where: `template resource ${r.logicalId}`,
      principal: r.props.Principal,
      sourceArn: r.props.SourceArn,
      sourceAccount: r.props.SourceAccount,
      principalOrgId: r.props.PrincipalOrgID,
      functionUrlAuthType: r.props.FunctionUrlAuthType,
    }));
}

/**
 * Every managed policy ARN a resource attaches, by every route: the attachment resources (one
 * policy, or an exclusive list), a role's managedPolicyArns, and a template's ManagedPolicyArns.
 */
export function attachedPolicyArns(type: string, props: Record<string, unknown>): string[] {
  if (
    is(
      type,
      aws.iam.RolePolicyAttachment,
      aws.iam.UserPolicyAttachment,
      aws.iam.GroupPolicyAttachment,
      aws.iam.PolicyAttachment,
    )
  )
    return [props.policyArn].filter((a): a is string => typeof a === "string");
  const arns = is(
    type,
    aws.iam.RolePolicyAttachmentsExclusive,
    aws.iam.UserPolicyAttachmentsExclusive,
    aws.iam.GroupPolicyAttachmentsExclusive,
  )
    ? list(props.policyArns)
    : is(type, aws.iam.Role)
      ? list(props.managedPolicyArns)
      : templateResources(type, props).flatMap((r) =>
          ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"].includes(r.type)
            ? list(r.props.ManagedPolicyArns)
            : [],
        );
  return arns.filter((a): a is string => typeof a === "string");
}

/** The types whose resources can attach managed policies (for notApplicable). */
export const ATTACHING_TYPES = [
  aws.iam.RolePolicyAttachment,
  aws.iam.UserPolicyAttachment,
  aws.iam.GroupPolicyAttachment,
  aws.iam.PolicyAttachment,
  aws.iam.RolePolicyAttachmentsExclusive,
  aws.iam.UserPolicyAttachmentsExclusive,
  aws.iam.GroupPolicyAttachmentsExclusive,
  aws.iam.Role,
]
  .map((c) => typeToken(c as never))
  .concat(TEMPLATE_TYPES);
