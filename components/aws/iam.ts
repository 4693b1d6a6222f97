/**
 * IAM documents as typed plain objects. Components serialize them with JSON.stringify; tests feed
 * the very same objects to an IAM policy simulator, so what is checked is what is deployed.
 */

/** A condition block: operator -> context key -> value(s). */
export type Condition = Record<string, Record<string, string | string[]>>;

/** The principal of a resource-based or trust policy statement. */
export type Principal = "*" | { AWS?: string | string[]; Service?: string | string[] };

/** One policy statement. */
export interface Statement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: Principal;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Condition;
}

/** An IAM policy document (identity, resource or trust policy). */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

export const policyDocument = (...statements: Statement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

/**
 * AWS Data Exports exist only in the commercial partition (they are created in us-east-1), so
 * every ARN we build is an `arn:aws:` ARN; the pipeline refuses other partitions up front.
 */
const PARTITION = "aws";

/** Where an ARN lives: the tenant's management account and region. */
export interface AccountRegion {
  accountId: string;
  region: string;
}

/** ARNs of resources whose names we choose before they exist (so policies need no lookups). */
export const arns = {
  accountRoot: (accountId: string) => `arn:${PARTITION}:iam::${accountId}:root`,
  role: (accountId: string, name: string) => `arn:${PARTITION}:iam::${accountId}:role/${name}`,
  trail: (at: AccountRegion, name: string) =>
    `arn:${PARTITION}:cloudtrail:${at.region}:${at.accountId}:trail/${name}`,
  bucket: (bucket: string) => `arn:${PARTITION}:s3:::${bucket}`,
  /** Every object whose key starts with `prefix` (a folder's ends in "/"). */
  objects: (bucket: string, prefix: string) => `arn:${PARTITION}:s3:::${bucket}/${prefix}*`,
  workgroup: (at: AccountRegion, name: string) =>
    `arn:${PARTITION}:athena:${at.region}:${at.accountId}:workgroup/${name}`,
  glueCatalog: (at: AccountRegion) => `arn:${PARTITION}:glue:${at.region}:${at.accountId}:catalog`,
  glueDatabase: (at: AccountRegion, database: string) =>
    `arn:${PARTITION}:glue:${at.region}:${at.accountId}:database/${database}`,
  glueTable: (at: AccountRegion, database: string, table: string) =>
    `arn:${PARTITION}:glue:${at.region}:${at.accountId}:table/${database}/${table}`,
  logGroup: (at: AccountRegion, name: string) =>
    `arn:${PARTITION}:logs:${at.region}:${at.accountId}:log-group:${name}`,
  /** CloudWatch alarms whose names match `pattern` (which may end in "*"). */
  alarms: (at: AccountRegion, pattern: string) =>
    `arn:${PARTITION}:cloudwatch:${at.region}:${at.accountId}:alarm:${pattern}`,
  topic: (at: AccountRegion, name: string) => `arn:${PARTITION}:sns:${at.region}:${at.accountId}:${name}`,
  /** Any Data Export of the account: exports are always created in us-east-1. */
  dataExports: (accountId: string) => `arn:${PARTITION}:bcm-data-exports:us-east-1:${accountId}:export/*`,
  /** The account's own (primary) billing view, which a CUR 2.0 export must name. */
  primaryBillingView: (accountId: string) => `arn:${PARTITION}:billing::${accountId}:billingview/primary`,
};

/** Throws unless the region is in the commercial partition, where Data Exports exist. */
export function assertCommercialRegion(region: string): void {
  if (/^(us-gov-|cn-|us-iso)/.test(region)) {
    throw new Error(
      `aws.region "${region}" is outside the commercial AWS partition, where AWS Data Exports do not exist; choose a commercial region such as "eu-west-1"`,
    );
  }
}
