/** A rule a string input must follow, with the fix to show when it does not. */
export interface InputRule {
  pattern: RegExp;
  /** What a valid value looks like, e.g. 'an IAM role ARN such as "arn:aws:iam::123456789012:role/x"'. */
  expected: string;
}

/**
 * The rules of string inputs, declared once: TenantConfig validates a tenant's values with them
 * (so a tenant that validates always plans), and the components check the values they are given
 * with the same rules (`components/kubernetes/checks.ts`), computed ones included.
 */
export const rules = {
  awsRoleArn: {
    pattern: /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]{1,512}$/,
    expected: 'an IAM role ARN such as "arn:aws:iam::123456789012:role/costline-job"',
  },
  awsRegion: { pattern: /^[a-z]{2}(-[a-z]+)+-[0-9]$/, expected: 'an AWS region such as "eu-west-1"' },
  s3Bucket: {
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    expected: "an S3 bucket name: 3-63 characters of a-z, 0-9, '.' and '-'",
  },
  gcsBucket: {
    // Cloud Storage: 3-63 characters, or up to 222 with dots, each dot-separated part at most 63.
    pattern: /^(?=.{3,222}$)[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?)*$/,
    expected:
      "a Cloud Storage bucket name: 3-63 characters of a-z, 0-9, '_' and '-' (up to 222 with '.', each part at most 63)",
  },
  gcpServiceAccountEmail: {
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/,
    expected: 'a GCP service account email such as "costline-job@my-project.iam.gserviceaccount.com"',
  },
  azureBlobAccountUrl: {
    pattern: /^https:\/\/[a-z0-9]{3,24}\.blob\.core\.[a-z0-9.]+[a-z]$/,
    expected: 'the storage account\'s blob endpoint such as "https://acmecost.blob.core.windows.net"',
  },
  azureContainer: {
    pattern: /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    expected: "a blob container name: 3-63 characters of a-z, 0-9 and single '-'",
  },
  guid: {
    pattern: /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/,
    expected: 'a GUID like "00000000-0000-0000-0000-000000000000"',
  },
  objectPrefix: {
    pattern: /^([A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*)?$/,
    expected:
      'a key prefix such as "costline/kubernetes" (segments of A-Z, a-z, 0-9, . _ -, no leading or trailing "/")',
  },
  awsAccountId: { pattern: /^[0-9]{12}$/, expected: 'a 12-digit AWS account id such as "123456789012"' },
  athenaName: {
    pattern: /^[a-z0-9_]{1,255}$/,
    expected: "a Glue database or table name: lowercase letters, digits and '_'",
  },
  athenaWorkgroup: {
    pattern: /^[A-Za-z0-9._-]{1,128}$/,
    expected: "an Athena workgroup name: 1-128 characters of A-Z, a-z, 0-9, '.', '_' and '-'",
  },
  gcpProjectId: {
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    expected: "a GCP project id: 6-30 characters of a-z, 0-9 and '-', starting with a letter",
  },
  bigqueryName: {
    pattern: /^[A-Za-z0-9_]{1,1024}$/,
    expected: "a BigQuery dataset or table name: letters, digits and '_'",
  },
  dnsLabel: {
    pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    expected: "a Kubernetes name: 1-63 characters of a-z, 0-9 and '-', alphanumeric at both ends",
  },
  containerImage: {
    // A tag other than "latest", or a digest: a CronJob must run the same code every night.
    pattern:
      /^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+(:(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/,
    expected:
      'an image with a registry and a pinned tag or digest, e.g. "ghcr.io/acme/costline-job:1.4.0" (not ":latest", not untagged)',
  },
  cidr: {
    pattern:
      /^(((25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]{1,2})\/(3[0-2]|[12]?[0-9])|[0-9a-fA-F:]*:[0-9a-fA-F:]*\/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))$/,
    expected: 'an IPv4 or IPv6 range in CIDR form such as "52.218.0.0/17" or "2600:1f00::/24"',
  },
} satisfies Record<string, InputRule>;
