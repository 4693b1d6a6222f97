import assert from "node:assert/strict";
import { join } from "node:path";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import nock from "nock";
import type { PolicyDocument } from "../../../../components/aws/iam";
import { exportLayout } from "../../../../components/aws/layout";
import { jobPolicy } from "../../../../components/aws/policies";
import { physicalName } from "../../../../components/core/naming";
import { loadTenantFile } from "../../../../stacks/tenant/load";
import { verifyAws } from "../../../../runtime/jobs/verify/aws";
import { grants, restArmPermissions, verifyAzure } from "../../../../runtime/jobs/verify/azure";
import { restPermissionTester, verifyGcp } from "../../../../runtime/jobs/verify/gcp";
import { bearerRest } from "../../../../runtime/jobs/verify/rest";
import { apiServerReviewer, verifyKubernetes } from "../../../../runtime/jobs/verify/kubernetes";
import { renderReport } from "../../../../runtime/jobs/verify/types";
import { deployedAuditTrail } from "../../../helpers/aws-audit-trail";
import { nockDeployedAzureAudit } from "../../../helpers/azure-audit-rest";
import { nockDeployedGcpAudit } from "../../../helpers/gcp-audit-rest";
import { decide } from "../../../components/aws/simulate";

const tenant = loadTenantFile(
  join(__dirname, "..", "..", "..", "..", "examples", "tenants", "acme-all.yaml"),
);
const missing = (r: { checks: Array<{ allowed: boolean; permission: string }> }) =>
  r.checks.filter((c) => !c.allowed).map((c) => c.permission);

describe("costline verify", () => {
  before(() => nock.disableNetConnect());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  afterEach(() => assert.ok(nock.isDone(), `unused interceptors: ${nock.pendingMocks().join(", ")}`));

  describe("AWS: the job role simulated against the policy the component deploys", () => {
    const at = { accountId: "111122223333", region: "eu-west-1" };
    const role = `arn:aws:iam::${at.accountId}:role/${physicalName("iamRole", "costline", "acme", "aws-normalize")}`;
    const deployed = jobPolicy({
      ...at,
      layout: exportLayout("acme", at.accountId, at.region),
      keyArn: `arn:aws:kms:${at.region}:${at.accountId}:key/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d`,
      workgroup: physicalName("aws", "costline", "acme"),
      database: physicalName("glue", "costline", "acme"),
      normalizedTable: "normalized",
      secretArn: `arn:aws:secretsmanager:${at.region}:${at.accountId}:secret:tenant-acme-aws-${at.accountId}-AbCdEf`,
      logGroupName: "/aws/lambda/costline-acme-aws-normalize",
      deadLetterQueueArn: `arn:aws:sqs:${at.region}:${at.accountId}:costline-acme-dlq`,
    });

    /** IAM's simulator, played by the policy simulator over `policy`; records what was asked. */
    function clients(policy: PolicyDocument) {
      const sts = mockClient(STSClient);
      sts.on(GetCallerIdentityCommand).resolves({ Arn: "arn:aws:iam::111122223333:user/ops" });
      const iam = mockClient(IAMClient);
      iam.on(SimulatePrincipalPolicyCommand).callsFake(async (input) => {
        assert.equal(input.PolicySourceArn, role, "the deployed job role is the one simulated");
        const context = Object.fromEntries(
          (input.ContextEntries ?? []).map((e: { ContextKeyName: string; ContextKeyValues: string[] }) => [
            e.ContextKeyName,
            e.ContextKeyValues[0],
          ]),
        );
        const decision = await decide(
          {
            principal: role,
            action: input.ActionNames[0],
            resource: input.ResourceArns[0],
            resourceAccount: at.accountId,
            context,
          },
          { identity: [policy] },
        );
        return {
          EvaluationResults: [
            {
              EvalActionName: input.ActionNames[0],
              EvalDecision: decision === "Allowed" ? "allowed" : "implicitDeny",
            },
          ],
        };
      });
      const trail = deployedAuditTrail("acme", at.accountId, at.region);
      return {
        sts: new STSClient({ region: at.region }),
        iam: new IAMClient({ region: at.region }),
        ...trail.clients,
        restore: () => {
          sts.restore();
          iam.restore();
          trail.restore();
        },
      };
    }

    it("passes the deployed job policy", async () => {
      const c = clients(deployed);
      try {
        const report = await verifyAws(c, tenant);
        assert.deepEqual(missing(report), []);
        assert.equal(report.checks.length, 9);
        assert.ok(report.audit.length > 0 && report.audit.every((a) => a.ok), "the deployed trail passes");
        assert.match(report.identity, /simulated by arn:aws:iam::111122223333:user\/ops/);
      } finally {
        c.restore();
      }
    });

    it("names each missing action and the statement that grants it", async () => {
      const trimmed = {
        ...deployed,
        Statement: deployed.Statement.filter(
          (s) => s.Sid !== "WriteNormalizedData" && s.Sid !== "RemoveReplacedData",
        ),
      };
      const c = clients(trimmed);
      try {
        const report = await verifyAws(c, tenant);
        assert.deepEqual(missing(report), ["s3:PutObject", "s3:DeleteObject"]);
        const put = report.checks.find((x) => x.permission === "s3:PutObject")!;
        assert.match(put.resource, /^arn:aws:s3:::costline-acme-.*\/normalized\/costline-verify-probe$/);
        assert.match(put.grant, /"WriteNormalizedData" statement of the job policy/);
        const del = report.checks.find((x) => x.permission === "s3:DeleteObject")!;
        assert.match(del.resource, /\/normalized\/billing_period=costline-verify-probe$/);
        assert.match(del.grant, /"RemoveReplacedData" statement of the job policy/);
        assert.match(
          renderReport(report),
          /MISSING s3:PutObject .*\n.*write normalized data and run records\n.*grant: /,
        );
      } finally {
        c.restore();
      }
    });
  });

  describe("Azure: Microsoft.Authorization/permissions at each scope (nock)", () => {
    const ARM = "https://management.azure.com";
    const perms = (scope: string, value: unknown[]) =>
      nock(ARM)
        .get(`${scope}/providers/Microsoft.Authorization/permissions`)
        .query({ "api-version": "2022-04-01" })
        .matchHeader("authorization", "Bearer arm-token")
        .reply(200, { value });
    const blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
    const costReader = {
      actions: ["Microsoft.Consumption/*/read", "Microsoft.CostManagement/*/read"],
      notActions: [],
    };
    const runner = {
      actions: ["Microsoft.CostManagement/exports/read", "Microsoft.CostManagement/exports/action"],
    };
    const blobReader = { actions: [], dataActions: [`${blobs}/read`] };
    const secretsUser = { dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"] };

    it("reports write and delete missing on the normalized container, with the role to grant", async () => {
      const subs = tenant.azure!.subscriptionIds.map((id) => `/subscriptions/${id}`);
      perms(subs[0]!, [costReader, runner]);
      perms(subs[1]!, [costReader]);
      const rg = `/subscriptions/${tenant.azure!.hostSubscriptionId}/resourceGroups/${physicalName("azure", "costline", "acme")}`;
      const account = `${rg}/providers/Microsoft.Storage/storageAccounts/${physicalName("azureStorageAccount", "costline", "acme", "data")}`;
      perms(`${account}/blobServices/default/containers/exports`, [blobReader]);
      perms(`${account}/blobServices/default/containers/normalized`, [blobReader]);
      nock(ARM)
        .get(
          /\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+\/secrets\/tenant-acme-azure-[^/]+\/providers\/Microsoft\.Authorization\/permissions/,
        )
        .query(true)
        .reply(200, { value: [secretsUser] });
      nockDeployedAzureAudit(tenant);
      const rest = bearerRest(async () => "arm-token");
      const report = await verifyAzure({ api: restArmPermissions(rest), rest }, tenant, "client job");
      assert.deepEqual(
        report.checks
          .filter((c) => !c.allowed)
          .map((c) => [c.permission.split("/").pop(), c.resource.split("/").pop(), c.grant.split(" on ")[0]]),
        [
          ["action", subs[1]!.split("/").pop(), 'the "Costline export runner" custom role'],
          ["write", "normalized", "Storage Blob Data Contributor"],
          ["delete", "normalized", "Storage Blob Data Contributor"],
        ],
      );
    });

    it("honours wildcards and exclusions the way ARM does", () => {
      const owner = [
        { actions: ["*"], dataActions: ["Microsoft.Storage/*"], notDataActions: [`${blobs}/delete`] },
      ];
      assert.equal(grants(owner, `${blobs}/write`, "dataAction"), true);
      assert.equal(grants(owner, `${blobs}/delete`, "dataAction"), false, "notDataActions removes it");
      assert.equal(
        grants([costReader], "microsoft.costmanagement/exports/READ", "action"),
        true,
        "case does not matter",
      );
      assert.equal(grants([costReader], "Microsoft.CostManagement/exports/action", "action"), false);
      assert.equal(
        grants([{ actions: [`${blobs}/read`] }], `${blobs}/read`, "dataAction"),
        false,
        "an action is no data action",
      );
    });
  });

  describe("GCP: testIamPermissions (nock)", () => {
    const gcp = () => {
      const rest = bearerRest(async () => "gcp-token");
      return { tester: restPermissionTester(rest), rest };
    };

    it("reports the secret accessor missing and keeps the granted job user", async () => {
      nock("https://cloudresourcemanager.googleapis.com")
        .post("/v3/projects/acme-finops-prod:testIamPermissions", { permissions: ["bigquery.jobs.create"] })
        .matchHeader("authorization", "Bearer gcp-token")
        .reply(200, { permissions: ["bigquery.jobs.create"] });
      nock("https://secretmanager.googleapis.com")
        .post("/v1/projects/acme-finops-prod/secrets/tenant-acme-gcp-acme-finops-prod:testIamPermissions")
        .reply(200, {});
      nockDeployedGcpAudit();
      const report = await verifyGcp(gcp(), tenant, "job@acme.iam");
      assert.deepEqual(missing(report), ["secretmanager.versions.access"]);
      assert.match(
        report.checks[1]!.grant,
        /roles\/secretmanager.secretAccessor on secret tenant-acme-gcp-acme-finops-prod/,
      );
      assert.ok(
        report.notChecked.some((n) => /dataset-level/.test(n)),
        "what is not checked is said",
      );
      assert.equal(report.audit.length, 6, "the audit logging is read back too");
    });

    it("fails clearly when the caller may not even ask", async () => {
      nock("https://cloudresourcemanager.googleapis.com")
        .post(/testIamPermissions/)
        .reply(403, { error: { message: "Permission denied on resource project acme-finops-prod." } });
      await assert.rejects(
        verifyGcp(gcp(), tenant, "x"),
        /answered 403: Permission denied on resource project acme-finops-prod/,
      );
    });
  });

  describe("Kubernetes: SelfSubjectAccessReview as the job's service account (nock)", () => {
    it("reviews as the job's service account and reports the denied endpoints read", async () => {
      const subject = `system:serviceaccount:${physicalName("kubernetes", tenant.kubernetes!.clusters[0]!.namespace)}:${physicalName("kubernetes", "acme", "normalizer")}`;
      const asked: Array<{ resource: string; name: string }> = [];
      nock("https://kube.test")
        .post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .times(2)
        .matchHeader("impersonate-user", subject)
        .matchHeader("authorization", "Bearer kube-token")
        .reply(201, (_uri, body) => {
          const attrs = (body as { spec: { resourceAttributes: { resource: string; name: string } } }).spec
            .resourceAttributes;
          asked.push(attrs);
          const allowed = attrs.resource === "services";
          return { status: { allowed, reason: allowed ? "RBAC: allowed by RoleBinding" : "" } };
        });
      const report = await verifyKubernetes(
        (s) => apiServerReviewer({ server: "https://kube.test", token: "kube-token", impersonate: s }),
        tenant,
      );
      assert.deepEqual(
        asked.map((a) => [a.resource, a.name]),
        [
          ["services", physicalName("kubernetes", "acme", "opencost")],
          ["endpoints", physicalName("kubernetes", "acme", "opencost")],
        ],
      );
      assert.deepEqual(missing(report), ["get endpoints"]);
      assert.deepEqual(report.audit, [], "the stack sets no audit log of its own in a cluster");
      assert.ok(
        report.notChecked.some(
          (n) => n.startsWith("the cluster's audit log: ") && /cluster operator's/.test(n),
        ),
        "the cluster's audit log is said to be not checked, and whose it is",
      );
      assert.match(
        report.checks[1]!.grant,
        /a Role in .* with get on endpoints named .*, bound to system:serviceaccount:/,
      );
    });
  });
});
