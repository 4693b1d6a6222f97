import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { Redactor } from "../../../../runtime/jobs/shared/redact";
import {
  awsSecretsManagerSource,
  azureKeyVaultSource,
  gcpSecretManagerSource,
} from "../../../../runtime/jobs/shared/secret-stores";
import {
  environmentSource,
  localFileSource,
  mountedFileSource,
  SecretLoader,
} from "../../../../runtime/jobs/shared/secrets";

const PATH = "tenant-acme-aws-111122223333";

describe("SecretLoader", () => {
  it("takes the first source that has the secret, in order: cloud, mounted file, environment, local file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "costline-secrets-"));
    writeFileSync(join(dir, PATH), "from-mount\n");
    const local = join(dir, "local.json");
    writeFileSync(local, JSON.stringify({ [PATH]: "from-local", other: "only-local" }));
    const env = { COSTLINE_SECRET_TENANT_ACME_AWS_111122223333: "from-env" };
    const cloudMiss = { name: "cloud", get: async () => undefined };
    const loader = new SecretLoader({
      sources: [cloudMiss, mountedFileSource(dir), environmentSource(env), localFileSource(local)],
    });
    assert.equal(await loader.get(PATH), "from-mount");
    assert.equal(await loader.get("other"), "only-local");
    const noMount = new SecretLoader({
      sources: [cloudMiss, mountedFileSource(join(dir, "none")), environmentSource(env)],
    });
    assert.equal(await noMount.get(PATH), "from-env");
  });

  it("caches for the TTL and reads again after it", async () => {
    let reads = 0;
    let now = 0;
    const source = { name: "counting", get: async () => `v${++reads}` };
    const loader = new SecretLoader({ sources: [source], ttlMs: 1000, now: () => now });
    assert.equal(await loader.get(PATH), "v1");
    now = 999;
    assert.equal(await loader.get(PATH), "v1");
    now = 1000;
    assert.equal(await loader.get(PATH), "v2");
  });

  it("says where it looked when no source has the secret", async () => {
    const loader = new SecretLoader({ sources: [environmentSource({}), mountedFileSource("/nonexistent")] });
    await assert.rejects(
      loader.get(PATH),
      /secret "tenant-acme-aws-111122223333" was not found; looked in: environment .*mounted file in \/nonexistent/,
    );
  });

  it("registers loaded values with the redactor", async () => {
    const redactor = new Redactor();
    const loader = new SecretLoader({
      sources: [environmentSource({ COSTLINE_SECRET_X: "hunter2-long" })],
      redactor,
    });
    await loader.get("x");
    assert.equal(redactor.text("pw hunter2-long"), "pw [redacted]");
  });

  it("parses JSON secrets and explains a malformed one", async () => {
    const loader = new SecretLoader({
      sources: [environmentSource({ COSTLINE_SECRET_A: '{"k":1}', COSTLINE_SECRET_B: "{" })],
    });
    assert.deepEqual(await loader.json("a"), { k: 1 });
    await assert.rejects(loader.json("b"), /not valid JSON/);
  });
});

describe("cloud secret stores", () => {
  it("reads AWS Secrets Manager; not-found falls through, access denied does not", async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand, { SecretId: PATH }).resolves({ SecretString: "aws-value" });
    sm.on(GetSecretValueCommand, { SecretId: "missing" }).rejects(
      new ResourceNotFoundException({ message: "no", $metadata: {} }),
    );
    sm.on(GetSecretValueCommand, { SecretId: "denied" }).rejects(
      Object.assign(new Error("AccessDenied"), { name: "AccessDeniedException" }),
    );
    const source = awsSecretsManagerSource(new SecretsManagerClient({ region: "eu-west-1" }));
    assert.equal(await source.get(PATH), "aws-value");
    assert.equal(await source.get("missing"), undefined);
    await assert.rejects(source.get("denied"), /AccessDenied/);
    sm.restore();
  });

  it("reads GCP Secret Manager's latest version", async () => {
    const asked: string[] = [];
    const client = {
      accessSecretVersion: async (req: { name: string }) => {
        asked.push(req.name);
        if (req.name.includes("missing")) throw Object.assign(new Error("not found"), { code: 5 });
        return [{ payload: { data: Buffer.from("gcp-value") } }] as [{ payload: { data: Buffer } }];
      },
    };
    const source = gcpSecretManagerSource(client, "acme-finops-prod");
    assert.equal(await source.get("tenant-acme-gcp-acme-finops-prod"), "gcp-value");
    assert.equal(
      asked[0],
      "projects/acme-finops-prod/secrets/tenant-acme-gcp-acme-finops-prod/versions/latest",
    );
    assert.equal(await source.get("missing"), undefined);
  });

  it("reads Azure Key Vault; 404 falls through, 403 does not", async () => {
    const client = {
      getSecret: async (name: string) => {
        if (name === "missing") throw Object.assign(new Error("SecretNotFound"), { statusCode: 404 });
        if (name === "denied") throw Object.assign(new Error("Forbidden"), { statusCode: 403 });
        return { value: "kv-value" };
      },
    };
    const source = azureKeyVaultSource(client, "kv-acme");
    assert.equal(await source.get("tenant-acme-azure-x"), "kv-value");
    assert.equal(await source.get("missing"), undefined);
    await assert.rejects(source.get("denied"), /Forbidden/);
  });
});
