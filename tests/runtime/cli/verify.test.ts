import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
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

  it("fails with the reason when the API server cannot be reached", async () => {
    const result = await run(["verify", "--tenant", TENANT, "--cloud", "kubernetes"]);
    assert.equal(result.code, 1);
    assert.match(result.err, /no API server: pass --kube-server URL/);
  });
});
