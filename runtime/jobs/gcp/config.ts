import { GCP_JOB_ENV, GcpJobSettings } from "../../../components/gcp/job-contract";
import {
  type BillingAccountNames,
  BillingAccountNamesError,
  parseBillingAccountNamesJson,
} from "../../taxonomy/billing-account-names";

export interface GcpJobEnv {
  tenantId: string;
  /** Project and id of the settings secret. */
  secretProject: string;
  secretId: string;
  /** Display names of the billing accounts, by id; an account without one is written with a NULL name. */
  billingAccountNames: BillingAccountNames;
}

const SECRET_VERSION = /^projects\/([^/]+)\/secrets\/([^/]+)\/versions\/latest$/;

/** Reads the function's environment variables; errors name the variable and its expected form. */
export function gcpJobEnv(env: NodeJS.ProcessEnv): GcpJobEnv {
  const tenantId = env[GCP_JOB_ENV.tenantId]?.trim();
  const secret = env[GCP_JOB_ENV.settingsSecret]?.trim() ?? "";
  const match = SECRET_VERSION.exec(secret);
  const problems = [
    ...(tenantId ? [] : [`${GCP_JOB_ENV.tenantId} is not set`]),
    ...(match
      ? []
      : [
          `${GCP_JOB_ENV.settingsSecret} must be projects/{project}/secrets/{id}/versions/latest, not "${secret}"`,
        ]),
  ];
  let billingAccountNames: BillingAccountNames = {};
  try {
    billingAccountNames = parseBillingAccountNamesJson(
      env[GCP_JOB_ENV.billingAccountNames],
      GCP_JOB_ENV.billingAccountNames,
    );
  } catch (e) {
    if (!(e instanceof BillingAccountNamesError)) throw e;
    problems.push(e.message);
  }
  if (problems.length) throw new Error(`the GCP job is misconfigured: ${problems.join("; ")}`);
  return { tenantId: tenantId!, secretProject: match![1]!, secretId: match![2]!, billingAccountNames };
}

/** Parses the secret's settings; errors name the field. */
export function parseSettings(raw: unknown, tenantId: string): GcpJobSettings {
  const parsed = GcpJobSettings.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(settings)"}: ${i.message}`);
    throw new Error(`the settings secret is not valid: ${problems.join("; ")}; run pulumi up to rewrite it`);
  }
  if (parsed.data.tenantId !== tenantId) {
    throw new Error(
      `the settings secret is for tenant ${parsed.data.tenantId}, but this function serves ${tenantId}`,
    );
  }
  return parsed.data;
}
