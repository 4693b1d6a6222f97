export type SecretProvider = "aws" | "gcp" | "azure" | "kubernetes";

/**
 * Where a tenant's connection secret lives in each cloud's secret manager:
 * `tenant-{tenantId}-{provider}-{accountId}`. The account id is the AWS account, GCP project,
 * Azure subscription or cluster name. Key Vault secret names allow only letters, digits and
 * hyphens, so every other character of the account id becomes a hyphen; the rule stays one.
 */
export function tenantSecretPath(tenantId: string, provider: SecretProvider, accountId: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, "-");
  if (!tenantId || !accountId) throw new Error("tenantSecretPath needs a tenant id and an account id");
  return `tenant-${safe(tenantId)}-${provider}-${safe(accountId)}`;
}
