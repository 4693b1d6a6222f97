import { gunzipSync } from "node:zlib";
import {
  type CloudTrailClient,
  type LookupAttribute,
  LookupEventsCommand,
  type LookupEventsCommandOutput,
} from "@aws-sdk/client-cloudtrail";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { arns } from "../../components/aws/iam";
import { auditTrailNames, connectorRoleName, exportLayout, jobRoleName } from "../../components/aws/layout";
import { DATA_EXPORTS_SERVICE } from "../../components/aws/policies";
import { tenantSecretPath } from "../../components/core/secrets";
import type { AwsConfig, TenantConfig } from "../../components/tenant/config";
import {
  AuditAccessDenied,
  type AuditRead,
  type AuditReport,
  type AuditWindow,
  summarize,
  type Verdict,
} from "./types";

export interface AwsAuditClients {
  /** CloudTrail of a region: LookupEvents is regional, and STS's global endpoint records in us-east-1. */
  cloudTrail(region: string): CloudTrailClient;
  /** S3 in the tenant's region, where the trail bucket is. */
  s3: S3Client;
  /** Waits between LookupEvents calls; injected so tests need not. */
  sleep?: (ms: number) => Promise<void>;
}

/** LookupEvents allows 2 requests a second per account and region: one every 500 ms stays under it. */
const LOOKUP_INTERVAL_MS = 500;
const THROTTLE_RETRIES = 5;

/** The S3 data events on the export bucket the trail records and the audit reports. */
const S3_OBJECT_EVENTS = new Set(["GetObject", "PutObject", "DeleteObject", "DeleteObjects", "CopyObject"]);

/** A CloudTrail record, as LookupEvents' CloudTrailEvent and the trail's log files hold it. */
interface TrailRecord {
  eventTime: string;
  eventSource: string;
  eventName: string;
  errorCode?: string;
  userIdentity?: {
    type?: string;
    arn?: string;
    accountId?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { arn?: string } };
  };
  requestParameters?: Record<string, unknown> | null;
}

/**
 * Who read the tenant's AWS secret and billing data in the window: management events through
 * LookupEvents (the secret's GetSecretValue and DescribeSecret, AssumeRole of the connector and
 * job roles), S3 data events on the export bucket from the stack's own trail's log files.
 */
export async function auditAws(
  clients: AwsAuditClients,
  tenant: TenantConfig,
  window: AuditWindow,
): Promise<AuditReport> {
  const aws = tenant.aws;
  if (!aws) throw new Error(`tenant ${tenant.tenantId} has no aws section`);
  const { tenantId } = tenant;
  const account = aws.managementAccountId;
  const secret = tenantSecretPath(tenantId, "aws", account);
  const roles = [connectorRoleName(tenantId), jobRoleName(tenantId)].map((r) => arns.role(account, r));
  const lookup = pacedLookup(clients, window);
  const regions = [...new Set([aws.region, "us-east-1"])];

  const reads: AuditRead[] = [];
  for (const eventName of ["GetSecretValue", "DescribeSecret"]) {
    for (const r of await lookup(aws.region, { AttributeKey: "EventName", AttributeValue: eventName })) {
      if (namesSecret(r.requestParameters?.secretId, secret)) reads.push(readOf(r, secret));
    }
  }
  for (const region of regions) {
    for (const role of roles) {
      for (const r of await lookup(region, { AttributeKey: "ResourceName", AttributeValue: role })) {
        if (r.eventName === "AssumeRole" && r.requestParameters?.roleArn === role)
          reads.push(readOf(r, role));
      }
    }
  }
  const sources = [
    `CloudTrail LookupEvents (management events) in ${regions.join(" and ")}: ${secret} GetSecretValue and DescribeSecret, AssumeRole of ${roles.join(", ")}`,
  ];
  const notRead: string[] = [];
  const layout = exportLayout(tenantId, account, aws.region);
  if (aws.organizationTrailName) {
    notRead.push(
      `S3 data events on s3://${layout.bucket}: the tenant names the organization trail ${aws.organizationTrailName}, whose log files are in the organization's trail bucket (AWSLogs/<organization id>/${account}/CloudTrail/${aws.region}/), not read by this command`,
    );
  } else {
    const trailBucket = auditTrailNames(tenantId, account, aws.region).bucket;
    for (const r of await trailLogRecords(clients.s3, trailBucket, account, aws.region, window)) {
      const bucket = r.requestParameters?.bucketName;
      if (
        r.eventSource === "s3.amazonaws.com" &&
        S3_OBJECT_EVENTS.has(r.eventName) &&
        bucket === layout.bucket
      ) {
        const key = String(r.requestParameters?.key ?? "");
        // By top-level prefix (exports/, normalized/), not object by object; DeleteObjects names no key.
        const top = key.includes("/") ? `${key.split("/")[0]}/` : key;
        reads.push(readOf(r, `s3://${bucket}/${top}`));
      }
    }
    sources.push(`S3 data events on s3://${layout.bucket} from the trail's log files in s3://${trailBucket}`);
  }
  return {
    tenantId,
    cloud: "aws",
    window: { since: window.since.toISOString(), until: window.until.toISOString(), days: window.days },
    sources,
    notRead,
    entries: summarize(
      reads.filter((r) => r.first >= window.since.toISOString() && r.first <= window.until.toISOString()),
      awsJudge(aws, tenantId, layout.exportsPrefix, layout.bucket),
    ),
  };
}

/** Secrets Manager takes a secret's name or ARN (`...:secret:NAME-XXXXXX`, six random characters). */
const namesSecret = (secretId: unknown, name: string) =>
  typeof secretId === "string" &&
  (secretId === name || new RegExp(`:secret:${name}(-[A-Za-z0-9]{6})?$`).test(secretId));

/** The stable identity of a caller: a role rather than its sessions, a service by its name. */
function principalOf(r: TrailRecord): string {
  const id = r.userIdentity ?? {};
  if (id.type === "AssumedRole" && id.sessionContext?.sessionIssuer?.arn)
    return id.sessionContext.sessionIssuer.arn;
  if (id.type === "AWSService" && id.invokedBy) return id.invokedBy;
  if (id.arn) return id.arn;
  // A caller in another account is recorded by its account alone.
  if (id.accountId) return `account ${id.accountId}`;
  return id.invokedBy ?? id.type ?? "unknown";
}

const readOf = (r: TrailRecord, resource: string): AuditRead => ({
  principal: principalOf(r),
  action: r.errorCode ? `${r.eventName} (denied: ${r.errorCode})` : r.eventName,
  resource,
  first: new Date(r.eventTime).toISOString(),
  last: new Date(r.eventTime).toISOString(),
  count: 1,
});

/** Who the AWS stack lets read: the job's role, the platform (itself, or through the connector role it alone assumes), Lambda starting the job, Data Exports delivering. */
function awsJudge(aws: AwsConfig, tenantId: string, exportsPrefix: string, bucket: string) {
  const account = aws.managementAccountId;
  const jobRole = arns.role(account, jobRoleName(tenantId));
  const connectorRole = arns.role(account, connectorRoleName(tenantId));
  const platform = aws.platformPrincipalArn;
  const platformAccount = platform.split(":")[4];
  return (read: AuditRead): Verdict => {
    const p = read.principal;
    if (p === jobRole) return { expected: true, why: "the job's role" };
    if (p === connectorRole)
      return { expected: true, why: "the connector role, which only the platform assumes" };
    if (p === platform) return { expected: true, why: "the platform identity" };
    if (platform.endsWith(":root") && p.split(":")[4] === platformAccount)
      return { expected: true, why: "the platform account" };
    if (
      p === `account ${platformAccount}` &&
      read.action.startsWith("AssumeRole") &&
      read.resource === connectorRole
    )
      return {
        expected: true,
        why: "the platform account assuming the connector role (the event names no role)",
      };
    if (p === "lambda.amazonaws.com" && read.resource === jobRole)
      return { expected: true, why: "Lambda, starting the job" };
    if (p === DATA_EXPORTS_SERVICE && read.resource === `s3://${bucket}/${exportsPrefix}`)
      return { expected: true, why: "AWS Data Exports, delivering the exports" };
    return { expected: false, why: "not the job or the platform identity" };
  };
}

/** LookupEvents of one attribute in the window, every page, paced under its rate limit and retried when throttled. */
function pacedLookup(clients: AwsAuditClients, window: AuditWindow) {
  const sleep = clients.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let calls = 0;
  const send = async (region: string, input: LookupEventsCommand["input"]) => {
    for (let attempt = 0; ; attempt++) {
      if (calls++ > 0) await sleep(LOOKUP_INTERVAL_MS * 2 ** attempt);
      try {
        return (await clients
          .cloudTrail(region)
          .send(new LookupEventsCommand(input))) as LookupEventsCommandOutput;
      } catch (e) {
        if (isThrottled(e) && attempt < THROTTLE_RETRIES) continue;
        throw asDenied(e, `CloudTrail events in ${region}`, "cloudtrail:LookupEvents");
      }
    }
  };
  return async (region: string, attribute: LookupAttribute): Promise<TrailRecord[]> => {
    const records: TrailRecord[] = [];
    let NextToken: string | undefined;
    do {
      const page = await send(region, {
        LookupAttributes: [attribute],
        StartTime: window.since,
        EndTime: window.until,
        MaxResults: 50,
        NextToken,
      });
      for (const event of page.Events ?? []) {
        if (event.CloudTrailEvent) records.push(JSON.parse(event.CloudTrailEvent) as TrailRecord);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return records;
  };
}

/** Every record of the trail's log files for the tenant's region, one day folder at a time. */
async function trailLogRecords(
  s3: S3Client,
  bucket: string,
  account: string,
  region: string,
  window: AuditWindow,
): Promise<TrailRecord[]> {
  const records: TrailRecord[] = [];
  const where = `the audit trail's log files in s3://${bucket}`;
  const read = async <T>(call: () => Promise<T>, permission: string) => {
    try {
      return await call();
    } catch (e) {
      throw asDenied(e, where, permission);
    }
  };
  for (const day of daysOf(window)) {
    const Prefix = `AWSLogs/${account}/CloudTrail/${region}/${day}/`;
    let ContinuationToken: string | undefined;
    do {
      const page = await read(
        () => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix, ContinuationToken })),
        `s3:ListBucket on arn:aws:s3:::${bucket}`,
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key?.endsWith(".json.gz")) continue;
        const key = object.Key;
        const body = await read(
          async () =>
            (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToByteArray(),
          `s3:GetObject on arn:aws:s3:::${bucket}/* and kms:Decrypt on the trail's key`,
        );
        if (body)
          records.push(
            ...(JSON.parse(gunzipSync(body).toString("utf8")) as { Records: TrailRecord[] }).Records,
          );
      }
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
  }
  return records;
}

/** The trail's day folders (`YYYY/MM/DD`, UTC) the window touches. */
function daysOf(window: AuditWindow): string[] {
  const days: string[] = [];
  const day = new Date(window.since.toISOString().slice(0, 10));
  for (; day <= window.until; day.setUTCDate(day.getUTCDate() + 1)) {
    days.push(day.toISOString().slice(0, 10).replaceAll("-", "/"));
  }
  return days;
}

const isThrottled = (e: unknown) =>
  ["ThrottlingException", "TooManyRequestsException"].includes((e as Error).name ?? "");

/** An AWS refusal as AuditAccessDenied naming the permission; any other error as it is. */
function asDenied(e: unknown, what: string, permission: string): unknown {
  const err = e as Error & { $metadata?: { httpStatusCode?: number } };
  const denied =
    /AccessDenied|Unauthorized|Forbidden/i.test(err.name ?? "") || err.$metadata?.httpStatusCode === 403;
  if (denied) return new AuditAccessDenied(what, permission);
  if (err.name === "NoSuchBucket") {
    return new Error(
      `${what}: the bucket does not exist; deploy the tenant's stack (it creates the trail), then run again`,
    );
  }
  return e;
}
