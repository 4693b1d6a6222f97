import { BigQuery } from "@google-cloud/bigquery";
import { SecretManagerServiceClient } from "@google-cloud/secret-manager";
import { checksFromEnv } from "../../checks/config";
import { warehouseChecks } from "../../warehouse/checks";
import { Logger } from "../shared/log";
import { Redactor } from "../shared/redact";
import { gcpSecretManagerSource } from "../shared/secret-stores";
import { SecretLoader } from "../shared/secrets";
import { BigQueryRunner } from "./bigquery";
import { gcpJobEnv } from "./config";
import { runGcpJob } from "./job";

/** The parts of the Functions Framework's Express request and response the handler uses. */
interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

/**
 * The Cloud Functions (gen2) HTTP entry point "normalize", called by Cloud Scheduler. It answers
 * 200 when every period was normalized, 500 otherwise (Cloud Scheduler then records a failed
 * attempt). Missing export tables are reported in the body and the logs with the steps to enable them.
 */
export async function normalize(_request: unknown, response: HttpResponse): Promise<void> {
  const redactor = new Redactor();
  const log = new Logger({ format: "json", redactor, stream: process.stdout });
  try {
    const env = gcpJobEnv(process.env);
    // The settings hold no credential (access is keyless); registering them for redaction would
    // mask the project and dataset names in every line.
    const secrets = new SecretLoader({
      sources: [gcpSecretManagerSource(new SecretManagerServiceClient(), env.secretProject)],
    });
    // Location and project come from the settings; the client needs the project for job creation.
    const settings = await secrets.json<{ projectId: string; billingExport: { location: string } }>(
      env.secretId,
    );
    const runner = new BigQueryRunner(new BigQuery({ projectId: settings.projectId, autoRetry: false }), {
      location: settings.billingExport.location,
      jobPrefix: `costline_${env.tenantId.replace(/[^A-Za-z0-9_-]/g, "_")}_${Date.now()}`,
      log,
    });
    const result = await runGcpJob(env, {
      bigquery: runner,
      secrets,
      log,
      checks: warehouseChecks(checksFromEnv(process.env)),
    });
    response.status(result.status === "succeeded" ? 200 : 500).json({
      runId: result.runId,
      status: result.status,
      written: result.written,
      problems: result.problems,
      error: result.error,
    });
  } catch (e) {
    log.error("the job could not start", { error: e });
    response.status(500).json({ status: "failed", error: redactor.text((e as Error).message) });
  }
}
