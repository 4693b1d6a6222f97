import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../core/naming";
import { tenantSecretPath } from "../core/secrets";
import { gcpLabels } from "../../policies/lib/tags";
import type { GcpConfig, TenantConfig } from "../tenant/config";
import { GcpProjectApis } from "./apis";
import { GcpAuditLogging } from "./audit-logging";
import { type BillingExportSetup, GcpBillingExport } from "./billing-export";
import { GcpConnectionSecret } from "./connection-secret";
import { GcpJobIdentity } from "./job-identity";
import { GcpNormalizationJob } from "./normalization-job";
import { GCP_JOB_ENV } from "./job-contract";
import { CHECKS_SETTING, tagAliasesOf } from "../../runtime/checks/config";
import { GcpCostViews } from "./cost-views";
import {
  auditLogNames,
  billingExportDatasetId,
  NORMALIZED_TABLE_ID,
  normalizedDatasetId,
  serviceAccountId,
} from "./job-contract";
import { GcpNormalizedDataset } from "./normalized-dataset";
import { GcpPlatformAccess } from "./platform-access";

export interface GcpCostPipelineArgs {
  /** The tenant's GCP provider (project, region and default labels set). */
  provider: gcp.Provider;
  /** The tenant, already validated. */
  tenant: TenantConfig;
  /** The tenant's GCP section. */
  gcp: GcpConfig;
  /** The GCP job bundle for the function, e.g. `new pulumi.asset.FileArchive("dist/jobs/gcp")`. */
  jobSource: pulumi.Input<pulumi.asset.Archive>;
  /** The bundle's exported HTTP handler; "normalize" unless the bundle names it otherwise. */
  jobEntryPoint?: string;
}

/**
 * Everything Costline creates in a tenant's GCP project: the APIs, the billing export dataset,
 * the normalized dataset and table, keyless platform access, the connection secret and the
 * scheduled normalization job.
 */
export class GcpCostPipeline extends pulumi.ComponentResource {
  /** The dataset Cloud Billing exports into. */
  readonly exportDatasetId: pulumi.Output<string>;
  /** The console steps that turn the billing export on, per billing account. */
  readonly billingExportSetup: pulumi.Output<BillingExportSetup[]>;
  /** The dataset and table of normalized FOCUS rows. */
  readonly normalizedDatasetId: pulumi.Output<string>;
  readonly normalizedTableId: pulumi.Output<string>;
  /** The service account the platform impersonates to read cost data. */
  readonly readerServiceAccountEmail: pulumi.Output<string>;
  /** The audience the platform exchanges its tokens for (the pool provider). */
  readonly workloadIdentityAudience: pulumi.Output<string>;
  /** The secret holding the job's connection settings. */
  readonly secretId: pulumi.Output<string>;
  /** The service account the job runs as. */
  readonly jobServiceAccountEmail: pulumi.Output<string>;
  /** The function and the scheduler job that calls it. */
  readonly functionName: pulumi.Output<string>;
  readonly schedulerJobName: pulumi.Output<string>;
  /** The log bucket that keeps the audit logs of the secret and the cost data. */
  readonly auditLogBucket: pulumi.Output<string>;

  constructor(name: string, args: GcpCostPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:CostPipeline", name, {}, opts);
    const { provider, tenant, gcp: cfg } = args;
    const { tenantId } = tenant;
    const labels = gcpLabels(tenantId, tenant.tags);
    const projectId = cfg.projectId;
    const sa = (role: Parameters<typeof serviceAccountId>[1]) => serviceAccountId(tenantId, role);
    const gcpName = (...parts: string[]) => physicalName("gcp", ...parts);

    const apis = new GcpProjectApis(
      `${name}-apis`,
      { provider, projectId, assetInventory: cfg.assetInventory !== undefined },
      { parent: this },
    );
    const after = { parent: this, dependsOn: [apis] };

    const audit = new GcpAuditLogging(
      `${name}-audit`,
      {
        provider,
        projectId,
        location: cfg.region,
        ...auditLogNames(tenantId),
        retentionDays: tenant.audit.retentionDays,
      },
      after,
    );
    const billingExport = new GcpBillingExport(
      `${name}-billing-export`,
      {
        provider,
        projectId,
        datasetId: billingExportDatasetId(tenantId),
        location: cfg.datasetLocation,
        billingAccountIds: cfg.billingAccountIds,
        exportTypes: cfg.exportTypes,
        kmsKeyName: cfg.kmsKeyName,
        labels,
      },
      after,
    );
    const normalized = new GcpNormalizedDataset(
      `${name}-normalized`,
      {
        provider,
        projectId,
        datasetId: normalizedDatasetId(tenantId),
        tableId: NORMALIZED_TABLE_ID,
        location: cfg.datasetLocation,
        kmsKeyName: cfg.kmsKeyName,
        labels,
        focusVersion: tenant.focusVersion,
      },
      after,
    );
    new GcpCostViews(
      `${name}-views`,
      {
        provider,
        projectId,
        datasetId: normalizedDatasetId(tenantId),
        tableId: NORMALIZED_TABLE_ID,
        table: normalized,
        labels,
        tagAliases: tagAliasesOf(tenant.checks),
      },
      after,
    );
    const access = new GcpPlatformAccess(
      `${name}-platform`,
      {
        provider,
        projectId,
        poolId: physicalName("gcpWorkloadIdentity", "costline", tenantId),
        providerId: physicalName("gcpWorkloadIdentity", "platform", cfg.platformIdentity.kind),
        readerAccountId: sa("reader"),
        identity: cfg.platformIdentity,
        readableDatasets: { export: billingExport.datasetId, normalized: normalized.datasetId },
        assetInventory: cfg.assetInventory,
      },
      after,
    );
    const secret = new GcpConnectionSecret(
      `${name}-secret`,
      {
        provider,
        projectId,
        secretId: tenantSecretPath(tenantId, "gcp", projectId),
        replicaLocations: [cfg.region],
        settings: pulumi
          .all([
            billingExport.datasetId,
            billingExport.expectedTables,
            normalized.datasetId,
            normalized.tableId,
          ])
          .apply(([exportDatasetId, expectedTables, datasetId, tableId]) => ({
            tenantId,
            provider: "gcp" as const,
            projectId,
            billingExport: {
              datasetId: exportDatasetId,
              location: cfg.datasetLocation,
              billingAccountIds: cfg.billingAccountIds,
              exportTypes: cfg.exportTypes,
              expectedTables,
            },
            normalized: { datasetId, tableId },
            reportingCurrency: tenant.reportingCurrency,
            focusVersion: tenant.focusVersion,
          })),
        labels,
      },
      after,
    );
    const identity = new GcpJobIdentity(
      `${name}-job-identity`,
      {
        provider,
        projectId,
        accountId: sa("job"),
        exportDatasetId: billingExport.datasetId,
        normalizedDatasetId: normalized.datasetId,
        secretId: secret.secretId,
      },
      after,
    );
    const job = new GcpNormalizationJob(
      `${name}-job`,
      {
        provider,
        projectId,
        region: cfg.region,
        names: {
          bucket: gcpName(projectId, "costline", tenantId, "jobs"),
          repository: gcpName("costline", tenantId, "jobs"),
          function: gcpName("costline", tenantId, "normalize"),
          schedulerJob: gcpName("costline", tenantId, "normalize"),
          buildAccountId: sa("build"),
          invokerAccountId: sa("invoker"),
        },
        source: args.jobSource,
        entryPoint: args.jobEntryPoint ?? "normalize",
        runtimeServiceAccountEmail: identity.email,
        environment: {
          [GCP_JOB_ENV.tenantId]: tenantId,
          [GCP_JOB_ENV.settingsSecret]: secret.latestVersionName,
          [GCP_JOB_ENV.billingAccountNames]: JSON.stringify(cfg.billingAccountNames),
          [CHECKS_SETTING]: JSON.stringify(tenant.checks),
        },
        schedule: tenant.schedule,
        labels,
      },
      after,
    );

    this.exportDatasetId = billingExport.datasetId;
    this.billingExportSetup = billingExport.setup;
    this.normalizedDatasetId = normalized.datasetId;
    this.normalizedTableId = normalized.tableId;
    this.readerServiceAccountEmail = access.readerEmail;
    this.workloadIdentityAudience = access.audience;
    this.secretId = secret.secretId;
    this.jobServiceAccountEmail = identity.email;
    this.functionName = job.functionName;
    this.schedulerJobName = job.schedulerJobName;
    this.auditLogBucket = audit.bucketName;
    this.registerOutputs({
      exportDatasetId: this.exportDatasetId,
      billingExportSetup: this.billingExportSetup,
      normalizedDatasetId: this.normalizedDatasetId,
      normalizedTableId: this.normalizedTableId,
      readerServiceAccountEmail: this.readerServiceAccountEmail,
      workloadIdentityAudience: this.workloadIdentityAudience,
      secretId: this.secretId,
      jobServiceAccountEmail: this.jobServiceAccountEmail,
      functionName: this.functionName,
      schedulerJobName: this.schedulerJobName,
      auditLogBucket: this.auditLogBucket,
    });
  }
}
