import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { TenantConfig } from "../../components/tenant/config";
import { type JobArtifacts, TenantCostPipeline } from "../../components/tenant/pipeline";
import type { Kubeconfigs } from "../../components/tenant/providers";

/**
 * The per-tenant program: what `pulumi up` runs for a tenant stack and what the offline plan runs
 * under mocks. It takes an already validated tenant, so an invalid one never creates anything.
 */
export function tenantProgram(
  tenant: TenantConfig,
  kubeconfigs: Kubeconfigs = {},
): Record<string, pulumi.Output<unknown>> {
  const pipeline = new TenantCostPipeline(tenant.tenantId, { tenant, kubeconfigs, jobs: builtJobs() });
  const { aws, gcp, azure } = pipeline;
  return {
    tenantId: pipeline.tenantId,
    clouds: pipeline.clouds,
    ...(aws && {
      aws: pulumi.output({
        connectorRoleArn: aws.connectorRoleArn,
        externalIdSecretArn: aws.externalIdSecretArn,
        bucket: aws.bucketName,
        prefixes: aws.prefixes,
        database: aws.databaseName,
        workgroup: aws.workgroupName,
        job: aws.jobName,
        alertsTopic: aws.alertsTopicArn,
      }),
    }),
    ...(gcp && {
      gcp: pulumi.output({
        exportDataset: gcp.exportDatasetId,
        gcpConsoleSteps: gcp.billingExportSetup,
        normalizedTable: pulumi.interpolate`${gcp.normalizedDatasetId}.${gcp.normalizedTableId}`,
        readerServiceAccount: gcp.readerServiceAccountEmail,
        workloadIdentityAudience: gcp.workloadIdentityAudience,
        secret: gcp.secretId,
        function: gcp.functionName,
      }),
    }),
    ...(azure && {
      azure: pulumi.output({
        resourceGroup: azure.resourceGroupName,
        storageAccount: azure.storageAccountName,
        export: azure.exportName,
        functionApp: azure.functionAppName,
        jobClientId: azure.jobClientId,
        secret: azure.secretName,
        policyAssignment: azure.policyAssignmentId,
      }),
    }),
  };
}

const DIST = join(__dirname, "..", "..", "dist", "jobs");

/**
 * The job artifacts `npm run build:jobs` writes to dist/jobs/. Pulumi reads them at `up`; the
 * offline plan only records their paths. The image tag follows the package version.
 */
export function builtJobs(): JobArtifacts {
  const { version } = require("../../package.json") as { version: string };
  return {
    aws: new pulumi.asset.FileArchive(join(DIST, "aws")),
    gcp: new pulumi.asset.FileArchive(join(DIST, "gcp")),
    azure: new pulumi.asset.FileArchive(join(DIST, "azure")),
    kubernetesImage: process.env.COSTLINE_JOB_IMAGE ?? `ghcr.io/costline/job:${version}`,
  };
}
