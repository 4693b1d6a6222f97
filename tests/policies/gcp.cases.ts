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
    compliant: [
      resource("gcp:storage/bucket:Bucket", "source", {
        location: "EU",
        publicAccessPrevention: "enforced",
        uniformBucketLevelAccess: true,
      }),
    ],
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
