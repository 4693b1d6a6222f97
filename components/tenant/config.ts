import { parseDocument } from "yaml";
import { z } from "zod";
import { DEFAULT_OUTPUT_VERSION, OUTPUT_VERSIONS } from "../../runtime/schema/output";
import { ChecksConfig } from "../../runtime/checks/config";
import { type InputRule, rules } from "../core/input-rules";
import { isNotPublicV4 } from "../core/networks";
import { scheduleProblems } from "../core/schedule";
import { awsTags, azureTags, gcpLabels, kubernetesLabels } from "../../policies/lib/tags";
import { ContractTerms, contractProblems } from "./contracts";

const slug = (what: string, min: number, max: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[a-z][a-z0-9-]{${min - 2},${max - 2}}[a-z0-9]$`),
      `${what} must be ${min}-${max} characters of a-z, 0-9 and "-", start with a letter and not end with "-" (e.g. "acme-prod")`,
    );

/** A string a component checks with `rule`: validated here with the same rule, so a valid tenant plans. */
const ruled = (rule: InputRule) => z.string().regex(rule.pattern, rule.expected);

/** An object key prefix; slashes at either end are dropped (they mean the same folder). */
const objectPrefix = z
  .string()
  .default("")
  .transform((p) => p.replace(/^\/+|\/+$/g, ""))
  .pipe(ruled(rules.objectPrefix));

const awsAccountId = z
  .string()
  .regex(/^[0-9]{12}$/, 'an AWS account id is 12 digits, quoted in YAML (e.g. "123456789012")');
const gcpBillingAccountId = z
  .string()
  .regex(/^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/, 'a billing account id looks like "01ABCD-23EF45-67ABCD"');
const uuid = (what: string) =>
  z
    .string()
    .regex(
      /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/,
      `${what} is a GUID like "00000000-0000-0000-0000-000000000000"`,
    );

/** The AWS side of a tenant. */
export const AwsConfig = z
  .object({
    /** The tenant's AWS Organizations management account (or a standalone payer), where the exports live. */
    managementAccountId: awsAccountId,
    /** Region for the bucket, Glue, Athena and the job. Data Exports themselves are always created in us-east-1. */
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, 'an AWS region code such as "eu-west-1"'),
    /**
     * The role Pulumi assumes in the management account to deploy. Omit it to deploy with the
     * ambient credentials; the provider still refuses any account but `managementAccountId`.
     */
    deployRoleArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/,
        "an IAM role ARN like arn:aws:iam::123456789012:role/costline-deployer",
      )
      .optional(),
    /** Which Data Exports to create: CUR 2.0 and/or FOCUS 1.2 with AWS columns. */
    exports: z
      .array(z.enum(["cur2", "focus-1.2"]))
      .min(1, 'list at least one export type: "cur2" and/or "focus-1.2"')
      .refine((a) => new Set(a).size === a.length, "list each export type once")
      .default(["cur2"]),
    /** Time granularity of the CUR 2.0 export. */
    granularity: z.enum(["HOURLY", "DAILY", "MONTHLY"]).default("DAILY"),
    /** The platform's IAM principal (role or account root ARN) that will assume the connector role. */
    platformPrincipalArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role\/[A-Za-z0-9+=,.@_/-]+)$/,
        "an IAM role ARN or account root ARN (arn:aws:iam::111122223333:role/costline-platform)",
      ),
    /**
     * Who hears the job's alarms (failures, dead letters, stale exports). Every alarm notifies the
     * stack's alerts topic; these emails are subscribed to it, and these topics notified too.
     */
    alerts: z
      .object({
        emails: z
          .array(z.email({ error: "an email address such as finops-oncall@example.com" }))
          .refine((a) => new Set(a).size === a.length, "list each email once")
          .default([]),
        topicArns: z
          .array(
            z
              .string()
              .regex(
                /^arn:aws[a-z-]*:sns:[a-z]{2}(-gov)?-[a-z]+-[0-9]:[0-9]{12}:[A-Za-z0-9_-]{1,256}$/,
                "an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:oncall",
              ),
          )
          .default([]),
      })
      .strict()
      .default({ emails: [], topicArns: [] }),
    /** Member accounts that should receive the read-only metrics role through a StackSet. */
    memberAccountIds: z.array(awsAccountId).default([]),
    /**
     * An existing AWS Organizations trail that already records this account's management events and
     * S3 data events on the export bucket. When named, the stack creates no trail of its own and
     * `costline verify` checks this one instead; when omitted, it creates its own audit trail.
     */
    organizationTrailName: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/,
        "a CloudTrail trail name (3-128 letters, digits, '.', '_', '-')",
      )
      .optional(),
  })
  .strict();

/**
 * Log Analytics keeps a workspace's analytics data 30 to 730 days (Azure Monitor, "Manage data
 * retention in a Log Analytics workspace": up to two years interactive; longer only per table).
 */
export const LOG_ANALYTICS_RETENTION_DAYS = { min: 30, max: 730 } as const;

/** How long the audit records of credential and billing-data access are kept, in every cloud. */
export const AuditConfig = z
  .object({
    /**
     * Days the audit logs are kept: the AWS trail bucket's expiration, the GCP log bucket's
     * retention and the Azure Log Analytics workspace's retention. Cloud Logging buckets accept
     * 1 to 3650 days; a tenant with Azure is further held to Log Analytics' 30 to 730.
     */
    retentionDays: z
      .number()
      .refine(Number.isInteger, "audit.retentionDays is a whole number of days")
      .min(1, "audit.retentionDays is at least 1")
      .max(3650, "audit.retentionDays is at most 3650 (the longest a Cloud Logging bucket keeps logs)")
      .default(400),
  })
  .strict();

/** The identity the platform federates into GCP with, without any service account key. */
export const GcpPlatformIdentity = z.discriminatedUnion("kind", [
  z
    .object({
      /** The platform runs in AWS: federate one IAM role of one account. */
      kind: z.literal("aws"),
      /** AWS account id of the platform. */
      accountId: awsAccountId,
      /** The platform role's name (not ARN). */
      roleName: z.string().regex(/^[A-Za-z0-9+=,.@_-]{1,64}$/, "an IAM role name such as costline-platform"),
    })
    .strict(),
  z
    .object({
      /** The platform has an OIDC issuer (GitHub Actions, a Kubernetes cluster, another IdP). */
      kind: z.literal("oidc"),
      /** HTTPS issuer URL. */
      issuerUri: z.url({ protocol: /^https$/, error: "the OIDC issuer must be an https URL" }),
      /** Audience the platform's tokens carry. */
      audience: z.string().min(1),
      /** The exact `sub` claim admitted; nothing else from that issuer is. */
      subject: z.string().min(1),
    })
    .strict(),
]);

/** The GCP side of a tenant. */
export const GcpConfig = z
  .object({
    /** The project that holds the billing export dataset and the job. */
    projectId: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
        "a GCP project id is 6-30 characters of a-z, 0-9 and '-', starting with a letter",
      ),
    /** Region of the function, scheduler and bucket (e.g. "europe-west1"). */
    region: z.string().regex(/^[a-z]+-[a-z]+[0-9]$/, 'a GCP region such as "europe-west1"'),
    /** Billing accounts whose export goes to this project's dataset. */
    billingAccountIds: z.array(gcpBillingAccountId).min(1, "list at least one billing account id"),
    /**
     * Display names of those billing accounts, by id, as the console shows them (Billing > Account
     * management). The export carries only the id, and FOCUS requires BillingAccountName: an
     * account without a name here is written with none (NULL), and the job warns about it.
     */
    billingAccountNames: z
      .record(gcpBillingAccountId, z.string().trim().min(1, "a billing account name must not be empty"))
      .default({}),
    /** BigQuery location of the datasets: a multi-region ("US", "EU") or a region. */
    datasetLocation: z
      .string()
      .regex(/^(US|EU|[a-z]+-[a-z]+[0-9])$/, 'use "US", "EU" or a region such as "europe-west1"'),
    /** Which export tables to expect: standard usage cost and/or detailed (resource-level) usage cost. */
    exportTypes: z
      .array(z.enum(["standard", "detailed"]))
      .min(1)
      .default(["standard", "detailed"]),
    /** The platform identity admitted through Workload Identity Federation. */
    platformIdentity: GcpPlatformIdentity,
    /**
     * Lets the platform's reader list and search the tenant's resource metadata in Cloud Asset
     * Inventory (roles/cloudasset.viewer: metadata and IAM policies, never data or secret values);
     * off when omitted. Granted on the project, or on the organization whose id is given.
     */
    assetInventory: z
      .object({
        /** The organization (numeric id) to grant the read on instead of the tenant's project. */
        organizationId: z
          .string()
          .regex(
            /^[1-9][0-9]{0,19}$/,
            "an organization's numeric id, as `gcloud organizations list` shows it",
          )
          .optional(),
      })
      .strict()
      .optional(),
    /** Customer-managed key for the datasets, as a full KMS key name; Google-managed keys when omitted. */
    kmsKeyName: z
      .string()
      .regex(
        /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/,
        "a KMS key name projects/P/locations/L/keyRings/R/cryptoKeys/K",
      )
      .optional(),
  })
  .strict();

/** The Azure side of a tenant. */
export const AzureConfig = z
  .object({
    /** The Entra ID (directory) tenant. */
    directoryTenantId: uuid("directoryTenantId"),
    /** The subscription that hosts the storage account, Key Vault and job. */
    hostSubscriptionId: uuid("hostSubscriptionId"),
    /** Subscriptions to export cost from (the host is usually one of them). */
    subscriptionIds: z.array(uuid("each subscription id")).min(1, "list at least one subscription id"),
    /** A management group whose subscriptions all receive the export through Azure Policy. */
    managementGroupId: z
      .string()
      .regex(/^[A-Za-z0-9._()-]{1,90}$/, "a management group id (not its display name)")
      .optional(),
    /** A billing scope (EA enrollment or MCA billing profile) to export instead of per subscription. */
    billingScope: z
      .string()
      .regex(
        /^\/providers\/Microsoft\.Billing\/billingAccounts\/[^/]+(\/billingProfiles\/[^/]+)?$/i,
        "a billing scope like /providers/Microsoft.Billing/billingAccounts/1234/billingProfiles/AB12",
      )
      .optional(),
    /** Azure region of the resources (e.g. "westeurope"). */
    location: z.string().regex(/^[a-z]+[a-z0-9]*$/, 'an Azure region name such as "westeurope"'),
    /**
     * Export dataset: FOCUS by default, the classic actual or amortized cost on request. ActualCost
     * is not amortized: its commitment purchases keep their price as EffectiveCost, which FOCUS
     * amortizes over the usage they cover; AmortizedCost has no commitment purchases or refunds, so
     * its BilledCost lacks them (the normalizer's summary notes either per file).
     */
    exportDataset: z.enum(["FocusCost", "ActualCost", "AmortizedCost"]).default("FocusCost"),
    /**
     * IPv4 address space of the job's virtual network, /16 to /24: the job reaches its private
     * Key Vault through it. Change it only if the tenant will peer that network with others.
     */
    jobAddressSpace: z
      .string()
      .regex(
        /^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/,
        "an IPv4 range from /16 to /24, such as 10.231.0.0/24",
      )
      .default("10.231.0.0/24"),
    /**
     * Public IPv4 addresses or ranges (the platform's egress, an operator's network) that may reach
     * the cost data account: with the job's network (the default), the account refuses every other
     * network, so `costline collect` and `verify` run from outside Azure need their addresses here.
     * Storage's rules take public IPv4 only, as single addresses or ranges up to /30.
     */
    storageAllowedIpRanges: z
      .array(
        ruled(rules.cidr).check((ctx) => {
          const problem = storageRangeProblem(ctx.value);
          if (problem) ctx.issues.push({ code: "custom", input: ctx.value, message: problem });
        }),
      )
      .default([]),
    /**
     * Object id of the platform's Entra ID service principal: it may read the normalized container
     * (Storage Blob Data Reader there, nothing else), which is how `costline collect` reads it.
     */
    platformPrincipalId: uuid("platformPrincipalId").optional(),
  })
  .strict();

/** Why Azure Storage's IP rules cannot hold a range, or undefined when they can. */
function storageRangeProblem(range: string): string | undefined {
  const [address, bits] = range.split("/");
  if (address.includes(":")) return "Azure Storage IP rules take IPv4 only";
  if (bits === "31") return 'Azure Storage refuses /31 ranges; list both addresses as "/32"';
  if (isNotPublicV4(address))
    return "Azure Storage IP rules take public addresses only; private networks reach it through a subnet";
  return undefined;
}

/** Where a cluster's normalization job writes, and the keyless identity it uses to get there. */
export const KubernetesSinkConfig = z.discriminatedUnion("kind", [
  z
    .object({
      /** S3, reached through IRSA (EKS). */
      kind: z.literal("s3"),
      bucket: ruled(rules.s3Bucket),
      prefix: objectPrefix,
      region: ruled(rules.awsRegion),
      /** The IAM role the job's service account assumes; its trust policy must name that service account. */
      roleArn: ruled(rules.awsRoleArn),
    })
    .strict(),
  z
    .object({
      /** Cloud Storage, reached through GKE Workload Identity. */
      kind: z.literal("gcs"),
      bucket: ruled(rules.gcsBucket),
      prefix: objectPrefix,
      /** The Google service account the job impersonates. */
      serviceAccountEmail: ruled(rules.gcpServiceAccountEmail),
    })
    .strict(),
  z
    .object({
      /** Azure Blob, reached through Azure Workload Identity. */
      kind: z.literal("azure-blob"),
      accountUrl: ruled(rules.azureBlobAccountUrl),
      container: ruled(rules.azureContainer),
      prefix: objectPrefix,
      clientId: ruled(rules.guid),
    })
    .strict(),
  z
    .object({
      /** A PersistentVolumeClaim in the job's namespace: no cloud credentials at all. */
      kind: z.literal("volume"),
      claimName: slug("a claim name", 3, 63),
    })
    .strict(),
]);

/** One Kubernetes cluster that runs OpenCost and the normalization CronJob. */
export const KubernetesCluster = z
  .object({
    /** Short cluster name, used in resource names and as OpenCost's cluster id. */
    name: slug("a cluster name", 3, 40),
    /** kubeconfig context to deploy with; the stack reads the kubeconfig itself. */
    context: z.string().min(1).optional(),
    /** Where the cluster runs; decides the workload identity flavour and the object store. */
    cloud: z.enum(["aws", "gcp", "azure", "other"]),
    /** Prometheus that OpenCost reads; in-cluster when omitted. */
    prometheusUrl: z
      .url({ error: "prometheusUrl must be a URL such as http://prometheus-server.monitoring.svc:80" })
      .optional(),
    /** Namespace for OpenCost and the job. */
    namespace: slug("a namespace", 3, 63).default("costline"),
    /** Where the normalization job writes its output. */
    sink: KubernetesSinkConfig,
    /**
     * The only addresses the job may reach over HTTPS (its object store and token service: VPC or
     * private endpoints, an egress proxy). Default: any public address, nothing private.
     */
    httpsEgressCidrs: z
      .array(
        ruled(rules.cidr).refine(
          (range) => !range.endsWith("/0"),
          "a /0 range is every address, the cluster's own networks included; leave httpsEgressCidrs out for any public address",
        ),
      )
      .min(1, "list at least one range, or leave httpsEgressCidrs out")
      .optional(),
  })
  .strict();

/** The Kubernetes side of a tenant. */
export const KubernetesConfig = z
  .object({
    /** The tenant's clusters. */
    clusters: z
      .array(KubernetesCluster)
      .min(1, "list at least one cluster")
      .refine((c) => new Set(c.map((x) => x.name)).size === c.length, "cluster names must be unique")
      .check((ctx) => {
        // A job replaces whole months under its sink, so two clusters in one place would erase each other.
        const first = new Map<string, string>();
        ctx.value.forEach((cluster, i) => {
          const at = sinkLocation(cluster.sink);
          if (!at) return;
          const owner = first.get(at);
          if (owner === undefined) first.set(at, cluster.name);
          else
            ctx.issues.push({
              code: "custom",
              input: cluster.sink,
              path: [i, "sink"],
              message: `cluster "${cluster.name}" writes to ${at}, as cluster "${owner}" does; give each cluster its own sink or prefix`,
            });
        });
      }),
  })
  .strict();

/** Where an object-store sink writes (a volume is the cluster's own, so it has none to share). */
export function sinkLocation(sink: z.output<typeof KubernetesSinkConfig>): string | undefined {
  switch (sink.kind) {
    case "s3":
      return `s3://${sink.bucket}/${sink.prefix}`;
    case "gcs":
      return `gs://${sink.bucket}/${sink.prefix}`;
    case "azure-blob":
      return `${sink.accountUrl}/${sink.container}/${sink.prefix}`;
    default:
      return undefined;
  }
}

/** One tenant: who it is, where its data may live, and which of its clouds Costline reaches. */
export const TenantConfig = z
  .object({
    /**
     * Stable tenant id: 3-20 characters of a-z, 0-9 and single "-", starting with a letter. It goes into
     * physical names (an Azure storage account allows 24 characters with our prefix), so it is short.
     */
    tenantId: slug("tenantId", 3, 20).refine(
      (id) => !id.includes("--"),
      'tenantId must not hold "--": names collapse it to "-", so "acme--prod" would read as "acme-prod"; use one "-"',
    ),
    /** Human name for reports. */
    displayName: z
      .string()
      .min(1, "displayName must not be empty")
      .max(100, "displayName is at most 100 characters"),
    /** Tags on every resource; `cost-center` and `owner` are required. */
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).check((ctx) => {
      for (const key of ["cost-center", "owner"]) {
        if (!ctx.value[key]) {
          ctx.issues.push({
            code: "custom",
            input: ctx.value,
            path: [key],
            message: `required tag "${key}" is missing; add it under tags`,
          });
        }
      }
    }),
    /** Data residency: the only regions (or BigQuery multi-regions) where Costline may create resources. */
    residency: z
      .object({
        /** Allowed region codes across clouds, e.g. ["eu-west-1", "europe-west1", "EU", "westeurope"]. */
        allowedRegions: z.array(z.string().min(2)).min(1, "list at least one allowed region"),
      })
      .strict(),
    /** When the normalization jobs run: five-field cron, UTC. */
    schedule: z
      .string()
      .default("0 6 * * *")
      .check((ctx) => {
        for (const problem of scheduleProblems(ctx.value)) {
          ctx.issues.push({ code: "custom", input: ctx.value, message: `schedule ${problem}` });
        }
      }),
    /**
     * The FOCUS version the normalized data is written in, by every job and in every warehouse
     * table: 1.2 (what the providers' own exports are at), or 1.3, which adds the seller and host
     * of each charge (ServiceProviderName, HostProviderName) and nulls the prices and quantities
     * of charges without a price. Moving a deployed tenant to 1.3 adds the warehouse tables'
     * columns (months written before have them NULL until normalized again); moving back to 1.2
     * drops columns, which a BigQuery table cannot do in place: expect a plan to replace it (its
     * deletion protection stops that until lifted).
     */
    focusVersion: z.enum(OUTPUT_VERSIONS).default(DEFAULT_OUTPUT_VERSION),
    /** Currency for reports and budgets (ISO 4217). */
    reportingCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "USD" or "EUR"')
      .default("USD"),
    /** Settings of the cost-data checks (required tags, budgets, anomalies, freshness, ...); all defaulted. */
    checks: ChecksConfig.prefault({}),
    /**
     * The contracts the tenant signed with its providers (an EDP, a MACC, a committed-use
     * contract), with their commitments' terms: `costline contracts` writes them as FOCUS 1.3's
     * Contract Commitment dataset. Nothing of it is made up: without them there is no dataset.
     */
    contracts: z.array(ContractTerms).optional(),
    /** Audit logging of every access to the tenant's credentials and billing data; all defaulted. */
    audit: AuditConfig.prefault({}),
    aws: AwsConfig.optional(),
    gcp: GcpConfig.optional(),
    azure: AzureConfig.optional(),
    kubernetes: KubernetesConfig.optional(),
  })
  .strict()
  // Cross-field rules run even when fields have problems (`when`), so that one run lists every
  // problem; the value may therefore be partly invalid and is read defensively.
  .superRefine(
    (t, ctx) => {
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: "custom", path, message });
      if (!t.aws && !t.gcp && !t.azure && !t.kubernetes) {
        issue([], "configure at least one cloud: aws, gcp, azure or kubernetes");
      }
      const allowed = new Set(Array.isArray(t.residency?.allowedRegions) ? t.residency.allowedRegions : []);
      const placed: [string[], unknown][] = [
        [["aws", "region"], t.aws?.region],
        [["gcp", "region"], t.gcp?.region],
        [["gcp", "datasetLocation"], t.gcp?.datasetLocation],
        [["azure", "location"], t.azure?.location],
      ];
      for (const [path, region] of placed) {
        if (typeof region === "string" && !allowed.has(region)) {
          issue(
            path,
            `region "${region}" is outside residency.allowedRegions; add it there or choose one of: ${[...allowed].join(", ")}`,
          );
        }
      }
      for (const p of contractProblems(t.contracts)) issue(["contracts", ...p.path], p.message);
      const days = t.audit?.retentionDays;
      const { min, max } = LOG_ANALYTICS_RETENTION_DAYS;
      if (t.azure && typeof days === "number" && (days < min || days > max)) {
        issue(
          ["audit", "retentionDays"],
          `audit.retentionDays is ${days}, but the Azure Log Analytics workspace keeps logs ${min} to ${max} days; choose a value in that range`,
        );
      }
      const accountIds = Array.isArray(t.gcp?.billingAccountIds) ? t.gcp.billingAccountIds : [];
      const named = t.gcp?.billingAccountNames;
      for (const id of named && typeof named === "object" ? Object.keys(named) : []) {
        if (!accountIds.includes(id)) {
          issue(
            ["gcp", "billingAccountNames", id],
            `billing account ${id} is not in gcp.billingAccountIds; correct the id or add the account there`,
          );
        }
      }
      if (typeof t.tenantId !== "string" || !t.tags || typeof t.tags !== "object") return;
      for (const render of [awsTags, gcpLabels, azureTags, kubernetesLabels]) {
        try {
          render(t.tenantId, t.tags);
        } catch (e) {
          issue(["tags"], (e as Error).message);
        }
      }
    },
    { when: () => true },
  );

export type TenantConfig = z.infer<typeof TenantConfig>;
export type AwsConfig = z.infer<typeof AwsConfig>;
export type AuditConfig = z.infer<typeof AuditConfig>;
export type GcpConfig = z.infer<typeof GcpConfig>;
export type AzureConfig = z.infer<typeof AzureConfig>;
export type KubernetesConfig = z.infer<typeof KubernetesConfig>;
export type KubernetesCluster = z.infer<typeof KubernetesCluster>;

/** One problem with a tenant config, by path. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Thrown when a tenant config is invalid; carries every problem, not just the first. */
export class TenantConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source}: invalid tenant config\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`);
    this.name = "TenantConfigError";
  }
}

/** Validates raw tenant data; returns the typed config with defaults or throws with every problem. */
export function parseTenantConfig(raw: unknown, source = "tenant"): TenantConfig {
  const result = TenantConfig.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join(".") : "(tenant)",
    message: describeIssue(i),
  }));
  throw new TenantConfigError(source, problems);
}

/** Validates a tenant's YAML (or JSON) text; YAML syntax errors are problems like any other. */
export function parseTenantText(text: string, source: string): TenantConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new TenantConfigError(
      source,
      doc.errors.map((e) => ({
        path: `(yaml line ${e.linePos?.[0]?.line ?? "?"})`,
        message: `${e.message.split("\n")[0]}; fix the YAML syntax`,
      })),
    );
  }
  return parseTenantConfig(doc.toJS(), source);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; remove or correct the spelling`;
  }
  if (issue.code === "invalid_type") {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    if (received === "undefined") return `required; add it (${issue.expected})`;
    const quote =
      issue.expected === "string" && received === "number"
        ? "; quote it in YAML so it stays text (leading zeros matter)"
        : "";
    return `must be ${issue.expected === "array" ? "a list" : `a ${issue.expected}`}, not ${received}${quote}`;
  }
  // A map's key (e.g. a billing account id in gcp.billingAccountNames) that its key rule refuses.
  if (issue.code === "invalid_key") return issue.issues.map((i) => i.message).join("; ");
  if (issue.code === "invalid_value")
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}
