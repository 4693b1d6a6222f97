import { tmpdir } from "node:os";
import { OUTPUT_VERSIONS } from "../../schema/output";
import { z } from "zod";
import type { AzureJobConfig } from "./job";

const text = (name: string) => z.string({ error: `${name} is not set` }).min(1, `${name} is empty`);
const httpsUrl = (name: string) =>
  text(name).refine(
    (v) => /^https?:\/\/[^/]+\/[^/]+/.test(v),
    `${name} must be a container URL (https://<account>.blob.core.windows.net/<container>)`,
  );

/** The app settings the AzureCostPipeline component writes (components/azure/pipeline.ts), read once. */
const Settings = z.object({
  COSTLINE_TENANT_ID: text("COSTLINE_TENANT_ID"),
  COSTLINE_PROVIDER: z.literal("azure", { error: "COSTLINE_PROVIDER must be azure for the Azure job" }),
  COSTLINE_SOURCE_FORMAT: z.enum(["azure-focus", "azure-cost-details"], {
    error: "COSTLINE_SOURCE_FORMAT must be azure-focus or azure-cost-details",
  }),
  COSTLINE_EXPORT_DATASET: text("COSTLINE_EXPORT_DATASET"),
  COSTLINE_EXPORT_NAME: text("COSTLINE_EXPORT_NAME"),
  COSTLINE_EXPORT_SCOPES: text("COSTLINE_EXPORT_SCOPES"),
  COSTLINE_EXPORT_URL: httpsUrl("COSTLINE_EXPORT_URL"),
  COSTLINE_OUTPUT_URL: httpsUrl("COSTLINE_OUTPUT_URL"),
  COSTLINE_CONNECTION_SECRET_URI: text("COSTLINE_CONNECTION_SECRET_URI").refine(
    (v) => /^https:\/\/[^/]+\/secrets\/[^/]+/.test(v),
    "COSTLINE_CONNECTION_SECRET_URI must be a Key Vault secret URI (https://<vault>.vault.azure.net/secrets/<name>)",
  ),
  AZURE_CLIENT_ID: text("AZURE_CLIENT_ID"),
  /** Not written by the component: defaults that fit a daily export and a 2 GB Flex instance. */
  COSTLINE_MAX_EXPORT_AGE_HOURS: z.coerce.number().positive().default(36),
  COSTLINE_MEMORY_LIMIT: z.string().optional(),
  COSTLINE_REPORTING_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, "COSTLINE_REPORTING_CURRENCY must be an ISO 4217 code such as EUR")
    .optional(),
  COSTLINE_FOCUS_VERSION: z
    .enum(OUTPUT_VERSIONS, { error: `COSTLINE_FOCUS_VERSION must be ${OUTPUT_VERSIONS.join(" or ")}` })
    .optional(),
});

export interface AzureRuntimeSettings {
  config: AzureJobConfig;
  exportUrl: string;
  outputUrl: string;
  /** The vault's URL and the secret's name, from the secret URI. */
  vaultUrl: string;
  secretName: string;
  /** Client id of the job's user-assigned identity. */
  clientId: string;
}

/** Reads and checks the job's settings; every problem is named with its variable in one error. */
export function azureSettingsFromEnv(env: NodeJS.ProcessEnv): AzureRuntimeSettings {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `the Azure job's app settings are wrong: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
    );
  }
  const s = parsed.data;
  let scopes: unknown;
  try {
    scopes = JSON.parse(s.COSTLINE_EXPORT_SCOPES);
  } catch {
    scopes = undefined;
  }
  if (
    !Array.isArray(scopes) ||
    scopes.length === 0 ||
    !scopes.every((x) => typeof x === "string" && x.startsWith("/"))
  ) {
    throw new Error(
      `COSTLINE_EXPORT_SCOPES must be a JSON array of ARM scopes such as ["/subscriptions/<id>"], not ${s.COSTLINE_EXPORT_SCOPES}`,
    );
  }
  const secret = new URL(s.COSTLINE_CONNECTION_SECRET_URI);
  return {
    config: {
      tenantId: s.COSTLINE_TENANT_ID,
      reportingCurrency: s.COSTLINE_REPORTING_CURRENCY,
      focusVersion: s.COSTLINE_FOCUS_VERSION,
      sourceFormat: s.COSTLINE_SOURCE_FORMAT,
      exportDataset: s.COSTLINE_EXPORT_DATASET,
      exportName: s.COSTLINE_EXPORT_NAME,
      exportScopes: scopes as string[],
      exportContainer: new URL(s.COSTLINE_EXPORT_URL).pathname.split("/").filter(Boolean)[0]!,
      maxExportAgeHours: s.COSTLINE_MAX_EXPORT_AGE_HOURS,
      tempDir: tmpdir(),
      memoryLimit: s.COSTLINE_MEMORY_LIMIT,
    },
    exportUrl: s.COSTLINE_EXPORT_URL,
    outputUrl: s.COSTLINE_OUTPUT_URL,
    vaultUrl: secret.origin,
    secretName: secret.pathname.split("/")[2]!,
    clientId: s.AZURE_CLIENT_ID,
  };
}

/**
 * The connection secret is what readers use to find this tenant's Azure data; if it names another
 * tenant or other containers than the job's settings, one of them was changed outside Pulumi and
 * the job would publish where readers do not look.
 */
export function checkConnectionSecret(secret: unknown, settings: AzureRuntimeSettings): void {
  const s = (secret ?? {}) as Record<string, unknown>;
  const differences = [
    ["tenantId", s.tenantId, settings.config.tenantId],
    ["exportUrl", s.exportUrl, settings.exportUrl],
    ["outputUrl", s.outputUrl, settings.outputUrl],
  ].filter(([, got, want]) => got !== want);
  if (differences.length > 0) {
    throw new Error(
      `the connection secret ${settings.secretName} disagrees with the job's settings (${differences
        .map(
          ([field, got, want]) => `${field}: secret ${JSON.stringify(got)}, settings ${JSON.stringify(want)}`,
        )
        .join("; ")}); run pulumi up for this tenant to bring both back in line`,
    );
  }
}
