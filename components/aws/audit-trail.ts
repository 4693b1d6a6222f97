import * as cloudtrail from "@pulumi/aws/cloudtrail";
import * as kms from "@pulumi/aws/kms";
import type { Provider } from "@pulumi/aws/provider";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { type AccountRegion, arns } from "./iam";
import { lockDownBucket } from "./private-bucket";
import { type AuditTrailPolicyInput, auditTrailBucketPolicy, auditTrailKeyPolicy } from "./policies";

export interface AuditTrailArgs extends AccountRegion {
  /** The trail's name. */
  trailName: string;
  /** The bucket that keeps the trail's log files (its own, never the export bucket). */
  bucket: string;
  /** Objects whose reads and writes are recorded as S3 data events: bucket and prefixes ending in "/". */
  dataEventObjects: { bucket: string; prefixes: string[] };
  /** Roles the stack creates that read the audited data; they may not touch the trail's key or bucket. */
  deniedRoleArns: string[];
  /** Days log files are kept before they expire (the tenant's `audit.retentionDays`). */
  retentionDays: number;
  /** The provider for the tenant's region. */
  provider: Provider;
}

/**
 * The tenant account's own audit trail: every management event (so Secrets Manager GetSecretValue
 * and sts:AssumeRole of the connector role) in every region, and S3 data events on the export and
 * normalized prefixes, delivered with log file validation to a versioned bucket encrypted with the
 * trail's own key. The job and connector roles are explicitly denied any change to key or bucket.
 */
export class AuditTrail extends pulumi.ComponentResource {
  /** The trail's ARN. */
  readonly trailArn: pulumi.Output<string>;
  /** The bucket that keeps the log files. */
  readonly bucketName: pulumi.Output<string>;
  /** The key that encrypts the log files. */
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:aws:AuditTrail", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const policyInput: AuditTrailPolicyInput = {
      accountId: args.accountId,
      region: args.region,
      trailName: args.trailName,
      bucket: args.bucket,
      deniedRoleArns: args.deniedRoleArns,
    };

    const key = new kms.Key(
      `${name}-key`,
      {
        description: `Costline audit trail ${args.trailName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify(auditTrailKeyPolicy(policyInput)),
      },
      child,
    );
    const bucket = new s3.Bucket(`${name}-bucket`, { bucket: args.bucket, forceDestroy: false }, child);
    const publicAccess = lockDownBucket(name, bucket.bucket, child);
    const encryption = new s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.bucket,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn } }],
      },
      child,
    );
    // Versioning keeps an overwritten or deleted log file recoverable until it expires.
    const versioning = new s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    new s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.bucket,
        rules: [
          {
            id: "expire-audit-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: args.retentionDays },
            // CloudTrail writes small objects in one part; a part left behind is never a log file.
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { ...child, dependsOn: [versioning] },
    );
    const policy = new s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.bucket, policy: JSON.stringify(auditTrailBucketPolicy(policyInput)) },
      { ...child, dependsOn: [publicAccess] },
    );

    const { dataEventObjects: objects } = args;
    const trail = new cloudtrail.Trail(
      `${name}-trail`,
      {
        name: args.trailName,
        s3BucketName: bucket.bucket,
        kmsKeyId: key.arn,
        enableLogFileValidation: true,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogging: true,
        advancedEventSelectors: [
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
                startsWiths: objects.prefixes.map((p) => `${arns.bucket(objects.bucket)}/${p}`),
              },
            ],
          },
        ],
      },
      // CloudTrail checks at creation that it may write to the bucket and use the key.
      { ...child, dependsOn: [policy, encryption, key] },
    );

    this.trailArn = trail.arn;
    this.bucketName = bucket.bucket;
    this.keyArn = key.arn;
    this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucketName, keyArn: this.keyArn });
  }
}
