import * as pulumi from "@pulumi/pulumi";
import type { KubernetesCluster } from "../tenant/config";
import { rules } from "../core/input-rules";
import { checked } from "./checks";

type Input = pulumi.Input<string>;

/** OpenCost reads the AWS CUR through Athena, as the AWS component deploys it, with IRSA. */
export interface AthenaCloudCost {
  kind: "aws-athena";
  /** Bucket where Athena writes query results (OpenCost passes it as the output location). */
  queryResultsBucket: Input;
  /** Region of the Athena workgroup and Glue database. */
  region: Input;
  /** Glue database of the CUR table. */
  database: Input;
  /** Glue table of the CUR. */
  table: Input;
  /** Athena workgroup to run the queries in. */
  workgroup: Input;
  /** Account that holds the CUR table. */
  accountId: Input;
  /** IAM role OpenCost's service account assumes through IRSA (Athena, Glue and S3 read). */
  roleArn: Input;
}

/** OpenCost reads the GCP billing export in BigQuery, as the GCP component deploys it, with GKE Workload Identity. */
export interface BigQueryCloudCost {
  kind: "gcp-bigquery";
  /** Project of the billing export dataset. */
  projectId: Input;
  /** Dataset of the billing export. */
  dataset: Input;
  /** Export table, e.g. gcp_billing_export_resource_v1_01ABCD_23EF45_67ABCD. */
  table: Input;
  /** Google service account OpenCost's Kubernetes service account impersonates. */
  serviceAccountEmail: Input;
}

/** OpenCost's optional Cloud Costs integration, reading the same exports the cloud components deploy. */
export type OpenCostCloudCost = AthenaCloudCost | BigQueryCloudCost;

/** What the integration adds to the OpenCost chart. */
export interface CloudCostWiring {
  /** The chart's `cloudIntegrationJSON`: it names no key or secret, only where to read and which identity type. */
  integrationJson: pulumi.Output<string>;
  /** Annotations that bind OpenCost's service account to the cloud identity. */
  serviceAccountAnnotations: Record<string, Input>;
}

const CLOUD = { "aws-athena": "aws", "gcp-bigquery": "gcp" } as const;

/** Validates the integration against the cluster and renders OpenCost's cloud-integration.json. */
export function wireCloudCost(cost: OpenCostCloudCost, cluster: KubernetesCluster): CloudCostWiring {
  if (!(cost.kind in CLOUD)) {
    throw new Error(`cloudCost.kind "${cost.kind}" is unknown; use "aws-athena" or "gcp-bigquery"`);
  }
  if (CLOUD[cost.kind] !== cluster.cloud) {
    throw new Error(
      `cluster "${cluster.name}" runs on ${cluster.cloud}, but cloudCost.kind "${cost.kind}" needs the ${CLOUD[cost.kind]} workload identity of a ${CLOUD[cost.kind]} cluster; ` +
        "leave cloudCost out for this cluster or give the integration of its own cloud",
    );
  }
  if (cost.kind === "aws-athena") {
    const fields = {
      bucket: checked(cost.queryResultsBucket, rules.s3Bucket, "cloudCost.queryResultsBucket"),
      region: checked(cost.region, rules.awsRegion, "cloudCost.region"),
      database: checked(cost.database, rules.athenaName, "cloudCost.database"),
      table: checked(cost.table, rules.athenaName, "cloudCost.table"),
      workgroup: checked(cost.workgroup, rules.athenaWorkgroup, "cloudCost.workgroup"),
      account: checked(cost.accountId, rules.awsAccountId, "cloudCost.accountId"),
    };
    return {
      integrationJson: pulumi.output(fields).apply((f) =>
        JSON.stringify({
          aws: {
            athena: [
              { ...f, bucket: `s3://${f.bucket}`, authorizer: { authorizerType: "AWSServiceAccount" } },
            ],
          },
        }),
      ),
      serviceAccountAnnotations: {
        "eks.amazonaws.com/role-arn": checked(cost.roleArn, rules.awsRoleArn, "cloudCost.roleArn"),
      },
    };
  }
  const fields = {
    projectID: checked(cost.projectId, rules.gcpProjectId, "cloudCost.projectId"),
    dataset: checked(cost.dataset, rules.bigqueryName, "cloudCost.dataset"),
    table: checked(cost.table, rules.bigqueryName, "cloudCost.table"),
  };
  return {
    integrationJson: pulumi.output(fields).apply((f) =>
      JSON.stringify({
        gcp: { bigQuery: [{ ...f, authorizer: { authorizerType: "GCPWorkloadIdentity" } }] },
      }),
    ),
    serviceAccountAnnotations: {
      "iam.gke.io/gcp-service-account": checked(
        cost.serviceAccountEmail,
        rules.gcpServiceAccountEmail,
        "cloudCost.serviceAccountEmail",
      ),
    },
  };
}
