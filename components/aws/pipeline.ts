import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../core/naming";
import { tenantSecretPath } from "../core/secrets";
import type { AwsConfig, TenantConfig } from "../tenant/config";
import { CostCatalog, type WorkgroupSettings } from "./catalog";
import { ConnectorRole } from "./connector-role";
import { DataExports } from "./data-exports";
import { type AccessLogTarget, ExportBucket, type ExportLifecycle } from "./export-bucket";
import type { Cur2Options } from "./export-tables";
import { AuditTrail } from "./audit-trail";
import { arns, assertCommercialRegion } from "./iam";
import { auditTrailNames, connectorRoleName, type ExportLayout, exportLayout, jobRoleName } from "./layout";
import { MemberMetricsRoles } from "./member-metrics";
import { type JobAlarms, jobAlarmNames, jobLogGroupName, NormalizationJob } from "./normalization-job";

export interface AwsCostPipelineArgs {
  /** The tenant, validated. */
  tenant: TenantConfig;
  /** Its AWS section (`tenant.aws`), passed separately so that it is known to be present. */
  aws: AwsConfig;
  /** The tenant's provider in its region (`providers.aws.main`). */
  provider: aws.Provider;
  /** The same account in us-east-1 (`providers.aws.usEast1`), where Data Exports are created. */
  usEast1Provider: aws.Provider;
  /** The AWS job bundle, e.g. `new pulumi.asset.FileArchive("dist/jobs/aws")`. */
  jobCode: pulumi.Input<pulumi.asset.Archive>;
  /** The connector's external id; generated and kept in Secrets Manager when omitted. */
  externalId?: pulumi.Input<string>;
  /** Add the ECS/EKS split cost allocation columns to CUR 2.0. Default true. */
  splitCostAllocation?: boolean;
  /** Add the capacity reservation columns to CUR 2.0. Default false. */
  capacityReservations?: boolean;
  /** Bucket lifecycle; documented defaults for every omitted field. */
  lifecycle?: ExportLifecycle;
  /** Server access logging of the export bucket; off when omitted. */
  accessLogs?: AccessLogTarget;
  /** Athena workgroup settings (per-query scan limit). */
  workgroup?: WorkgroupSettings;
  /** Job alarm settings (notification topics, freshness threshold). */
  alarms?: JobAlarms;
  /** Days to keep the job's logs. Default 90. */
  logRetentionDays?: number;
}

/**
 * Everything Costline creates in a tenant's AWS management account: the export bucket and key,
 * the Data Exports, the Glue/Athena catalog, the platform's connector role with its secret, the
 * scheduled normalization job, and, when member accounts are listed, their metrics roles.
 */
export class AwsCostPipeline extends pulumi.ComponentResource {
  /** The role the platform assumes. */
  readonly connectorRoleArn: pulumi.Output<string>;
  /** ARN of the secret that holds the external id (not the value). */
  readonly externalIdSecretArn: pulumi.Output<string>;
  /** The export bucket. */
  readonly bucketName: pulumi.Output<string>;
  /** The bucket's prefixes: exports (cur2/focus data), normalized output, query results. */
  readonly prefixes: pulumi.Output<Record<string, string>>;
  /** Glue database. */
  readonly databaseName: pulumi.Output<string>;
  /** Athena workgroup. */
  readonly workgroupName: pulumi.Output<string>;
  /** The normalization function. */
  readonly jobName: pulumi.Output<string>;
  /** The topic every job alarm notifies. */
  readonly alertsTopicArn: pulumi.Output<string>;
  /** The bucket layout, for readers beside this component. */
  readonly layout: ExportLayout;
  /** The parts, for tests and for components added beside this one. */
  readonly bucket: ExportBucket;
  readonly exports: DataExports;
  readonly catalog: CostCatalog;
  readonly connector: ConnectorRole;
  readonly job: NormalizationJob;
  readonly memberMetrics?: MemberMetricsRoles;
  /** The stack's own audit trail; absent when the tenant names an organization trail. */
  readonly auditTrail?: AuditTrail;
  /**
   * Which trail records access to this account's credentials and cost data: the stack's own, or
   * the organization trail the tenant named, which is assumed, not verified, by this stack.
   */
  readonly audit: pulumi.Output<{ trail: string; managedBy: "stack" | "organization" }>;

  constructor(name: string, args: AwsCostPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:aws:CostPipeline", name, {}, opts);
    const { tenant, aws: cfg } = args;
    assertCommercialRegion(cfg.region);
    const tenantId = tenant.tenantId;
    const accountId = cfg.managementAccountId;
    const at = { accountId, region: cfg.region };
    const layout = exportLayout(tenantId, accountId, cfg.region);
    const includeCur2 = cfg.exports.includes("cur2");
    const includeFocus = cfg.exports.includes("focus-1.2");
    const cur2: Cur2Options = {
      granularity: cfg.granularity,
      splitCostAllocation: args.splitCostAllocation ?? true,
      capacityReservations: args.capacityReservations ?? false,
    };
    const names = {
      database: physicalName("glue", "costline", tenantId),
      workgroup: physicalName("aws", "costline", tenantId),
      connectorRole: connectorRoleName(tenantId),
      jobFunction: physicalName("lambda", "costline", tenantId, "aws-normalize"),
      jobRole: jobRoleName(tenantId),
      schedulerRole: physicalName("iamRole", "costline", tenantId, "aws-normalize-scheduler"),
      metricsRole: physicalName("iamRole", "costline", tenantId, "metrics"),
      stackSet: physicalName("aws", "costline", tenantId, "member-metrics"),
    };
    const auditNames = auditTrailNames(tenantId, accountId, cfg.region);
    const opt = { parent: this };

    this.layout = layout;
    this.bucket = new ExportBucket(
      `${name}-bucket`,
      {
        accountId,
        region: cfg.region,
        layout,
        logGroupArns: [arns.logGroup(at, jobLogGroupName(names.jobFunction))],
        alarmArns: arns.alarms(at, jobAlarmNames(names.jobFunction).pattern),
        lifecycle: args.lifecycle,
        accessLogs: args.accessLogs,
        provider: args.provider,
      },
      opt,
    );
    this.exports = new DataExports(
      `${name}-exports`,
      {
        accountId,
        bucketRegion: cfg.region,
        layout,
        cur2,
        includeCur2,
        includeFocus,
        bucketReady: [this.bucket.policy, this.bucket.encryption],
        usEast1Provider: args.usEast1Provider,
      },
      opt,
    );
    this.catalog = new CostCatalog(
      `${name}-catalog`,
      {
        accountId,
        layout,
        databaseName: names.database,
        workgroupName: names.workgroup,
        keyArn: this.bucket.keyArn,
        includeCur2,
        includeFocus,
        cur2,
        focusVersion: tenant.focusVersion,
        workgroup: args.workgroup,
        provider: args.provider,
      },
      opt,
    );
    this.connector = new ConnectorRole(
      `${name}-connector`,
      {
        roleName: names.connectorRole,
        platformPrincipalArn: cfg.platformPrincipalArn,
        externalId: args.externalId,
        secretName: tenantSecretPath(tenantId, "aws", accountId),
        keyArn: this.bucket.keyArn,
        scope: this.bucket.keyArn.apply((keyArn) => ({ ...at, layout, keyArn })),
        provider: args.provider,
      },
      opt,
    );
    this.job = new NormalizationJob(
      `${name}-job`,
      {
        tenantId,
        reportingCurrency: tenant.reportingCurrency,
        focusVersion: tenant.focusVersion,
        checks: tenant.checks,
        ...at,
        functionName: names.jobFunction,
        roleName: names.jobRole,
        schedulerRoleName: names.schedulerRole,
        code: args.jobCode,
        schedule: tenant.schedule,
        logRetentionDays: args.logRetentionDays,
        alarms: {
          ...args.alarms,
          actions: [...cfg.alerts.topicArns, ...(args.alarms?.actions ?? [])],
          emails: [...cfg.alerts.emails, ...(args.alarms?.emails ?? [])],
        },
        layout,
        databaseName: this.catalog.databaseName,
        tableNames: this.catalog.tableNames,
        workgroupName: this.catalog.workgroupName,
        keyArn: this.bucket.keyArn,
        secretArn: this.connector.externalIdSecretArn,
        includeCur2,
        includeFocus,
        provider: args.provider,
      },
      opt,
    );
    if (cfg.memberAccountIds.length > 0) {
      this.memberMetrics = new MemberMetricsRoles(
        `${name}-member-metrics`,
        {
          accountIds: cfg.memberAccountIds,
          roleName: names.metricsRole,
          stackSetName: names.stackSet,
          platformPrincipalArn: cfg.platformPrincipalArn,
          externalId: this.connector.externalId,
          region: cfg.region,
          provider: args.provider,
        },
        opt,
      );
    }

    if (cfg.organizationTrailName === undefined) {
      this.auditTrail = new AuditTrail(
        `${name}-audit`,
        {
          ...at,
          trailName: auditNames.trail,
          bucket: auditNames.bucket,
          dataEventObjects: {
            bucket: layout.bucket,
            prefixes: [layout.exportsPrefix, layout.normalizedPrefix],
          },
          deniedRoleArns: [arns.role(accountId, names.jobRole), arns.role(accountId, names.connectorRole)],
          retentionDays: tenant.audit.retentionDays,
          provider: args.provider,
        },
        opt,
      );
    }
    this.audit = pulumi.output(
      cfg.organizationTrailName === undefined
        ? { trail: auditNames.trail, managedBy: "stack" as const }
        : { trail: cfg.organizationTrailName, managedBy: "organization" as const },
    );

    this.connectorRoleArn = this.connector.roleArn;
    this.externalIdSecretArn = this.connector.externalIdSecretArn;
    this.bucketName = this.bucket.bucketName;
    const prefixes: Record<string, string> = {
      ...(includeCur2 ? { cur2: layout.cur2.dataPrefix } : {}),
      ...(includeFocus ? { focus: layout.focus.dataPrefix } : {}),
      normalized: layout.normalizedPrefix,
      queryResults: layout.resultsPrefix,
    };
    this.prefixes = pulumi.output(prefixes);
    this.databaseName = this.catalog.databaseName;
    this.workgroupName = this.catalog.workgroupName;
    this.jobName = this.job.functionName;
    this.alertsTopicArn = this.job.alertsTopicArn;
    this.registerOutputs({
      connectorRoleArn: this.connectorRoleArn,
      externalIdSecretArn: this.externalIdSecretArn,
      bucketName: this.bucketName,
      prefixes: this.prefixes,
      databaseName: this.databaseName,
      workgroupName: this.workgroupName,
      jobName: this.jobName,
      alertsTopicArn: this.alertsTopicArn,
      audit: this.audit,
    });
  }
}
