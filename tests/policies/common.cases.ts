import { type PolicyCase, providerResource, resource } from "./harness";

const TAGS = { "cost-center": "cc-1042", owner: "finops@acme.example", "costline-tenant": "acme" };
const tenantTags = { "required-tags": { tags: ["cost-center", "owner", "costline-tenant"] } };
const awsWithDefaults = providerResource("aws", "acme-aws", {
  region: "eu-west-1",
  defaultTags: { tags: TAGS },
});
const awsWithout = providerResource("aws", "acme-aws", { region: "eu-west-1" });
const gcpProvider = (region: string) =>
  providerResource("gcp", "acme-gcp", {
    project: "acme-finops-prod",
    region,
    defaultLabels: { "cost-center": "cc-1042", owner: "finops_acme_example", "costline-tenant": "acme" },
  });
const residency = (allowedRegions: string[]) => ({ "data-residency": { allowedRegions } });

export const commonCases: PolicyCase[] = [
  {
    policy: "required-tags",
    what: "an AWS bucket relying on its provider's defaultTags, and one whose provider has none",
    config: tenantTags,
    compliant: [
      awsWithDefaults,
      resource("aws:s3/bucket:Bucket", "exports", { bucket: "acme-exports" }, { provider: awsWithDefaults }),
    ],
    violating: [
      awsWithout,
      resource(
        "aws:s3/bucket:Bucket",
        "exports",
        { bucket: "acme-exports", tags: { owner: "finops@acme.example" } },
        { provider: awsWithout },
      ),
    ],
    on: "exports",
    message: /missing required tags "cost-center", "costline-tenant"/,
  },
  {
    policy: "required-tags",
    what: "a GCP dataset with labels from defaultLabels, and a GCP label key spelled as GCP requires",
    config: { "required-tags": { tags: ["Cost-Center", "owner", "costline-tenant"] } },
    compliant: [
      gcpProvider("europe-west1"),
      resource(
        "gcp:bigquery/dataset:Dataset",
        "billing",
        { datasetId: "billing", location: "EU" },
        { provider: gcpProvider("europe-west1") },
      ),
    ],
    violating: [
      resource("gcp:bigquery/dataset:Dataset", "billing", {
        datasetId: "billing",
        location: "EU",
        labels: { owner: "x" },
      }),
    ],
    message: /missing required labels "cost-center", "costline-tenant"/,
  },
  {
    policy: "required-tags",
    what: "an Azure storage account without tags (azure-native has no default tags)",
    config: tenantTags,
    compliant: [
      resource("azure-native:storage:StorageAccount", "exports", { location: "westeurope", tags: TAGS }),
      resource("azure-native:authorization:RoleAssignment", "ra", { principalId: "p" }),
    ],
    violating: [resource("azure-native:storage:StorageAccount", "exports", { location: "westeurope" })],
    message: /missing required tags "cost-center", "owner", "costline-tenant"/,
  },
  {
    policy: "required-tags",
    what: "a Kubernetes object without labels",
    config: tenantTags,
    compliant: [
      resource("kubernetes:core/v1:ServiceAccount", "job", {
        metadata: {
          name: "job",
          labels: { "cost-center": "cc-1042", owner: "finops_acme.example", "costline-tenant": "acme" },
        },
      }),
    ],
    violating: [
      resource("kubernetes:core/v1:ServiceAccount", "job", {
        metadata: { name: "job", labels: { owner: "x" } },
      }),
    ],
    message: /missing required labels "cost-center", "costline-tenant"/,
  },
  {
    policy: "required-tags",
    what: "a tag with an empty value",
    compliant: [resource("aws:sqs/queue:Queue", "dlq", { tags: TAGS })],
    violating: [resource("aws:sqs/queue:Queue", "dlq", { tags: { ...TAGS, owner: "" } })],
    message: /missing required tag "owner"/,
  },
  {
    policy: "data-residency",
    what: "an AWS resource placed by its provider's region",
    config: residency(["eu-west-1"]),
    compliant: [
      awsWithDefaults,
      resource("aws:s3/bucket:Bucket", "exports", { bucket: "acme-exports" }, { provider: awsWithDefaults }),
    ],
    violating: [
      providerResource("aws", "acme-aws", { region: "us-west-2" }),
      resource(
        "aws:s3/bucket:Bucket",
        "exports",
        { bucket: "acme-exports" },
        { provider: providerResource("aws", "acme-aws", { region: "us-west-2" }) },
      ),
    ],
    on: "exports",
    message: /placed in "us-west-2" \(from its provider "acme-aws"\), outside the allowed regions eu-west-1/,
  },
  {
    policy: "data-residency",
    what: "an AWS resource's own region wins over the provider's",
    config: residency(["eu-west-1"]),
    compliant: [
      awsWithDefaults,
      resource(
        "aws:iam/role:Role",
        "job",
        { assumeRolePolicy: "{}" },
        { provider: providerResource("aws", "acme-aws", { region: "us-east-1" }) },
      ),
    ],
    violating: [
      awsWithDefaults,
      resource("aws:s3/bucket:Bucket", "exports", { region: "us-east-1" }, { provider: awsWithDefaults }),
    ],
    on: "exports",
    message: /placed in "us-east-1" \(from the resource\)/,
  },
  {
    policy: "data-residency",
    what: "a BigQuery dataset in a multi-region, and an Azure account by display name",
    config: residency(["EU", "westeurope", "europe-west1"]),
    compliant: [
      resource("gcp:bigquery/dataset:Dataset", "billing", { location: "EU" }),
      resource("azure-native:storage:StorageAccount", "exports", { location: "West Europe" }),
    ],
    violating: [resource("gcp:bigquery/dataset:Dataset", "billing", { location: "US" })],
    message: /placed in "US" \(from the resource\), outside the allowed regions EU, westeurope, europe-west1/,
  },
];
