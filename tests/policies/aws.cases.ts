import { type PolicyCase, providerResource, resource } from "./harness";

const BUCKET = "aws:s3/bucket:Bucket";
const json = (doc: unknown) => JSON.stringify(doc);

const bucket = (name = "exports") => resource(BUCKET, name, { bucket: `acme-${name}` });
const sse = (b: ReturnType<typeof bucket>, algorithm: string, key?: string) =>
  resource(
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    `${b.name}-sse`,
    {
      bucket: `${b.name}-0a1b2c3d`,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm, kmsMasterKeyId: key } }],
    },
    { dependsOn: [b] },
  );
const pab = (b: ReturnType<typeof bucket>, on = true) =>
  resource(
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    `${b.name}-pab`,
    {
      bucket: b.inputs.bucket,
      blockPublicAcls: true,
      blockPublicPolicy: on,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    { dependsOn: [b] },
  );
const tlsDeny = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::acme-exports", "arn:aws:s3:::acme-exports/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const exportsWrite = {
  Sid: "DataExportsWrite",
  Effect: "Allow",
  Principal: { Service: "bcm-data-exports.amazonaws.com" },
  Action: ["s3:PutObject", "s3:GetBucketPolicy"],
  Resource: ["arn:aws:s3:::acme-exports", "arn:aws:s3:::acme-exports/*"],
  Condition: { StringLike: { "aws:SourceAccount": "111122223333" } },
};
const bucketPolicy = (b: ReturnType<typeof bucket>, statements: unknown[]) =>
  resource(
    "aws:s3/bucketPolicy:BucketPolicy",
    `${b.name}-policy`,
    { bucket: b.inputs.bucket, policy: json({ Version: "2012-10-17", Statement: statements }) },
    { dependsOn: [b] },
  );
const rolePolicy = (name: string, statements: unknown[]) =>
  resource("aws:iam/rolePolicy:RolePolicy", name, {
    role: "acme-job",
    policy: json({ Version: "2012-10-17", Statement: statements }),
  });
const awsProvider = providerResource("aws", "acme-aws", {
  region: "eu-west-1",
  allowedAccountIds: ["111122223333"],
});
const role = (name: string, trust: unknown) =>
  resource(
    "aws:iam/role:Role",
    name,
    { assumeRolePolicy: json({ Version: "2012-10-17", Statement: [trust] }) },
    { provider: awsProvider },
  );
/** The platform's trust in the connector role, with what a case changes. */
const platformTrust = (more: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::999988887777:role/costline-platform" },
  Action: "sts:AssumeRole",
  ...more,
});
const fn = (name: string, extra: Record<string, unknown> = {}) =>
  resource("aws:lambda/function:Function", name, { name: `acme-${name}`, runtime: "nodejs20.x", ...extra });

const b1 = bucket();
const b2 = bucket();

export const awsCases: PolicyCase[] = [
  {
    policy: "aws-s3-encryption-at-rest",
    what: "a bucket without default encryption",
    compliant: [b1, sse(b1, "aws:kms", "arn:aws:kms:eu-west-1:111122223333:key/k")],
    violating: [b2],
    message: /S3 bucket "acme-exports" has no default encryption configuration/,
  },
  {
    policy: "aws-s3-encryption-at-rest",
    what: "a customer-managed key is required by config",
    config: { "aws-s3-encryption-at-rest": { requireCustomerManagedKey: true } },
    compliant: [b1, sse(b1, "aws:kms", "arn:aws:kms:eu-west-1:111122223333:key/k")],
    violating: [b2, sse(b2, "AES256")],
    message: /must encrypt with a customer-managed KMS key/,
  },
  {
    policy: "aws-s3-block-public-access",
    what: "a public access block with a setting off",
    compliant: [b1, pab(b1)],
    violating: [b2, pab(b2, false)],
    on: "exports-pab",
    message: /public access block leaves blockPublicPolicy off/,
  },
  {
    policy: "aws-s3-block-public-access",
    what: "a bucket without a public access block",
    compliant: [b1, pab(b1)],
    violating: [b2],
    message: /has no public access block/,
  },
  {
    policy: "aws-s3-no-public-principal",
    what: 'a bucket policy granting "*" without a condition',
    compliant: [
      bucketPolicy(b1, [
        exportsWrite,
        tlsDeny,
        {
          ...exportsWrite,
          Principal: "*",
          Sid: "Org",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
        },
      ]),
    ],
    violating: [
      bucketPolicy(b2, [
        {
          Sid: "PublicRead",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::acme-exports/*",
        },
      ]),
    ],
    message: /statement "PublicRead" allows s3:GetObject to any principal/,
  },
  {
    policy: "aws-s3-tls-only",
    what: "a bucket whose policy does not deny plain HTTP",
    compliant: [b1, bucketPolicy(b1, [exportsWrite, tlsDeny])],
    violating: [b2, bucketPolicy(b2, [exportsWrite])],
    message: /has no bucket policy statement denying non-TLS requests/,
  },
  {
    policy: "aws-kms-key-rotation",
    what: "a symmetric key without rotation",
    compliant: [
      resource("aws:kms/key:Key", "cmk", { enableKeyRotation: true }),
      resource("aws:kms/key:Key", "signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
      // The current spelling of the spec; AWS cannot rotate an asymmetric key.
      resource("aws:kms/key:Key", "verify", { keySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" }),
    ],
    violating: [resource("aws:kms/key:Key", "cmk", { description: "exports" })],
    message: /does not rotate; set enableKeyRotation: true/,
  },
  {
    policy: "aws-iam-no-wildcard-actions",
    what: 'an inline policy allowing "s3:*"',
    compliant: [
      rolePolicy("job", [
        {
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:ListBucket"],
          Resource: "arn:aws:s3:::acme-exports/*",
        },
        { Effect: "Deny", Action: "*", Resource: "*" },
      ]),
    ],
    violating: [
      rolePolicy("job", [
        { Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::acme-exports/*" },
      ]),
    ],
    message: /statement "All" allows wildcard action\(s\) s3:\*/,
  },
  {
    policy: "aws-iam-no-wildcard-actions",
    what: "a role's inline policy with Allow + NotAction",
    compliant: [
      resource("aws:iam/role:Role", "job", {
        inlinePolicies: [
          {
            name: "read",
            policy: json({
              Statement: [{ Effect: "Allow", Action: "athena:GetQueryResults", Resource: "*" }],
            }),
          },
        ],
      }),
    ],
    violating: [
      resource("aws:iam/role:Role", "job", {
        inlinePolicies: [
          {
            name: "almost-all",
            policy: json({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }),
          },
        ],
      }),
    ],
    message: /inline policy "almost-all": statement 0 allows everything except iam:\* \(NotAction\)/,
  },
  {
    policy: "aws-iam-no-wildcard-resource-writes",
    what: 'a write action on Resource "*"',
    compliant: [
      rolePolicy("job", [
        { Effect: "Allow", Action: ["ce:GetCostAndUsage", "s3:List*"], Resource: "*" },
        { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::acme-normalized/*" },
      ]),
    ],
    violating: [
      rolePolicy("job", [
        { Sid: "Write", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "*" },
      ]),
    ],
    message: /statement "Write" allows write action\(s\) s3:PutObject on every resource/,
  },
  {
    policy: "aws-iam-no-wildcard-resource-writes",
    what: "an exempt action from config",
    config: { "aws-iam-no-wildcard-resource-writes": { exemptActions: ["xray:PutTraceSegments"] } },
    compliant: [rolePolicy("job", [{ Effect: "Allow", Action: "xray:PutTraceSegments", Resource: "*" }])],
    violating: [
      rolePolicy("job", [
        { Effect: "Allow", Action: ["xray:PutTraceSegments", "logs:PutLogEvents"], Resource: "*" },
      ]),
    ],
    message: /allows write action\(s\) logs:PutLogEvents on every resource/,
  },
  {
    policy: "aws-iam-external-id-for-cross-account-trust",
    what: "another account trusted without sts:ExternalId",
    compliant: [
      awsProvider,
      role("connector", platformTrust({ Condition: { StringEquals: { "sts:ExternalId": "acme-7f3c" } } })),
      role("lambda", {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      }),
      role("local", {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "sts:AssumeRole",
      }),
    ],
    violating: [awsProvider, role("connector", platformTrust({ Sid: "Platform" }))],
    on: "connector",
    message:
      /statement "Platform" lets arn:aws:iam::999988887777:role\/costline-platform assume the role without an sts:ExternalId/,
  },
  {
    policy: "aws-iam-external-id-for-cross-account-trust",
    what: "sts:Assume* with an ExternalId condition that accepts any value (StringLike *)",
    compliant: [
      awsProvider,
      role(
        "connector",
        platformTrust({
          Action: "sts:Assume*",
          Condition: { StringLike: { "sts:ExternalId": "acme-7f3c" } },
        }),
      ),
    ],
    violating: [
      awsProvider,
      role(
        "connector",
        platformTrust({
          Sid: "Platform",
          Action: "sts:Assume*",
          Condition: { StringLike: { "sts:ExternalId": "*" } },
        }),
      ),
    ],
    on: "connector",
    message:
      /statement "Platform" lets .* assume the role with an sts:ExternalId condition that accepts any value/,
  },
  {
    policy: "aws-iam-external-id-for-cross-account-trust",
    what: "an ExternalId that only has to exist (Null false) or to differ (StringNotEquals), or IfExists",
    compliant: [],
    violating: [
      awsProvider,
      ...[
        { Null: { "sts:ExternalId": "false" } },
        { StringNotEquals: { "sts:ExternalId": "guess" } },
        { StringEqualsIfExists: { "sts:ExternalId": "acme-7f3c" } },
      ].map((Condition, i) => role(`connector${i}`, platformTrust({ Sid: "Platform", Condition }))),
    ],
    on: "connector2",
    message: /with an sts:ExternalId condition that accepts any value/,
  },
  {
    policy: "aws-iam-no-admin-policies",
    what: "AdministratorAccess attached to a role",
    compliant: [
      resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "job-basic", {
        role: "acme-job",
        policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      }),
    ],
    violating: [
      resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "job-admin", {
        role: "acme-job",
        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
      }),
    ],
    message: /attaches the managed policy arn:aws:iam::aws:policy\/AdministratorAccess/,
  },
  {
    policy: "aws-lambda-no-plaintext-secrets",
    what: "a password and an access key in the environment",
    compliant: [
      fn("job", {
        environment: {
          variables: {
            SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:tenant-acme-aws-111122223333",
            DB_PASSWORD_NAME: "tenant-acme-aws-111122223333",
            LOG_LEVEL: "info",
          },
        },
      }),
    ],
    violating: [
      fn("job", { environment: { variables: { DB_PASSWORD: "hunter2", CONFIG: "AKIAIOSFODNN7EXAMPLE" } } }),
    ],
    message:
      /DB_PASSWORD \(its name says secret and its value is a literal\); CONFIG \(its value looks like an AWS access key id\)/,
  },
  {
    policy: "aws-lambda-no-plaintext-secrets",
    what: 'a Pulumi secret placed in the environment ("[secret]" in the plan)',
    compliant: [
      fn("job", {
        environment: {
          variables: {
            API_TOKEN_ARN: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x",
            // Settings about credentials, not credentials.
            TOKEN_TTL_SECONDS: "3600",
            MAX_TOKENS: "4096",
            PASSWORD_MIN_LENGTH: "16",
            TOKEN_ENDPOINT: "https://sts.amazonaws.com",
          },
        },
      }),
    ],
    violating: [fn("job", { environment: { variables: { API_TOKEN: "[secret]" } } })],
    message: /API_TOKEN \(it holds a secret value in plain configuration\)/,
  },
  {
    policy: "aws-lambda-dead-letter",
    what: "a function with neither DLQ nor on-failure destination",
    compliant: [
      fn("job", { deadLetterConfig: { targetArn: "arn:aws:sqs:eu-west-1:111122223333:acme-dlq" } }),
      fn("other"),
      resource("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "other-invoke", {
        functionName: "acme-other",
        destinationConfig: { onFailure: { destination: "arn:aws:sqs:eu-west-1:111122223333:acme-dlq" } },
      }),
    ],
    violating: [fn("job")],
    message: /Lambda function "acme-job" has no dead-letter queue or on-failure destination/,
  },
  {
    policy: "aws-lambda-error-alarm",
    what: "a function without an Errors alarm",
    compliant: [
      fn("job"),
      resource("aws:cloudwatch/metricAlarm:MetricAlarm", "job-errors", {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: "acme-job" },
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        evaluationPeriods: 1,
      }),
    ],
    violating: [
      fn("job"),
      resource("aws:cloudwatch/metricAlarm:MetricAlarm", "other-errors", {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: "acme-other" },
      }),
    ],
    message: /Lambda function "acme-job" has no alarm on its Errors metric/,
  },
  {
    policy: "aws-log-retention",
    what: "a log group that keeps logs forever",
    compliant: [resource("aws:cloudwatch/logGroup:LogGroup", "job-logs", { retentionInDays: 90 })],
    violating: [resource("aws:cloudwatch/logGroup:LogGroup", "job-logs", {})],
    message: /keeps logs forever; set retentionInDays/,
  },
  {
    policy: "aws-log-retention",
    what: "retention below the configured minimum",
    config: { "aws-log-retention": { minimumDays: 365 } },
    compliant: [resource("aws:cloudwatch/logGroup:LogGroup", "job-logs", { retentionInDays: 400 })],
    violating: [resource("aws:cloudwatch/logGroup:LogGroup", "job-logs", { retentionInDays: 90 })],
    message: /keeps logs 90 days, less than the minimum of 365/,
  },
  {
    policy: "aws-sqs-encryption",
    what: "a queue with encryption switched off",
    compliant: [
      resource("aws:sqs/queue:Queue", "dlq", { sqsManagedSseEnabled: true }),
      resource("aws:sqs/queue:Queue", "dlq2", { kmsMasterKeyId: "alias/acme" }),
    ],
    violating: [resource("aws:sqs/queue:Queue", "dlq", { sqsManagedSseEnabled: false })],
    message: /turns server-side encryption off/,
  },
  {
    policy: "aws-athena-workgroup-encryption",
    what: "a workgroup without result encryption",
    compliant: [
      resource("aws:athena/workgroup:Workgroup", "wg", {
        configuration: {
          enforceWorkgroupConfiguration: true,
          resultConfiguration: {
            outputLocation: "s3://acme-athena/",
            encryptionConfiguration: {
              encryptionOption: "SSE_KMS",
              kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
            },
          },
        },
      }),
    ],
    violating: [
      resource("aws:athena/workgroup:Workgroup", "wg", {
        configuration: {
          enforceWorkgroupConfiguration: false,
          resultConfiguration: { outputLocation: "s3://acme-athena/" },
        },
      }),
    ],
    message: /does not encrypt query results/,
  },
  {
    policy: "aws-cloudtrail-integrity",
    what: "a trail without log file validation",
    compliant: [
      resource("aws:cloudtrail/trail:Trail", "audit", {
        name: "audit",
        s3BucketName: "acme-audit",
        isMultiRegionTrail: true,
        kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k",
        enableLogFileValidation: true,
      }),
    ],
    violating: [
      resource("aws:cloudtrail/trail:Trail", "audit", {
        name: "audit",
        s3BucketName: "acme-audit",
        isMultiRegionTrail: true,
        kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k",
      }),
    ],
    message: /does not validate its log files/,
  },
  {
    policy: "aws-cloudtrail-integrity",
    what: "a single-region trail without a KMS key",
    compliant: [],
    violating: [
      resource("aws:cloudtrail/trail:Trail", "audit", {
        name: "audit",
        s3BucketName: "acme-audit",
        enableLogFileValidation: true,
      }),
    ],
    message: /records one region only/,
  },
  ...auditTrailCases(),
];

/**
 * A stack with a Data Export of the cost bucket's `exports/cur2` prefix and the tenant secret, and
 * the trail that audits them; each case changes one thing.
 */
function auditTrailCases(): PolicyCase[] {
  const exportOf = () =>
    resource("aws:bcmdata/export:Export", "cur2", {
      export: {
        name: "costline-acme-cur2",
        destinationConfigurations: [
          { s3Destinations: [{ s3Bucket: "acme-costs", s3Prefix: "exports/cur2", s3Region: "eu-west-1" }] },
        ],
      },
    });
  const secret = resource("aws:secretsmanager/secret:Secret", "tenant", { name: "tenant-acme" });
  const management = {
    name: "management",
    fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }],
  };
  const data = (startsWiths: string[], more: Record<string, unknown>[] = []) => ({
    name: "cost data",
    fieldSelectors: [
      { field: "eventCategory", equals: ["Data"] },
      { field: "resources.type", equals: ["AWS::S3::Object"] },
      { field: "resources.ARN", startsWiths },
      ...more,
    ],
  });
  const trail = (props: Record<string, unknown>) =>
    resource("aws:cloudtrail/trail:Trail", "audit", {
      name: "costline-acme-audit",
      s3BucketName: "acme-audit",
      enableLogging: true,
      ...props,
    });
  const lifecycle = (days: number) =>
    resource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "audit-lifecycle", {
      bucket: "acme-audit",
      rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days } }],
    });
  const covered = trail({ advancedEventSelectors: [management, data(["arn:aws:s3:::acme-costs/exports/"])] });
  return [
    {
      policy: "aws-audit-trail",
      what: "a billing export with no trail at all",
      compliant: [exportOf(), secret, covered, lifecycle(400)],
      violating: [exportOf(), secret],
      message: /no logging CloudTrail trail records reads/,
    },
    {
      policy: "aws-audit-trail",
      what: "a trail with logging switched off counts as none",
      compliant: [exportOf(), covered],
      violating: [exportOf(), trail({ enableLogging: false })],
      message: /no logging CloudTrail trail/,
    },
    {
      policy: "aws-audit-trail",
      what: "data events on another prefix than the export's",
      compliant: [
        exportOf(),
        trail({ advancedEventSelectors: [management, data(["arn:aws:s3:::acme-costs/"])] }),
      ],
      violating: [
        exportOf(),
        trail({ advancedEventSelectors: [management, data(["arn:aws:s3:::acme-costs/normalized/"])] }),
      ],
      message: /no trail records object reads and writes under arn:aws:s3:::acme-costs\/exports\/cur2\//,
    },
    {
      policy: "aws-audit-trail",
      what: "data events that leave out reads (readOnly false)",
      compliant: [exportOf(), covered],
      violating: [
        exportOf(),
        trail({
          advancedEventSelectors: [
            management,
            data(["arn:aws:s3:::acme-costs/exports/"], [{ field: "readOnly", equals: ["false"] }]),
          ],
        }),
      ],
      message: /object reads and writes under/,
    },
    {
      policy: "aws-audit-trail",
      what: "management events that exclude Secrets Manager",
      compliant: [secret, trail({})],
      violating: [
        secret,
        trail({
          advancedEventSelectors: [
            {
              name: "management",
              fieldSelectors: [
                { field: "eventCategory", equals: ["Management"] },
                { field: "eventSource", notEquals: ["secretsmanager.amazonaws.com"] },
              ],
            },
          ],
        }),
      ],
      message: /no trail records GetSecretValue/,
      on: "audit",
    },
    {
      policy: "aws-audit-trail",
      what: "basic event selectors: write-only management events",
      compliant: [
        exportOf(),
        trail({
          eventSelectors: [
            {
              readWriteType: "All",
              includeManagementEvents: true,
              dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::acme-costs/"] }],
            },
          ],
        }),
      ],
      violating: [
        exportOf(),
        trail({
          eventSelectors: [
            {
              readWriteType: "WriteOnly",
              includeManagementEvents: true,
              dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::acme-costs/"] }],
            },
          ],
        }),
      ],
      message: /no trail records GetSecretValue \(read management events\)/,
      on: "audit",
    },
    {
      policy: "aws-audit-trail",
      what: "log files kept fewer days than the tenant's retention",
      config: { "aws-audit-trail": { minimumRetentionDays: 400 } },
      compliant: [exportOf(), covered, lifecycle(400)],
      violating: [exportOf(), covered, lifecycle(90)],
      message: /keeps its log files 90 days; keep them at least 400/,
      on: "audit",
    },
  ];
}
