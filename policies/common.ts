import * as aws from "@pulumi/aws";
import * as app from "@pulumi/azure-native/app";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import * as gcp from "@pulumi/gcp";
import type { PolicyProviderResource } from "@pulumi/policy";
import { awsTags, azureTags, gcpLabels, kubernetesLabels, TENANT_TAG_KEY } from "./lib/tags";
import { type CostlinePolicy, record, settingsOf, tokenWith } from "./policy";

const withTags = tokenWith("tags");
const withLabels = tokenWith("labels");

// Resource types that take tags (labels on GCP). The compiler checks each entry's args for the key.
// Types not listed are still checked when they carry tags of their own.
const TAGGABLE = new Set([
  withTags(aws.s3.Bucket),
  withTags(aws.s3.BucketV2),
  withTags(aws.kms.Key),
  withTags(aws.iam.Role),
  withTags(aws.iam.Policy),
  withTags(aws.iam.OpenIdConnectProvider),
  withTags(aws.lambda.Function),
  withTags(aws.cloudwatch.LogGroup),
  withTags(aws.cloudwatch.MetricAlarm),
  withTags(aws.cloudwatch.EventRule),
  withTags(aws.sqs.Queue),
  withTags(aws.sns.Topic),
  withTags(aws.athena.Workgroup),
  withTags(aws.glue.CatalogDatabase),
  withTags(aws.glue.Crawler),
  withTags(aws.bcmdata.Export),
  withTags(aws.secretsmanager.Secret),
  withTags(aws.cloudformation.StackSet),
  withTags(aws.ecr.Repository),
  withLabels(gcp.bigquery.Dataset),
  withLabels(gcp.bigquery.Table),
  withLabels(gcp.storage.Bucket),
  withLabels(gcp.cloudfunctionsv2.Function),
  withLabels(gcp.cloudrunv2.Job),
  withLabels(gcp.cloudrunv2.Service),
  withLabels(gcp.pubsub.Topic),
  withLabels(gcp.pubsub.Subscription),
  withLabels(gcp.secretmanager.Secret),
  withLabels(gcp.kms.CryptoKey),
  withTags(storage.StorageAccount),
  withTags(keyvault.Vault),
  withTags(web.WebApp),
  withTags(web.AppServicePlan),
  withTags(app.ContainerApp),
  withTags(app.Job),
  withTags(app.ManagedEnvironment),
  withTags(managedidentity.UserAssignedIdentity),
  withTags(resources.ResourceGroup),
  withTags(operationalinsights.Workspace),
]);

type Cloud = "aws" | "gcp" | "azure" | "kubernetes";

function cloudOf(type: string): Cloud | undefined {
  if (type.startsWith("aws:")) return "aws";
  if (type.startsWith("gcp:")) return "gcp";
  if (type.startsWith("azure-native:")) return "azure";
  // Every Kubernetes API object has metadata.labels; Helm, YAML and kustomize types are not API objects.
  if (
    /^kubernetes:[a-z0-9.-]*\/v[0-9a-z]+:[A-Z]/.test(type) &&
    !/^kubernetes:(helm\.sh|yaml|kustomize)/.test(type)
  ) {
    return "kubernetes";
  }
  return undefined;
}

const RENDER = { aws: awsTags, gcp: gcpLabels, azure: azureTags, kubernetes: kubernetesLabels };

/** A required tag key as the cloud spells it (GCP and Kubernetes labels restrict the charset). */
function keyIn(cloud: Cloud, key: string): string {
  if (key === TENANT_TAG_KEY) return key;
  try {
    const rendered = Object.keys(RENDER[cloud]("t", { [key]: "" })).filter((k) => k !== TENANT_TAG_KEY);
    return rendered[0] ?? key;
  } catch {
    return key;
  }
}

/**
 * The tags a resource ends up with: its own, over those its provider adds by default (AWS
 * `defaultTags.tags`, GCP `defaultLabels`). Azure and Kubernetes providers add none.
 */
function effectiveTags(
  cloud: Cloud,
  props: Record<string, unknown>,
  provider: PolicyProviderResource | undefined,
): { tags: Record<string, unknown>; own: boolean } {
  const own =
    cloud === "gcp" ? props.labels : cloud === "kubernetes" ? record(props.metadata).labels : props.tags;
  const defaults =
    cloud === "aws"
      ? record(record(provider?.props.defaultTags).tags)
      : cloud === "gcp"
        ? record(provider?.props.defaultLabels)
        : {};
  return { tags: { ...defaults, ...record(own) }, own: own !== undefined };
}

const TAGS_SCHEMA = {
  properties: {
    tags: {
      type: "array" as const,
      items: { type: "string" as const, minLength: 1 },
      default: ["cost-center", "owner", TENANT_TAG_KEY],
      description:
        "Tag keys every taggable resource must carry with a non-empty value (the plan passes the tenant's tag keys).",
    },
  },
};

const RESIDENCY_SCHEMA = {
  properties: {
    allowedRegions: {
      type: "array" as const,
      items: { type: "string" as const, minLength: 2 },
      default: [] as string[],
      description:
        'Regions (or BigQuery/GCS multi-regions such as "EU") where resources may be placed; the plan passes residency.allowedRegions.',
    },
    globalTypes: {
      type: "array" as const,
      items: { type: "string" as const, format: "regex" },
      default: [
        "^aws:(iam|organizations|budgets|cur|costexplorer|bcmdata|route53|cloudfront)/",
        "^gcp:(projects|organizations|folder|billing|serviceaccount|iam|resourcemanager)/",
        "^azure-native:(authorization|management|managementgroups|costmanagement|subscription|billing|policyinsights):",
      ],
      description:
        "Type patterns of global or control-plane resources that hold no data in a region (Data Exports live in us-east-1 but deliver into the tenant's bucket, which is checked).",
    },
  },
};

const normalizeRegion = (r: string) => r.toLowerCase().replace(/\s+/g, "");

/** Where a resource is placed: its own region/location, else its provider's. */
function placement(
  cloud: Cloud,
  type: string,
  props: Record<string, unknown>,
  provider?: PolicyProviderResource,
) {
  const own = props.region ?? props.location;
  if (typeof own === "string") return { region: own, from: "the resource" };
  // azure-native resources take their resource group's location; only resource groups use the provider's.
  if (cloud === "azure" && type !== "azure-native:resources:ResourceGroup") return undefined;
  const inherited = provider?.props.region ?? provider?.props.location;
  return typeof inherited === "string"
    ? { region: inherited, from: `its provider "${provider?.name}"` }
    : undefined;
}

export const commonPolicies: CostlinePolicy[] = [
  {
    name: "required-tags",
    description:
      "Every taggable resource carries the required tags (labels on GCP and Kubernetes) with a value.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Tag through policies/lib/tags.ts (AWS: the provider's defaultTags; GCP: defaultLabels; Azure and Kubernetes: on each resource).",
    configSchema: TAGS_SCHEMA,
    validateResource: (args, report) => {
      const cloud = cloudOf(args.type) ?? args.notApplicable("not a cloud resource");
      const { tags: required } = settingsOf<{ tags: string[] }>(args, TAGS_SCHEMA);
      const { tags, own } = effectiveTags(cloud, args.props, args.provider);
      if (!TAGGABLE.has(args.type) && !own && cloud !== "kubernetes")
        args.notApplicable("the type takes no tags");
      const missing = required
        .map((k) => keyIn(cloud, k))
        .filter((k) => typeof tags[k] !== "string" || tags[k] === "");
      if (missing.length > 0) {
        const noun = cloud === "gcp" || cloud === "kubernetes" ? "label" : "tag";
        report(
          `missing required ${noun}${missing.length > 1 ? "s" : ""} ${missing.map((k) => `"${k}"`).join(", ")}`,
        );
      }
    },
  },
  {
    name: "data-residency",
    description: "Resources are placed only in the allowed regions.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Create the resource in an allowed region (or its provider), or add the region to residency.allowedRegions if the tenant allows it.",
    configSchema: RESIDENCY_SCHEMA,
    validateResource: (args, report) => {
      const cloud = cloudOf(args.type);
      if (!cloud || cloud === "kubernetes") return args.notApplicable("not placed in a cloud region");
      const { allowedRegions, globalTypes } = settingsOf<{ allowedRegions: string[]; globalTypes: string[] }>(
        args,
        RESIDENCY_SCHEMA,
      );
      if (allowedRegions.length === 0) args.notApplicable("no allowedRegions configured");
      if (globalTypes.some((p) => new RegExp(p).test(args.type))) args.notApplicable("a global resource");
      const placed = placement(cloud, args.type, args.props, args.provider);
      if (!placed || normalizeRegion(placed.region) === "global") return args.notApplicable("no region");
      if (!allowedRegions.map(normalizeRegion).includes(normalizeRegion(placed.region))) {
        report(
          `placed in "${placed.region}" (from ${placed.from}), outside the allowed regions ${allowedRegions.join(", ")}`,
        );
      }
    },
  },
];
