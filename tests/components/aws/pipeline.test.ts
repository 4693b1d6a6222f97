import assert from "node:assert/strict";
import { outputColumns } from "../../../runtime/schema/output";
import { CUR2_TABLE, cur2Columns, exportQuery } from "../../../components/aws/export-tables";
import type { PolicyDocument, Statement } from "../../../components/aws/iam";
import { JOB_ENV } from "../../../components/aws/job-contract";
import { CHECKS_SETTING } from "../../../runtime/checks/config";
import type { RecordedResource } from "../../helpers/pulumi";
import { awsOnlyTenant, exampleTenant } from "../../helpers/tenants";
import { awsTenant, type PipelineRun, parsedInput, recordAwsPipeline, resolved } from "./harness";

const ACCOUNT = "111122223333";
const BUCKET = "costline-acme-111122223333-eu-west-1";

const statement = (doc: unknown, sid: string): Statement => {
  const found = (doc as PolicyDocument).Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${JSON.stringify(doc)}`);
  return found;
};

describe("AwsCostPipeline under mocks (example tenant)", function () {
  this.timeout(60_000);
  let run: PipelineRun;
  before(async () => {
    run = await recordAwsPipeline();
  });
  const one = (type: string, name: string) => run.recorded.one(type, name);

  it("is one component per concern, every child named after its parent and on an explicit provider", () => {
    const top = one("costline:aws:CostPipeline", "acme-aws");
    const components = run.recorded.resources
      .filter((r) => r.parent === top.urn)
      .map((r) => r.type)
      .sort();
    assert.deepEqual(components, [
      "costline:aws:AuditTrail",
      "costline:aws:ConnectorRole",
      "costline:aws:CostCatalog",
      "costline:aws:DataExports",
      "costline:aws:ExportBucket",
      "costline:aws:MemberMetricsRoles",
      "costline:aws:NormalizationJob",
    ]);
    const inside = (r: RecordedResource): boolean =>
      r.parent === top.urn || (r.parent !== null && inside(run.recorded.byUrn(r.parent)));
    const awsResources = run.recorded.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    assert.ok(awsResources.length > 25);
    for (const r of run.recorded.resources.filter(inside)) {
      const parent = run.recorded.byUrn(r.parent as string);
      assert.ok(
        r.name.startsWith(`${parent.name}-`),
        `${r.name} is not named after its parent ${parent.name}`,
      );
    }
    for (const r of awsResources) {
      assert.ok(inside(r), `${r.name} is outside the pipeline`);
      const expected =
        r.type === "aws:bcmdata/export:Export" ? run.providerUrns.usEast1 : run.providerUrns.main;
      assert.ok(r.provider?.startsWith(`${expected}::`), `${r.name} uses provider ${r.provider}`);
    }
  });

  it("encrypts the bucket with its own rotating key, blocks public access and enforces ownership", () => {
    const key = one("aws:kms/key:Key", "acme-aws-bucket-key");
    assert.equal(key.inputs.enableKeyRotation, true);
    const encryption = one(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "acme-aws-bucket-encryption",
    );
    const [rule] = encryption.inputs.rules as Record<string, Record<string, unknown>>[];
    assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
    assert.match(String(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId), /^arn:aws:kms:.*:key\//);
    assert.equal(rule.bucketKeyEnabled, true);
    assert.deepEqual(
      one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "acme-aws-bucket-public-access").inputs,
      {
        bucket: BUCKET,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
    );
    assert.deepEqual(
      one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "acme-aws-bucket-ownership").inputs.rule,
      {
        objectOwnership: "BucketOwnerEnforced",
      },
    );
    assert.deepEqual(
      one("aws:s3/bucketVersioning:BucketVersioning", "acme-aws-bucket-versioning").inputs
        .versioningConfiguration,
      {
        status: "Enabled",
      },
    );
    assert.equal(one("aws:s3/bucket:Bucket", "acme-aws-bucket-bucket").inputs.bucket, BUCKET);
    assert.equal(
      run.recorded.ofType("aws:s3/bucketLogging:BucketLogging").length,
      0,
      "access logging is off by default",
    );
  });

  it("scopes the key policy to the account, Data Exports of the account and the job's log group", () => {
    const policy = parsedInput(run.recorded, "aws:kms/key:Key", "acme-aws-bucket-key", "policy");
    assert.deepEqual(statement(policy, "AccountAdministersKey").Principal, {
      AWS: `arn:aws:iam::${ACCOUNT}:root`,
    });
    const exportsUse = statement(policy, "DataExportsEncryptDeliveries");
    assert.deepEqual(exportsUse.Principal, { Service: "bcm-data-exports.amazonaws.com" });
    assert.deepEqual(exportsUse.Condition, {
      StringEquals: { "aws:SourceAccount": ACCOUNT },
      ArnLike: { "aws:SourceArn": `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:export/*` },
    });
    const logs = statement(policy, "CloudWatchLogsEncryptJobLogs");
    assert.deepEqual(logs.Principal, { Service: "logs.eu-west-1.amazonaws.com" });
    assert.deepEqual(logs.Condition, {
      ArnEquals: {
        "kms:EncryptionContext:aws:logs:arn": [
          `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/costline-acme-aws-normalize`,
        ],
      },
    });
    const alarms = statement(policy, "CloudWatchAlarmsPublishEncrypted");
    assert.deepEqual(
      [alarms.Principal, alarms.Action, alarms.Condition],
      [
        { Service: "cloudwatch.amazonaws.com" },
        ["kms:Decrypt", "kms:GenerateDataKey*"],
        {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: {
            "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:costline-acme-aws-normalize-*`,
          },
        },
      ],
    );
    assert.equal((policy as PolicyDocument).Statement.length, 4);
  });

  it("writes a bucket policy that denies non-TLS and TLS < 1.2 and admits only this account's Data Exports", () => {
    const policy = parsedInput(
      run.recorded,
      "aws:s3/bucketPolicy:BucketPolicy",
      "acme-aws-bucket-policy",
      "policy",
    );
    const everything = [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`];
    assert.deepEqual(statement(policy, "DenyInsecureTransport"), {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: everything,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    assert.deepEqual(statement(policy, "DenyTlsOlderThan12").Condition, {
      NumericLessThan: { "s3:TlsVersion": "1.2" },
    });
    const conditions = {
      StringEquals: { "aws:SourceAccount": ACCOUNT },
      ArnLike: { "aws:SourceArn": `arn:aws:bcm-data-exports:us-east-1:${ACCOUNT}:export/*` },
    };
    const deliver = statement(policy, "DataExportsDeliver");
    assert.deepEqual(deliver.Principal, { Service: "bcm-data-exports.amazonaws.com" });
    assert.equal(deliver.Action, "s3:PutObject");
    assert.equal(deliver.Resource, `arn:aws:s3:::${BUCKET}/exports/*`);
    assert.deepEqual(deliver.Condition, conditions);
    assert.deepEqual(statement(policy, "DataExportsReadPolicy").Condition, conditions);
    assert.equal(statement(policy, "DataExportsReadPolicy").Action, "s3:GetBucketPolicy");
    const bucketPolicy = one("aws:s3/bucketPolicy:BucketPolicy", "acme-aws-bucket-policy");
    assert.ok(bucketPolicy.dependsOn.some((u) => u.endsWith("::acme-aws-bucket-public-access")));
  });

  it("expires results and noncurrent versions and moves old data to cheaper storage", () => {
    const rules = one(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "acme-aws-bucket-lifecycle",
    ).inputs.rules as Record<string, unknown>[];
    const rule = (id: string) => rules.find((r) => r.id === id) as Record<string, unknown>;
    assert.deepEqual(rule("exports-to-cheaper-storage").transitions, [
      { days: 90, storageClass: "STANDARD_IA" },
    ]);
    assert.deepEqual(rule("exports-to-cheaper-storage").filter, { prefix: "exports/" });
    assert.deepEqual(rule("normalized-to-cheaper-storage").filter, { prefix: "normalized/" });
    assert.deepEqual(rule("expire-query-results").expiration, { days: 7 });
    assert.deepEqual(rule("expire-query-results").filter, { prefix: "athena-results/" });
    assert.deepEqual(rule("expire-noncurrent-versions").noncurrentVersionExpiration, { noncurrentDays: 30 });
    assert.ok(rules.every((r) => r.status === "Enabled"));
  });

  it("creates CUR 2.0 and FOCUS 1.2 exports in us-east-1 after the bucket policy", () => {
    const policyUrn = one("aws:s3/bucketPolicy:BucketPolicy", "acme-aws-bucket-policy").urn;
    const cur = one("aws:bcmdata/export:Export", "acme-aws-exports-cur2");
    const focus = one("aws:bcmdata/export:Export", "acme-aws-exports-focus");
    for (const exp of [cur, focus]) {
      assert.ok(exp.dependsOn.includes(policyUrn), `${exp.name} does not depend on the bucket policy`);
      assert.ok(exp.provider?.includes("acme-aws-us-east-1"));
      const destination = (exp.inputs.export as Record<string, Record<string, Record<string, unknown>[]>[]>)
        .destinationConfigurations[0].s3Destinations[0];
      assert.equal(destination.s3Bucket, BUCKET);
      assert.equal(destination.s3Region, "eu-west-1");
      assert.deepEqual(destination.s3OutputConfigurations, [
        { outputType: "CUSTOM", format: "PARQUET", compression: "PARQUET", overwrite: "OVERWRITE_REPORT" },
      ]);
    }
    const curExport = cur.inputs.export as Record<string, unknown>;
    const [query] = curExport.dataQueries as Record<string, unknown>[];
    assert.equal(
      query.queryStatement,
      exportQuery(
        CUR2_TABLE,
        cur2Columns({ granularity: "DAILY", splitCostAllocation: true, capacityReservations: false }),
      ),
    );
    assert.deepEqual(query.tableConfigurations, {
      COST_AND_USAGE_REPORT: {
        BILLING_VIEW_ARN: `arn:aws:billing::${ACCOUNT}:billingview/primary`,
        TIME_GRANULARITY: "DAILY",
        INCLUDE_RESOURCES: "TRUE",
        INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
        INCLUDE_SPLIT_COST_ALLOCATION_DATA: "TRUE",
        INCLUDE_CAPACITY_RESERVATION_DATA: "FALSE",
      },
    });
    assert.equal(
      (curExport.destinationConfigurations as Record<string, Record<string, unknown>[]>[])[0]
        .s3Destinations[0].s3Prefix,
      "exports/cur2",
    );
    const [focusQuery] = (focus.inputs.export as Record<string, Record<string, unknown>[]>).dataQueries;
    assert.match(
      String(focusQuery.queryStatement),
      /^SELECT AvailabilityZone, BilledCost, .* FROM FOCUS_1_2_AWS$/,
    );
    assert.deepEqual(focusQuery.tableConfigurations, { FOCUS_1_2_AWS: { TIME_GRANULARITY: "DAILY" } });
  });

  it("declares projected Glue tables over the exports and a registered-partition table for the normalized output", () => {
    const table = (name: string) => one("aws:glue/catalogTable:CatalogTable", name).inputs;
    const cur = table("acme-aws-catalog-cur2");
    assert.equal(cur.databaseName, "costline_acme");
    const parameters = cur.parameters as Record<string, string>;
    assert.equal(parameters["projection.enabled"], "true");
    assert.equal(parameters["projection.billing_period.format"], "yyyy-MM");
    assert.equal(
      parameters["storage.location.template"],
      `s3://${BUCKET}/exports/cur2/costline-acme-cur2/data/BILLING_PERIOD=\${billing_period}/`,
    );
    const storage = cur.storageDescriptor as Record<string, unknown>;
    assert.equal(storage.location, `s3://${BUCKET}/exports/cur2/costline-acme-cur2/data/`);
    assert.ok((storage.columns as { name: string }[]).some((c) => c.name === "line_item_resource_id"));
    const normalized = table("acme-aws-catalog-normalized");
    const normalizedParameters = normalized.parameters as Record<string, string>;
    assert.equal(
      normalizedParameters["projection.enabled"],
      undefined,
      "the job registers and switches its partitions",
    );
    assert.equal(normalizedParameters["storage.location.template"], undefined);
    assert.deepEqual(normalized.partitionKeys, [
      { name: "billing_period", type: "string", comment: "billing period, YYYY-MM" },
    ]);
    assert.equal(
      (normalized.storageDescriptor as { columns: unknown[] }).columns.length,
      outputColumns().length,
    );
    assert.ok(table("acme-aws-catalog-focus"));
  });

  it("enforces the workgroup's encrypted, expiring results location and scan limit", () => {
    const wg = one("aws:athena/workgroup:Workgroup", "acme-aws-catalog-workgroup").inputs;
    const config = wg.configuration as Record<string, Record<string, unknown>>;
    assert.equal(wg.name, "costline-acme");
    assert.equal(config.enforceWorkgroupConfiguration, true);
    assert.equal(config.bytesScannedCutoffPerQuery, 100 * 1024 ** 3);
    assert.equal(config.resultConfiguration.outputLocation, `s3://${BUCKET}/athena-results/`);
    assert.equal(config.resultConfiguration.expectedBucketOwner, ACCOUNT);
    const encryption = config.resultConfiguration.encryptionConfiguration as Record<string, string>;
    assert.equal(encryption.encryptionOption, "SSE_KMS");
    assert.match(encryption.kmsKeyArn, /:key\//);
  });

  it("keeps the external id secret: the plan shows the trust policy with only the id masked", async () => {
    const role = one("aws:iam/role:Role", "acme-aws-connector-role");
    const [trustStatement] = (JSON.parse(String(role.inputs.assumeRolePolicy)) as PolicyDocument).Statement;
    assert.deepEqual(
      [trustStatement.Principal, trustStatement.Action, trustStatement.Condition],
      [
        { AWS: "arn:aws:iam::999988887777:role/costline-platform" },
        "sts:AssumeRole",
        { StringEquals: { "sts:ExternalId": "[secret]" } },
      ],
    );
    assert.equal(role.inputs.name, "costline-acme-connector");
    const secret = one("aws:secretsmanager/secret:Secret", "acme-aws-connector-secret");
    assert.equal(secret.inputs.name, `tenant-acme-aws-${ACCOUNT}`);
    assert.match(String(secret.inputs.kmsKeyId), /:key\//);
    assert.equal(
      one("aws:secretsmanager/secretVersion:SecretVersion", "acme-aws-connector-secret-value").inputs
        .secretString,
      "[secret]",
    );
    const externalId = await resolved(run.pipeline.connector.externalId);
    assert.equal(externalId.length, 40);
    assert.ok(
      !JSON.stringify(run.recorded.resources).includes(externalId),
      "the external id leaked into the plan",
    );
    const trust = await resolved(run.pipeline.connector.trustPolicy);
    assert.deepEqual(trust.Statement, [
      {
        Sid: "PlatformAssumesWithExternalId",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::999988887777:role/costline-platform" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": externalId } },
      },
    ]);
  });

  it("exposes the outputs the platform needs, and no secret", async () => {
    const p = run.pipeline;
    assert.equal(
      await resolved(p.connectorRoleArn),
      "arn:aws:iam::000000000000:role/costline-acme-connector",
    );
    assert.match(
      await resolved(p.externalIdSecretArn),
      /^arn:aws:secretsmanager:.*:secret:tenant-acme-aws-111122223333-/,
    );
    assert.equal(await resolved(p.bucketName), BUCKET);
    assert.deepEqual(await resolved(p.prefixes), {
      cur2: "exports/cur2/costline-acme-cur2/data/",
      focus: "exports/focus/costline-acme-focus-1-2/data/",
      normalized: "normalized/",
      queryResults: "athena-results/",
    });
    assert.equal(await resolved(p.databaseName), "costline_acme");
    assert.equal(await resolved(p.workgroupName), "costline-acme");
    assert.equal(await resolved(p.jobName), "costline-acme-aws-normalize");
  });

  it("runs the job as a Lambda on the tenant schedule with a dead-letter queue and bounded logs", () => {
    const fn = one("aws:lambda/function:Function", "acme-aws-job-function").inputs;
    assert.equal(fn.name, "costline-acme-aws-normalize");
    assert.equal(fn.role, "arn:aws:iam::000000000000:role/costline-acme-aws-normalize");
    assert.deepEqual(fn.deadLetterConfig, {
      targetArn: "arn:aws:sqs:us-east-1:000000000000:costline-acme-aws-normalize-dlq",
    });
    assert.equal(fn.timeout, 900);
    assert.equal(fn.reservedConcurrentExecutions, 1, "one run at a time publishes a tenant's periods");
    assert.ok(fn.code && typeof fn.code === "object", "the function has no code archive");
    const env = (fn.environment as { variables: Record<string, string> }).variables;
    assert.equal(env[JOB_ENV.bucket], BUCKET);
    assert.equal(env[JOB_ENV.athenaWorkgroup], "costline-acme");
    assert.match(env[JOB_ENV.secretArn], /^arn:aws:secretsmanager:/);
    // The tenant's checks, which the job runs over the periods it writes (budgets included).
    assert.deepEqual(JSON.parse(env[CHECKS_SETTING]), awsTenant().checks);
    // x86_64: the job loads DuckDB's linux-x64 binding for the FOCUS validator's sample.
    assert.deepEqual(fn.architectures, ["x86_64"]);
    assert.deepEqual(JSON.parse(env[JOB_ENV.glueTables]), {
      cur2: "cur2",
      focus: "focus",
      normalized: "normalized",
    });
    const schedule = one("aws:scheduler/schedule:Schedule", "acme-aws-job-schedule").inputs;
    assert.equal(schedule.scheduleExpression, "cron(0 6 * * ? *)");
    assert.equal(schedule.scheduleExpressionTimezone, "UTC");
    const target = schedule.target as Record<string, unknown>;
    assert.equal(target.arn, "arn:aws:lambda:us-east-1:000000000000:function:costline-acme-aws-normalize");
    assert.deepEqual(target.deadLetterConfig, {
      arn: fn.deadLetterConfig && (fn.deadLetterConfig as { targetArn: string }).targetArn,
    });
    const logs = one("aws:cloudwatch/logGroup:LogGroup", "acme-aws-job-logs").inputs;
    assert.equal(logs.name, "/aws/lambda/costline-acme-aws-normalize");
    assert.equal(logs.retentionInDays, 90);
    assert.match(String(logs.kmsKeyId), /:key\//);
    assert.equal(one("aws:sqs/queue:Queue", "acme-aws-job-dlq").inputs.sqsManagedSseEnabled, true);
    const schedulerTrust = parsedInput(
      run.recorded,
      "aws:iam/role:Role",
      "acme-aws-job-scheduler-role",
      "assumeRolePolicy",
    );
    assert.deepEqual(statement(schedulerTrust, "ServiceAssumes").Condition, {
      StringEquals: { "aws:SourceAccount": ACCOUNT },
    });
  });

  it("alarms on job errors, dead letters and stale data", () => {
    const alarm = (suffix: string) =>
      one("aws:cloudwatch/metricAlarm:MetricAlarm", `acme-aws-job-${suffix}`).inputs;
    assert.deepEqual(
      [alarm("errors").namespace, alarm("errors").metricName, alarm("errors").dimensions],
      ["AWS/Lambda", "Errors", { FunctionName: "costline-acme-aws-normalize" }],
    );
    assert.deepEqual(alarm("dead-letters").dimensions, { QueueName: "costline-acme-aws-normalize-dlq" });
    const freshness = alarm("freshness");
    assert.deepEqual(
      [freshness.namespace, freshness.metricName, freshness.threshold, freshness.treatMissingData],
      ["Costline", "ExportAgeHours", 48, "breaching"],
    );
    assert.deepEqual(freshness.dimensions, { TenantId: "acme" });
  });

  it("notifies the alerts topic, encrypted with the tenant key, from every alarm, and mails the tenant's addresses", () => {
    const topic = one("aws:sns/topic:Topic", "acme-aws-job-alerts").inputs;
    assert.equal(topic.name, "costline-acme-aws-normalize-alerts");
    const bucketKey = run.recorded.one(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "acme-aws-bucket-encryption",
    ).inputs.rules as { applyServerSideEncryptionByDefault: { kmsMasterKeyId: string } }[];
    assert.match(String(topic.kmsMasterKeyId), /^arn:aws:kms:/);
    assert.equal(topic.kmsMasterKeyId, bucketKey[0].applyServerSideEncryptionByDefault.kmsMasterKeyId);
    const topicArn = one("aws:sns/topicPolicy:TopicPolicy", "acme-aws-job-alerts-policy").inputs.arn;
    assert.match(String(topicArn), /:costline-acme-aws-normalize-alerts$/);
    const alarms = run.recorded.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.equal(alarms.length, 3);
    for (const a of alarms) {
      assert.deepEqual(a.inputs.alarmActions, [topicArn], a.name);
      assert.deepEqual(a.inputs.okActions, a.inputs.alarmActions, a.name);
      assert.notEqual(a.inputs.actionsEnabled, false);
      assert.match(
        String(a.inputs.name),
        /^costline-acme-aws-normalize-/,
        "inside the key policy's alarm pattern",
      );
    }
    const mail = run.recorded.ofType("aws:sns/topicSubscription:TopicSubscription");
    assert.deepEqual(
      mail.map((m) => [m.inputs.topic, m.inputs.protocol, m.inputs.endpoint]),
      [[topicArn, "email", "finops-oncall@acme.example"]],
    );
    const policy = parsedInput(
      run.recorded,
      "aws:sns/topicPolicy:TopicPolicy",
      "acme-aws-job-alerts-policy",
      "policy",
    );
    const publish = statement(policy, "CloudWatchAlarmsPublish");
    assert.deepEqual(
      [publish.Principal, publish.Action],
      [{ Service: "cloudwatch.amazonaws.com" }, "sns:Publish"],
    );
    assert.deepEqual(publish.Condition, {
      StringEquals: { "aws:SourceAccount": ACCOUNT },
      ArnLike: {
        "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:costline-acme-aws-normalize-*`,
      },
    });
    assert.deepEqual(statement(policy, "AccountManagesTopic").Principal, {
      AWS: `arn:aws:iam::${ACCOUNT}:root`,
    });
    assert.equal(statement(policy, "DenyInsecureTransport").Effect, "Deny");
    assert.ok(
      (policy as PolicyDocument).Statement.every((st) => st.Effect === "Deny" || st.Principal !== "*"),
      "no one but the account and CloudWatch may publish",
    );
  });

  it("deploys the metrics role into exactly the listed member accounts through the organization root", () => {
    const stackSet = one("aws:cloudformation/stackSet:StackSet", "acme-aws-member-metrics-stackset").inputs;
    assert.equal(stackSet.permissionModel, "SERVICE_MANAGED");
    assert.equal(stackSet.parameters, "[secret]", "the external id parameter must stay secret");
    const template = JSON.parse(String(stackSet.templateBody));
    const trust = template.Resources.MetricsRole.Properties.AssumeRolePolicyDocument.Statement[0];
    assert.deepEqual(trust.Principal, { AWS: "arn:aws:iam::999988887777:role/costline-platform" });
    assert.deepEqual(trust.Condition, { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } });
    assert.equal(template.Parameters.ExternalId.NoEcho, true);
    const instances = one(
      "aws:cloudformation/stackSetInstance:StackSetInstance",
      "acme-aws-member-metrics-instances",
    ).inputs;
    assert.deepEqual(instances.deploymentTargets, {
      organizationalUnitIds: ["r-0ff1"],
      accountFilterType: "INTERSECTION",
      accounts: ["222233334444", "333344445555"],
    });
  });
});

describe("AwsCostPipeline options and bad input", function () {
  this.timeout(60_000);

  it("creates only CUR 2.0 and no StackSet for a tenant without FOCUS or member accounts", async () => {
    const { recorded } = await recordAwsPipeline(awsTenant(awsOnlyTenant()));
    assert.deepEqual(
      recorded.ofType("aws:bcmdata/export:Export").map((r) => r.name),
      ["globex-aws-exports-cur2"],
    );
    assert.deepEqual(
      recorded
        .ofType("aws:glue/catalogTable:CatalogTable")
        .map((r) => r.name)
        .sort(),
      ["globex-aws-catalog-cur2", "globex-aws-catalog-normalized"],
    );
    assert.equal(recorded.ofType("aws:cloudformation/stackSet:StackSet").length, 0);
  });

  it("a tenant writing FOCUS 1.3 gets a normalized table of 1.3's columns and a job told to write them", async () => {
    const columnsOf = (recorded: PipelineRun["recorded"]) =>
      (
        recorded.one("aws:glue/catalogTable:CatalogTable", "acme-aws-catalog-normalized").inputs
          .storageDescriptor as { columns: { name: string }[] }
      ).columns.map((c) => c.name);
    const envOf = (recorded: PipelineRun["recorded"]) =>
      (
        recorded.one("aws:lambda/function:Function", "acme-aws-job-function").inputs.environment as {
          variables: Record<string, string>;
        }
      ).variables;
    const v13 = (await recordAwsPipeline(awsTenant({ ...exampleTenant(), focusVersion: "1.3" }))).recorded;
    const v12 = (await recordAwsPipeline()).recorded;
    assert.deepEqual(
      columnsOf(v13),
      outputColumns("1.3").map((c) => c.name.toLowerCase()),
    );
    assert.ok(columnsOf(v13).includes("hostprovidername"));
    assert.ok(!columnsOf(v12).includes("hostprovidername"));
    assert.equal(envOf(v13)[JOB_ENV.focusVersion], "1.3");
    assert.equal(envOf(v12)[JOB_ENV.focusVersion], "1.2");
  });

  it("applies configured lifecycle, access logging, scan limit and alarm actions", async () => {
    const { recorded } = await recordAwsPipeline(awsTenant(awsOnlyTenant()), {
      lifecycle: {
        transitionAfterDays: 30,
        transitionStorageClass: "GLACIER_IR",
        queryResultExpirationDays: 3,
      },
      accessLogs: { bucket: "globex-logs", prefix: "s3/costline/" },
      workgroup: { bytesScannedCutoffPerQuery: 10 * 1024 ** 3 },
      alarms: { actions: ["arn:aws:sns:us-west-2:444455556666:finops"], freshnessThresholdHours: 72 },
    });
    const rules = recorded.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0]
      .inputs.rules as Record<string, unknown>[];
    assert.deepEqual(rules[0].transitions, [{ days: 30, storageClass: "GLACIER_IR" }]);
    assert.deepEqual(rules.find((r) => r.id === "expire-query-results")?.expiration, { days: 3 });
    const logging = recorded.one("aws:s3/bucketLogging:BucketLogging").inputs;
    assert.deepEqual([logging.targetBucket, logging.targetPrefix], ["globex-logs", "s3/costline/"]);
    const wg = recorded.one("aws:athena/workgroup:Workgroup").inputs.configuration as Record<string, unknown>;
    assert.equal(wg.bytesScannedCutoffPerQuery, 10 * 1024 ** 3);
    const topicArn = recorded.one("aws:sns/topicPolicy:TopicPolicy").inputs.arn;
    for (const alarm of recorded.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
      assert.deepEqual(alarm.inputs.alarmActions, [topicArn, "arn:aws:sns:us-west-2:444455556666:finops"]);
    }
    assert.equal(
      recorded.ofType("aws:sns/topicSubscription:TopicSubscription").length,
      0,
      "globex lists no emails",
    );
    assert.equal(
      recorded.one("aws:cloudwatch/metricAlarm:MetricAlarm", "globex-aws-job-freshness").inputs.threshold,
      72,
    );
  });

  it("uses a given external id instead of generating one", async () => {
    const { recorded, pipeline } = await recordAwsPipeline(awsTenant(awsOnlyTenant()), {
      externalId: "globex-7f3a9c",
    });
    assert.equal(recorded.ofType("random:index/randomPassword:RandomPassword").length, 0);
    const trust = await resolved(pipeline.connector.trustPolicy);
    assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "sts:ExternalId": "globex-7f3a9c" } });
  });

  it("names what is wrong in bad settings", async () => {
    const globex = awsTenant(awsOnlyTenant());
    await assert.rejects(
      recordAwsPipeline(globex, { lifecycle: { transitionAfterDays: 10 } }),
      /transitionAfterDays is 10; .* at least 30/,
    );
    await assert.rejects(
      recordAwsPipeline(globex, { logRetentionDays: 42 }),
      /logRetentionDays is 42; CloudWatch accepts one of/,
    );
    await assert.rejects(
      recordAwsPipeline(globex, { externalId: "x" }),
      /external id must be 2-1224 characters/,
    );
    await assert.rejects(
      recordAwsPipeline(globex, { workgroup: { bytesScannedCutoffPerQuery: 1000 } }),
      /bytesScannedCutoffPerQuery is 1000/,
    );
    const gov = { ...globex, aws: { ...globex.aws, region: "us-gov-west-1" } };
    await assert.rejects(recordAwsPipeline(gov), /outside the commercial AWS partition/);
  });
});
