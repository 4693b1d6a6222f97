import assert from "node:assert/strict";
import { kubernetesConfigFromEnv } from "../../../../runtime/jobs/kubernetes/main";
import { storeFromSinkUrl } from "../../../../runtime/jobs/kubernetes/sink-store";

/** What the CronJob's pod spec sets (components/kubernetes/normalization-job.ts, job-pod.ts, sink.ts). */
const env = {
  COSTLINE_TENANT_ID: "acme",
  COSTLINE_CLUSTER: "prod-eks",
  COSTLINE_OPENCOST_URL: "http://acme-opencost.costline.svc:9003/allocation",
  COSTLINE_SINK_URL: "s3://acme-costline-kubernetes/prod-eks",
  AWS_REGION: "eu-west-1",
  COSTLINE_TEMP_DIR: "/tmp",
  COSTLINE_MEMORY_LIMIT: "512MiB",
  COSTLINE_REPORTING_CURRENCY: "EUR",
};

describe("Kubernetes job entry point", () => {
  it("reads the environment the CronJob sets", () => {
    const { config, opencostUrl, sinkUrl } = kubernetesConfigFromEnv(env);
    assert.deepEqual(config, {
      tenantId: "acme",
      reportingCurrency: "EUR",
      cluster: "prod-eks",
      tempDir: "/tmp",
      memoryLimit: "512MiB",
    });
    assert.equal(opencostUrl, env.COSTLINE_OPENCOST_URL);
    assert.equal(sinkUrl, env.COSTLINE_SINK_URL);
  });

  it("writes the FOCUS version the CronJob names, 1.2 when it names none", () => {
    assert.equal(
      kubernetesConfigFromEnv({ ...env, COSTLINE_FOCUS_VERSION: "1.3" }).config.focusVersion,
      "1.3",
    );
    assert.equal(kubernetesConfigFromEnv(env).config.focusVersion, undefined);
    assert.throws(
      () => kubernetesConfigFromEnv({ ...env, COSTLINE_FOCUS_VERSION: "1.4" }),
      /COSTLINE_FOCUS_VERSION "1\.4" is not 1\.2 or 1\.3/,
    );
  });

  it("names what is missing or malformed", () => {
    assert.throws(
      () => kubernetesConfigFromEnv({ COSTLINE_TENANT_ID: "acme" }),
      /COSTLINE_CLUSTER, COSTLINE_OPENCOST_URL, COSTLINE_SINK_URL not set/,
    );
    assert.throws(
      () => kubernetesConfigFromEnv({ ...env, COSTLINE_MEMORY_LIMIT: "lots" }),
      /not a size such as 512MiB/,
    );
  });

  it("opens the store each sink URL names", () => {
    assert.equal(storeFromSinkUrl(env.COSTLINE_SINK_URL, env).url, "s3://acme-costline-kubernetes/prod-eks");
    assert.equal(storeFromSinkUrl("gs://acme-costline/prod-gke", {}).url, "gs://acme-costline/prod-gke");
    assert.equal(storeFromSinkUrl("file:///data", {}).url, "file:///data");
    const azure = storeFromSinkUrl("https://acmecost.blob.core.windows.net/normalized/prod-aks", {
      AZURE_CLIENT_ID: "11111111-2222-4333-8444-555555555555",
      AZURE_TENANT_ID: "7f3c1e2a-4b5d-4c6e-8f90-a1b2c3d4e5f6",
      AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token",
    });
    assert.equal(azure.url, "https://acmecost.blob.core.windows.net/normalized/prod-aks");
    assert.throws(
      () => storeFromSinkUrl("https://acmecost.blob.core.windows.net/normalized", {}),
      /AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE not set/,
    );
    assert.throws(() => storeFromSinkUrl("s3://bucket", {}), /AWS_REGION is not set/);
    assert.throws(() => storeFromSinkUrl("ftp://host/x", {}), /unknown scheme ftp:/);
  });
});
