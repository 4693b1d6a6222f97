import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { arns } from "./iam";
import { lockDownBucket } from "./private-bucket";
import type { ExportLayout } from "./layout";
import { bucketPolicy, keyPolicy } from "./policies";

/** How long objects live and where they move; every field has a documented default. */
export interface ExportLifecycle {
  /** Days after which export and normalized objects move to `transitionStorageClass`. Default 90. */
  transitionAfterDays?: number;
  /** Cheaper storage class that Athena can still read directly. Default "STANDARD_IA". */
  transitionStorageClass?: "STANDARD_IA" | "INTELLIGENT_TIERING" | "GLACIER_IR";
  /** Days after which replaced (noncurrent) versions are deleted; OVERWRITE_REPORT creates one a refresh. Default 30. */
  noncurrentVersionExpirationDays?: number;
  /** Days after which Athena query results are deleted. Default 7. */
  queryResultExpirationDays?: number;
}

/** Where to send server access logs; omit to keep access logging off. */
export interface AccessLogTarget {
  /** An existing log bucket (never the export bucket itself). */
  bucket: pulumi.Input<string>;
  /** Prefix in the log bucket. */
  prefix: pulumi.Input<string>;
}

export interface ExportBucketArgs {
  /** The tenant's management account, which owns the key and the bucket. */
  accountId: string;
  /** The bucket's region (the tenant region). */
  region: string;
  /** The bucket layout (name and prefixes). */
  layout: ExportLayout;
  /** Log groups that CloudWatch Logs may encrypt with the key (the job's). */
  logGroupArns: string[];
  /** The alarms (ARN pattern) that may publish to a topic encrypted with the key. */
  alarmArns?: string;
  /** Lifecycle settings; defaults apply to every omitted field. */
  lifecycle?: ExportLifecycle;
  /** Server access logging; off when omitted. */
  accessLogs?: AccessLogTarget;
  /** Days a deleted key waits before it is destroyed (7-30). Default 30. */
  keyDeletionWindowDays?: number;
  /** The provider for the tenant's region. */
  provider: aws.Provider;
}

/** Resolved lifecycle settings with their defaults. */
export const DEFAULT_LIFECYCLE: Required<ExportLifecycle> = {
  transitionAfterDays: 90,
  transitionStorageClass: "STANDARD_IA",
  noncurrentVersionExpirationDays: 30,
  queryResultExpirationDays: 7,
};

function resolveLifecycle(given: ExportLifecycle = {}): Required<ExportLifecycle> {
  const lifecycle = { ...DEFAULT_LIFECYCLE, ...given };
  const whole = (field: keyof ExportLifecycle, min: number) => {
    const value = lifecycle[field] as number;
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`lifecycle.${field} is ${value}; use a whole number of days, at least ${min}`);
    }
  };
  // STANDARD_IA refuses transitions younger than 30 days; the others accept 1.
  whole("transitionAfterDays", lifecycle.transitionStorageClass === "STANDARD_IA" ? 30 : 1);
  whole("noncurrentVersionExpirationDays", 1);
  whole("queryResultExpirationDays", 1);
  return lifecycle;
}

/**
 * The bucket that receives the Data Exports and holds normalized data and query results: encrypted
 * with its own customer managed key, private, owner-enforced, versioned, expiring, TLS 1.2 only.
 */
export class ExportBucket extends pulumi.ComponentResource {
  /** The bucket name. */
  readonly bucketName: pulumi.Output<string>;
  /** The bucket ARN. */
  readonly bucketArn: pulumi.Output<string>;
  /** The customer managed key that encrypts the bucket, the secret and the logs. */
  readonly keyArn: pulumi.Output<string>;
  /** The bucket policy; Data Exports must be created after it. */
  readonly policy: aws.s3.BucketPolicy;
  /** Default encryption; deliveries must find it in place. */
  readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;

  constructor(name: string, args: ExportBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:aws:ExportBucket", name, {}, opts);
    const lifecycle = resolveLifecycle(args.lifecycle);
    const deletionWindow = args.keyDeletionWindowDays ?? 30;
    if (!Number.isInteger(deletionWindow) || deletionWindow < 7 || deletionWindow > 30) {
      throw new Error(`keyDeletionWindowDays is ${deletionWindow}; KMS accepts 7 to 30 days`);
    }
    const child = { parent: this, provider: args.provider };
    const { layout } = args;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Costline cost data of bucket ${layout.bucket}`,
        enableKeyRotation: true,
        deletionWindowInDays: deletionWindow,
        policy: JSON.stringify(
          keyPolicy({
            accountId: args.accountId,
            region: args.region,
            logGroupArns: args.logGroupArns,
            alarmArns: args.alarmArns,
          }),
        ),
      },
      child,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${layout.bucket}`, targetKeyId: key.keyId }, child);

    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: layout.bucket, forceDestroy: false }, child);
    const publicAccess = lockDownBucket(name, bucket.bucket, child);
    this.encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.bucket,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
            // One data key a bucket instead of a KMS call an object: cheaper, same protection.
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket: bucket.bucket, rules: lifecycleRules(layout, lifecycle) },
      { ...child, dependsOn: [versioning] },
    );
    if (args.accessLogs) {
      new aws.s3.BucketLogging(
        `${name}-access-logs`,
        { bucket: bucket.bucket, targetBucket: args.accessLogs.bucket, targetPrefix: args.accessLogs.prefix },
        child,
      );
    }
    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.bucket,
        policy: JSON.stringify(
          bucketPolicy({
            accountId: args.accountId,
            bucket: layout.bucket,
            exportsPrefix: layout.exportsPrefix,
          }),
        ),
      },
      // S3 rejects a policy while the public access block is being changed; order them.
      { ...child, dependsOn: [publicAccess] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = pulumi.output(arns.bucket(layout.bucket));
    this.keyArn = key.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn });
  }
}

function lifecycleRules(
  layout: ExportLayout,
  lifecycle: Required<ExportLifecycle>,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const transition = (id: string, prefix: string) => ({
    id,
    status: "Enabled",
    filter: { prefix },
    transitions: [{ days: lifecycle.transitionAfterDays, storageClass: lifecycle.transitionStorageClass }],
  });
  return [
    transition("exports-to-cheaper-storage", layout.exportsPrefix),
    transition("normalized-to-cheaper-storage", layout.normalizedPrefix),
    {
      id: "expire-query-results",
      status: "Enabled",
      filter: { prefix: layout.resultsPrefix },
      expiration: { days: lifecycle.queryResultExpirationDays },
    },
    {
      id: "expire-noncurrent-versions",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: lifecycle.noncurrentVersionExpirationDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    },
  ];
}
