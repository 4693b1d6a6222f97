import { AthenaClient } from "@aws-sdk/client-athena";
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { checksFromEnv, tagAliasesOf } from "../../checks/config";
import { warehouseChecks } from "../../warehouse/checks";
import { Logger } from "../shared/log";
import { Redactor } from "../shared/redact";
import { awsSecretsManagerSource } from "../shared/secret-stores";
import { SecretLoader } from "../shared/secrets";
import { awsJobConfig } from "./config";
import { runAwsJob } from "./job";

/** The part of the Lambda context the job reads. */
interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/** Time kept back from the Lambda timeout to stop queries and write the run record. */
const MARGIN_MS = 60_000;

/**
 * The Lambda entry point (EventBridge Scheduler sends `{tenantId, trigger}`). A failed run throws,
 * so that Lambda counts an error and the dead-letter queue receives the event.
 */
export async function handler(event: { tenantId?: string } | undefined, context: LambdaContext) {
  const redactor = new Redactor();
  const log = new Logger({ format: "json", redactor, stream: process.stdout });
  const config = awsJobConfig(process.env);
  const checks = checksFromEnv(process.env);
  if (event?.tenantId && event.tenantId !== config.tenantId) {
    throw new Error(`the event is for tenant ${event.tenantId}, but this function serves ${config.tenantId}`);
  }
  const secrets = new SecretLoader({
    sources: [awsSecretsManagerSource(new SecretsManagerClient({}))],
    redactor,
  });
  const started = Date.now();
  const remaining = context.getRemainingTimeInMillis();
  const record = await runAwsJob(config, {
    athena: new AthenaClient({}),
    glue: new GlueClient({}),
    s3: new S3Client({}),
    secrets,
    log,
    checks: warehouseChecks(checks),
    tagAliases: tagAliasesOf(checks),
    deadline: () => started + remaining - MARGIN_MS,
  });
  if (record.status === "failed")
    throw new Error(`normalization run ${record.runId} failed: ${record.error}`);
  return { runId: record.runId, status: record.status, written: record.written.length };
}
