import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetTrailStatusCommand } from "@aws-sdk/client-cloudtrail";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import nock from "nock";
import { deployedAuditTrail } from "../../helpers/aws-audit-trail";
import { runCli } from "../../helpers/cli";

const run = (argv: string[]) => runCli(...argv);

const TENANT = join(__dirname, "..", "..", "..", "examples", "tenants", "acme-all.yaml");

describe("costline verify (CLI)", () => {
  before(() => nock.disableNetConnect());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it("names a missing or unknown --cloud as a usage error", async () => {
    const none = await run(["verify", "--tenant", TENANT]);
    assert.equal(none.code, 2);
    assert.match(none.err, /--cloud aws\|gcp\|azure\|kubernetes is required/);
    const bad = await run(["verify", "--tenant", TENANT, "--cloud", "oracle"]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--cloud is one of aws, gcp, azure, kubernetes, not "oracle"/);
  });

  it("exits 3 and says what to grant when the job's service account lacks a permission", async () => {
    const tokenFile = join(mkdtempSync(join(tmpdir(), "kube-")), "token");
    writeFileSync(tokenFile, "kube-token\n");
    nock("https://kube.test")
      .post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
      .times(2)
      .reply(201, (_uri, body) => ({
        status: {
          allowed:
            (body as { spec: { resourceAttributes: { resource: string } } }).spec.resourceAttributes
              .resource === "services",
        },
      }));
    const result = await run([
      "verify",
      "--tenant",
      TENANT,
      "--cloud",
      "kubernetes",
      "--kube-server",
      "https://kube.test",
      "--kube-token-file",
      tokenFile,
      "--json",
    ]);
    assert.equal(result.code, 3, result.err);
    const report = JSON.parse(result.out);
    assert.deepEqual(
      report.checks.map((c: { permission: string; allowed: boolean }) => [c.permission, c.allowed]),
      [
        ["get services", true],
        ["get endpoints", false],
      ],
    );
  });

  describe("the audit trail", () => {
    let trail: ReturnType<typeof deployedAuditTrail>;
    let restoreCaller: () => void;
    beforeEach(() => {
      const sts = mockClient(STSClient);
      const iam = mockClient(IAMClient);
      restoreCaller = () => {
        sts.restore();
        iam.restore();
      };
      sts.on(GetCallerIdentityCommand).resolves({ Arn: "arn:aws:iam::111122223333:user/ops" });
      iam.on(SimulatePrincipalPolicyCommand).callsFake(async (input: { ActionNames: string[] }) => ({
        EvaluationResults: [{ EvalActionName: input.ActionNames[0], EvalDecision: "allowed" }],
      }));
      trail = deployedAuditTrail();
    });
    afterEach(() => {
      trail.restore();
      restoreCaller();
    });
    const verifyAws = (...more: string[]) => run(["verify", "--tenant", TENANT, "--cloud", "aws", ...more]);

    it("exits 0 when every permission is granted and the deployed trail is as configured", async () => {
      const result = await verifyAws();
      assert.equal(result.code, 0, result.all);
      assert.match(result.out, /The audit trail is on and kept as configured\./);
    });

    it("exits 3 with the setting and its fix when the trail stopped logging, though every permission is granted", async () => {
      trail.trail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
      const text = await verifyAws();
      assert.equal(text.code, 3, text.all);
      assert.match(text.out, /Every permission the job needs is granted\./);
      assert.match(
        text.out,
        /FAILING trail costline-acme-audit is logging\n {10}found: IsLogging false\n {10}fix: run pulumi up/,
      );
      assert.match(text.out, /1 audit setting\(s\) not as configured\./);
      const json = await verifyAws("--json");
      assert.equal(json.code, 3);
      const report = JSON.parse(json.out) as {
        audit: Array<{ setting: string; ok: boolean; found: string; fix: string }>;
      };
      assert.deepEqual(
        report.audit.filter((a) => !a.ok).map((a) => [a.setting, a.found]),
        [["trail costline-acme-audit is logging", "IsLogging false"]],
      );
    });
  });

  it("fails with the reason when the API server cannot be reached", async () => {
    const result = await run(["verify", "--tenant", TENANT, "--cloud", "kubernetes"]);
    assert.equal(result.code, 1);
    assert.match(result.err, /no API server: pass --kube-server URL/);
  });
});
