import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { TenantConfig } from "../../components/tenant/config";
import { type JobArtifacts, TenantCostPipeline } from "../../components/tenant/pipeline";
import type { Kubeconfigs } from "../../components/tenant/providers";

/**
 * The per-tenant program: what `pulumi up` runs for a tenant stack and what the offline plan runs
 * under mocks. It takes an already validated tenant, so an invalid one never creates anything.
 * The jobs are those `npm run build:jobs` wrote beside this package, unless given (the published
 * package carries none: each holds DuckDB's native binding for its target, 20-90 MB).
 */
export function tenantProgram(
  tenant: TenantConfig,
  kubeconfigs: Kubeconfigs = {},
  jobs: JobArtifacts = builtJobs(),
): Record<string, pulumi.Output<unknown>> {
  const pipeline = new TenantCostPipeline(tenant.tenantId, { tenant, kubeconfigs, jobs });
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

/** The package's root: above stacks/tenant/ in the sources, above dist/lib/stacks/tenant/ in the build. */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return dir;
}

/**
 * The job artifacts `npm run build:jobs` writes to dist/jobs/. Pulumi reads them at `up`; the
 * offline plan only records their paths. The image tag follows the package version.
 */
export function builtJobs(): JobArtifacts {
  const root = packageRoot();
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const DIST = join(root, "dist", "jobs");
  return {
    aws: new pulumi.asset.FileArchive(join(DIST, "aws")),
    gcp: new pulumi.asset.FileArchive(join(DIST, "gcp")),
    azure: new pulumi.asset.FileArchive(join(DIST, "azure")),
    kubernetesImage: process.env.COSTLINE_JOB_IMAGE ?? `ghcr.io/costline/job:${version}`,
  };
}
