import type { SecretSource } from "./secrets";

/**
 * The clouds' secret managers as secret sources. Each takes the SDK client (or the one method of
 * it that is used), so the deployed job passes the real client and tests pass a mock at the SDK
 * boundary. A missing secret is `undefined` (the loader then tries the next source); any other
 * failure, such as access denied, is thrown: falling through would hide a permission problem.
 */

interface AwsSecretsManager {
  send(command: unknown): Promise<{ SecretString?: string }>;
}

/** AWS Secrets Manager, by secret name. */
export function awsSecretsManagerSource(client: AwsSecretsManager): SecretSource {
  const { GetSecretValueCommand } =
    require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
  return {
    name: "AWS Secrets Manager",
    async get(path) {
      try {
        const out = await client.send(new GetSecretValueCommand({ SecretId: path }));
        return out.SecretString;
      } catch (e) {
        if ((e as Error).name === "ResourceNotFoundException") return undefined;
        throw e;
      }
    },
  };
}

interface GcpSecretManager {
  accessSecretVersion(request: {
    name: string;
  }): Promise<[{ payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]>;
}

/** GCP Secret Manager, latest version of `projects/{project}/secrets/{path}`. */
export function gcpSecretManagerSource(client: GcpSecretManager, project: string): SecretSource {
  return {
    name: `GCP Secret Manager (project ${project})`,
    async get(path) {
      try {
        const [version] = await client.accessSecretVersion({
          name: `projects/${project}/secrets/${path}/versions/latest`,
        });
        const data = version.payload?.data;
        return data === undefined || data === null ? undefined : Buffer.from(data).toString("utf8");
      } catch (e) {
        if ((e as { code?: number }).code === 5) return undefined; // gRPC NOT_FOUND
        throw e;
      }
    },
  };
}

interface AzureKeyVaultSecrets {
  getSecret(name: string): Promise<{ value?: string }>;
}

/** Azure Key Vault, by secret name. */
export function azureKeyVaultSource(client: AzureKeyVaultSecrets, vaultName: string): SecretSource {
  return {
    name: `Azure Key Vault ${vaultName}`,
    async get(path) {
      try {
        return (await client.getSecret(path)).value;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw e;
      }
    },
  };
}
