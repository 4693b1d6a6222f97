import { readFileSync } from "node:fs";
import { parseFlags, required } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE =
  "costline verify --tenant FILE --cloud aws|gcp|azure|kubernetes [--cluster NAME] [--kube-server URL] [--kube-token-file FILE] [--kube-ca FILE] [--json]";

const IN_CLUSTER = "/var/run/secrets/kubernetes.io/serviceaccount";

/**
 * `costline verify`: asks the cloud whether the deployed job identity can do what the job needs,
 * and names what to grant for each permission it lacks; then whether the audit trail of the
 * tenant's credentials and billing data is on and kept as configured, naming each setting that is
 * not. Exit code 3 when a permission is missing or an audit setting does not hold.
 *
 * Whose permissions: AWS simulates the job role (the caller needs iam:SimulatePrincipalPolicy);
 * Kubernetes reviews as the job's service account (the caller needs impersonate on it); GCP and
 * Azure judge the caller, so run it with the job's identity (service account impersonation in
 * ADC; AZURE_CLIENT_ID of the job's managed identity or `az login` as it).
 */
export async function verifyCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "verify",
    argv,
    {
      tenant: { type: "string" },
      cloud: { type: "string" },
      cluster: { type: "string" },
      "kube-server": { type: "string" },
      "kube-token-file": { type: "string" },
      "kube-ca": { type: "string" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  const tenantFile = required("verify", flags.tenant, "--tenant FILE", USAGE);
  const cloud = required("verify", flags.cloud, "--cloud aws|gcp|azure|kubernetes", USAGE);
  const { CLOUDS, renderReport, reportPasses } =
    require("../jobs/verify/types") as typeof import("../jobs/verify/types");
  if (!(CLOUDS as readonly string[]).includes(cloud)) {
    throw new CliError(
      `costline verify: --cloud is one of ${CLOUDS.join(", ")}, not "${cloud}"\nusage: ${USAGE}`,
    );
  }
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const tenant = loadTenantFile(tenantFile);
  let report: import("../jobs/verify/types").VerifyReport;
  try {
    report = await verifyCloud(cloud, tenant, flags);
  } catch (e) {
    throw new CliError(`costline verify: ${(e as Error).message}`, ExitCode.failure);
  }
  out.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderReport(report)}\n`);
  return reportPasses(report) ? ExitCode.ok : ExitCode.violation;
}

/** Builds the cloud's client from the ambient credentials and runs its check; each SDK loads only for its cloud. */
async function verifyCloud(
  cloud: string,
  tenant: import("../../components/tenant/config").TenantConfig,
  flags: Record<string, string | boolean | undefined>,
) {
  switch (cloud) {
    case "aws": {
      const { STSClient } = await import("@aws-sdk/client-sts");
      const { IAMClient } = await import("@aws-sdk/client-iam");
      const { CloudTrailClient } = await import("@aws-sdk/client-cloudtrail");
      const { S3Client } = await import("@aws-sdk/client-s3");
      const { verifyAws } = require("../jobs/verify/aws") as typeof import("../jobs/verify/aws");
      const region = tenant.aws?.region;
      return verifyAws(
        {
          sts: new STSClient({ region }),
          iam: new IAMClient({ region }),
          cloudtrail: new CloudTrailClient({ region }),
          // An organization trail's bucket may be in another region.
          s3: new S3Client({ region, followRegionRedirects: true }),
        },
        tenant,
      );
    }
    case "gcp": {
      const { GoogleAuth } = await import("google-auth-library");
      const { restPermissionTester, verifyGcp } =
        require("../jobs/verify/gcp") as typeof import("../jobs/verify/gcp");
      const { bearerRest } = require("../jobs/verify/rest") as typeof import("../jobs/verify/rest");
      const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] });
      const rest = bearerRest(async () => (await auth.getAccessToken()) ?? "");
      const credentials = await auth.getCredentials().catch(() => ({ client_email: undefined }));
      return verifyGcp(
        { tester: restPermissionTester(rest), rest },
        tenant,
        credentials.client_email ?? "the caller (application default credentials)",
      );
    }
    case "azure": {
      const { DefaultAzureCredential } = await import("@azure/identity");
      const { restArmPermissions, verifyAzure } =
        require("../jobs/verify/azure") as typeof import("../jobs/verify/azure");
      const { bearerRest } = require("../jobs/verify/rest") as typeof import("../jobs/verify/rest");
      const credential = new DefaultAzureCredential();
      const rest = bearerRest(
        async () => (await credential.getToken("https://management.azure.com/.default")).token,
      );
      const who = process.env.AZURE_CLIENT_ID
        ? `client ${process.env.AZURE_CLIENT_ID}`
        : "the caller (DefaultAzureCredential)";
      return verifyAzure({ api: restArmPermissions(rest), rest }, tenant, who);
    }
    default: {
      const { apiServerReviewer, verifyKubernetes } =
        require("../jobs/verify/kubernetes") as typeof import("../jobs/verify/kubernetes");
      const host = process.env.KUBERNETES_SERVICE_HOST;
      const server =
        (flags["kube-server"] as string | undefined) ??
        (host ? `https://${host}:${process.env.KUBERNETES_SERVICE_PORT ?? 443}` : undefined);
      if (!server)
        throw new Error(
          "no API server: pass --kube-server URL (and --kube-token-file), or run inside the cluster",
        );
      const tokenFile = (flags["kube-token-file"] as string | undefined) ?? `${IN_CLUSTER}/token`;
      const caFile =
        (flags["kube-ca"] as string | undefined) ??
        (flags["kube-server"] ? undefined : `${IN_CLUSTER}/ca.crt`);
      const token = readFileSync(tokenFile, "utf8").trim();
      const ca = caFile ? readFileSync(caFile) : undefined;
      return verifyKubernetes(
        (subject: string) => apiServerReviewer({ server, token, ca, impersonate: subject }),
        tenant,
        flags.cluster as string | undefined,
      );
    }
  }
}
