import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import {
  type ContextEntry,
  type IAMClient,
  SimulatePrincipalPolicyCommand,
  type SimulatePrincipalPolicyCommandOutput,
} from "@aws-sdk/client-iam";
import { arns } from "../../../components/aws/iam";
import { exportLayout, normalizedKeys } from "../../../components/aws/layout";
import { physicalName } from "../../../components/core/naming";
import type { TenantConfig } from "../../../components/tenant/config";
import { VIEW_NAMES } from "../../query/views";
import { awsAuditChecks } from "./aws-audit";
import type { PermissionCheck, Requirement, VerifyReport } from "./types";

interface AwsRequirement extends Requirement {
  /** Request context the policy's conditions look at (e.g. s3:prefix of a listing). */
  context?: ContextEntry[];
}

/** The job role the AWS pipeline deploys, and what it must be allowed on which exact resources. */
export function awsRequirements(tenant: TenantConfig): { roleArn: string; requirements: AwsRequirement[] } {
  const cfg = tenant.aws;
  if (!cfg) throw new Error("the tenant has no aws section; nothing to verify for --cloud aws");
  const at = { accountId: cfg.managementAccountId, region: cfg.region };
  const layout = exportLayout(tenant.tenantId, at.accountId, at.region);
  const role = physicalName("iamRole", "costline", tenant.tenantId, "aws-normalize");
  const workgroup = physicalName("aws", "costline", tenant.tenantId);
  const database = physicalName("glue", "costline", tenant.tenantId);
  const statement = (sid: string) =>
    `the "${sid}" statement of the job policy (components/aws/policies.ts jobPolicy) on role ${role}; run pulumi up to restore it`;
  const object = (prefix: string) =>
    arns.objects(layout.bucket, prefix).replace(/\*$/, "costline-verify-probe");
  const req = (permission: string, resource: string, why: string, sid: string, context?: ContextEntry[]) => ({
    permission,
    resource,
    why,
    grant: statement(sid),
    context,
  });
  return {
    roleArn: `arn:aws:iam::${at.accountId}:role/${role}`,
    requirements: [
      req("s3:GetObject", object(layout.exportsPrefix), "read the Data Exports files", "ReadOwnPrefixes"),
      req("s3:ListBucket", arns.bucket(layout.bucket), "list the exports", "ListOwnPrefixes", [
        { ContextKeyName: "s3:prefix", ContextKeyValues: [layout.exportsPrefix], ContextKeyType: "string" },
      ]),
      req(
        "s3:PutObject",
        object(layout.normalizedPrefix),
        "write normalized data and run records",
        "WriteNormalizedData",
      ),
      req(
        "s3:DeleteObject",
        object(normalizedKeys(layout.normalizedPrefix).periodsPrefix),
        "replace a billing period",
        "RemoveReplacedData",
      ),
      req(
        "athena:StartQueryExecution",
        arns.workgroup(at, workgroup),
        "run the normalization query",
        "QueryInOwnWorkgroup",
      ),
      req(
        "athena:GetQueryExecution",
        arns.workgroup(at, workgroup),
        "follow the query",
        "QueryInOwnWorkgroup",
      ),
      req("glue:GetDatabase", arns.glueDatabase(at, database), "read the catalog", "ReadOwnCatalog"),
      req("glue:GetTables", arns.glueDatabase(at, database), "read the tables", "ReadOwnCatalog"),
      req(
        "glue:UpdateTable",
        arns.glueTable(at, database, VIEW_NAMES[0]!),
        "replace the cost views (unified and the named views)",
        "ReplaceCostViews",
      ),
    ],
  };
}

/**
 * Simulates the job role's policies (iam:SimulatePrincipalPolicy) for each action on its exact
 * resource. The caller needs iam:SimulatePrincipalPolicy on the role; the role itself is judged.
 * Then reads the audit trail back (aws-audit.ts) as the caller.
 */
export async function verifyAws(
  clients: { sts: STSClient; iam: IAMClient; cloudtrail: CloudTrailClient; s3: S3Client },
  tenant: TenantConfig,
): Promise<VerifyReport> {
  const { roleArn, requirements } = awsRequirements(tenant);
  const caller = await clients.sts.send(new GetCallerIdentityCommand({}));
  const checks: PermissionCheck[] = [];
  for (const { context, ...r } of requirements) {
    let out: SimulatePrincipalPolicyCommandOutput;
    try {
      out = await clients.iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: roleArn,
          ActionNames: [r.permission],
          ResourceArns: [r.resource],
          ContextEntries: context,
        }),
      );
    } catch (e) {
      const name = (e as Error).name;
      if (name === "NoSuchEntityException") {
        throw new Error(`role ${roleArn} does not exist; run pulumi up for this tenant first`);
      }
      if (name === "AccessDeniedException" || name === "AccessDenied") {
        throw new Error(
          `${caller.Arn} may not simulate ${roleArn}; grant it iam:SimulatePrincipalPolicy on that role to verify`,
        );
      }
      throw e;
    }
    const decision = out.EvaluationResults?.[0]?.EvalDecision ?? "no decision";
    checks.push({
      ...r,
      allowed: decision === "allowed",
      detail: decision === "allowed" ? undefined : decision,
    });
  }
  const { audit, notChecked } = await awsAuditChecks(clients, tenant, caller.Arn ?? "the caller");
  return {
    cloud: "aws",
    identity: `${roleArn} (simulated by ${caller.Arn})`,
    checks,
    audit,
    notChecked: [
      "the KMS key, the tenant secret and the dead-letter queue: their ARNs are generated at deployment; `pulumi stack output` names them",
      ...notChecked,
    ],
  };
}
