import { Writable } from "node:stream";
import { CostManagementClient } from "@azure/arm-costmanagement";
import type { InvocationContext, Timer } from "@azure/functions";
import { ManagedIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { ContainerClient } from "@azure/storage-blob";
import { normalize } from "../../normalize/run";
import { checksFromEnv } from "../../checks/config";
import { outputChecks } from "../shared/job-output";
import { Logger } from "../shared/log";
import { azureKeyVaultSource } from "../shared/secret-stores";
import { SecretLoader } from "../shared/secrets";
import { azureBlobStore } from "../stores/azure-blob";
import { blobDownloader, EXPORTS_API_VERSION, exportsApi } from "./clients";
import { SCHEDULE_SETTING } from "../../../components/azure/job-contract";
import { azureSettingsFromEnv, checkConnectionSecret } from "./config";
import { runAzureJob } from "./job";

/**
 * The timer trigger: the app setting that holds the NCRONTAB schedule is named, not inlined, so
 * the schedule is the tenant's (components/azure/job.ts writes SCHEDULE_SETTING). In function.json
 * terms this is `{"type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "%COSTLINE_SCHEDULE%"}`;
 * index.ts registers it with the v4 programming model.
 */
export const TIMER = {
  name: "costline-normalize",
  schedule: `%${SCHEDULE_SETTING}%`,
  runOnStartup: false,
} as const;

/** The invocation's log, as the stream the job's JSON logger writes to (one line a call). */
function invocationLog(context: InvocationContext): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString("utf8").trimEnd();
      const level = (JSON.parse(line) as { level?: string }).level;
      if (level === "error") context.error(line);
      else if (level === "warn") context.warn(line);
      else context.log(line);
      done();
    },
  });
}

/**
 * One scheduled run, as the job's user-assigned managed identity: settings from the app settings,
 * the connection secret from Key Vault (checked against them), then the job. A failure is thrown
 * so that the Functions host records the invocation as failed.
 */
export async function timerHandler(timer: Timer, context: InvocationContext): Promise<void> {
  const logger = new Logger({
    format: "json",
    stream: invocationLog(context),
    base: { invocationId: context.invocationId },
  });
  if (timer.isPastDue) logger.warn("the timer is past due (a schedule was missed); running now");
  const settings = azureSettingsFromEnv(process.env);
  const credential = new ManagedIdentityCredential({ clientId: settings.clientId });
  const vault = new SecretClient(settings.vaultUrl, credential);
  const secrets = new SecretLoader({
    sources: [azureKeyVaultSource(vault, new URL(settings.vaultUrl).hostname.split(".")[0]!)],
    redactor: logger.redactor,
  });
  checkConnectionSecret(await secrets.json(settings.secretName), settings);
  const exportsContainer = new ContainerClient(settings.exportUrl, credential);
  await runAzureJob(
    {
      exports: azureBlobStore(exportsContainer),
      download: blobDownloader(exportsContainer),
      output: azureBlobStore(new ContainerClient(settings.outputUrl, credential)),
      exportsApi: exportsApi(new CostManagementClient(credential, { apiVersion: EXPORTS_API_VERSION })),
      logger,
      now: () => new Date(),
      normalize,
      checks: outputChecks(checksFromEnv(process.env)),
    },
    settings.config,
  );
}
