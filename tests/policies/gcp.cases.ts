import { type PolicyCase, resource } from "./harness";

const dataset = (extra: Record<string, unknown> = {}) =>
  resource("gcp:bigquery/dataset:Dataset", "billing", {
    datasetId: "costline_billing",
    location: "EU",
    ...extra,
  });
const member = (type: string, name: string, role: string, m: string) =>
  resource(type, name, { role, member: m });
const PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember";
const SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
const POOL =
  "principalSet://iam.googleapis.com/projects/000000000000/locations/global/workloadIdentityPools/costline";
const privateBucket = () =>
  resource("gcp:storage/bucket:Bucket", "source", {
    location: "EU",
    publicAccessPrevention: "enforced",
    uniformBucketLevelAccess: true,
  });
const SA = "serviceAccount:job@p.iam.gserviceaccount.com";
const KEY = "projects/p/locations/europe/keyRings/costline/cryptoKeys/data";
const wifProvider = (attributeCondition: string) =>
  resource("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "aws", {
    workloadIdentityPoolId: "costline",
    workloadIdentityPoolProviderId: "aws",
    attributeCondition,
    aws: { accountId: "999988887777" },
  });
const fn2 = (serviceConfig: Record<string, unknown>) =>
  resource("gcp:cloudfunctionsv2/function:Function", "job", { location: "europe-west1", serviceConfig });

export const gcpCases: PolicyCase[] = [
  {
    policy: "gcp-bigquery-cmek",
    what: "a dataset without the required customer-managed key",
    config: { "gcp-bigquery-cmek": { requireCmek: true } },
    compliant: [
      dataset({
        defaultEncryptionConfiguration: { kmsKeyName: "projects/p/locations/eu/keyRings/r/cryptoKeys/k" },
      }),
    ],
    violating: [dataset()],
    message: /dataset "costline_billing" has no customer-managed key/,
  },
  {
    policy: "gcp-bigquery-no-public-access",
    what: "a dataset granted to allUsers",
    compliant: [
      dataset({ accesses: [{ role: "OWNER", specialGroup: "projectOwners" }] }),
      member(
        "gcp:bigquery/datasetIamMember:DatasetIamMember",
        "reader",
        "roles/bigquery.dataViewer",
        "serviceAccount:job@p.iam.gserviceaccount.com",
      ),
    ],
    violating: [
      member(
        "gcp:bigquery/datasetIamMember:DatasetIamMember",
        "reader",
        "roles/bigquery.dataViewer",
        "allUsers",
      ),
    ],
    message: /the dataset is granted to allUsers/,
  },
  {
    policy: "gcp-bigquery-no-public-access",
    what: "a dataset access entry for allAuthenticatedUsers",
    compliant: [dataset({ accesses: [{ role: "READER", userByEmail: "job@p.iam.gserviceaccount.com" }] })],
    violating: [dataset({ accesses: [{ role: "READER", specialGroup: "allAuthenticatedUsers" }] })],
    message: /granted to allAuthenticatedUsers/,
  },
  {
    policy: "gcp-storage-no-public-access",
    what: "a bucket without public access prevention",
    compliant: [privateBucket()],
    violating: [
      resource("gcp:storage/bucket:Bucket", "source", { location: "EU", uniformBucketLevelAccess: true }),
    ],
    message: /does not set publicAccessPrevention: "enforced"/,
  },
  {
    policy: "gcp-storage-no-public-access",
    what: "a bucket grant to allUsers",
    compliant: [
      resource("gcp:storage/bucketIAMMember:BucketIAMMember", "reader", {
        bucket: "b",
        role: "roles/storage.objectViewer",
        member: "serviceAccount:job@p.iam.gserviceaccount.com",
      }),
    ],
    violating: [
      resource("gcp:storage/bucketIAMBinding:BucketIAMBinding", "reader", {
        bucket: "b",
        role: "roles/storage.objectViewer",
        members: ["group:finops@acme.example", "allUsers"],
      }),
    ],
    message: /the bucket is granted to allUsers/,
  },
  {
    policy: "gcp-functions-internal-ingress",
    what: "a function left at the default ALLOW_ALL ingress",
    compliant: [fn2({ ingressSettings: "ALLOW_INTERNAL_ONLY" })],
    violating: [fn2({ availableMemory: "512M" })],
    message: /ingress is ALLOW_ALL; allowed: ALLOW_INTERNAL_ONLY/,
  },
  {
    policy: "gcp-functions-internal-ingress",
    what: "a Cloud Run service open to all traffic",
    compliant: [
      resource("gcp:cloudrunv2/service:Service", "svc", {
        location: "europe-west1",
        ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
      }),
    ],
    violating: [
      resource("gcp:cloudrunv2/service:Service", "svc", {
        location: "europe-west1",
        ingress: "INGRESS_TRAFFIC_ALL",
      }),
    ],
    message: /ingress is ALLOW_ALL/,
  },
  {
    policy: "gcp-no-primitive-roles",
    what: "roles/editor granted on the project",
    compliant: [
      member(
        PROJECT_MEMBER,
        "job-query",
        "roles/bigquery.jobUser",
        "serviceAccount:job@p.iam.gserviceaccount.com",
      ),
    ],
    violating: [
      member(PROJECT_MEMBER, "job-editor", "roles/editor", "serviceAccount:job@p.iam.gserviceaccount.com"),
    ],
    message: /grants the primitive role roles\/editor to serviceAccount:job@p\.iam\.gserviceaccount\.com/,
  },
  {
    policy: "gcp-no-pool-wide-workload-identity",
    what: "a whole pool allowed to impersonate a service account",
    compliant: [
      member(
        SA_MEMBER,
        "wif",
        "roles/iam.workloadIdentityUser",
        `${POOL}/attribute.aws_role/arn:aws:sts::999988887777:assumed-role/costline-platform`,
      ),
    ],
    violating: [member(SA_MEMBER, "wif", "roles/iam.workloadIdentityUser", `${POOL}/*`)],
    message: /grants roles\/iam\.workloadIdentityUser to every identity of a pool/,
  },
  {
    policy: "gcp-workload-identity-provider-condition",
    what: "a pool provider without an attribute condition",
    compliant: [
      resource("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "aws", {
        workloadIdentityPoolId: "costline",
        workloadIdentityPoolProviderId: "aws",
        attributeCondition:
          "assertion.arn.startsWith('arn:aws:sts::999988887777:assumed-role/costline-platform/')",
        aws: { accountId: "999988887777" },
      }),
    ],
    violating: [
      resource("gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider", "aws", {
        workloadIdentityPoolId: "costline",
        workloadIdentityPoolProviderId: "aws",
        aws: { accountId: "999988887777" },
      }),
    ],
    message: /pool provider "aws" has no attributeCondition/,
  },
  {
    policy: "gcp-no-service-account-keys",
    what: "a service account key",
    compliant: [resource("gcp:serviceaccount/account:Account", "job", { accountId: "costline-job" })],
    violating: [
      resource("gcp:serviceaccount/key:Key", "job-key", {
        serviceAccountId: "costline-job@p.iam.gserviceaccount.com",
      }),
    ],
    message: /creates a long-lived key for service account costline-job@p\.iam\.gserviceaccount\.com/,
  },
  {
    policy: "gcp-functions-no-plaintext-secrets",
    what: "a token in a function's environment",
    compliant: [
      fn2({
        ingressSettings: "ALLOW_INTERNAL_ONLY",
        environmentVariables: { SECRET_NAME: "projects/p/secrets/tenant-acme-gcp-p", GCP_PROJECT: "p" },
        secretEnvironmentVariables: [{ key: "API_TOKEN", projectId: "p", secret: "t", version: "latest" }],
      }),
    ],
    violating: [fn2({ environmentVariables: { API_TOKEN: "s3cr3t-value" } })],
    message: /API_TOKEN \(its name says secret and its value is a literal\)/,
  },
  {
    policy: "gcp-functions-no-plaintext-secrets",
    what: "a private key in a Cloud Run job's env",
    compliant: [
      resource("gcp:cloudrunv2/job:Job", "job", {
        location: "europe-west1",
        template: {
          template: {
            containers: [{ image: "i", envs: [{ name: "KEY_FILE", value: "/secrets/key.json" }] }],
          },
        },
      }),
    ],
    violating: [
      resource("gcp:cloudrunv2/job:Job", "job", {
        location: "europe-west1",
        template: {
          template: {
            containers: [
              { image: "i", envs: [{ name: "SA", value: "-----BEGIN PRIVATE KEY-----\nMII..." }] },
            ],
          },
        },
      }),
    ],
    message: /SA \(its value looks like a private key\)/,
  },
  {
    policy: "gcp-pubsub-dead-letter",
    what: "a subscription without a dead-letter topic",
    compliant: [
      resource("gcp:pubsub/subscription:Subscription", "events", {
        name: "events",
        topic: "t",
        deadLetterPolicy: { deadLetterTopic: "projects/p/topics/dead", maxDeliveryAttempts: 5 },
      }),
    ],
    violating: [resource("gcp:pubsub/subscription:Subscription", "events", { name: "events", topic: "t" })],
    message: /subscription "events" has no dead-letter topic/,
  },
  {
    policy: "gcp-audit-config-reads",
    what: "an audit config recording DATA_READ only",
    compliant: [
      resource("gcp:projects/iAMAuditConfig:IAMAuditConfig", "audit", {
        project: "p",
        service: "secretmanager.googleapis.com",
        auditLogConfigs: [{ logType: "ADMIN_READ" }, { logType: "DATA_READ" }],
      }),
    ],
    violating: [
      resource("gcp:projects/iAMAuditConfig:IAMAuditConfig", "audit", {
        project: "p",
        service: "secretmanager.googleapis.com",
        auditLogConfigs: [{ logType: "DATA_READ" }],
      }),
    ],
    message: /audit config of secretmanager.googleapis.com does not record ADMIN_READ/,
  },
  {
    policy: "gcp-audit-config-reads",
    what: "an audit config exempting a member",
    compliant: [],
    violating: [
      resource("gcp:projects/iAMAuditConfig:IAMAuditConfig", "audit", {
        project: "p",
        service: "bigquery.googleapis.com",
        auditLogConfigs: [
          { logType: "ADMIN_READ" },
          { logType: "DATA_READ", exemptedMembers: ["serviceAccount:job@p.iam.gserviceaccount.com"] },
        ],
      }),
    ],
    message: /exempts serviceAccount:job@p.iam.gserviceaccount.com from DATA_READ/,
  },
  {
    policy: "gcp-bigquery-no-public-access",
    what: "a dataset's whole IAM policy granting allAuthenticatedUsers",
    compliant: [
      resource("gcp:bigquery/datasetIamPolicy:DatasetIamPolicy", "policy", {
        datasetId: "costline_billing",
        policyData: JSON.stringify({ bindings: [{ role: "roles/bigquery.dataViewer", members: [SA] }] }),
      }),
    ],
    violating: [
      resource("gcp:bigquery/datasetIamPolicy:DatasetIamPolicy", "policy", {
        datasetId: "costline_billing",
        policyData: JSON.stringify({
          bindings: [{ role: "roles/bigquery.dataViewer", members: [SA, "allAuthenticatedUsers"] }],
        }),
      }),
    ],
    message: /the dataset is granted to allAuthenticatedUsers/,
  },
  {
    policy: "gcp-iam-no-public-members",
    what: "a secret readable by allUsers",
    compliant: [
      resource("gcp:secretmanager/secretIamMember:SecretIamMember", "reader", {
        secretId: "tenant-acme",
        role: "roles/secretmanager.secretAccessor",
        member: SA,
      }),
    ],
    violating: [
      resource("gcp:secretmanager/secretIamMember:SecretIamMember", "reader", {
        secretId: "tenant-acme",
        role: "roles/secretmanager.secretAccessor",
        member: "allUsers",
      }),
    ],
    message: /grants roles\/secretmanager\.secretAccessor to allUsers/,
  },
  {
    policy: "gcp-iam-no-public-members",
    what: "a Cloud Run service and a function invocable by anyone (binding, and IAM policy JSON)",
    compliant: [
      resource("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "invoker", {
        name: "costline-normalize",
        role: "roles/run.invoker",
        member: "serviceAccount:invoker@p.iam.gserviceaccount.com",
      }),
    ],
    violating: [
      resource("gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", "invoker", {
        name: "costline-normalize",
        role: "roles/run.invoker",
        members: ["serviceAccount:invoker@p.iam.gserviceaccount.com", "allUsers"],
      }),
      resource("gcp:cloudfunctionsv2/functionIamPolicy:FunctionIamPolicy", "fn-policy", {
        cloudFunction: "costline-normalize",
        policyData: JSON.stringify({
          bindings: [{ role: "roles/cloudfunctions.invoker", members: ["allAuthenticatedUsers"] }],
        }),
      }),
    ],
    message: /grants roles\/run\.invoker to allUsers/,
  },
  {
    policy: "gcp-iam-no-public-members",
    what: "a project IAM policy, a topic and a repository granted publicly",
    on: "project-policy",
    compliant: [
      resource("gcp:projects/iAMPolicy:IAMPolicy", "project-policy", {
        project: "p",
        policyData: JSON.stringify({ bindings: [{ role: "roles/bigquery.jobUser", members: [SA] }] }),
      }),
      // Policy data the plan cannot see is not judged, and does not fail the policy.
      resource("gcp:pubsub/topicIAMPolicy:TopicIAMPolicy", "hidden", { topic: "t", policyData: "[secret]" }),
      resource("gcp:pubsub/topicIAMPolicy:TopicIAMPolicy", "garbled", {
        topic: "t",
        policyData: "{not json",
      }),
    ],
    violating: [
      resource("gcp:projects/iAMPolicy:IAMPolicy", "project-policy", {
        project: "p",
        policyData: JSON.stringify({ bindings: [{ role: "roles/viewer", members: ["allUsers"] }] }),
      }),
      resource("gcp:pubsub/topicIAMMember:TopicIAMMember", "topic", {
        topic: "t",
        role: "roles/pubsub.publisher",
        member: "allAuthenticatedUsers",
      }),
      resource("gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", "images", {
        repository: "costline-jobs",
        role: "roles/artifactregistry.reader",
        member: "allUsers",
      }),
    ],
    message: /grants roles\/viewer to allUsers/,
  },
  {
    policy: "gcp-no-primitive-roles",
    what: "roles/owner hidden in a project's whole IAM policy",
    compliant: [
      resource("gcp:projects/iAMPolicy:IAMPolicy", "project-policy", {
        project: "p",
        policyData: JSON.stringify({ bindings: [{ role: "roles/bigquery.jobUser", members: [SA] }] }),
      }),
    ],
    violating: [
      resource("gcp:projects/iAMPolicy:IAMPolicy", "project-policy", {
        project: "p",
        policyData: JSON.stringify({
          bindings: [
            { role: "roles/bigquery.jobUser", members: [SA] },
            { role: "roles/owner", members: [SA] },
          ],
        }),
      }),
    ],
    message: /grants the primitive role roles\/owner/,
  },
  {
    policy: "gcp-iam-no-privilege-escalation",
    what: "Service Account Token Creator granted on the project",
    compliant: [
      member(PROJECT_MEMBER, "job-query", "roles/bigquery.jobUser", SA),
      // On one service account, the same role is the narrow way to let a caller impersonate it.
      resource(SA_MEMBER, "invoker-token", {
        serviceAccountId: "projects/p/serviceAccounts/job@p.iam.gserviceaccount.com",
        role: "roles/iam.serviceAccountTokenCreator",
        member: "serviceAccount:scheduler@p.iam.gserviceaccount.com",
      }),
    ],
    violating: [member(PROJECT_MEMBER, "token-creator", "roles/iam.serviceAccountTokenCreator", SA)],
    message:
      /grants roles\/iam\.serviceAccountTokenCreator on the project .* every service account of the project/,
  },
  {
    policy: "gcp-iam-no-privilege-escalation",
    what: "Service Account User on a folder binding, and an …Admin role in a project policy",
    on: "project-policy",
    compliant: [
      resource("gcp:folder/iAMBinding:IAMBinding", "folder-viewers", {
        folder: "folders/123",
        role: "roles/browser",
        members: ["group:finops@acme.example"],
      }),
    ],
    violating: [
      resource("gcp:projects/iAMPolicy:IAMPolicy", "project-policy", {
        project: "p",
        policyData: JSON.stringify({ bindings: [{ role: "roles/storage.admin", members: [SA] }] }),
      }),
      resource("gcp:folder/iAMBinding:IAMBinding", "folder-users", {
        folder: "folders/123",
        role: "roles/iam.serviceAccountUser",
        members: ["group:finops@acme.example"],
      }),
    ],
    message: /grants the administrative role roles\/storage\.admin on the whole project/,
  },
  {
    policy: "gcp-iam-no-privilege-escalation",
    what: "a break-glass role allowed by config, and workloadIdentityUser on an organization",
    config: { "gcp-iam-no-privilege-escalation": { allowedRoles: ["roles/iam.securityAdmin"] } },
    compliant: [
      resource("gcp:organizations/iAMMember:IAMMember", "break-glass", {
        orgId: "123",
        role: "roles/iam.securityAdmin",
        member: "group:break-glass@acme.example",
      }),
    ],
    violating: [
      resource("gcp:organizations/iAMMember:IAMMember", "wif-everything", {
        orgId: "123",
        role: "roles/iam.workloadIdentityUser",
        member: `${POOL}/attribute.aws_role/arn:aws:sts::999988887777:assumed-role/costline-platform`,
      }),
    ],
    message: /every service account of the organization/,
  },
  {
    policy: "gcp-no-default-service-accounts",
    what: "a role granted to the Compute Engine default service account",
    compliant: [member(PROJECT_MEMBER, "job-query", "roles/bigquery.jobUser", SA)],
    violating: [
      member(
        PROJECT_MEMBER,
        "default-sa",
        "roles/bigquery.jobUser",
        "serviceAccount:123456789012-compute@developer.gserviceaccount.com",
      ),
    ],
    message: /grants roles\/bigquery\.jobUser to the default service account/,
  },
  {
    policy: "gcp-no-default-service-accounts",
    what: "a function without a service account, and a Cloud Run job running as App Engine's",
    compliant: [
      fn2({ ingressSettings: "ALLOW_INTERNAL_ONLY", serviceAccountEmail: "job@p.iam.gserviceaccount.com" }),
    ],
    violating: [
      fn2({ ingressSettings: "ALLOW_INTERNAL_ONLY" }),
      resource("gcp:cloudrunv2/job:Job", "run-job", {
        location: "europe-west1",
        template: { template: { serviceAccount: "p@appspot.gserviceaccount.com", containers: [] } },
      }),
    ],
    message: /no service account is set, so it runs as the project's default compute service account/,
  },
  {
    policy: "gcp-iam-no-user-grants",
    what: "a role granted to a consumer account",
    compliant: [member(PROJECT_MEMBER, "group-grant", "roles/bigquery.jobUser", "group:finops@acme.example")],
    violating: [member(PROJECT_MEMBER, "gmail-grant", "roles/bigquery.jobUser", "user:someone@gmail.com")],
    message: /grants roles\/bigquery\.jobUser to the consumer account user:someone@gmail\.com/,
  },
  {
    policy: "gcp-cmek",
    what: "a topic, a bucket and a secret replica without a customer-managed key, when required",
    config: { "gcp-cmek": { requireCmek: true } },
    compliant: [
      resource("gcp:pubsub/topic:Topic", "events", { name: "events", kmsKeyName: KEY }),
      resource("gcp:storage/bucket:Bucket", "source", {
        location: "EU",
        encryption: { defaultKmsKeyName: KEY },
      }),
      resource("gcp:secretmanager/secret:Secret", "tenant", {
        secretId: "tenant-acme",
        replication: {
          userManaged: {
            replicas: [{ location: "europe-west1", customerManagedEncryption: { kmsKeyName: KEY } }],
          },
        },
      }),
      resource("gcp:artifactregistry/repository:Repository", "images", { format: "DOCKER", kmsKeyName: KEY }),
    ],
    violating: [
      resource("gcp:secretmanager/secret:Secret", "tenant", {
        secretId: "tenant-acme",
        replication: {
          userManaged: {
            replicas: [
              { location: "europe-west1", customerManagedEncryption: { kmsKeyName: KEY } },
              { location: "europe-west4" },
            ],
          },
        },
      }),
      resource("gcp:pubsub/topic:Topic", "events", { name: "events" }),
    ],
    message: /the secret is not encrypted with a customer-managed key/,
  },
  {
    policy: "gcp-cmek",
    what: "an automatically replicated secret and a repository without a key",
    config: { "gcp-cmek": { requireCmek: true } },
    compliant: [
      resource("gcp:secretmanager/secret:Secret", "tenant", {
        secretId: "tenant-acme",
        replication: { auto: { customerManagedEncryption: { kmsKeyName: KEY } } },
      }),
    ],
    violating: [
      resource("gcp:artifactregistry/repository:Repository", "images", { format: "DOCKER" }),
      resource("gcp:secretmanager/secret:Secret", "tenant", {
        secretId: "tenant-acme",
        replication: { auto: {} },
      }),
    ],
    message: /the repository is not encrypted with a customer-managed key/,
  },
  {
    policy: "gcp-bigquery-deletion-protection",
    what: "a table with deletion protection off (a view may)",
    compliant: [
      resource("gcp:bigquery/table:Table", "normalized", { datasetId: "d", tableId: "focus" }),
      resource("gcp:bigquery/table:Table", "view", {
        datasetId: "d",
        tableId: "monthly",
        deletionProtection: false,
        view: { query: "SELECT 1", useLegacySql: false },
      }),
    ],
    violating: [
      resource("gcp:bigquery/table:Table", "normalized", {
        datasetId: "d",
        tableId: "focus",
        deletionProtection: false,
      }),
    ],
    message: /table "focus" turns deletion protection off/,
  },
  {
    policy: "gcp-workload-identity-provider-condition",
    what: "a condition that is the constant true",
    compliant: [
      wifProvider("attribute.aws_role == 'arn:aws:sts::999988887777:assumed-role/costline-platform'"),
    ],
    violating: [wifProvider("true")],
    message: /reads no claim \(true\); it does not narrow who may federate/,
  },
  {
    policy: "gcp-workload-identity-provider-condition",
    what: "a claim check or-ed with a constant, inside parentheses",
    compliant: [
      wifProvider(
        "(assertion.arn.startsWith('arn:aws:sts::999988887777:assumed-role/a/') || assertion.arn.startsWith('arn:aws:sts::999988887777:assumed-role/b/'))",
      ),
      // "||" and claim names inside a string literal are text, not the expression.
      wifProvider("attribute.aws_role == 'x || true'"),
    ],
    violating: [wifProvider("(assertion.arn.startsWith('arn:aws:sts::999988887777:') || (1 == 1))")],
    message: /reads no claim \(1 == 1\)/,
  },
  {
    policy: "gcp-workload-identity-provider-condition",
    what: "a condition whose only claim is inside a string",
    compliant: [],
    violating: [wifProvider('"assertion.sub" != ""')],
    message: /reads no claim/,
  },
  ...(
    [
      ["gcp:bigquery/iamMember:IamMember", "roles/bigquery.dataViewer", { datasetId: "d", tableId: "t" }],
      ["gcp:pubsub/topicIAMMember:TopicIAMMember", "roles/pubsub.subscriber", { topic: "t" }],
      [
        "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember",
        "roles/cloudfunctions.invoker",
        { cloudFunction: "f" },
      ],
      [
        "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        "roles/artifactregistry.reader",
        { repository: "r" },
      ],
      [
        "gcp:serviceaccount/iAMMember:IAMMember",
        "roles/iam.serviceAccountUser",
        { serviceAccountId: "projects/p/serviceAccounts/job@p.iam.gserviceaccount.com" },
      ],
    ] as const
  ).map(
    ([type, role, target]): PolicyCase => ({
      policy: "gcp-iam-no-public-members",
      what: `a public ${type.split(":").pop()}`,
      compliant: [resource(type, "grant", { ...target, role, member: SA })],
      violating: [resource(type, "grant", { ...target, role, member: "allUsers" })],
      message: new RegExp(`grants ${role.replace(/\./g, "\\.")} to allUsers`),
    }),
  ),
  ...(["folder", "organizations"] as const).map(
    (level): PolicyCase => ({
      policy: "gcp-iam-no-privilege-escalation",
      what: `Service Account User on the ${level}`,
      compliant: [
        resource(`gcp:${level}/iAMMember:IAMMember`, "grant", { role: "roles/browser", member: SA }),
      ],
      violating: [
        resource(`gcp:${level}/iAMMember:IAMMember`, "grant", {
          role: "roles/iam.serviceAccountUser",
          member: SA,
        }),
      ],
      message: /grants roles\/iam\.serviceAccountUser on the (folder|organization)/,
    }),
  ),
  ...(["folder", "organizations"] as const).map(
    (level): PolicyCase => ({
      policy: "gcp-no-default-service-accounts",
      what: `a role for App Engine's default service account on the ${level}`,
      compliant: [
        resource(`gcp:${level}/iAMMember:IAMMember`, "grant", { role: "roles/browser", member: SA }),
      ],
      violating: [
        resource(`gcp:${level}/iAMMember:IAMMember`, "grant", {
          role: "roles/browser",
          member: "serviceAccount:acme-prod@appspot.gserviceaccount.com",
        }),
      ],
      message: /to the default service account serviceAccount:acme-prod@appspot/,
    }),
  ),
  {
    policy: "gcp-iam-no-user-grants",
    what: "a role granted to one person",
    compliant: [member(PROJECT_MEMBER, "sa-grant", "roles/bigquery.jobUser", SA)],
    violating: [member(PROJECT_MEMBER, "user-grant", "roles/bigquery.jobUser", "user:ana@acme.example")],
    message: /grants roles\/bigquery\.jobUser to the user user:ana@acme\.example; grant it to a group/,
  },
  {
    policy: "gcp-storage-no-public-access",
    what: "a bucket without uniform bucket-level access",
    compliant: [privateBucket()],
    violating: [
      resource("gcp:storage/bucket:Bucket", "source", { location: "EU", publicAccessPrevention: "enforced" }),
    ],
    message: /does not set uniformBucketLevelAccess: true/,
  },
  ...(
    [
      ["gcp:pubsub/topic:Topic", "topic", { name: "events", kmsKeyName: KEY }],
      ["gcp:storage/bucket:Bucket", "bucket", { location: "EU", encryption: { defaultKmsKeyName: KEY } }],
    ] as const
  ).map(
    ([type, what, keyed]): PolicyCase => ({
      policy: "gcp-cmek",
      what: `a ${what} without a customer-managed key, when required`,
      config: { "gcp-cmek": { requireCmek: true } },
      compliant: [resource(type, what, keyed)],
      violating: [resource(type, what, { location: "EU" })],
      message: new RegExp(`the ${what} is not encrypted with a customer-managed key`),
    }),
  ),
  {
    policy: "gcp-storage-versioning",
    what: "a bucket without object versioning",
    compliant: [
      resource("gcp:storage/bucket:Bucket", "source", { name: "src", versioning: { enabled: true } }),
    ],
    violating: [resource("gcp:storage/bucket:Bucket", "source", { name: "src" })],
    message: /bucket "src" does not keep object versions/,
  },
  ...auditLoggingCases(),
];

/** A project holding the tenant secret and a dataset, audited and kept 400 days; each case changes one thing. */
function auditLoggingCases(): PolicyCase[] {
  const secret = resource("gcp:secretmanager/secret:Secret", "tenant", {
    project: "p",
    secretId: "tenant-acme",
  });
  const configOf = (service: string, logTypes = ["ADMIN_READ", "DATA_READ"]) =>
    resource("gcp:projects/iAMAuditConfig:IAMAuditConfig", `audit-${service.split(".")[0]}`, {
      project: "p",
      service,
      auditLogConfigs: logTypes.map((logType) => ({ logType })),
    });
  const bucket = (retentionDays?: number) =>
    resource("gcp:logging/projectBucketConfig:ProjectBucketConfig", "audit-bucket", {
      project: "p",
      location: "europe-west1",
      bucketId: "costline-acme-audit",
      ...(retentionDays === undefined ? {} : { retentionDays }),
    });
  const sink = (props: Record<string, unknown> = {}) =>
    resource("gcp:logging/projectSink:ProjectSink", "audit-sink", {
      project: "p",
      name: "costline-acme-audit",
      destination: "logging.googleapis.com/projects/p/locations/europe-west1/buckets/costline-acme-audit",
      filter: 'logName:"cloudaudit.googleapis.com"',
      ...props,
    });
  const kept = [bucket(400), sink()];
  const config = { "gcp-audit-logging": { minimumRetentionDays: 400 } };
  return [
    {
      policy: "gcp-audit-logging",
      what: "a secret whose service records no Data Access logs",
      config,
      compliant: [secret, configOf("secretmanager.googleapis.com"), ...kept],
      violating: [secret, configOf("bigquery.googleapis.com"), ...kept],
      message: /project p does not record ADMIN_READ and DATA_READ of secretmanager.googleapis.com/,
    },
    {
      policy: "gcp-audit-logging",
      what: "a dataset whose service records ADMIN_READ only (allServices counts)",
      config,
      compliant: [dataset({ project: "p" }), configOf("allServices"), ...kept],
      violating: [dataset({ project: "p" }), configOf("bigquery.googleapis.com", ["ADMIN_READ"]), ...kept],
      message: /does not record DATA_READ of bigquery.googleapis.com/,
    },
    {
      policy: "gcp-audit-logging",
      what: "audit logs left to the _Default bucket",
      config,
      compliant: [secret, configOf("secretmanager.googleapis.com"), ...kept],
      violating: [secret, configOf("secretmanager.googleapis.com"), bucket(400)],
      message:
        /routes its audit logs to no log bucket of this stack, so only _Default keeps them \(30 days\)/,
    },
    {
      policy: "gcp-audit-logging",
      what: "a log bucket kept fewer days than asked",
      config,
      compliant: [secret, configOf("secretmanager.googleapis.com"), ...kept],
      violating: [secret, configOf("secretmanager.googleapis.com"), bucket(90), sink()],
      message: /keeps its audit logs 90 days; keep them at least 400/,
    },
    {
      policy: "gcp-audit-logging",
      what: "a log bucket fed by a disabled sink, or by a sink of other logs",
      config,
      compliant: [secret, configOf("secretmanager.googleapis.com"), ...kept],
      violating: [
        secret,
        configOf("secretmanager.googleapis.com"),
        bucket(400),
        sink({ disabled: true }),
        resource("gcp:logging/projectSink:ProjectSink", "app-sink", {
          project: "p",
          destination: "logging.googleapis.com/projects/p/locations/europe-west1/buckets/costline-acme-audit",
          filter: 'resource.type="cloud_function"',
        }),
      ],
      message: /only _Default keeps them/,
    },
  ];
}
