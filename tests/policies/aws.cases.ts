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

const doc = (...statements: unknown[]) => json({ Version: "2012-10-17", Statement: statements });
/** A StackSet deploying a CloudFormation template with these resources. */
const stackSet = (name: string, resources: Record<string, unknown>) =>
  resource("aws:cloudformation/stackSet:StackSet", name, {
    name,
    templateBody: json({ AWSTemplateFormatVersion: "2010-09-09", Resources: resources }),
  });
const attachment = (name: string, policyArn: string) =>
  resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: "acme-job", policyArn });
const keyWith = (name: string, ...statements: unknown[]) =>
  resource(
    "aws:kms/key:Key",
    name,
    { enableKeyRotation: true, policy: doc(...statements) },
    { provider: awsProvider },
  );
const ownRootAdministers = {
  Sid: "AccountAdministersKey",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:root" },
  Action: "kms:*",
  Resource: "*",
};
const anyoneIn = (Condition: unknown) => ({
  Sid: "Anyone",
  Effect: "Allow",
  Principal: "*",
  Action: "sqs:SendMessage",
  Resource: "arn:aws:sqs:eu-west-1:111122223333:acme-dlq",
  Condition,
});
const queuePolicy = (name: string, ...statements: unknown[]) =>
  resource("aws:sqs/queuePolicy:QueuePolicy", name, {
    queueUrl: "https://sqs/acme-dlq",
    policy: doc(...statements),
  });
const githubTrust = (Condition?: unknown) => ({
  Sid: "GitHubDeploys",
  Effect: "Allow",
  Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
  Action: "sts:AssumeRoleWithWebIdentity",
  ...(Condition ? { Condition } : {}),
});
const alarm = (name: string, extra: Record<string, unknown>) =>
  resource("aws:cloudwatch/metricAlarm:MetricAlarm", name, {
    namespace: "AWS/Lambda",
    metricName: "Errors",
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    evaluationPeriods: 1,
    ...extra,
  });
const versioning = (b: ReturnType<typeof bucket>, status: string) =>
  resource(
    "aws:s3/bucketVersioning:BucketVersioning",
    `${b.name}-versioning`,
    { bucket: b.inputs.bucket, versioningConfiguration: { status } },
    { dependsOn: [b] },
  );
const dataEventTrail = (startsWiths: string[]) =>
  resource("aws:cloudtrail/trail:Trail", "audit", {
    name: "audit",
    s3BucketName: "acme-audit",
    enableLogging: true,
    advancedEventSelectors: [
      {
        fieldSelectors: [
          { field: "eventCategory", equals: ["Data"] },
          { field: "resources.type", equals: ["AWS::S3::Object"] },
          { field: "resources.ARN", startsWiths },
        ],
      },
    ],
  });
const ownership = (b: ReturnType<typeof bucket>, objectOwnership: string) =>
  resource(
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    `${b.name}-ownership`,
    { bucket: b.inputs.bucket, rule: { objectOwnership } },
    { dependsOn: [b] },
  );
const lifecycleOf = (b: ReturnType<typeof bucket>, rule: Record<string, unknown>) =>
  resource(
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    `${b.name}-lifecycle`,
    { bucket: b.inputs.bucket, rules: [{ id: "r", status: "Enabled", filter: {}, ...rule }] },
    { dependsOn: [b] },
  );
const topicPolicy = (...statements: unknown[]) =>
  resource(
    "aws:sns/topicPolicy:TopicPolicy",
    "alerts-policy",
    { arn: "arn:aws:sns:eu-west-1:111122223333:alerts", policy: doc(...statements) },
    { provider: awsProvider },
  );
const catalogDb = resource("aws:glue/catalogDatabase:CatalogDatabase", "db", { name: "costline_acme" });
const catalogSettings = (mode: string, passwords = true) =>
  resource("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings", "catalog-encryption", {
    dataCatalogEncryptionSettings: {
      encryptionAtRest: {
        catalogEncryptionMode: mode,
        sseAwsKmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k",
      },
      connectionPasswordEncryption: { returnConnectionPasswordEncrypted: passwords },
    },
  });
const dataExport = (s3Bucket: string) =>
  resource("aws:bcmdata/export:Export", "focus", {
    export: {
      name: "focus",
      destinationConfigurations: [{ s3Destinations: [{ s3Bucket, s3Prefix: "exports" }] }],
    },
  });

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
    policy: "aws-resource-policy-no-public-principal",
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
  {
    policy: "aws-cloudtrail-integrity",
    what: "a trail without a KMS key",
    compliant: [],
    violating: [
      resource("aws:cloudtrail/trail:Trail", "audit", {
        name: "audit",
        s3BucketName: "acme-audit",
        isMultiRegionTrail: true,
        enableLogFileValidation: true,
      }),
    ],
    message: /not encrypted with a KMS key; set kmsKeyId/,
  },
  {
    policy: "aws-athena-workgroup-encryption",
    what: "a workgroup that lets queries override its settings",
    compliant: [],
    violating: [
      resource("aws:athena/workgroup:Workgroup", "wg", {
        configuration: {
          enforceWorkgroupConfiguration: false,
          resultConfiguration: {
            outputLocation: "s3://acme-athena/",
            encryptionConfiguration: { encryptionOption: "SSE_KMS" },
          },
        },
      }),
    ],
    message: /lets queries override its settings/,
  },
  ...resourcePolicyCases(),
  ...iamCases(),
  ...storageAndOperationsCases(),
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

/** Resource policies of every kind, and the conditions that do (or only seem to) pin the caller. */
function resourcePolicyCases(): PolicyCase[] {
  const P = "aws-resource-policy-no-public-principal";
  return [
    {
      policy: P,
      what: 'an organization condition whose value is a wildcard ("*", "o-*") pins nobody',
      compliant: [
        queuePolicy("dlq-policy", anyoneIn({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } })),
      ],
      violating: [
        queuePolicy("dlq-policy", anyoneIn({ StringLike: { "aws:PrincipalOrgID": "*" } })),
        queuePolicy("dlq-policy2", anyoneIn({ StringLike: { "aws:PrincipalOrgID": "o-*" } })),
      ],
      message: /queue policy: statement "Anyone" allows sqs:SendMessage to any principal/,
    },
    {
      policy: P,
      what: "a condition that only names the key (Null, StringNotEquals, ForAllValues) pins nobody",
      compliant: [
        queuePolicy(
          "dlq-policy",
          anyoneIn({ ArnLike: { "aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:acme-*" } }),
        ),
      ],
      violating: [
        queuePolicy("dlq-policy", anyoneIn({ Null: { "aws:SourceAccount": "false" } })),
        queuePolicy("dlq-policy2", anyoneIn({ StringNotEquals: { "aws:SourceAccount": "999988887777" } })),
        queuePolicy(
          "dlq-policy3",
          anyoneIn({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-abc" } }),
        ),
        queuePolicy("dlq-policy4", anyoneIn({ ArnLike: { "aws:SourceArn": "arn:aws:sns:*:*:*" } })),
      ],
      on: "dlq-policy4",
      message: /allows sqs:SendMessage to any principal/,
    },
    {
      policy: P,
      what: "Allow with NotPrincipal grants to everyone else",
      compliant: [
        resource("aws:sns/topicPolicy:TopicPolicy", "alerts-policy", {
          arn: "arn:aws:sns:eu-west-1:111122223333:alerts",
          policy: doc({
            Effect: "Deny",
            NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" },
            Action: "sns:Publish",
            Resource: "*",
          }),
        }),
      ],
      violating: [
        resource("aws:sns/topicPolicy:TopicPolicy", "alerts-policy", {
          arn: "arn:aws:sns:eu-west-1:111122223333:alerts",
          policy: doc({
            Sid: "AllButOne",
            Effect: "Allow",
            NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" },
            Action: "sns:Publish",
            Resource: "*",
          }),
        }),
      ],
      message: /topic policy: statement "AllButOne" allows sns:Publish to every principal but those named/,
    },
    {
      policy: P,
      what: 'a secret policy and a KMS key policy granting "*"',
      compliant: [
        resource("aws:secretsmanager/secretPolicy:SecretPolicy", "tenant-policy", {
          secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:tenant",
          policy: doc({
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::111122223333:role/costline-acme-aws-normalize" },
            Action: "secretsmanager:GetSecretValue",
            Resource: "*",
          }),
        }),
      ],
      violating: [
        resource("aws:secretsmanager/secretPolicy:SecretPolicy", "tenant-policy", {
          secretArn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:tenant",
          policy: doc({
            Effect: "Allow",
            Principal: "*",
            Action: "secretsmanager:GetSecretValue",
            Resource: "*",
          }),
        }),
        keyWith("cmk", {
          Sid: "Open",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:Decrypt",
          Resource: "*",
        }),
      ],
      message: /secret policy: statement 0 allows secretsmanager:GetSecretValue to any principal/,
    },
    {
      policy: P,
      what: 'a KMS key policy granting "*" (reported on the key)',
      compliant: [keyWith("cmk", ownRootAdministers)],
      violating: [
        keyWith("cmk", {
          Sid: "Open",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:Decrypt",
          Resource: "*",
        }),
      ],
      message: /key policy: statement "Open" allows kms:Decrypt to any principal/,
    },
    {
      policy: P,
      what: "Lambda permissions: to anyone, to a service without its source, and a public function URL",
      compliant: [
        resource("aws:lambda/permission:Permission", "scheduler-invokes", {
          action: "lambda:InvokeFunction",
          function: "acme-job",
          principal: "events.amazonaws.com",
          sourceArn: "arn:aws:events:eu-west-1:111122223333:rule/acme",
        }),
      ],
      violating: [
        resource("aws:lambda/permission:Permission", "anyone-invokes", {
          action: "lambda:InvokeFunction",
          function: "acme-job",
          principal: "*",
        }),
        resource("aws:lambda/permission:Permission", "s3-invokes", {
          action: "lambda:InvokeFunction",
          function: "acme-job",
          principal: "s3.amazonaws.com",
        }),
        resource("aws:lambda/permission:Permission", "url", {
          action: "lambda:InvokeFunctionUrl",
          function: "acme-job",
          principal: "*",
          functionUrlAuthType: "NONE",
        }),
      ],
      message: /lets any principal \("\*"\) invoke the function without sourceArn/,
    },
    {
      policy: P,
      what: "a service principal without sourceArn or sourceAccount",
      compliant: [],
      violating: [
        resource("aws:lambda/permission:Permission", "s3-invokes", {
          action: "lambda:InvokeFunction",
          function: "acme-job",
          principal: "s3.amazonaws.com",
        }),
      ],
      message: /lets s3.amazonaws.com invoke the function for any account's resources/,
    },
    {
      policy: P,
      what: "a bucket policy inside a StackSet's template is judged like the stack's own",
      compliant: [
        stackSet("member", {
          Policy: {
            Type: "AWS::S3::BucketPolicy",
            Properties: { Bucket: "acme-member", PolicyDocument: JSON.parse(doc(exportsWrite)) },
          },
        }),
      ],
      violating: [
        stackSet("member", {
          Policy: {
            Type: "AWS::S3::BucketPolicy",
            Properties: {
              Bucket: "acme-member",
              PolicyDocument: {
                Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }],
              },
            },
          },
        }),
      ],
      message: /template resource Policy bucket policy: statement 0 allows s3:GetObject to any principal/,
    },
    {
      policy: "aws-iam-no-wildcard-actions",
      what: 'a queue policy allowing "sqs:*" (a KMS key policy administering the key is left to aws-kms-key-policy)',
      compliant: [
        keyWith("cmk", ownRootAdministers),
        queuePolicy("dlq-policy", anyoneIn({ StringEquals: { "aws:SourceAccount": "111122223333" } })),
      ],
      violating: [
        queuePolicy("dlq-policy", {
          ...anyoneIn({ StringEquals: { "aws:SourceAccount": "111122223333" } }),
          Action: "sqs:*",
        }),
      ],
      message: /queue policy: statement "Anyone" allows wildcard action\(s\) sqs:\*/,
    },
    {
      policy: "aws-kms-key-policy",
      what: "another account may decrypt with the key",
      compliant: [
        awsProvider,
        keyWith("cmk", ownRootAdministers, {
          Sid: "LogsUse",
          Effect: "Allow",
          Principal: { Service: "logs.eu-west-1.amazonaws.com" },
          Action: ["kms:Encrypt", "kms:Decrypt"],
          Resource: "*",
          Condition: {
            ArnEquals: {
              "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111122223333:log-group:x",
            },
          },
        }),
      ],
      violating: [
        awsProvider,
        keyWith("cmk", ownRootAdministers, {
          Sid: "Partner",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::999988887777:root" },
          Action: ["kms:Decrypt", "kms:DescribeKey"],
          Resource: "*",
        }),
      ],
      on: "cmk",
      message:
        /statement "Partner" lets arn:aws:iam::999988887777:root \(outside the deploying account\) kms:Decrypt/,
    },
    {
      policy: "aws-kms-key-policy",
      what: "kms:* to another account, and a key with no policy of its own",
      compliant: [],
      violating: [
        awsProvider,
        keyWith("cmk", { ...ownRootAdministers, Principal: { AWS: "999988887777" } }),
        resource("aws:kms/key:Key", "bare", { enableKeyRotation: true }),
      ],
      on: "cmk",
      message:
        /lets 999988887777 \(outside the deploying account\) kms:Decrypt, kms:ReEncryptFrom, kms:CreateGrant/,
    },
    {
      policy: "aws-kms-key-policy",
      what: "a key without a key policy of its own",
      compliant: [awsProvider, keyWith("cmk", ownRootAdministers)],
      violating: [resource("aws:kms/key:Key", "bare", { enableKeyRotation: true })],
      message: /the key has no key policy of its own/,
    },
  ];
}

/** Identity policies: data reads, escalation, federated trust and every route of attachment. */
function iamCases(): PolicyCase[] {
  const R = "aws-iam-no-wildcard-resource-data-reads";
  const E = "aws-iam-no-privilege-escalation";
  const F = "aws-iam-federated-trust-conditions";
  const federated = (name: string, trust: unknown) =>
    resource("aws:iam/role:Role", name, { assumeRolePolicy: doc(trust) });
  return [
    {
      policy: R,
      what: 'object and secret reads on Resource "*"',
      compliant: [
        rolePolicy("job", [
          { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-exports/exports/*" },
          { Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
        ]),
      ],
      violating: [
        rolePolicy("job", [
          {
            Sid: "Reads",
            Effect: "Allow",
            Action: ["s3:GetObject", "secretsmanager:GetSecretValue"],
            Resource: "*",
          },
        ]),
      ],
      message:
        /statement "Reads" allows data reads s3:GetObject, secretsmanager:GetSecretValue on every resource/,
    },
    {
      policy: R,
      what: 'a read hidden in a wildcard ("s3:Get*"), a NotAction, or a NotResource',
      compliant: [],
      violating: [
        rolePolicy("job", [{ Sid: "GetAll", Effect: "Allow", Action: "s3:Get*", Resource: "*" }]),
        rolePolicy("job2", [{ Sid: "AllBut", Effect: "Allow", NotAction: "iam:*", Resource: "*" }]),
        rolePolicy("job3", [
          {
            Sid: "Not",
            Effect: "Allow",
            Action: "kms:Decrypt",
            NotResource: "arn:aws:kms:eu-west-1:1:key/x",
          },
        ]),
      ],
      message: /statement "GetAll" allows data reads s3:GetObject, s3:GetObjectVersion on every resource/,
    },
    {
      policy: R,
      what: "a role inside a StackSet's template",
      compliant: [
        stackSet("member", {
          Role: {
            Type: "AWS::IAM::Role",
            Properties: {
              Policies: [
                {
                  PolicyName: "read-metrics",
                  PolicyDocument: {
                    Statement: [{ Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" }],
                  },
                },
              ],
            },
          },
        }),
      ],
      violating: [
        stackSet("member", {
          Role: {
            Type: "AWS::IAM::Role",
            Properties: {
              Policies: [
                {
                  PolicyName: "read-all",
                  PolicyDocument: { Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }] },
                },
              ],
            },
          },
        }),
      ],
      message: /template resource Role policy "read-all": statement 0 allows data reads kms:Decrypt/,
    },
    {
      policy: E,
      what: "a role that may write its own inline policy",
      compliant: [
        rolePolicy("job", [
          { Effect: "Allow", Action: "iam:GetRole", Resource: "arn:aws:iam::111122223333:role/acme-job" },
          {
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: "arn:aws:iam::111122223333:role/acme-job",
            Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
          },
        ]),
      ],
      violating: [
        rolePolicy("job", [
          {
            Sid: "Self",
            Effect: "Allow",
            Action: "iam:PutRolePolicy",
            Resource: "arn:aws:iam::111122223333:role/acme-job",
          },
        ]),
      ],
      message: /statement "Self" allows privilege escalation: iam:PutRolePolicy/,
    },
    {
      policy: E,
      what: 'escalation through wildcards ("iam:Attach*", "iam:*Policy*"), NotAction, and PassRole on any role',
      compliant: [],
      violating: [
        rolePolicy("job", [{ Sid: "Attach", Effect: "Allow", Action: "iam:Attach*", Resource: "*" }]),
        rolePolicy("job2", [
          { Sid: "Versions", Effect: "Allow", Action: "iam:*PolicyVersion", Resource: "*" },
        ]),
        rolePolicy("job3", [{ Sid: "AllBut", Effect: "Allow", NotAction: "s3:*", Resource: "*" }]),
        rolePolicy("job4", [{ Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]),
        rolePolicy("job5", [
          {
            Sid: "Trust",
            Effect: "Allow",
            Action: "iam:UpdateAssumeRolePolicy",
            Resource: "arn:aws:iam::1:role/x",
          },
        ]),
      ],
      message:
        /statement "Attach" allows privilege escalation: iam:AttachRolePolicy, iam:AttachUserPolicy, iam:AttachGroupPolicy/,
    },
    {
      policy: E,
      what: "iam:PassRole to any service (no iam:PassedToService)",
      compliant: [],
      violating: [
        rolePolicy("job", [
          {
            Sid: "Pass",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: "arn:aws:iam::111122223333:role/acme-job",
          },
        ]),
      ],
      message: /statement "Pass" allows privilege escalation: iam:PassRole \(any role or any service\)/,
    },
    {
      policy: "aws-iam-external-id-for-cross-account-trust",
      what: "a role in a StackSet's template trusted by another account without sts:ExternalId",
      compliant: [
        stackSet("member", {
          MetricsRole: {
            Type: "AWS::IAM::Role",
            Properties: {
              AssumeRolePolicyDocument: {
                Statement: [
                  platformTrust({ Condition: { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } } }),
                ],
              },
            },
          },
        }),
      ],
      violating: [
        stackSet("member", {
          MetricsRole: {
            Type: "AWS::IAM::Role",
            Properties: { AssumeRolePolicyDocument: { Statement: [platformTrust({ Sid: "Platform" })] } },
          },
        }),
      ],
      message:
        /template resource MetricsRole trust policy: statement "Platform" lets .* without an sts:ExternalId/,
    },
    {
      policy: F,
      what: "a GitHub Actions trust without a pinned sub",
      compliant: [
        federated(
          "deploy",
          githubTrust({
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:acme/infra:ref:refs/heads/main",
            },
          }),
        ),
      ],
      violating: [federated("deploy", githubTrust())],
      message:
        /statement "GitHubDeploys" lets any identity of .*token.actions.githubusercontent.com \(token.actions.githubusercontent.com:sub\) assume the role/,
    },
    {
      policy: F,
      what: 'a sub pattern ("repo:acme/*", "*") or an audience alone pins nobody',
      compliant: [],
      violating: [
        federated(
          "deploy",
          githubTrust({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } }),
        ),
        federated("deploy2", githubTrust({ StringLike: { "token.actions.githubusercontent.com:sub": "*" } })),
        federated(
          "deploy3",
          githubTrust({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }),
        ),
      ],
      message: /lets any identity of/,
    },
    {
      policy: "aws-iam-no-admin-policies",
      what: "every attachment route: PolicyAttachment, a role's managedPolicyArns, an exclusive list, a template",
      compliant: [
        attachment("job-basic", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
      ],
      violating: [
        resource("aws:iam/policyAttachment:PolicyAttachment", "admins", {
          roles: ["acme-job"],
          policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
        }),
        resource("aws:iam/role:Role", "job", {
          managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"],
        }),
        resource("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "job-exclusive", {
          roleName: "acme-job",
          policyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"],
        }),
        stackSet("member", {
          Role: {
            Type: "AWS::IAM::Role",
            Properties: { ManagedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
          },
        }),
      ],
      on: "member",
      message: /attaches the managed policy arn:aws:iam::aws:policy\/AdministratorAccess/,
    },
    {
      policy: "aws-iam-no-broad-managed-policies",
      what: "ReadOnlyAccess and AmazonS3ReadOnlyAccess attached",
      compliant: [
        attachment("job-basic", "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
      ],
      violating: [
        attachment("job-read", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        resource("aws:iam/role:Role", "job", {
          managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
        }),
      ],
      message: /attaches the managed policy arn:aws:iam::aws:policy\/ReadOnlyAccess/,
    },
  ];
}

/** Buckets, catalogs, logs, secrets, topics, alarms and where exports land. */
function storageAndOperationsCases(): PolicyCase[] {
  return [
    {
      policy: "aws-s3-versioning",
      what: "a bucket without versioning, and one whose versioning is suspended",
      compliant: [b1, versioning(b1, "Enabled")],
      violating: [b2, versioning(b2, "Suspended")],
      message: /S3 bucket "acme-exports" does not keep object versions/,
    },
    {
      policy: "aws-s3-access-logging",
      what: "a bucket with neither server access logging nor data events",
      compliant: [
        b1,
        resource("aws:s3/bucketLogging:BucketLogging", "exports-logging", {
          bucket: "acme-exports",
          targetBucket: "acme-logs",
          targetPrefix: "exports/",
        }),
      ],
      violating: [b2],
      message: /has no server access logging and no trail records data events on all its objects/,
    },
    {
      policy: "aws-s3-access-logging",
      what: "data events on one prefix do not log the whole bucket",
      compliant: [b1, dataEventTrail(["arn:aws:s3:::acme-exports/"])],
      violating: [b2, dataEventTrail(["arn:aws:s3:::acme-exports/exports/"])],
      message: /no trail records data events on all its objects/,
    },
    {
      policy: "aws-glue-catalog-encryption",
      what: "a catalog database without catalog encryption settings",
      compliant: [catalogDb, catalogSettings("SSE-KMS")],
      violating: [catalogDb],
      message: /has no encryption settings/,
    },
    {
      policy: "aws-glue-catalog-encryption",
      what: "settings that leave metadata and connection passwords unencrypted",
      compliant: [catalogDb, catalogSettings("SSE-KMS-WITH-SERVICE-ROLE")],
      violating: [catalogSettings("DISABLED", false)],
      message: /not encrypted with KMS \(catalogEncryptionMode "DISABLED"\)/,
    },
    {
      policy: "aws-log-group-kms",
      what: "a log group without a customer-managed key",
      compliant: [
        resource("aws:cloudwatch/logGroup:LogGroup", "job-logs", {
          retentionInDays: 90,
          kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k",
        }),
      ],
      violating: [resource("aws:cloudwatch/logGroup:LogGroup", "job-logs", { retentionInDays: 90 })],
      message: /not encrypted with a customer-managed KMS key/,
    },
    {
      policy: "aws-secrets-kms",
      what: "a secret on the AWS managed key (implicit or named)",
      compliant: [
        resource("aws:secretsmanager/secret:Secret", "tenant", {
          name: "tenant-acme",
          kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k",
        }),
      ],
      violating: [
        resource("aws:secretsmanager/secret:Secret", "tenant", { name: "tenant-acme" }),
        resource("aws:secretsmanager/secret:Secret", "named", { kmsKeyId: "alias/aws/secretsmanager" }),
      ],
      message: /encrypted with the AWS managed key aws\/secretsmanager/,
    },
    {
      policy: "aws-sns-encryption",
      what: "an unencrypted topic, and one on alias/aws/sns",
      compliant: [
        resource("aws:sns/topic:Topic", "alerts", {
          kmsMasterKeyId: "arn:aws:kms:eu-west-1:111122223333:key/k",
        }),
      ],
      violating: [
        resource("aws:sns/topic:Topic", "alerts", {}),
        resource("aws:sns/topic:Topic", "alerts2", { kmsMasterKeyId: "alias/aws/sns" }),
      ],
      message: /the topic is not encrypted; set kmsMasterKeyId/,
    },
    {
      policy: "aws-sns-encryption",
      what: "a topic on the AWS managed key",
      compliant: [],
      violating: [resource("aws:sns/topic:Topic", "alerts", { kmsMasterKeyId: "alias/aws/sns" })],
      message: /AWS managed key alias\/aws\/sns/,
    },
    {
      policy: "aws-sqs-encryption",
      what: "a customer-managed key required by config",
      config: { "aws-sqs-encryption": { requireCustomerManagedKey: true } },
      compliant: [
        resource("aws:sqs/queue:Queue", "dlq", { kmsMasterKeyId: "arn:aws:kms:eu-west-1:1:key/k" }),
      ],
      violating: [resource("aws:sqs/queue:Queue", "dlq", { sqsManagedSseEnabled: true })],
      message: /must be encrypted with a customer-managed KMS key/,
    },
    {
      policy: "aws-alarm-actions",
      what: "an alarm without actions, and one with its actions disabled",
      compliant: [alarm("job-errors", { alarmActions: ["arn:aws:sns:eu-west-1:111122223333:alerts"] })],
      violating: [
        alarm("job-errors", { alarmActions: [] }),
        alarm("job-errors2", {
          alarmActions: ["arn:aws:sns:eu-west-1:111122223333:alerts"],
          actionsEnabled: false,
        }),
      ],
      message: /the alarm has no alarm actions/,
    },
    {
      policy: "aws-alarm-actions",
      what: "alarm actions switched off (actionsEnabled false)",
      compliant: [],
      violating: [
        alarm("job-errors", {
          alarmActions: ["arn:aws:sns:eu-west-1:111122223333:alerts"],
          actionsEnabled: false,
        }),
      ],
      message: /actions are disabled/,
    },
    {
      policy: "aws-s3-acls-disabled",
      what: "a bucket whose ACLs are still in force",
      compliant: [b1, ownership(b1, "BucketOwnerEnforced")],
      violating: [b2, ownership(b2, "ObjectWriter")],
      message: /does not disable ACLs/,
    },
    {
      policy: "aws-s3-acls-disabled",
      what: "a public canned ACL and an AllUsers grant",
      compliant: [],
      violating: [
        b2,
        ownership(b2, "BucketOwnerEnforced"),
        resource("aws:s3/bucketAcl:BucketAcl", "exports-acl", {
          bucket: "acme-exports",
          accessControlPolicy: {
            owner: { id: "owner" },
            grants: [
              {
                permission: "READ",
                grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" },
              },
            ],
          },
        }),
      ],
      message: /has a public ACL grant \(http:\/\/acs.amazonaws.com\/groups\/global\/AllUsers\)/,
    },
    {
      policy: "aws-kms-key-enabled",
      what: "a disabled key",
      compliant: [resource("aws:kms/key:Key", "cmk", { enableKeyRotation: true })],
      violating: [resource("aws:kms/key:Key", "cmk", { enableKeyRotation: true, isEnabled: false })],
      message: /the KMS key is disabled/,
    },
    {
      policy: "aws-lambda-runtime-supported",
      what: "a function on a deprecated runtime",
      compliant: [fn("job", { runtime: "nodejs22.x" })],
      violating: [fn("job", { runtime: "nodejs16.x" })],
      message: /runs on nodejs16.x, which AWS no longer supports/,
    },
    {
      policy: "aws-lambda-tracing",
      what: "a function without active tracing",
      compliant: [fn("job", { tracingConfig: { mode: "Active" } })],
      violating: [fn("job", { tracingConfig: { mode: "PassThrough" } })],
      message: /sends no X-Ray traces/,
    },
    {
      policy: "aws-s3-lifecycle",
      what: "a bucket without lifecycle rules, and one that keeps incomplete uploads",
      compliant: [b1, lifecycleOf(b1, { abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } })],
      violating: [b2],
      message: /has no enabled lifecycle rule/,
    },
    {
      policy: "aws-s3-lifecycle",
      what: "rules that never abort incomplete multipart uploads",
      compliant: [],
      violating: [b2, lifecycleOf(b2, { expiration: { days: 30 } })],
      message: /never aborts incomplete multipart uploads/,
    },
    {
      policy: "aws-s3-bucket-name-dns",
      what: "a bucket name with dots and capitals",
      compliant: [resource(BUCKET, "ok", { bucket: "costline-acme-111122223333-eu-west-1" })],
      violating: [resource(BUCKET, "dotted", { bucket: "Acme.Exports" })],
      message: /bucket name "Acme.Exports" is not DNS-compliant/,
    },
    {
      policy: "aws-resource-policy-no-foreign-account",
      what: "a topic policy granting another account",
      compliant: [
        awsProvider,
        topicPolicy({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "sns:Publish",
          Resource: "*",
        }),
      ],
      violating: [
        awsProvider,
        topicPolicy({
          Sid: "Partner",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::999988887777:root" },
          Action: "sns:Subscribe",
          Resource: "*",
        }),
      ],
      on: "alerts-policy",
      message: /statement "Partner" grants to arn:aws:iam::999988887777:root, outside the deploying account/,
    },
    {
      policy: "aws-secrets-rotation",
      what: "a secret that never rotates",
      compliant: [
        resource("aws:secretsmanager/secret:Secret", "tenant", { name: "tenant-acme" }),
        resource("aws:secretsmanager/secretRotation:SecretRotation", "tenant-rotation", {
          secretId: "tenant-acme",
          rotationLambdaArn: "arn:aws:lambda:eu-west-1:111122223333:function:rotate",
          rotationRules: { automaticallyAfterDays: 30 },
        }),
      ],
      violating: [resource("aws:secretsmanager/secret:Secret", "tenant", { name: "tenant-acme" })],
      message: /secret "tenant-acme" does not rotate/,
    },
    {
      policy: "aws-secrets-rotation",
      what: "a rotation less often than the configured maximum",
      compliant: [],
      violating: [
        resource("aws:secretsmanager/secret:Secret", "tenant", { name: "tenant-acme" }),
        resource("aws:secretsmanager/secretRotation:SecretRotation", "tenant-rotation", {
          secretId: "tenant-acme",
          rotationRules: { automaticallyAfterDays: 365 },
        }),
      ],
      on: "tenant-rotation",
      message: /rotates every 365 days, more than 90/,
    },
    {
      policy: "aws-lambda-concurrency-limit",
      what: "a function without reserved concurrency",
      compliant: [fn("job", { reservedConcurrentExecutions: 2 })],
      violating: [fn("job")],
      message: /no reserved concurrency limit/,
    },
    {
      policy: "aws-lambda-environment-kms",
      what: "an environment on the AWS managed key",
      compliant: [
        fn("job", {
          environment: { variables: { LOG_LEVEL: "info" } },
          kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
        }),
        fn("bare"),
      ],
      violating: [fn("job", { environment: { variables: { LOG_LEVEL: "info" } } })],
      message: /set kmsKeyArn/,
    },
    {
      policy: "aws-scheduler-kms",
      what: "a schedule without a customer-managed key",
      compliant: [
        resource("aws:scheduler/schedule:Schedule", "nightly", {
          scheduleExpression: "cron(0 6 * * ? *)",
          kmsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
        }),
      ],
      violating: [
        resource("aws:scheduler/schedule:Schedule", "nightly", { scheduleExpression: "cron(0 6 * * ? *)" }),
      ],
      message: /encrypted with an AWS owned key/,
    },
    {
      policy: "aws-cloudtrail-delivery",
      what: "a trail delivering only to S3",
      compliant: [
        resource("aws:cloudtrail/trail:Trail", "audit", {
          s3BucketName: "acme-audit",
          cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*",
          cloudWatchLogsRoleArn: "arn:aws:iam::111122223333:role/trail-logs",
          snsTopicName: "trail-files",
        }),
      ],
      violating: [resource("aws:cloudtrail/trail:Trail", "audit", { s3BucketName: "acme-audit" })],
      message: /does not deliver to CloudWatch Logs/,
    },
    {
      policy: "aws-cloudtrail-delivery",
      what: "a trail that notifies no SNS topic of its log files",
      compliant: [],
      violating: [
        resource("aws:cloudtrail/trail:Trail", "audit", {
          s3BucketName: "acme-audit",
          cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*",
        }),
      ],
      message: /notifies no SNS topic of new log files/,
    },
    {
      policy: "aws-iam-role-policies-one-way",
      what: "a RolePolicy on a role that manages its inline policies",
      compliant: [
        resource("aws:iam/role:Role", "job", { name: "acme-job" }),
        rolePolicy("job-permissions", [
          { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*" },
        ]),
      ],
      violating: [
        resource("aws:iam/role:Role", "job", {
          name: "acme-job",
          managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
        }),
        rolePolicy("job-permissions", [
          { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*" },
        ]),
      ],
      on: "job-permissions",
      message: /role "acme-job" also manages managedPolicyArns; manage its policies one way/,
    },
    {
      policy: "aws-export-destination-in-stack",
      what: "an export writing to a bucket the stack does not declare",
      compliant: [b1, dataExport("acme-exports")],
      violating: [b2, dataExport("someone-elses-bucket")],
      on: "focus",
      message: /writes to S3 bucket "someone-elses-bucket", which is not a bucket of this stack/,
    },
  ];
}
