import {
  type CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  type Trail,
} from "@aws-sdk/client-cloudtrail";
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  type LifecycleRule,
  type S3Client,
} from "@aws-sdk/client-s3";
import { arns } from "../../../components/aws/iam";
import { auditTrailNames, exportLayout } from "../../../components/aws/layout";
import type { TenantConfig } from "../../../components/tenant/config";
import { recordsManagementEvents, recordsObjectEvents } from "./aws-event-selectors";
import type { AuditCheck } from "./types";

/** What a call answered: its output, or that it was denied or the thing is absent. */
type Answer<T> = { value: T } | { error: "denied" | "absent"; name: string; message: string };

const DENIED = new Set(["AccessDenied", "AccessDeniedException"]);
const ABSENT = new Set(["TrailNotFoundException", "NoSuchLifecycleConfiguration", "NoSuchBucket"]);

async function ask<T>(call: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { value: await call() };
  } catch (e) {
    const { name, message } = e as Error;
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // Anything else (throttling, the network) says nothing about the trail: verify stops on it.
    if (!DENIED.has(name) && status !== 403 && !ABSENT.has(name)) throw e;
    return {
      error: DENIED.has(name) || status === 403 ? "denied" : "absent",
      name,
      message: `${name}: ${message}`,
    };
  }
}

const check = (setting: string, ok: boolean, found: string, fix: string): AuditCheck => ({
  setting,
  ok,
  found,
  fix,
});

/** Whether a rule applies to every object of the bucket (no prefix, tag or size filter). */
const wholeBucket = (r: LifecycleRule) =>
  !r.Prefix &&
  (!r.Filter ||
    (!r.Filter.Prefix &&
      !r.Filter.Tag &&
      !r.Filter.And &&
      r.Filter.ObjectSizeGreaterThan === undefined &&
      r.Filter.ObjectSizeLessThan === undefined));

const inDays = (n: number | undefined) => (n === undefined ? "none" : `${n} days`);
const describeRule = (r: LifecycleRule) =>
  `rule ${r.ID ?? "(unnamed)"} ${r.Status}${wholeBucket(r) ? "" : " (part of the bucket)"}: expiration ${inDays(r.Expiration?.Days)}, noncurrent versions ${inDays(r.NoncurrentVersionExpiration?.NoncurrentDays)}`;

/**
 * Reads the tenant's audit trail back from CloudTrail and S3: the stack's own trail, or the
 * organization trail the tenant names (verified rather than assumed), and the bucket keeping its
 * log files. A denied read fails its check and names the permission the caller lacks; only an
 * organization trail's bucket in another account is reported as not checked.
 */
export async function awsAuditChecks(
  clients: { cloudtrail: CloudTrailClient; s3: S3Client },
  tenant: TenantConfig,
  caller: string,
): Promise<{ audit: AuditCheck[]; notChecked: string[] }> {
  const cfg = tenant.aws;
  if (!cfg) throw new Error("the tenant has no aws section; nothing to verify for --cloud aws");
  const own = auditTrailNames(tenant.tenantId, cfg.managementAccountId, cfg.region);
  const layout = exportLayout(tenant.tenantId, cfg.managementAccountId, cfg.region);
  const organization = cfg.organizationTrailName;
  const name = organization ?? own.trail;
  const days = tenant.audit.retentionDays;
  const trailLabel = `${organization ? "organization trail" : "trail"} ${name}`;
  /** Where the fix goes: the stack for its own trail, the organization's trail otherwise. */
  const fix = (stackProperty: string, organizationFix: string) =>
    organization
      ? `${organizationFix} (the organization's trail: the stack does not manage it)`
      : `run pulumi up for this tenant (components/aws/audit-trail.ts sets ${stackProperty})`;
  const grant = (permission: string, resource: string) =>
    `grant ${caller} ${permission} on ${resource}, then verify again`;
  const audit: AuditCheck[] = [];
  const notChecked: string[] = [];

  const trail = await ask(() => clients.cloudtrail.send(new GetTrailCommand({ Name: name })));
  let bucket: string | undefined = organization ? undefined : own.bucket;
  const create = organization
    ? "name the organization trail that records this account in aws.organizationTrailName, or remove it so the stack creates its own trail"
    : "run pulumi up for this tenant (the stack creates the trail)";
  if ("error" in trail) {
    audit.push(
      check(
        `${trailLabel} exists`,
        false,
        trail.error === "absent" ? `no trail named ${name} (${trail.message})` : trail.message,
        trail.error === "denied" ? grant("cloudtrail:GetTrail", `trail ${name}`) : create,
      ),
    );
  } else {
    const t: Trail = trail.value.Trail ?? {};
    bucket = t.S3BucketName ?? bucket;
    audit.push(
      check(
        `${trailLabel} exists`,
        true,
        `home region ${t.HomeRegion ?? "unknown"}, log files to s3://${t.S3BucketName ?? "(none)"}`,
        create,
      ),
      check(
        `${trailLabel} records events of every region`,
        t.IsMultiRegionTrail === true,
        `IsMultiRegionTrail ${t.IsMultiRegionTrail ?? false}`,
        fix("isMultiRegionTrail", `aws cloudtrail update-trail --name ${name} --is-multi-region-trail`),
      ),
      check(
        `${trailLabel} validates its log files`,
        t.LogFileValidationEnabled === true,
        `LogFileValidationEnabled ${t.LogFileValidationEnabled ?? false}`,
        fix(
          "enableLogFileValidation",
          `aws cloudtrail update-trail --name ${name} --enable-log-file-validation`,
        ),
      ),
      check(
        `${trailLabel} encrypts its log files with a KMS key`,
        Boolean(t.KmsKeyId),
        t.KmsKeyId ? `KmsKeyId ${t.KmsKeyId}` : "no KmsKeyId (S3-managed encryption only)",
        fix("kmsKeyId", `aws cloudtrail update-trail --name ${name} --kms-key-id KEY`),
      ),
    );

    const status = await ask(() => clients.cloudtrail.send(new GetTrailStatusCommand({ Name: name })));
    audit.push(
      "error" in status
        ? check(
            `${trailLabel} is logging`,
            false,
            status.message,
            grant("cloudtrail:GetTrailStatus", `trail ${name}`),
          )
        : check(
            `${trailLabel} is logging`,
            status.value.IsLogging === true,
            status.value.IsLogging
              ? "IsLogging true"
              : `IsLogging false${status.value.StopLoggingTime ? ` since ${status.value.StopLoggingTime.toISOString()}` : ""}`,
            fix("enableLogging", `aws cloudtrail start-logging --name ${name}`),
          ),
    );

    const selectors = await ask(() =>
      clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: name })),
    );
    if ("error" in selectors) {
      audit.push(
        check(
          `${trailLabel} records management events and S3 data events on the cost data`,
          false,
          selectors.message,
          grant("cloudtrail:GetEventSelectors", `trail ${name}`),
        ),
      );
    } else {
      const form = selectors.value.AdvancedEventSelectors?.length
        ? "advanced event selectors"
        : "event selectors";
      const management = recordsManagementEvents(selectors.value);
      audit.push(
        check(
          `${trailLabel} records every management event (secret reads, role assumptions)`,
          management,
          management ? `included by its ${form}` : `its ${form} leave out some or all management events`,
          fix(
            "advancedEventSelectors",
            `aws cloudtrail put-event-selectors --trail-name ${name} with a selector of eventCategory Management and no other field`,
          ),
        ),
      );
      for (const prefix of [layout.exportsPrefix, layout.normalizedPrefix]) {
        const prefixArn = `${arns.bucket(layout.bucket)}/${prefix}`;
        const recorded = recordsObjectEvents(selectors.value, prefixArn);
        audit.push(
          check(
            `${trailLabel} records S3 data events on s3://${layout.bucket}/${prefix}`,
            recorded,
            recorded ? `covered by its ${form}` : `no selector of its ${form} covers ${prefixArn}`,
            fix(
              "advancedEventSelectors",
              `aws cloudtrail put-event-selectors --trail-name ${name} with a Data selector on resources.type AWS::S3::Object whose resources.ARN StartsWith ${prefixArn}`,
            ),
          ),
        );
      }
    }
  }

  if (bucket) {
    const where = `arn:aws:s3:::${bucket}`;
    /** An organization trail's bucket usually lives in the log archive account: say so instead of failing. */
    const unreadable = (setting: string, answer: { error: string; message: string }, permission: string) => {
      if (organization && answer.error === "denied") {
        notChecked.push(`${setting}: the bucket is in another account (${answer.message}); check it there`);
      } else {
        audit.push(
          check(
            setting,
            false,
            answer.message,
            answer.error === "denied"
              ? grant(permission, where)
              : fix("the bucket", `create bucket ${bucket}`),
          ),
        );
      }
    };
    const expiring = `bucket ${bucket} expires log files after ${days} days (current and noncurrent versions)`;
    const lifecycle = await ask(() =>
      clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })),
    );
    if ("error" in lifecycle && lifecycle.name !== "NoSuchLifecycleConfiguration") {
      unreadable(expiring, lifecycle, "s3:GetLifecycleConfiguration");
    } else {
      const rules = "error" in lifecycle ? [] : (lifecycle.value.Rules ?? []);
      const ok = rules.some(
        (r) =>
          r.Status === "Enabled" &&
          wholeBucket(r) &&
          r.Expiration?.Days === days &&
          r.NoncurrentVersionExpiration?.NoncurrentDays === days,
      );
      audit.push(
        check(
          expiring,
          ok,
          rules.length
            ? rules.map(describeRule).join("; ")
            : "no lifecycle rules: log files are kept forever",
          fix(
            "the lifecycle expiration from audit.retentionDays",
            `set a lifecycle rule on bucket ${bucket} expiring current and noncurrent versions after ${days} days, or set audit.retentionDays to what it keeps`,
          ),
        ),
      );
    }
    const versioned = `bucket ${bucket} keeps versions of its log files`;
    const versioning = await ask(() => clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket })));
    if ("error" in versioning) {
      unreadable(versioned, versioning, "s3:GetBucketVersioning");
    } else {
      audit.push(
        check(
          versioned,
          versioning.value.Status === "Enabled",
          `versioning ${versioning.value.Status ?? "never enabled"}`,
          fix(
            "versioning Enabled",
            `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`,
          ),
        ),
      );
    }
  }
  return { audit, notChecked };
}
