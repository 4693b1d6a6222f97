import { parseFlags, required } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE = "costline audit --tenant FILE --cloud aws|gcp|azure [--days 30] [--json]";

/** The longest window: CloudTrail LookupEvents keeps management events 90 days. */
const MAX_DAYS = 90;

/**
 * `costline audit`: who read the tenant's secret and billing data in the last days, from the trail
 * itself (CloudTrail, Cloud Audit Logs, Log Analytics), each reader judged expected (the job, the
 * platform identity) or not. Exit code 3 when a reader is neither. It reads the trail only, never
 * a secret's value.
 */
export async function auditCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "audit",
    argv,
    {
      tenant: { type: "string" },
      cloud: { type: "string" },
      days: { type: "string" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  const tenantFile = required("audit", flags.tenant, "--tenant FILE", USAGE);
  const cloud = required("audit", flags.cloud, "--cloud aws|gcp|azure", USAGE);
  const { AUDIT_CLOUDS, auditWindow, unexpectedReaders } =
    require("../audit/types") as typeof import("../audit/types");
  if (!(AUDIT_CLOUDS as readonly string[]).includes(cloud)) {
    throw new CliError(
      `costline audit: --cloud is one of ${AUDIT_CLOUDS.join(", ")}, not "${cloud}"\nusage: ${USAGE}`,
    );
  }
  const days = Number(flags.days ?? 30);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new CliError(
      `costline audit: --days is a whole number of days from 1 to ${MAX_DAYS} (CloudTrail's event history), not "${flags.days}"\nusage: ${USAGE}`,
    );
  }
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const tenant = loadTenantFile(tenantFile);
  if (!tenant[cloud as "aws" | "gcp" | "azure"]) {
    throw new CliError(
      `costline audit: tenant ${tenant.tenantId} has no ${cloud} section in ${tenantFile}; nothing to audit there`,
    );
  }
  let report: import("../audit/types").AuditReport;
  try {
    report = await auditCloud(cloud, tenant, auditWindow(days, new Date()));
  } catch (e) {
    // Only the message: a stack or an SDK's error object could carry the request and its token.
    throw new CliError(`costline audit: ${(e as Error).message}`, ExitCode.failure);
  }
  const { renderAudit } = require("../audit/render") as typeof import("../audit/render");
  out.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderAudit(report)}\n`);
  return unexpectedReaders(report).length ? ExitCode.violation : ExitCode.ok;
}

/** Builds the cloud's client from the ambient credentials and audits it; each SDK loads only for its cloud. */
async function auditCloud(
  cloud: string,
  tenant: import("../../components/tenant/config").TenantConfig,
  window: import("../audit/types").AuditWindow,
) {
  switch (cloud) {
    case "aws": {
      const { CloudTrailClient } = await import("@aws-sdk/client-cloudtrail");
      const { S3Client } = await import("@aws-sdk/client-s3");
      const { auditAws } = require("../audit/aws") as typeof import("../audit/aws");
      const region = tenant.aws?.region;
      const trails = new Map<string, InstanceType<typeof CloudTrailClient>>();
      const cloudTrail = (r: string) =>
        trails.get(r) ?? trails.set(r, new CloudTrailClient({ region: r })).get(r)!;
      return auditAws({ cloudTrail, s3: new S3Client({ region }) }, tenant, window);
    }
    case "gcp": {
      const { GoogleAuth } = await import("google-auth-library");
      const { auditGcp } = require("../audit/gcp") as typeof import("../audit/gcp");
      const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/logging.read"] });
      return auditGcp({ token: async () => (await auth.getAccessToken()) ?? "" }, tenant, window);
    }
    default: {
      const { DefaultAzureCredential } = await import("@azure/identity");
      const { auditAzure } = require("../audit/azure") as typeof import("../audit/azure");
      const credential = new DefaultAzureCredential();
      return auditAzure({ token: async (scope) => (await credential.getToken(scope)).token }, tenant, window);
    }
  }
}
