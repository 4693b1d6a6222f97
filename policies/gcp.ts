import * as gcp from "@pulumi/gcp";
import { type PolicyResource, validateResourceOfType } from "@pulumi/policy";
import { describePlaintextSecrets, plaintextSecrets } from "./lib/secret-values";
import { AUDIT_RETENTION_SCHEMA, minimumRetentionDays } from "./lib/audit";
import { type CostlinePolicy, list, record, resourcesOf, settingsOf, typeToken } from "./policy";

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

/** IAM grant resources of any GCP service: one `member` or several `members`, and a `role`. */
const IAM_GRANT_TYPE = /^gcp:[^:]+:[A-Za-z0-9]*(IamMember|IamBinding|IAMMember|IAMBinding)$/;

const membersOf = (props: Record<string, unknown>): string[] =>
  [props.member, ...list(props.members)].filter((m): m is string => typeof m === "string");

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
    forbiddenRoles: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["roles/owner", "roles/editor", "roles/viewer"],
      description: "Roles too broad to grant to any member.",
    },
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
      const bigqueryGrants = [
        gcp.bigquery.DatasetIamMember,
        gcp.bigquery.DatasetIamBinding,
        gcp.bigquery.DatasetAccess,
      ];
      let members: string[];
      if (args.type === typeToken(gcp.bigquery.Dataset)) {
        members = list(args.props.accesses).flatMap((a) =>
          [record(a).specialGroup, record(a).iamMember].map(String),
        );
      } else if (bigqueryGrants.some((c) => typeToken(c) === args.type)) {
        members = [...membersOf(args.props), String(args.props.specialGroup), String(args.props.iamMember)];
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
      } else if (
        [gcp.storage.BucketIAMMember, gcp.storage.BucketIAMBinding].some((c) => typeToken(c) === args.type)
      ) {
        const open = membersOf(args.props).filter((m) => PUBLIC_MEMBERS.includes(m));
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
    validateResource: (args, report) => {
      if (!IAM_GRANT_TYPE.test(args.type)) args.notApplicable("not an IAM grant");
      const { forbiddenRoles } = settingsOf<{ forbiddenRoles: string[] }>(args, PRIMITIVE_SCHEMA);
      const role = String(args.props.role);
      if (forbiddenRoles.includes(role))
        report(`grants the primitive role ${role} to ${membersOf(args.props).join(", ")}`);
    },
  },
  {
    name: "gcp-no-pool-wide-workload-identity",
    description: "Workload identity grants name one subject or attribute, never a whole pool.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Grant principal://…/subject/SUBJECT or principalSet://…/attribute.NAME/VALUE instead of principalSet://…/workloadIdentityPools/POOL/*.",
    validateResource: (args, report) => {
      if (!IAM_GRANT_TYPE.test(args.type)) args.notApplicable("not an IAM grant");
      const poolWide = membersOf(args.props).filter((m) =>
        /^principalSet:\/\/.*\/workloadIdentityPools\/[^/]+\/\*$/.test(m),
      );
      if (poolWide.length > 0)
        report(`grants ${args.props.role} to every identity of a pool: ${poolWide.join(", ")}`);
    },
  },
  {
    name: "gcp-workload-identity-provider-condition",
    description: "Workload identity pool providers admit only tokens that match an attribute condition.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Set attributeCondition (e.g. assertion.arn.startsWith('arn:aws:sts::ACCOUNT:assumed-role/ROLE/')).",
    validateResource: validateResourceOfType(
      gcp.iam.WorkloadIdentityPoolProvider,
      (provider, _args, report) => {
        if (!provider.attributeCondition) {
          report(
            `pool provider "${provider.workloadIdentityPoolProviderId}" has no attributeCondition; any identity of its issuer could federate`,
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
];
