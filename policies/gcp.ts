import * as gcp from "@pulumi/gcp";
import {
  type PolicyResource,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  validateResourceOfType,
} from "@pulumi/policy";
import { AUDIT_RETENTION_SCHEMA, minimumRetentionDays } from "./lib/audit";
import {
  type Grant,
  grantsOf,
  HIERARCHY_GRANT_TYPE,
  IAM_GRANT_TYPE,
  PUBLIC_MEMBERS,
  publicMembersOf,
} from "./lib/gcp-iam";
import { describePlaintextSecrets, plaintextSecrets } from "./lib/secret-values";
import { type CostlinePolicy, list, record, resourcesOf, settingsOf, typeToken, stringList } from "./policy";

// The grants of datasets and buckets are judged by those services' own public-access policies.
const DATASET_GRANTS = [
  gcp.bigquery.DatasetIamMember,
  gcp.bigquery.DatasetIamBinding,
  gcp.bigquery.DatasetIamPolicy,
].map((c) => typeToken(c));
const BUCKET_GRANTS = [
  gcp.storage.BucketIAMMember,
  gcp.storage.BucketIAMBinding,
  gcp.storage.BucketIAMPolicy,
].map((c) => typeToken(c));

/** A validation of each grant an IAM resource makes; a resource whose type `grants` does not match is not applicable. */
const eachGrant =
  (
    grants: RegExp,
    judge: (grant: Grant, report: ReportViolation, args: ResourceValidationArgs) => void,
  ): ResourceValidation =>
  (args, report) => {
    if (!grants.test(args.type)) args.notApplicable("not an IAM grant of this kind");
    for (const grant of grantsOf(args.props)) judge(grant, report, args);
  };

const CMEK_STORES_SCHEMA = {
  properties: {
    requireCmek: {
      type: "boolean" as const,
      default: false,
      description:
        "Require a customer-managed KMS key on Pub/Sub topics, Secret Manager secrets, Artifact Registry repositories and Cloud Storage buckets.",
    },
  },
};

/** Where each store names its customer-managed key; a secret needs one on every replica. */
const CMEK_STORES: [
  cls: Parameters<typeof typeToken>[0],
  what: string,
  keyOf: (p: Record<string, unknown>) => unknown,
][] = [
  [gcp.pubsub.Topic, "topic", (p) => p.kmsKeyName],
  [gcp.artifactregistry.Repository, "repository", (p) => p.kmsKeyName],
  [gcp.storage.Bucket, "bucket", (p) => record(p.encryption).defaultKmsKeyName],
  [
    gcp.secretmanager.Secret,
    "secret",
    (p) => {
      const replication = record(p.replication);
      if (replication.auto !== undefined)
        return record(record(replication.auto).customerManagedEncryption).kmsKeyName;
      const replicas = list(record(replication.userManaged).replicas).map(record);
      return replicas.length > 0 &&
        replicas.every((r) => record(r.customerManagedEncryption).kmsKeyName !== undefined)
        ? "every replica"
        : undefined;
    },
  ],
];

const ESCALATION_SCHEMA = {
  properties: {
    allowedRoles: stringList(
      [],
      "Roles this policy flags that a project, folder or organization grant may still give (e.g. a break-glass group's role).",
    ),
  },
};

// Roles that let a member act as any service account under the grant.
const IMPERSONATION_ROLES = [
  "roles/iam.serviceAccountTokenCreator",
  "roles/iam.serviceAccountUser",
  "roles/iam.serviceAccountOpenIdTokenCreator",
  "roles/iam.workloadIdentityUser",
];
const isAdminRole = (role: string) => /admin$/i.test(role.split("/").pop() ?? "");
const LEVEL_NAMES: Record<string, string> = {
  projects: "project",
  folder: "folder",
  organizations: "organization",
};

// Google's default service accounts: Compute Engine's and App Engine's, made with broad roles.
const DEFAULT_SERVICE_ACCOUNT =
  /^serviceAccount:(\d+-compute@developer|[a-z][a-z0-9-]*@appspot)\.gserviceaccount\.com$/;

/** The parenthesis depth of each character of a CEL expression, -1 inside a string literal. */
function depths(expr: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let quote = "";
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (quote || ch === '"' || ch === "'") {
      if (!quote) quote = ch;
      else if (ch === "\\") {
        out.push(-1);
        i++;
      } else if (ch === quote) quote = "";
      out.push(-1);
      continue;
    }
    if (ch === ")") depth--;
    out.push(depth);
    if (ch === "(") depth++;
  }
  return out;
}

/** The top-level `||` alternatives of a CEL expression; a parenthesized one is split in turn. */
function alternatives(expr: string): string[] {
  const d = depths(expr);
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < expr.length - 1; i++) {
    if (d[i] === 0 && d[i + 1] === 0 && expr[i] === "|" && expr[i + 1] === "|") {
      parts.push(expr.slice(start, i));
      start = i + 2;
    }
  }
  parts.push(expr.slice(start));
  return parts.flatMap((part) => {
    const t = part.trim();
    const dt = depths(t);
    // "(a || b)" is wrapped; "(a) && (b)" is not: its first parenthesis closes before the end.
    const wrapped =
      t.startsWith("(") && [...t].findIndex((ch, i) => ch === ")" && dt[i] === 0) === t.length - 1;
    return wrapped ? alternatives(t.slice(1, -1)) : [t];
  });
}

/** Whether a CEL expression reads a claim of the token (assertion, attribute or google), outside string literals. */
const readsClaim = (expr: string) =>
  /\b(assertion|attribute|google)\./.test(expr.replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, "''"));

const CMEK_SCHEMA = {
  properties: {
    requireCmek: {
      type: "boolean" as const,
      default: false,
      description:
        "Require a customer-managed KMS key on every BigQuery dataset (the tenant's gcp.kmsKeyName).",
    },
  },
};

const PRIMITIVE_SCHEMA = {
  properties: {
    forbiddenRoles: stringList(
      ["roles/owner", "roles/editor", "roles/viewer"],
      "Roles too broad to grant to any member.",
    ),
  },
};

const INGRESS_SCHEMA = {
  properties: {
    allowedIngress: {
      type: "array" as const,
      items: {
        type: "string" as const,
        enum: ["ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB", "ALLOW_ALL"],
      },
      minItems: 1,
      default: ["ALLOW_INTERNAL_ONLY"],
      description: "Ingress settings a function may use (a scheduled job needs no public ingress).",
    },
  },
};

// Cloud Run names the same three settings differently.
const RUN_INGRESS: Record<string, string> = {
  INGRESS_TRAFFIC_INTERNAL_ONLY: "ALLOW_INTERNAL_ONLY",
  INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER: "ALLOW_INTERNAL_AND_GCLB",
  INGRESS_TRAFFIC_ALL: "ALLOW_ALL",
};

/** Cloud Run containers' env entries (`envs: [{name, value}]`) as name/value pairs. */
const runEnvs = (containers: unknown): [string, unknown][] =>
  list(containers).flatMap((c) =>
    list(record(c).envs).map((e) => [String(record(e).name), record(e).value] as [string, unknown]),
  );

/** The resources that hold credentials or cost data, by the service whose Data Access logs record their reads. */
const AUDITED_HOLDERS: [service: string, type: string][] = [
  ["secretmanager.googleapis.com", typeToken(gcp.secretmanager.Secret)],
  ["bigquery.googleapis.com", typeToken(gcp.bigquery.Dataset)],
  ["storage.googleapis.com", typeToken(gcp.storage.Bucket)],
];

// A resource without a project is in its provider's project; resources alike are judged together.
const projectOf = (r: PolicyResource) => (typeof r.props.project === "string" ? r.props.project : "");
const projectLabel = (project: string) => (project ? `project ${project}` : "the provider's project");

export const gcpPolicies: CostlinePolicy[] = [
  {
    name: "gcp-bigquery-cmek",
    description: "BigQuery datasets use the customer-managed KMS key when the tenant requires one.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set defaultEncryptionConfiguration.kmsKeyName on the dataset to the tenant's KMS key.",
    configSchema: CMEK_SCHEMA,
    validateResource: validateResourceOfType(gcp.bigquery.Dataset, (dataset, args, report) => {
      const { requireCmek } = settingsOf<{ requireCmek: boolean }>(args, CMEK_SCHEMA);
      if (!requireCmek) args.notApplicable("customer-managed keys are not required");
      if (!dataset.defaultEncryptionConfiguration?.kmsKeyName) {
        report(
          `dataset "${dataset.datasetId}" has no customer-managed key (defaultEncryptionConfiguration.kmsKeyName)`,
        );
      }
    }),
  },
  {
    name: "gcp-bigquery-no-public-access",
    description: "No BigQuery dataset is readable by allUsers or allAuthenticatedUsers.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Grant the dataset to named service accounts or groups only.",
    validateResource: (args, report) => {
      let members: string[];
      if (args.type === typeToken(gcp.bigquery.Dataset)) {
        members = list(args.props.accesses).flatMap((a) =>
          [record(a).specialGroup, record(a).iamMember].map(String),
        );
      } else if (args.type === typeToken(gcp.bigquery.DatasetAccess)) {
        members = [String(args.props.specialGroup), String(args.props.iamMember)];
      } else if (DATASET_GRANTS.includes(args.type)) {
        members = publicMembersOf(grantsOf(args.props));
      } else {
        return args.notApplicable("not a BigQuery dataset or dataset grant");
      }
      const open = [...new Set(members.filter((m) => PUBLIC_MEMBERS.includes(m)))];
      if (open.length > 0) report(`the dataset is granted to ${open.join(" and ")}`);
    },
  },
  {
    name: "gcp-storage-no-public-access",
    description:
      "Cloud Storage buckets enforce public access prevention and uniform access, and are granted to no public member.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      'Set publicAccessPrevention: "enforced" and uniformBucketLevelAccess: true; remove allUsers/allAuthenticatedUsers grants.',
    validateResource: (args, report) => {
      if (args.type === typeToken(gcp.storage.Bucket)) {
        const bucket = args.props as gcp.storage.BucketArgs;
        if (bucket.publicAccessPrevention !== "enforced")
          report('the bucket does not set publicAccessPrevention: "enforced"');
        if (bucket.uniformBucketLevelAccess !== true)
          report("the bucket does not set uniformBucketLevelAccess: true");
      } else if (BUCKET_GRANTS.includes(args.type)) {
        const open = publicMembersOf(grantsOf(args.props));
        if (open.length > 0) report(`the bucket is granted to ${open.join(" and ")}`);
      } else {
        args.notApplicable("not a Cloud Storage bucket or bucket grant");
      }
    },
  },
  {
    name: "gcp-functions-internal-ingress",
    description:
      "Cloud Functions and Cloud Run services accept only internal traffic unless configured otherwise.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Set serviceConfig.ingressSettings: "ALLOW_INTERNAL_ONLY" (Cloud Run: ingress "INGRESS_TRAFFIC_INTERNAL_ONLY").',
    configSchema: INGRESS_SCHEMA,
    validateResource: (args, report) => {
      const { allowedIngress } = settingsOf<{ allowedIngress: string[] }>(args, INGRESS_SCHEMA);
      let ingress: string;
      if (args.type === typeToken(gcp.cloudfunctionsv2.Function)) {
        // The API's default when unset is ALLOW_ALL.
        ingress = String(record(args.props.serviceConfig).ingressSettings ?? "ALLOW_ALL");
      } else if (args.type === typeToken(gcp.cloudfunctions.Function)) {
        ingress = String(args.props.ingressSettings ?? "ALLOW_ALL");
      } else if (args.type === typeToken(gcp.cloudrunv2.Service)) {
        ingress =
          RUN_INGRESS[String(args.props.ingress ?? "INGRESS_TRAFFIC_ALL")] ?? String(args.props.ingress);
      } else {
        return args.notApplicable("not a function or service with ingress");
      }
      if (!allowedIngress.includes(ingress))
        report(`ingress is ${ingress}; allowed: ${allowedIngress.join(", ")}`);
    },
  },
  {
    name: "gcp-no-primitive-roles",
    description: "No IAM grant uses the primitive roles owner, editor or viewer.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Grant a predefined or custom role with only the needed permissions (e.g. roles/bigquery.dataViewer).",
    configSchema: PRIMITIVE_SCHEMA,
    validateResource: eachGrant(IAM_GRANT_TYPE, ({ role, members }, report, args) => {
      const { forbiddenRoles } = settingsOf<{ forbiddenRoles: string[] }>(args, PRIMITIVE_SCHEMA);
      if (forbiddenRoles.includes(role)) report(`grants the primitive role ${role} to ${members.join(", ")}`);
    }),
  },
  {
    name: "gcp-no-pool-wide-workload-identity",
    description: "Workload identity grants name one subject or attribute, never a whole pool.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Grant principal://…/subject/SUBJECT or principalSet://…/attribute.NAME/VALUE instead of principalSet://…/workloadIdentityPools/POOL/*.",
    validateResource: eachGrant(IAM_GRANT_TYPE, ({ role, members }, report) => {
      const poolWide = members.filter((m) =>
        /^principalSet:\/\/.*\/workloadIdentityPools\/[^/]+\/\*$/.test(m),
      );
      if (poolWide.length > 0) report(`grants ${role} to every identity of a pool: ${poolWide.join(", ")}`);
    }),
  },
  {
    name: "gcp-workload-identity-provider-condition",
    description:
      "Workload identity pool providers admit only tokens that match an attribute condition, and every alternative of that condition reads a claim of the token (a constant such as true admits every identity of the issuer).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Set attributeCondition (e.g. assertion.arn.startsWith('arn:aws:sts::ACCOUNT:assumed-role/ROLE/')).",
    validateResource: validateResourceOfType(
      gcp.iam.WorkloadIdentityPoolProvider,
      (provider, _args, report) => {
        const id = provider.workloadIdentityPoolProviderId;
        const condition = provider.attributeCondition;
        if (!condition) {
          report(
            `pool provider "${id}" has no attributeCondition; any identity of its issuer could federate`,
          );
        } else if (typeof condition === "string") {
          const constant = alternatives(condition).filter((a) => !readsClaim(a));
          if (constant.length > 0)
            report(
              `pool provider "${id}"'s attributeCondition has an alternative that reads no claim (${constant.join(", ")}); it does not narrow who may federate`,
            );
        }
      },
    ),
  },
  {
    name: "gcp-no-service-account-keys",
    description: "No service account key is created; identities federate instead.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the key and use Workload Identity Federation or an attached service account.",
    validateResource: validateResourceOfType(gcp.serviceaccount.Key, (key, _args, report) => {
      report(`creates a long-lived key for service account ${key.serviceAccountId}`);
    }),
  },
  {
    name: "gcp-functions-no-plaintext-secrets",
    description: "Function and Cloud Run environments hold references to secrets, never the secrets.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Store the value in Secret Manager and use secretEnvironmentVariables (Cloud Run: valueSource.secretKeyRef) or pass the secret's name.",
    validateResource: (args, report) => {
      let entries: [string, unknown][];
      if (args.type === typeToken(gcp.cloudfunctionsv2.Function)) {
        entries = [
          ...Object.entries(record(record(args.props.serviceConfig).environmentVariables)),
          ...Object.entries(record(record(args.props.buildConfig).environmentVariables)),
        ];
      } else if (args.type === typeToken(gcp.cloudfunctions.Function)) {
        entries = [
          ...Object.entries(record(args.props.environmentVariables)),
          ...Object.entries(record(args.props.buildEnvironmentVariables)),
        ];
      } else if (args.type === typeToken(gcp.cloudrunv2.Service)) {
        entries = runEnvs(record(args.props.template).containers);
      } else if (args.type === typeToken(gcp.cloudrunv2.Job)) {
        entries = runEnvs(record(record(args.props.template).template).containers);
      } else {
        return args.notApplicable("not a function or Cloud Run workload");
      }
      const found = plaintextSecrets(entries);
      if (found.length > 0)
        report(describePlaintextSecrets("the environment", found, "Reference Secret Manager instead."));
    },
  },
  {
    name: "gcp-pubsub-dead-letter",
    description: "Pub/Sub subscriptions send undeliverable messages to a dead-letter topic.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Set deadLetterPolicy.deadLetterTopic (and maxDeliveryAttempts) on the subscription.",
    validateResource: validateResourceOfType(gcp.pubsub.Subscription, (sub, _args, report) => {
      if (!sub.deadLetterPolicy?.deadLetterTopic)
        report(`subscription "${sub.name}" has no dead-letter topic`);
    }),
  },
  {
    name: "gcp-audit-config-reads",
    description:
      "Project audit configs record both ADMIN_READ and DATA_READ, and exempt no one: reads of secrets and data are what an audit must show.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'List { logType: "ADMIN_READ" } and { logType: "DATA_READ" } in auditLogConfigs, without exemptedMembers.',
    validateResource: validateResourceOfType(gcp.projects.IAMAuditConfig, (config, _args, report) => {
      const configs = list(config.auditLogConfigs).map(record);
      for (const logType of ["ADMIN_READ", "DATA_READ"]) {
        if (!configs.some((c) => c.logType === logType))
          report(`the audit config of ${config.service} does not record ${logType}`);
      }
      for (const c of configs) {
        if (list(c.exemptedMembers).length > 0)
          report(
            `the audit config of ${config.service} exempts ${list(c.exemptedMembers).join(", ")} from ${c.logType}`,
          );
      }
    }),
  },
  {
    name: "gcp-audit-logging",
    description:
      "A project that holds secrets, datasets or buckets records their reads (Data Access audit logs, ADMIN_READ and DATA_READ, for each of those services) and routes its audit logs to a log bucket kept at least the configured days (the _Default bucket keeps 30).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Add a gcp.projects.IAMAuditConfig per service (or allServices) with ADMIN_READ and DATA_READ, and a gcp.logging.ProjectBucketConfig with retentionDays at least minimumRetentionDays fed by a gcp.logging.ProjectSink of the cloudaudit logs.",
    configSchema: AUDIT_RETENTION_SCHEMA,
    validateStack: (args, report) => {
      const minimum = minimumRetentionDays(args);
      const ofType = (cls: Parameters<typeof typeToken>[0]) => resourcesOf(args.resources, cls);
      const holders = AUDITED_HOLDERS.flatMap(([service, type]) =>
        args.resources.filter((r) => r.type === type).map((r) => ({ service, r })),
      );
      if (holders.length === 0) args.notApplicable("no secrets, datasets or buckets");
      const configs = ofType(gcp.projects.IAMAuditConfig);
      const reported = new Set<string>();
      for (const { service, r } of holders) {
        const key = `${projectOf(r)} ${service}`;
        if (reported.has(key)) continue;
        const logged = (logType: string) =>
          configs.some(
            (c) =>
              projectOf(c) === projectOf(r) &&
              (c.props.service === service || c.props.service === "allServices") &&
              list(c.props.auditLogConfigs).some((l) => record(l).logType === logType),
          );
        const off = ["ADMIN_READ", "DATA_READ"].filter((t) => !logged(t));
        if (off.length > 0) {
          reported.add(key);
          report(`${projectLabel(projectOf(r))} does not record ${off.join(" and ")} of ${service}`, r.urn);
        }
      }
      const buckets = ofType(gcp.logging.ProjectBucketConfig);
      const sinks = ofType(gcp.logging.ProjectSink).filter(
        (k) =>
          k.props.disabled !== true &&
          (typeof k.props.filter !== "string" ||
            k.props.filter === "" ||
            k.props.filter.includes("cloudaudit.googleapis.com")),
      );
      for (const project of new Set(holders.map(({ r }) => projectOf(r)))) {
        const kept = sinks
          .filter((k) => projectOf(k) === project)
          .flatMap((k) =>
            buckets.filter(
              (b) =>
                typeof k.props.destination === "string" &&
                k.props.destination.endsWith(`/locations/${b.props.location}/buckets/${b.props.bucketId}`),
            ),
          )
          .map((b) => (typeof b.props.retentionDays === "number" ? b.props.retentionDays : 30));
        const longest = kept.length ? Math.max(...kept) : 30;
        if (longest < minimum)
          report(
            kept.length
              ? `${projectLabel(project)} keeps its audit logs ${longest} days; keep them at least ${minimum}`
              : `${projectLabel(project)} routes its audit logs to no log bucket of this stack, so only _Default keeps them (30 days); keep them at least ${minimum}`,
            holders.find(({ r }) => projectOf(r) === project)!.r.urn,
          );
      }
    },
  },
  {
    name: "gcp-iam-no-public-members",
    description:
      "No IAM grant of any service (a member, a binding or a whole policy: projects, secrets, service accounts, topics, functions, Cloud Run, repositories, tables) gives a role to allUsers or allAuthenticatedUsers.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Grant the role to named service accounts, groups or workload identities; a scheduled job is invoked by its scheduler's service account, never by allUsers.",
    validateResource: eachGrant(IAM_GRANT_TYPE, (grant, report, args) => {
      if (DATASET_GRANTS.includes(args.type) || BUCKET_GRANTS.includes(args.type))
        args.notApplicable("judged by gcp-bigquery-no-public-access or gcp-storage-no-public-access");
      const open = publicMembersOf([grant]);
      if (open.length > 0) report(`grants ${grant.role} to ${open.join(" and ")}`);
    }),
  },
  {
    name: "gcp-iam-no-privilege-escalation",
    description:
      "No project, folder or organization grant gives a role that acts as any service account there (Service Account User, Token Creator, Workload Identity User) or an administrative role (…Admin): grant those on one resource instead.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Grant roles/iam.serviceAccountUser or workloadIdentityUser on the one service account (gcp.serviceaccount.IAMMember), and a narrower role than …Admin on the one resource it manages.",
    configSchema: ESCALATION_SCHEMA,
    validateResource: eachGrant(HIERARCHY_GRANT_TYPE, ({ role, members }, report, args) => {
      const { allowedRoles } = settingsOf<{ allowedRoles: string[] }>(args, ESCALATION_SCHEMA);
      const level = LEVEL_NAMES[args.type.slice(4).split("/")[0]];
      if (allowedRoles.includes(role) || members.length === 0) return;
      if (IMPERSONATION_ROLES.includes(role))
        report(
          `grants ${role} on the ${level} to ${members.join(", ")}: it can act as every service account of the ${level}`,
        );
      else if (isAdminRole(role))
        report(`grants the administrative role ${role} on the whole ${level} to ${members.join(", ")}`);
    }),
  },
  {
    name: "gcp-no-default-service-accounts",
    description:
      "Google's default service accounts (Compute Engine's, App Engine's) are granted nothing on a project, folder or organization, and no function or Cloud Run workload runs as one by leaving its service account unset.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Create a service account for the workload, grant it only what it needs, and set serviceConfig.serviceAccountEmail (Cloud Run: template.serviceAccount).",
    validateResource: (args, report) => {
      if (HIERARCHY_GRANT_TYPE.test(args.type)) {
        for (const { role, members } of grantsOf(args.props)) {
          const defaults = members.filter((m) => DEFAULT_SERVICE_ACCOUNT.test(m));
          if (defaults.length > 0)
            report(`grants ${role} to the default service account ${defaults.join(", ")}`);
        }
        return;
      }
      const account =
        args.type === typeToken(gcp.cloudfunctionsv2.Function)
          ? record(args.props.serviceConfig).serviceAccountEmail
          : args.type === typeToken(gcp.cloudfunctions.Function)
            ? args.props.serviceAccountEmail
            : args.type === typeToken(gcp.cloudrunv2.Service)
              ? record(args.props.template).serviceAccount
              : args.type === typeToken(gcp.cloudrunv2.Job)
                ? record(record(args.props.template).template).serviceAccount
                : args.notApplicable(
                    "not a grant on the resource hierarchy, a function or a Cloud Run workload",
                  );
      if (account === undefined || account === "")
        report("no service account is set, so it runs as the project's default compute service account");
      else if (DEFAULT_SERVICE_ACCOUNT.test(`serviceAccount:${account}`))
        report(`runs as the default service account ${account}`);
    },
  },
  {
    name: "gcp-iam-no-user-grants",
    description:
      "IAM grants name groups, service accounts or workload identities, not individual users, and never a consumer (gmail.com) account.",
    // Advisory: a tenant may grant one named owner; a group is what outlives a person leaving.
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
      "Grant the role to a Google group (group:…) that the person joins, or to a service account.",
    validateResource: eachGrant(IAM_GRANT_TYPE, ({ role, members }, report) => {
      const users = members.filter((m) => /^user:/.test(m));
      const consumer = members.filter((m) => /@(gmail|googlemail)\.com$/i.test(m));
      if (consumer.length > 0) report(`grants ${role} to the consumer account ${consumer.join(", ")}`);
      else if (users.length > 0)
        report(`grants ${role} to the user ${users.join(", ")}; grant it to a group`);
    }),
  },
  {
    name: "gcp-cmek",
    description:
      "Pub/Sub topics, Secret Manager secrets (every replica), Artifact Registry repositories and Cloud Storage buckets use a customer-managed KMS key when required.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Set kmsKeyName (topics, repositories), encryption.defaultKmsKeyName (buckets) or replication.*.customerManagedEncryption.kmsKeyName (secrets), and grant the service agent cryptoKeyEncrypterDecrypter on the key.",
    configSchema: CMEK_STORES_SCHEMA,
    validateResource: (args, report) => {
      const store = CMEK_STORES.find(([cls]) => typeToken(cls) === args.type);
      if (!store) return args.notApplicable("not a topic, secret, repository or bucket");
      if (!settingsOf<{ requireCmek: boolean }>(args, CMEK_STORES_SCHEMA).requireCmek)
        args.notApplicable("customer-managed keys are not required");
      const [, what, keyOf] = store;
      if (!keyOf(args.props)) report(`the ${what} is not encrypted with a customer-managed key`);
    },
  },
  {
    name: "gcp-bigquery-deletion-protection",
    description: "BigQuery tables that hold data keep deletion protection on (views hold none).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Leave deletionProtection at its default (true) on tables; only views may set it false.",
    validateResource: validateResourceOfType(gcp.bigquery.Table, (table, _args, report) => {
      if (table.view !== undefined || table.materializedView !== undefined) return;
      if (table.deletionProtection === false)
        report(`table "${table.tableId}" turns deletion protection off`);
    }),
  },
  {
    name: "gcp-storage-versioning",
    description: "Cloud Storage buckets keep earlier versions of overwritten and deleted objects.",
    // Advisory: Costline's only bucket holds the function's build source, uploaded again on every deploy.
    enforcementLevel: "advisory",
    severity: "low",
    remediationSteps:
      "Set versioning.enabled: true, with a lifecycle rule that deletes old versions after some days.",
    validateResource: validateResourceOfType(gcp.storage.Bucket, (bucket, _args, report) => {
      if (bucket.versioning?.enabled !== true)
        report(`bucket "${bucket.name}" does not keep object versions`);
    }),
  },
];
