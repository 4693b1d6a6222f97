import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as authorization from "@pulumi/azure-native/authorization";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import * as storage from "@pulumi/azure-native/storage";
import * as gcp from "@pulumi/gcp";
import * as kubernetes from "@pulumi/kubernetes";
import { runPolicyPack } from "../../policies/run";
import { record } from "../helpers/pulumi";

/**
 * A stack written without Costline's components, with the mistakes the pack exists for. It runs
 * under Pulumi mocks with the real SDK classes, so the policies see the inputs the engine would.
 */
function insecureProgram() {
  const awsProvider = new aws.Provider("insecure-aws", { region: "us-west-2" });
  const o = { provider: awsProvider };
  const bucket = new aws.s3.Bucket("insecure-bucket", { bucket: "insecure-exports" }, o);
  new aws.s3.BucketPolicy(
    "insecure-bucket-policy",
    {
      bucket: bucket.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "PublicRead",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::insecure-exports/*",
          },
        ],
      }),
    },
    o,
  );
  new aws.kms.Key("insecure-key", { description: "no rotation" }, o);
  const role = new aws.iam.Role(
    "insecure-role",
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999988887777:root" }, Action: "sts:AssumeRole" },
        ],
      }),
    },
    o,
  );
  new aws.iam.RolePolicy(
    "insecure-role-policy",
    {
      role: role.name,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
      }),
    },
    o,
  );
  new aws.iam.RolePolicyAttachment(
    "insecure-admin",
    { role: role.name, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    o,
  );
  new aws.lambda.Function(
    "insecure-function",
    {
      role: role.arn,
      runtime: "nodejs20.x",
      handler: "index.handler",
      code: "s3://insecure-exports/code.zip" as unknown as aws.lambda.FunctionArgs["code"],
      environment: { variables: { DB_PASSWORD: "hunter2" } },
    },
    o,
  );
  new aws.cloudwatch.LogGroup("insecure-logs", {}, o);

  const gcpProvider = new gcp.Provider("insecure-gcp", {
    project: "insecure-project",
    region: "us-central1",
  });
  const g = { provider: gcpProvider };
  new gcp.serviceaccount.Key(
    "insecure-sa-key",
    { serviceAccountId: "job@insecure-project.iam.gserviceaccount.com" },
    g,
  );
  new gcp.projects.IAMMember(
    "insecure-owner",
    {
      project: "insecure-project",
      role: "roles/owner",
      member: "serviceAccount:job@insecure-project.iam.gserviceaccount.com",
    },
    g,
  );
  new gcp.bigquery.DatasetIamMember(
    "insecure-public-dataset",
    { datasetId: "billing", role: "roles/bigquery.dataViewer", member: "allUsers" },
    g,
  );
  new gcp.cloudfunctionsv2.Function(
    "insecure-gcf",
    { location: "us-central1", serviceConfig: { availableMemory: "256M" } },
    g,
  );

  const azureProvider = new AzureProvider("insecure-azure", { location: "eastus" });
  const a = { provider: azureProvider };
  new storage.StorageAccount(
    "insecure-storage",
    {
      resourceGroupName: "rg",
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      location: "eastus",
      enableHttpsTrafficOnly: false,
      minimumTlsVersion: "TLS1_0",
      allowBlobPublicAccess: true,
    },
    a,
  );
  new authorization.RoleAssignment(
    "insecure-owner-assignment",
    {
      principalId: "11111111-2222-3333-4444-555555555555",
      principalType: "ServicePrincipal",
      roleDefinitionId:
        "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      scope: "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
    },
    a,
  );

  const k8s = new kubernetes.Provider("insecure-k8s", { context: "dev" });
  new kubernetes.batch.v1.CronJob(
    "insecure-cron",
    {
      metadata: { name: "normalize" },
      spec: {
        schedule: "0 6 * * *",
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: "Never",
                hostNetwork: true,
                containers: [
                  {
                    name: "normalize",
                    image: "costline/runtime:latest",
                    securityContext: { privileged: true, runAsUser: 0 },
                    env: [{ name: "API_TOKEN", value: "abc123" }],
                    volumeMounts: [{ name: "host", mountPath: "/host" }],
                  },
                ],
                volumes: [{ name: "host", hostPath: { path: "/" } }],
              },
            },
          },
        },
      },
    },
    { provider: k8s },
  );
}

const EXPECTED: [policy: string, resource: string][] = [
  ["aws-s3-encryption-at-rest", "insecure-bucket"],
  ["aws-s3-block-public-access", "insecure-bucket"],
  ["aws-resource-policy-no-public-principal", "insecure-bucket-policy"],
  ["aws-s3-tls-only", "insecure-bucket"],
  ["aws-kms-key-rotation", "insecure-key"],
  ["aws-iam-external-id-for-cross-account-trust", "insecure-role"],
  ["aws-iam-no-wildcard-actions", "insecure-role-policy"],
  ["aws-iam-no-wildcard-resource-writes", "insecure-role-policy"],
  ["aws-iam-no-admin-policies", "insecure-admin"],
  ["aws-lambda-no-plaintext-secrets", "insecure-function"],
  ["aws-lambda-dead-letter", "insecure-function"],
  ["aws-lambda-error-alarm", "insecure-function"],
  ["aws-log-retention", "insecure-logs"],
  ["aws-log-group-kms", "insecure-logs"],
  ["aws-s3-versioning", "insecure-bucket"],
  ["aws-kms-key-policy", "insecure-key"],
  ["gcp-no-service-account-keys", "insecure-sa-key"],
  ["gcp-no-primitive-roles", "insecure-owner"],
  ["gcp-bigquery-no-public-access", "insecure-public-dataset"],
  ["gcp-functions-internal-ingress", "insecure-gcf"],
  ["gcp-no-default-service-accounts", "insecure-gcf"],
  ["azure-storage-https-only", "insecure-storage"],
  ["azure-minimum-tls", "insecure-storage"],
  ["azure-storage-no-public-blob-access", "insecure-storage"],
  ["azure-no-privileged-role-assignments", "insecure-owner-assignment"],
  ["azure-storage-no-cross-tenant-replication", "insecure-storage"],
  ["azure-storage-network-deny", "insecure-storage"],
  ["azure-storage-soft-delete", "insecure-storage"],
  ["k8s-run-as-non-root", "insecure-cron"],
  ["k8s-no-privilege-escalation", "insecure-cron"],
  ["k8s-drop-capabilities", "insecure-cron"],
  ["k8s-resource-limits", "insecure-cron"],
  ["k8s-no-host-path", "insecure-cron"],
  ["k8s-no-host-namespaces", "insecure-cron"],
  ["k8s-no-plaintext-secrets", "insecure-cron"],
  ["k8s-cronjob-no-overlap", "insecure-cron"],
  ["k8s-image-pinned", "insecure-cron"],
  ["k8s-seccomp-runtime-default", "insecure-cron"],
  ["k8s-no-default-service-account", "insecure-cron"],
  ["k8s-no-default-namespace", "insecure-cron"],
  ["required-tags", "insecure-bucket"],
  ["required-tags", "insecure-storage"],
  ["required-tags", "insecure-cron"],
  ["data-residency", "insecure-bucket"],
  ["data-residency", "insecure-gcf"],
  ["data-residency", "insecure-storage"],
];

describe("a deliberately insecure stack", function () {
  this.timeout(60_000);

  it("trips each policy it should, on the resource at fault", async () => {
    const { resources } = await record(insecureProgram);
    const violations = await runPolicyPack(resources, {
      config: { "data-residency": { allowedRegions: ["eu-west-1", "europe-west1", "EU", "westeurope"] } },
    });
    const missing = EXPECTED.filter(
      ([policy, name]) => !violations.some((v) => v.policy === policy && v.urn.endsWith(`::${name}`)),
    );
    assert.deepEqual(
      missing,
      [],
      JSON.stringify(
        violations.map((v) => [v.policy, v.urn.split("::").pop(), v.message]),
        null,
        1,
      ),
    );
    assert.ok(violations.some((v) => v.level === "mandatory"));
    // Nothing fires on resources that were built right: the providers themselves are clean.
    assert.deepEqual(
      violations.filter((v) => v.urn.includes("pulumi:providers:")),
      [],
    );
  });
});
