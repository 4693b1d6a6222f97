import { tmpdir } from "node:os";
import { OUTPUT_VERSIONS } from "../../schema/output";
import { z } from "zod";
import {
  AzureConnection,
  AZURE_JOB_SETTINGS as SETTING,
  AZURE_JOB_TUNING as TUNING,
} from "../../../components/azure/job-contract";
import type { AzureJobConfig } from "./job";

const text = (name: string) => z.string({ error: `${name} is not set` }).min(1, `${name} is empty`);
const httpsUrl = (name: string) =>
  text(name).refine(
    (v) => /^https?:\/\/[^/]+\/[^/]+/.test(v),
    `${name} must be a container URL (https://<account>.blob.core.windows.net/<container>)`,
  );

/** The app settings the AzureCostPipeline component writes (components/azure/pipeline.ts), read once. */
const Settings = z.object({
  [SETTING.tenantId]: text(SETTING.tenantId),
  [SETTING.provider]: z.literal("azure", { error: `${SETTING.provider} must be azure for the Azure job` }),
  [SETTING.sourceFormat]: z.enum(["azure-focus", "azure-cost-details"], {
    error: `${SETTING.sourceFormat} must be azure-focus or azure-cost-details`,
  }),
  [SETTING.exportDataset]: text(SETTING.exportDataset),
  [SETTING.exportName]: text(SETTING.exportName),
  [SETTING.exportScopes]: text(SETTING.exportScopes),
  [SETTING.exportUrl]: httpsUrl(SETTING.exportUrl),
  [SETTING.outputUrl]: httpsUrl(SETTING.outputUrl),
  [SETTING.connectionSecretUri]: text(SETTING.connectionSecretUri).refine(
    (v) => /^https:\/\/[^/]+\/secrets\/[^/]+/.test(v),
    `${SETTING.connectionSecretUri} must be a Key Vault secret URI (https://<vault>.vault.azure.net/secrets/<name>)`,
  ),
  AZURE_CLIENT_ID: text("AZURE_CLIENT_ID"),
  /** Not written by the component: defaults that fit a daily export and a 2 GB Flex instance. */
  [TUNING.maxExportAgeHours]: z.coerce.number().positive().default(36),
  [TUNING.memoryLimit]: z.string().optional(),
  [SETTING.reportingCurrency]: z
    .string()
    .regex(/^[A-Z]{3}$/, `${SETTING.reportingCurrency} must be an ISO 4217 code such as EUR`)
    .optional(),
  [SETTING.focusVersion]: z
    .enum(OUTPUT_VERSIONS, { error: `${SETTING.focusVersion} must be ${OUTPUT_VERSIONS.join(" or ")}` })
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
    scopes = JSON.parse(s[SETTING.exportScopes]);
  } catch {
    scopes = undefined;
  }
  if (
    !Array.isArray(scopes) ||
    scopes.length === 0 ||
    !scopes.every((x) => typeof x === "string" && x.startsWith("/"))
  ) {
    throw new Error(
      `${SETTING.exportScopes} must be a JSON array of ARM scopes such as ["/subscriptions/<id>"], not ${s[SETTING.exportScopes]}`,
    );
  }
  const secret = new URL(s[SETTING.connectionSecretUri]);
  return {
    config: {
      tenantId: s[SETTING.tenantId],
      reportingCurrency: s[SETTING.reportingCurrency],
      focusVersion: s[SETTING.focusVersion],
      sourceFormat: s[SETTING.sourceFormat],
      exportDataset: s[SETTING.exportDataset],
      exportName: s[SETTING.exportName],
      exportScopes: scopes as string[],
      exportContainer: new URL(s[SETTING.exportUrl]).pathname.split("/").filter(Boolean)[0]!,
      maxExportAgeHours: s[TUNING.maxExportAgeHours],
      tempDir: tmpdir(),
      memoryLimit: s[TUNING.memoryLimit],
    },
    exportUrl: s[SETTING.exportUrl],
    outputUrl: s[SETTING.outputUrl],
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
  const parsed = AzureConnection.safeParse(secret);
  if (!parsed.success) {
    throw new Error(
      `the connection secret ${settings.secretName} is not the connection document the stack writes (${parsed.error.issues
        .map((i) => `${i.path.join(".") || "(document)"}: ${i.message}`)
        .join("; ")}); run pulumi up for this tenant to rewrite it`,
    );
  }
  const s = parsed.data;
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
