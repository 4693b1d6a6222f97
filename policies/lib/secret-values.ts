/** A setting that carries a secret in plain text where it should carry a reference to one. */
export interface PlaintextSecret {
  name: string;
  reason: string;
}

// Names that say "this is a credential". Names that say "this points at one" (…_NAME, …_ARN, …_ID,
// …_PATH, …_URI, …_URL, …_REF, …_FILE) are references by convention and only their values are checked.
const SECRET_NAME =
  /(pass(word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|conn(ection)?[_-]?str(ing)?|(^|[_-])key$)/i;
const REFERENCE_NAME = /[_-](name|arn|id|path|uri|url|ref|file|location|version)$/i;
// Names that say "this tunes a credential", not "this is one": TOKEN_TTL_SECONDS, MAX_TOKENS,
// PASSWORD_MIN_LENGTH, TOKEN_ENDPOINT. Their values are still checked for credentials.
const SETTING_NAME =
  /([_-](ttl|seconds?|minutes?|hours?|days?|count|limit|max|min|size|length|timeout|enabled|endpoint|audience|issuer|scopes?|type|mode|format|header|lifetime|expiry|duration|rotation|policy)|^max[_-]\w+s)$/i;

// Values that are references to a secret store, not secrets.
const REFERENCE_VALUE = [
  /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/,
  /^projects\/[^/]+\/secrets\/[^/]+/,
  /^@Microsoft\.KeyVault\(/,
  /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\//i,
  /^tenant-[a-z0-9-]+-(aws|gcp|azure|kubernetes)-[A-Za-z0-9-]+$/,
  // Identity-based connections name the credential kind, not a credential (AzureWebJobsStorage__credential).
  /^managedidentity$/i,
  // An Application Insights connection string identifies where telemetry goes; Microsoft documents it as not a secret.
  /^InstrumentationKey=[0-9a-fA-F-]+;[^;]*IngestionEndpoint=/,
];

// Values that are credentials whatever their name.
const SECRET_VALUE: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/-----BEGIN ([A-Z]+ )*PRIVATE KEY-----/, "a private key"],
  [/\bAccountKey=[A-Za-z0-9+/=]{20,}/, "an Azure storage account key"],
  [/\b(sig|SharedAccessSignature)=[A-Za-z0-9%+/=]{20,}/, "a shared access signature"],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/, "a GitHub token"],
  [/"type"\s*:\s*"service_account"/, "a GCP service account key"],
];

/**
 * The entries of an environment (or app settings) that hold a secret in plain text: a secret-like
 * name with a literal value, or a value that looks like a credential whatever its name. In the offline
 * plan a Pulumi secret shows as "[secret]"; putting one into plain configuration is exactly the leak
 * this finds, so it counts. A computed value ("[unknown]") cannot be judged and is skipped.
 */
export function plaintextSecrets(entries: Iterable<[string, unknown]>): PlaintextSecret[] {
  const found: PlaintextSecret[] = [];
  for (const [name, raw] of entries) {
    if (typeof raw !== "string" || raw === "" || raw === "[unknown]") continue;
    const credential = SECRET_VALUE.find(([re]) => re.test(raw));
    if (credential) {
      found.push({ name, reason: `its value looks like ${credential[1]}` });
    } else if (
      SECRET_NAME.test(name) &&
      !REFERENCE_NAME.test(name) &&
      !SETTING_NAME.test(name) &&
      !REFERENCE_VALUE.some((re) => re.test(raw))
    ) {
      found.push({
        name,
        reason:
          raw === "[secret]"
            ? "it holds a secret value in plain configuration"
            : "its name says secret and its value is a literal",
      });
    }
  }
  return found;
}

/** The message for a resource's plaintext secrets, with the fix. */
export function describePlaintextSecrets(where: string, found: PlaintextSecret[], fix: string): string {
  return `${where} holds secrets in plain text: ${found.map((f) => `${f.name} (${f.reason})`).join("; ")}. ${fix}`;
}
