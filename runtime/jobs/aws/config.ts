import { JOB_ENV } from "../../../components/aws/job-contract";
import { isOutputVersion, OUTPUT_VERSIONS, type OutputVersion } from "../../schema/output";

/** The AWS job's settings, from the environment the NormalizationJob component sets. */
export interface AwsJobConfig {
  tenantId: string;
  bucket: string;
  cur2DataPrefix?: string;
  focusDataPrefix?: string;
  normalizedPrefix: string;
  database: string;
  tables: { cur2?: string; focus?: string; normalized: string };
  workgroup: string;
  secretArn: string;
  metricNamespace: string;
  /** The tenant's reporting currency (ISO 4217); USD when the stack set none. */
  reportingCurrency?: string;
  /** The FOCUS version the normalized table holds; 1.2 when the stack set none. */
  focusVersion?: OutputVersion;
}

/** Reads and checks the environment; every problem names the variable and what it should hold. */
export function awsJobConfig(env: NodeJS.ProcessEnv): AwsJobConfig {
  const problems: string[] = [];
  const need = (key: keyof typeof JOB_ENV) => {
    const value = env[JOB_ENV[key]]?.trim();
    if (!value) problems.push(`${JOB_ENV[key]} is not set`);
    return value ?? "";
  };
  const optional = (key: keyof typeof JOB_ENV) => env[JOB_ENV[key]]?.trim() || undefined;
  const config = {
    tenantId: need("tenantId"),
    bucket: need("bucket"),
    cur2DataPrefix: optional("cur2DataPrefix"),
    focusDataPrefix: optional("focusDataPrefix"),
    normalizedPrefix: need("normalizedPrefix"),
    database: need("glueDatabase"),
    workgroup: need("athenaWorkgroup"),
    secretArn: need("secretArn"),
    metricNamespace: need("metricNamespace"),
    reportingCurrency: optional("reportingCurrency"),
    focusVersion: undefined as OutputVersion | undefined,
    tables: { normalized: "" } as AwsJobConfig["tables"],
  };
  const version = optional("focusVersion");
  if (version !== undefined) {
    if (isOutputVersion(version)) config.focusVersion = version;
    else problems.push(`${JOB_ENV.focusVersion} must be ${OUTPUT_VERSIONS.join(" or ")} (got "${version}")`);
  }
  const tablesText = need("glueTables");
  if (tablesText) {
    try {
      const tables = JSON.parse(tablesText) as Record<string, unknown>;
      if (typeof tables.normalized !== "string") throw new Error("no normalized table");
      config.tables = {
        normalized: tables.normalized,
        cur2: typeof tables.cur2 === "string" ? tables.cur2 : undefined,
        focus: typeof tables.focus === "string" ? tables.focus : undefined,
      };
    } catch (e) {
      problems.push(
        `${JOB_ENV.glueTables} must be a JSON object with a "normalized" table name (${(e as Error).message})`,
      );
    }
  }
  if (!config.cur2DataPrefix && !config.focusDataPrefix) {
    problems.push(
      `neither ${JOB_ENV.cur2DataPrefix} nor ${JOB_ENV.focusDataPrefix} is set: there is no export to normalize`,
    );
  }
  for (const key of ["cur2DataPrefix", "focusDataPrefix", "normalizedPrefix"] as const) {
    const value = config[key];
    if (value && !value.endsWith("/")) problems.push(`${JOB_ENV[key]} must end in "/" (got "${value}")`);
  }
  if (problems.length) throw new Error(`the AWS job is misconfigured: ${problems.join("; ")}`);
  return config;
}
