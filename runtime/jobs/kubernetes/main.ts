import { tmpdir } from "node:os";
import { isOutputVersion, OUTPUT_VERSIONS } from "../../schema/output";
import { normalize } from "../../normalize/run";
import { checksFromEnv } from "../../checks/config";
import { outputChecks } from "../shared/job-output";
import { Logger } from "../shared/log";
import { type KubernetesJobConfig, runKubernetesJob } from "./job";
import { storeFromSinkUrl } from "./sink-store";
import { KUBERNETES_JOB_ENV as ENV } from "../../../components/kubernetes/job-contract";

const REQUIRED = [ENV.tenantId, ENV.cluster, ENV.opencostUrl, ENV.sinkUrl] as const;

/** The job's settings from the environment the CronJob gives it; every missing one is named. */
export function kubernetesConfigFromEnv(env: NodeJS.ProcessEnv): {
  config: KubernetesJobConfig;
  opencostUrl: string;
  sinkUrl: string;
} {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(", ")} not set; the CronJob of components/kubernetes sets them`);
  }
  const focusVersion = env[ENV.focusVersion];
  if (focusVersion !== undefined && !isOutputVersion(focusVersion)) {
    throw new Error(`${ENV.focusVersion} "${focusVersion}" is not ${OUTPUT_VERSIONS.join(" or ")}`);
  }
  const memoryLimit = env[ENV.memoryLimit];
  if (memoryLimit !== undefined && !/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/.test(memoryLimit)) {
    throw new Error(`${ENV.memoryLimit} "${memoryLimit}" is not a size such as 512MiB`);
  }
  return {
    config: {
      tenantId: env[ENV.tenantId]!,
      ...(env[ENV.reportingCurrency] ? { reportingCurrency: env[ENV.reportingCurrency] } : {}),
      ...(focusVersion ? { focusVersion } : {}),
      cluster: env[ENV.cluster]!,
      tempDir: env[ENV.tempDir] || tmpdir(),
      memoryLimit,
    },
    opencostUrl: env[ENV.opencostUrl]!,
    sinkUrl: env[ENV.sinkUrl]!,
  };
}

/** Runs the job once; the exit code tells the CronJob whether to retry (backoffLimit). */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const logger = new Logger({ format: "json", stream: process.stdout });
  try {
    const { config, opencostUrl, sinkUrl } = kubernetesConfigFromEnv(env);
    await runKubernetesJob(
      {
        output: storeFromSinkUrl(sinkUrl, env),
        opencost: { baseUrl: opencostUrl },
        logger,
        now: () => new Date(),
        normalize,
        checks: outputChecks(checksFromEnv(env)),
      },
      config,
    );
    return 0;
  } catch (error) {
    logger.error("the Kubernetes job failed", { error: error as Error });
    return 1;
  }
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}
