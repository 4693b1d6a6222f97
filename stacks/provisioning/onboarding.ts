import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { parseTenantConfig, type TenantConfig, TenantConfigError } from "../../components/tenant/config";

/** One onboarding question: the flag that answers it, the prompt, and where the answer goes. */
export interface Question {
  flag: string;
  prompt: string;
  /** Dotted path in the tenant object; lists are split on commas. */
  path: string;
  list?: boolean;
  /** Only asked when this returns true for the answers so far. */
  when?: (answers: Answers) => boolean;
  optional?: boolean;
  /** The tenant's problems this answer is re-asked for; default: those at its path or below. */
  problemPaths?: RegExp;
  /** Problems of the answer that the tenant's schema cannot name (an answer with no path of its own). */
  check?: (answers: Answers) => string[];
}

export type Answers = Record<string, string>;

const on = (cloud: string) => (a: Answers) =>
  (a.clouds ?? "")
    .split(",")
    .map((s) => s.trim())
    .includes(cloud);

/**
 * What onboarding asks, cloud by cloud. Only identifiers and principals: never a long-lived key;
 * the external id, identities and secrets are created by `pulumi up`.
 */
export const QUESTIONS: readonly Question[] = [
  { flag: "id", prompt: "Tenant id (3-20 of a-z, 0-9, -)", path: "tenantId" },
  { flag: "name", prompt: "Display name", path: "displayName" },
  { flag: "cost-center", prompt: "Cost center tag", path: "tags.cost-center" },
  { flag: "owner", prompt: "Owner tag (team or e-mail)", path: "tags.owner" },
  {
    flag: "regions",
    prompt: "Allowed regions, comma-separated",
    path: "residency.allowedRegions",
    list: true,
  },
  { flag: "schedule", prompt: "Job schedule (cron, UTC) [0 6 * * *]", path: "schedule", optional: true },
  { flag: "currency", prompt: "Reporting currency [USD]", path: "reportingCurrency", optional: true },
  {
    flag: "clouds",
    prompt: "Clouds, comma-separated (aws, gcp, azure, kubernetes)",
    path: "",
    list: true,
    check: (a) => {
      const unknown = splitList(a.clouds ?? "").filter(
        (c) => !["aws", "gcp", "azure", "kubernetes"].includes(c),
      );
      return unknown.length > 0
        ? [`unknown cloud(s) ${unknown.join(", ")}; choose from aws, gcp, azure, kubernetes`]
        : [];
    },
  },
  {
    flag: "aws-account",
    prompt: "AWS management account id",
    path: "aws.managementAccountId",
    when: on("aws"),
  },
  { flag: "aws-region", prompt: "AWS region", path: "aws.region", when: on("aws") },
  {
    flag: "aws-platform-principal",
    prompt: "Platform role ARN that assumes the connector role",
    path: "aws.platformPrincipalArn",
    when: on("aws"),
  },
  {
    flag: "aws-exports",
    prompt: "AWS exports (cur2, focus-1.2) [cur2]",
    path: "aws.exports",
    list: true,
    when: on("aws"),
    optional: true,
  },
  {
    flag: "aws-deploy-role",
    prompt: "Deploy role ARN to assume (empty: ambient credentials)",
    path: "aws.deployRoleArn",
    when: on("aws"),
    optional: true,
  },
  { flag: "gcp-project", prompt: "GCP project id", path: "gcp.projectId", when: on("gcp") },
  { flag: "gcp-region", prompt: "GCP region", path: "gcp.region", when: on("gcp") },
  {
    flag: "gcp-billing-accounts",
    prompt: "GCP billing account ids, comma-separated",
    path: "gcp.billingAccountIds",
    list: true,
    when: on("gcp"),
  },
  {
    flag: "gcp-billing-account-names",
    // A billing account's name may hold a comma ("Acme, Inc."), so names are split on ";".
    prompt:
      "Their names as Billing > Account management shows them, in the same order, separated by ';' (FOCUS BillingAccountName; Enter leaves them unnamed)",
    path: "",
    when: on("gcp"),
    optional: true,
    problemPaths: /^gcp\.billingAccountNames/,
    check: (a) => {
      const names = billingAccountNames(a);
      const ids = splitList(a["gcp-billing-accounts"] ?? "");
      return names.length === 0 || names.length === ids.length
        ? []
        : [`give one name per billing account: ${ids.length} account(s), ${names.length} name(s)`];
    },
  },
  {
    flag: "gcp-dataset-location",
    prompt: "BigQuery dataset location (US, EU or a region)",
    path: "gcp.datasetLocation",
    when: on("gcp"),
  },
  {
    flag: "gcp-platform-aws-account",
    prompt: "Platform AWS account id to federate (empty for OIDC)",
    path: "gcp.platformIdentity.accountId",
    when: on("gcp"),
    optional: true,
  },
  {
    flag: "gcp-platform-aws-role",
    prompt: "Platform AWS role name",
    path: "gcp.platformIdentity.roleName",
    when: (a) => on("gcp")(a) && !!a["gcp-platform-aws-account"],
  },
  {
    flag: "gcp-oidc-issuer",
    prompt: "Platform OIDC issuer URL",
    path: "gcp.platformIdentity.issuerUri",
    when: (a) => on("gcp")(a) && !a["gcp-platform-aws-account"],
  },
  {
    flag: "gcp-oidc-audience",
    prompt: "OIDC audience",
    path: "gcp.platformIdentity.audience",
    when: (a) => on("gcp")(a) && !a["gcp-platform-aws-account"],
  },
  {
    flag: "gcp-oidc-subject",
    prompt: "OIDC subject admitted",
    path: "gcp.platformIdentity.subject",
    when: (a) => on("gcp")(a) && !a["gcp-platform-aws-account"],
  },
  {
    flag: "azure-tenant",
    prompt: "Entra ID tenant (directory) id",
    path: "azure.directoryTenantId",
    when: on("azure"),
  },
  {
    flag: "azure-subscriptions",
    prompt: "Azure subscription ids, comma-separated (first hosts the job)",
    path: "azure.subscriptionIds",
    list: true,
    when: on("azure"),
  },
  { flag: "azure-location", prompt: "Azure location", path: "azure.location", when: on("azure") },
  {
    flag: "azure-management-group",
    prompt: "Management group id (empty: per subscription)",
    path: "azure.managementGroupId",
    when: on("azure"),
    optional: true,
  },
  {
    flag: "k8s-clusters",
    prompt: "Clusters as name:cloud[:context], comma-separated",
    path: "kubernetes.clusters",
    list: true,
    when: on("kubernetes"),
    // Each cluster's sink is the next question's.
    problemPaths: /^kubernetes\.clusters(?!\.\d+\.sink)/,
  },
  {
    flag: "k8s-sinks",
    prompt:
      "Where each cluster's job writes, in cluster order, comma-separated (s3://BUCKET/PREFIX?region=REGION&role=ROLE_ARN, gs://BUCKET/PREFIX?serviceAccount=EMAIL, https://ACCOUNT.blob.core.windows.net/CONTAINER/PREFIX?clientId=CLIENT_ID, volume:CLAIM)",
    path: "",
    when: on("kubernetes"),
    problemPaths: /^kubernetes\.clusters\.\d+\.sink/,
    check: (a) => {
      const sinks = splitList(a["k8s-sinks"] ?? "");
      const clusters = splitList(a["k8s-clusters"] ?? "");
      const unread = sinks.filter((text) => typeof sinkFromText(text) === "string");
      return [
        ...unread.map((text) => `"${text}" is none of the sink forms above`),
        ...(sinks.length === clusters.length
          ? []
          : [`give one sink per cluster: ${clusters.length} cluster(s), ${sinks.length} sink(s)`]),
      ];
    },
  },
];

const splitList = (text: string, separator = ",") =>
  text
    .split(separator)
    .map((s) => s.trim())
    .filter(Boolean);

const billingAccountNames = (a: Answers) => splitList(a["gcp-billing-account-names"] ?? "", ";");

/**
 * A sink as its answer writes it, in the URL forms the job's own settings use (s3://, gs://, the
 * blob endpoint) with the identity as a query parameter; the text itself when it is none of them.
 */
function sinkFromText(text: string): Record<string, string> | string {
  if (text.startsWith("volume:")) return { kind: "volume", claimName: text.slice("volume:".length) };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  const path = decodeURIComponent(url.pathname).replace(/^\/+/, "");
  const q = (name: string) => url.searchParams.get(name) ?? "";
  if (url.protocol === "s3:")
    return { kind: "s3", bucket: url.hostname, prefix: path, region: q("region"), roleArn: q("role") };
  if (url.protocol === "gs:")
    return { kind: "gcs", bucket: url.hostname, prefix: path, serviceAccountEmail: q("serviceAccount") };
  if (url.protocol === "https:" && url.hostname.endsWith(".blob.core.windows.net")) {
    const [container = "", ...prefix] = path.split("/");
    return {
      kind: "azure-blob",
      accountUrl: url.origin,
      container,
      prefix: prefix.join("/"),
      clientId: q("clientId"),
    };
  }
  return text;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** Turns answers into the raw tenant object (before validation). */
export function tenantFromAnswers(answers: Answers): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const q of QUESTIONS) {
    const answer = answers[q.flag]?.trim();
    if (!q.path || !answer || (q.when && !q.when(answers))) continue;
    const value = q.list
      ? answer
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : answer;
    setPath(raw, q.path, q.path === "kubernetes.clusters" ? (value as string[]).map(clusterFromText) : value);
  }
  const gcp = raw.gcp as { platformIdentity?: Record<string, string> } | undefined;
  if (gcp?.platformIdentity) gcp.platformIdentity.kind = gcp.platformIdentity.accountId ? "aws" : "oidc";
  const names = billingAccountNames(answers);
  if (gcp && names.length > 0)
    (gcp as Record<string, unknown>).billingAccountNames = Object.fromEntries(
      splitList(answers["gcp-billing-accounts"] ?? "").map((id, i) => [id, names[i] ?? ""]),
    );
  const azure = raw.azure as { subscriptionIds?: string[]; hostSubscriptionId?: string } | undefined;
  if (azure?.subscriptionIds?.[0]) azure.hostSubscriptionId = azure.subscriptionIds[0];
  const clusters = (raw.kubernetes as { clusters?: Record<string, unknown>[] } | undefined)?.clusters;
  splitList(answers["k8s-sinks"] ?? "").forEach((text, i) => {
    const sink = sinkFromText(text);
    if (clusters?.[i] && typeof sink !== "string") clusters[i].sink = sink;
  });
  return raw;
}

function clusterFromText(text: string) {
  const [name, cloud, ...context] = text.split(":");
  return { name, cloud, ...(context.length > 0 ? { context: context.join(":") } : {}) };
}

/** The problems of one answer alone, to re-ask at once on a TTY; the whole tenant is checked at the end. */
export function answerProblems(question: Question, answers: Answers): string[] {
  const own = question.check?.(answers) ?? [];
  if (own.length || (!question.path && !question.problemPaths)) return own;
  const mine = (path: string) =>
    question.problemPaths
      ? question.problemPaths.test(path)
      : path === question.path || path.startsWith(`${question.path}.`);
  try {
    parseTenantConfig(tenantFromAnswers(answers));
    return [];
  } catch (e) {
    if (!(e instanceof TenantConfigError)) throw e;
    return e.problems
      .filter((p) => mine(p.path))
      .map((p) => (p.path === question.path ? p.message : `${p.path}: ${p.message}`));
  }
}

/**
 * Validates the answers as a whole and writes `<registry>/<tenantId>.yaml` as answered, without
 * the defaults (so a later change of a default reaches the tenant); refuses to overwrite unless forced.
 */
export function writeTenantFile(
  registry: string,
  answers: Answers,
  force = false,
): { file: string; tenant: TenantConfig } {
  const raw = tenantFromAnswers(answers);
  const tenant = parseTenantConfig(raw, "onboarding answers");
  const file = join(registry, `${tenant.tenantId}.yaml`);
  if (existsSync(file) && !force)
    throw new Error(`${file} already exists; edit it, or pass --force to replace it`);
  mkdirSync(registry, { recursive: true });
  writeFileSync(
    file,
    `# Tenant ${tenant.tenantId}, written by \`costline tenants add\`; see components/tenant/config.ts for every field\n# and its default (those not written here take theirs).\n${stringify(raw)}`,
  );
  return { file, tenant };
}

/** What to do after the file exists, per cloud. */
export function nextSteps(tenant: TenantConfig, file: string): string[] {
  const steps = [
    `Review ${file} and open a pull request: CI runs \`costline tenants plan --tenant ${tenant.tenantId}\` and the policy pack.`,
    `After merge, CI runs \`costline tenants up --tenant ${tenant.tenantId}\` (or run it yourself with the Pulumi CLI logged in).`,
  ];
  if (tenant.aws) {
    steps.push(
      `AWS: give the platform principal ${tenant.aws.platformPrincipalArn} permission to sts:AssumeRole the connector role output as connectorRoleArn; the external id is in Secrets Manager (its ARN is an output, never the value).`,
    );
  }
  if (tenant.gcp) {
    steps.push(
      `GCP: BigQuery billing export cannot be enabled by API. In the console, for each billing account (${tenant.gcp.billingAccountIds.join(", ")}): Billing > Billing export > BigQuery export, edit settings for ${tenant.gcp.exportTypes.join(" and ")} usage cost, project ${tenant.gcp.projectId}, and the export dataset named in the stack output gcpConsoleSteps. The job reports when the tables appear.`,
    );
  }
  if (tenant.azure) {
    steps.push(
      `Azure: the deploying identity needs rights to create role assignments${tenant.azure.managementGroupId ? ` and policy assignments at management group ${tenant.azure.managementGroupId}` : ""}; exports start on the next daily run.`,
    );
  }
  if (tenant.kubernetes) {
    steps.push(
      `Kubernetes: make sure kubeconfig contexts exist for ${tenant.kubernetes.clusters.map((c) => c.name).join(", ")}, or pass --kubeconfig-dir with one file per cluster.`,
    );
  }
  return steps;
}
