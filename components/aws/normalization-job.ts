import * as aws from "@pulumi/aws";
import type { OutputVersion } from "../../runtime/schema/output";
import * as pulumi from "@pulumi/pulumi";
import { CHECKS_SETTING, type ChecksConfig } from "../../runtime/checks/config";
import { toEventBridgeCron } from "../core/schedule";
import { arns, type PolicyDocument } from "./iam";
import { FRESHNESS_METRIC, JOB_ENV, METRIC_NAMESPACE } from "./job-contract";
import type { ExportLayout } from "./layout";
import { alertTopicPolicy, type JobScope, jobPolicy, schedulerPolicy, serviceTrustPolicy } from "./policies";

/** The log group Lambda writes a function's logs to; known before the function exists. */
export const jobLogGroupName = (functionName: string) => `/aws/lambda/${functionName}`;

/**
 * The job's alarms are named `<function>-<what>`, and its alerts topic `<function>-alerts`; the
 * key policy, known before the job exists, grants CloudWatch the key for these alarms only.
 */
export const jobAlarmNames = (functionName: string) => ({
  pattern: `${functionName}-*`,
  alarm: (what: string) => `${functionName}-${what}`,
  topic: `${functionName}-alerts`,
});

/** Alarm settings. */
export interface JobAlarms {
  /**
   * More SNS topic ARNs notified when an alarm fires or clears (an on-call topic), besides the
   * job's own alerts topic, which every alarm notifies. Default: none.
   */
  actions?: pulumi.Input<string>[];
  /** Email addresses subscribed to the alerts topic (each confirms by mail). Default: none. */
  emails?: string[];
  /** Alarm when the newest export is older than this many hours. Default 48 (exports refresh at least daily). */
  freshnessThresholdHours?: number;
}

export interface NormalizationJobArgs {
  /** Tenant id, passed to the job. */
  tenantId: string;
  /** Reporting currency, passed to the job. */
  reportingCurrency: string;
  /** The FOCUS version the job writes (the normalized table's, see CostCatalogArgs). */
  focusVersion: OutputVersion;
  /** The tenant's checks settings, which the job runs over the periods it writes. */
  checks: ChecksConfig;
  /** The management account and region. */
  accountId: string;
  region: string;
  /** Lambda function name (also names the role, queue, schedule and alarms). */
  functionName: string;
  /** Role names for the function and the scheduler. */
  roleName: string;
  schedulerRoleName: string;
  /** The job bundle (dist/jobs/aws/), e.g. `new pulumi.asset.FileArchive("dist/jobs/aws")`. */
  code: pulumi.Input<pulumi.asset.Archive>;
  /** Entry point inside the bundle. Default "index.handler". */
  handler?: string;
  /** Memory in MB. Default 1024. */
  memorySize?: number;
  /** Timeout in seconds (at most 900). Default 900: the job waits for Athena queries. */
  timeoutSeconds?: number;
  /** Five-field Unix cron in UTC (the tenant schedule). */
  schedule: string;
  /** Days to keep logs. Default 90. */
  logRetentionDays?: number;
  /** Alarm settings; defaults apply. */
  alarms?: JobAlarms;
  /** The bucket layout. */
  layout: ExportLayout;
  /** Glue database and table names by kind. */
  databaseName: pulumi.Input<string>;
  tableNames: pulumi.Input<Record<string, string>>;
  /** Athena workgroup. */
  workgroupName: pulumi.Input<string>;
  /** The tenant key and connection secret. */
  keyArn: pulumi.Input<string>;
  secretArn: pulumi.Input<string>;
  /** Which export data prefixes exist. */
  includeCur2: boolean;
  includeFocus: boolean;
  /** The provider for the tenant's region. */
  provider: aws.Provider;
}

/** CloudWatch's retention choices. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * The scheduled normalization job: the AWS job bundle as a Lambda with its own least-privilege
 * role, started by EventBridge Scheduler on the tenant schedule, with a dead-letter queue, a log
 * group with retention, and alarms on errors, dead letters and data freshness.
 */
export class NormalizationJob extends pulumi.ComponentResource {
  /** The function name. */
  readonly functionName: pulumi.Output<string>;
  /** The function ARN. */
  readonly functionArn: pulumi.Output<string>;
  /** The job role ARN. */
  readonly roleArn: pulumi.Output<string>;
  /** The alerts topic every alarm notifies; subscribe on-call tooling to it. */
  readonly alertsTopicArn: pulumi.Output<string>;
  /** The job role's permission policy as deployed. */
  readonly permissionPolicy: pulumi.Output<PolicyDocument>;
  /** The EventBridge Scheduler expression. */
  readonly scheduleExpression: string;

  constructor(name: string, args: NormalizationJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:aws:NormalizationJob", name, {}, opts);
    const timeout = args.timeoutSeconds ?? 900;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > 900) {
      throw new Error(`timeoutSeconds is ${timeout}; Lambda allows 1 to 900 seconds`);
    }
    const retention = args.logRetentionDays ?? 90;
    if (!RETENTION_DAYS.includes(retention)) {
      throw new Error(
        `logRetentionDays is ${retention}; CloudWatch accepts one of ${RETENTION_DAYS.join(", ")}`,
      );
    }
    const freshnessHours = args.alarms?.freshnessThresholdHours ?? 48;
    if (!(freshnessHours > 0))
      throw new Error(`freshnessThresholdHours is ${freshnessHours}; use a positive number`);
    this.scheduleExpression = toEventBridgeCron(args.schedule);
    const child = { parent: this, provider: args.provider };
    const { layout } = args;
    const logGroupName = jobLogGroupName(args.functionName);

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: retention, kmsKeyId: args.keyArn },
      child,
    );
    const deadLetters = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: `${args.functionName}-dlq`,
        messageRetentionSeconds: 14 * 24 * 3600,
        sqsManagedSseEnabled: true,
      },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: "Costline AWS normalization job",
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com")),
      },
      child,
    );
    this.permissionPolicy = pulumi
      .all([
        args.keyArn,
        args.secretArn,
        args.workgroupName,
        args.databaseName,
        args.tableNames,
        deadLetters.arn,
      ])
      .apply(([keyArn, secretArn, workgroup, database, tables, deadLetterQueueArn]) => {
        const scope: JobScope = {
          accountId: args.accountId,
          region: args.region,
          layout,
          keyArn,
          workgroup,
          database,
          normalizedTable: tables.normalized,
          secretArn,
          logGroupName,
          deadLetterQueueArn,
        };
        return jobPolicy(scope);
      });
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-permissions`,
      { role: role.name, name: "costline-job", policy: pulumi.jsonStringify(this.permissionPolicy) },
      child,
    );

    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        name: args.functionName,
        description: `Costline: normalize this tenant's AWS billing exports to FOCUS ${args.focusVersion}`,
        role: role.arn,
        runtime: "nodejs22.x",
        // The job copies a sample into DuckDB for the FOCUS validator; the bundle packages its linux-x64 binding.
        architectures: ["x86_64"],
        handler: args.handler ?? "index.handler",
        code: args.code,
        memorySize: args.memorySize ?? 1024,
        timeout,
        // One run at a time: two runs publishing one tenant's periods would race for the same
        // Glue partitions; a second invocation is throttled and retried by Lambda instead.
        reservedConcurrentExecutions: 1,
        deadLetterConfig: { targetArn: deadLetters.arn },
        // Text passes the job's own JSON lines through unchanged, which embedded metrics require.
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        environment: {
          variables: {
            [JOB_ENV.tenantId]: args.tenantId,
            [JOB_ENV.reportingCurrency]: args.reportingCurrency,
            [JOB_ENV.focusVersion]: args.focusVersion,
            [JOB_ENV.bucket]: layout.bucket,
            [JOB_ENV.cur2DataPrefix]: args.includeCur2 ? layout.cur2.dataPrefix : "",
            [JOB_ENV.focusDataPrefix]: args.includeFocus ? layout.focus.dataPrefix : "",
            [JOB_ENV.normalizedPrefix]: layout.normalizedPrefix,
            [JOB_ENV.glueDatabase]: args.databaseName,
            [JOB_ENV.glueTables]: pulumi.jsonStringify(args.tableNames),
            [JOB_ENV.athenaWorkgroup]: args.workgroupName,
            [JOB_ENV.secretArn]: args.secretArn,
            [JOB_ENV.metricNamespace]: METRIC_NAMESPACE,
            [CHECKS_SETTING]: JSON.stringify(args.checks),
          },
        },
      },
      // The role must carry its permissions before the first scheduled run can succeed.
      { ...child, dependsOn: [rolePolicy, logGroup] },
    );

    const schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        name: args.schedulerRoleName,
        description: "Costline: EventBridge Scheduler starts the AWS normalization job",
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("scheduler.amazonaws.com", args.accountId)),
      },
      child,
    );
    const schedulerPermissions = new aws.iam.RolePolicy(
      `${name}-scheduler-permissions`,
      {
        role: schedulerRole.name,
        name: "costline-invoke-job",
        policy: pulumi
          .all([fn.arn, deadLetters.arn])
          .apply(([functionArn, queueArn]) => JSON.stringify(schedulerPolicy(functionArn, queueArn))),
      },
      child,
    );
    new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: args.functionName,
        description: "Costline: run the AWS normalization job on the tenant schedule",
        scheduleExpression: this.scheduleExpression,
        scheduleExpressionTimezone: "UTC",
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        target: {
          arn: fn.arn,
          roleArn: schedulerRole.arn,
          input: JSON.stringify({ tenantId: args.tenantId, trigger: "schedule" }),
          deadLetterConfig: { arn: deadLetters.arn },
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        },
      },
      { ...child, dependsOn: [schedulerPermissions] },
    );

    // An alarm without an action is seen only by someone already looking at CloudWatch.
    const alarmNames = jobAlarmNames(args.functionName);
    const at = { accountId: args.accountId, region: args.region };
    const topic = new aws.sns.Topic(
      `${name}-alerts`,
      { name: alarmNames.topic, kmsMasterKeyId: args.keyArn },
      child,
    );
    const topicPolicy = new aws.sns.TopicPolicy(
      `${name}-alerts-policy`,
      {
        arn: topic.arn,
        policy: topic.arn.apply((topicArn) =>
          JSON.stringify(
            alertTopicPolicy({ ...at, topicArn, alarmArns: arns.alarms(at, alarmNames.pattern) }),
          ),
        ),
      },
      child,
    );
    (args.alarms?.emails ?? []).forEach((email, i) => {
      new aws.sns.TopicSubscription(
        `${name}-alerts-email-${i}`,
        { topic: topic.arn, protocol: "email", endpoint: email },
        child,
      );
    });
    const actions = [topic.arn, ...(args.alarms?.actions ?? [])];
    const alarm = (
      suffix: string,
      alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, "name" | "alarmActions" | "okActions">,
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        { ...alarmArgs, name: alarmNames.alarm(suffix), alarmActions: actions, okActions: actions },
        { ...child, dependsOn: [topicPolicy] },
      );
    alarm("errors", {
      alarmDescription: "The Costline AWS normalization job failed",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: fn.name },
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
    });
    alarm("dead-letters", {
      alarmDescription: "Runs of the Costline AWS normalization job ended in the dead-letter queue",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: deadLetters.name },
      statistic: "Maximum",
      period: 3600,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
    });
    alarm("freshness", {
      alarmDescription: `The newest AWS export is older than ${freshnessHours} hours, or the job stopped reporting`,
      namespace: METRIC_NAMESPACE,
      metricName: FRESHNESS_METRIC,
      dimensions: { TenantId: args.tenantId },
      statistic: "Maximum",
      // One day: the job reports once a run, and a day without a report is itself stale data.
      period: 86400,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: freshnessHours,
      treatMissingData: "breaching",
    });

    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.roleArn = role.arn;
    this.alertsTopicArn = topic.arn;
    this.registerOutputs({
      functionName: this.functionName,
      functionArn: this.functionArn,
      roleArn: this.roleArn,
      alertsTopicArn: this.alertsTopicArn,
    });
  }
}
