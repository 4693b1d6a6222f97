import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { parse } from "yaml";
import { parseTenantConfig } from "../../../components/tenant/config";
import { main } from "../../../runtime/cli/main";
import { tenantsCommand } from "../../../runtime/cli/tenants";
import { FakeWorkspace } from "../../helpers/fake-workspace";

const REGISTRY = join(__dirname, "..", "..", "fixtures", "registry");
const freshRegistry = () => mkdtempSync(join(tmpdir(), "costline-registry-"));

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d) => (text += d));
  return { stream, text: () => text };
}

const awsFlags = [
  "--id",
  "acme-prod",
  "--name",
  "ACME Production",
  "--cost-center",
  "cc-1",
  "--owner",
  "finops@acme.example",
  "--regions",
  "eu-west-1",
  "--clouds",
  "aws",
  "--aws-account",
  "111122223333",
  "--aws-region",
  "eu-west-1",
  "--aws-platform-principal",
  "arn:aws:iam::999988887777:role/costline-platform",
];

describe("costline tenants", function () {
  this.timeout(60_000);

  it("plans with the automation workspace and exits 1 when one tenant failed", async () => {
    const out = capture();
    const code = await tenantsCommand(["plan", "--registry", REGISTRY, "--concurrency", "3"], out.stream, {
      workspace: new FakeWorkspace(["charlie"]),
    });
    assert.equal(code, 1);
    assert.match(out.text(), /^charlie +failed/m);
    assert.match(out.text(), /^delta +succeeded/m);
  });

  it("fails the plan of a tenant whose physical name another tenant's plan creates, naming both", async () => {
    const out = capture();
    const registry = join(REGISTRY, "..", "registry-shared-name");
    const code = await tenantsCommand(["plan", "--registry", registry, "--tenant", "zzz"], out.stream, {
      workspace: new FakeWorkspace(),
    });
    assert.equal(code, 1);
    assert.match(out.text(), /^zzz +failed/m);
    assert.match(
      out.text(),
      /tenant "zzz" .* and tenant "yyy-costline-zzz" .* share the gcp:storage\/bucket:Bucket name projab-costline-yyy-costline-zzz-jobs/,
    );
  });

  it("streams each tenant's progress, lists advisory violations and writes a Markdown summary", async () => {
    const out = capture();
    const markdown = join(freshRegistry(), "plan.md");
    const code = await tenantsCommand(
      ["plan", "--registry", REGISTRY, "--tenant", "alpha", "--markdown", markdown],
      out.stream,
      { workspace: new FakeWorkspace([], 1, ["function acme-job has no dead-letter queue"]) },
    );
    assert.equal(code, 0);
    assert.match(out.text(), /^\[alpha\] previewing alpha$/m);
    assert.match(
      out.text(),
      /advisory policy violations \(1\):\n {2}alpha: aws-lambda-dead-letter: function acme-job/,
    );
    assert.match(
      readFileSync(markdown, "utf8"),
      /^\| alpha \| advisory \| `aws-lambda-dead-letter` \| function acme-job has no dead-letter queue \|$/m,
    );
  });

  it("destroys only the tenants named, and only with --yes", async () => {
    const workspace = new FakeWorkspace();
    const run = (...args: string[]) =>
      tenantsCommand(["destroy", "--registry", REGISTRY, ...args], capture().stream, { workspace });
    await assert.rejects(run("--yes"), /name the tenants to destroy with --tenant ID \(there is no "all"\)/);
    await assert.rejects(run("--tenant", "alpha"), /deletes every resource of alpha.*add --yes to confirm/);
    assert.equal(workspace.maxInFlight, 0, "nothing was destroyed");
    assert.equal(await run("--tenant", "alpha", "--yes"), 0);
    assert.equal(workspace.maxInFlight, 1);
  });

  it("emits a JSON summary, with progress kept out of it", async () => {
    const out = capture();
    const err = capture();
    const code = await tenantsCommand(
      ["up", "--registry", REGISTRY, "--tenant", "alpha", "--json"],
      out.stream,
      { workspace: new FakeWorkspace(), err: err.stream },
    );
    assert.equal(code, 0);
    assert.equal(err.text(), "[alpha] updating alpha\n");
    const doc = JSON.parse(out.text());
    assert.equal(doc.operation, "up");
    assert.deepEqual(
      doc.tenants.map((t: { tenantId: string }) => t.tenantId),
      ["alpha"],
    );
    assert.equal(doc.failed, 0);
  });

  it("falls back to the offline plan without the Pulumi CLI, and says so", async () => {
    const out = capture();
    const code = await tenantsCommand(
      ["plan", "--registry", REGISTRY, "--tenant", "alpha", "--tenant", "delta"],
      out.stream,
      {
        cliAvailable: () => false,
      },
    );
    assert.equal(code, 0, out.text());
    assert.match(out.text(), /Pulumi CLI not found: falling back to the offline plan/);
    assert.match(out.text(), /^alpha +succeeded +\+\d+ create/m);
  });

  it("stops up without the Pulumi CLI with a clear message and changes nothing", async () => {
    const err = capture();
    const code = await main(["tenants", "up", "--registry", REGISTRY], capture().stream, err.stream);
    if (code === 0) assert.fail("expected a refusal");
    assert.match(err.text(), /needs the Pulumi CLI on the PATH .* nothing was changed/);
  });

  it("lists the registry, marking invalid files", async () => {
    const out = capture();
    const code = await tenantsCommand(["list", "--registry", REGISTRY], out.stream);
    assert.equal(code, 2);
    assert.match(out.text(), /^alpha +aws$/m);
    assert.match(out.text(), /^echo +INVALID: /m);
  });
});

describe("costline tenants add", function () {
  this.timeout(30_000);

  it("writes a valid tenant file from flags and prints the next steps", async () => {
    const registry = freshRegistry();
    const out = capture();
    const code = await tenantsCommand(["add", "--registry", registry, ...awsFlags], out.stream, {
      isTTY: false,
    });
    assert.equal(code, 0);
    const tenant = parseTenantConfig(parse(readFileSync(join(registry, "acme-prod.yaml"), "utf8")));
    assert.equal(tenant.aws?.managementAccountId, "111122223333");
    assert.match(out.text(), /Next steps:\n {2}1\. Review/);
    assert.match(out.text(), /AWS: give the platform principal/);
  });

  it("refuses an invalid id with a hint, writing nothing", async () => {
    const registry = freshRegistry();
    const err = capture();
    const flags = awsFlags.map((f) => (f === "acme-prod" ? "ACME_prod" : f));
    const code = await main(
      ["tenants", "add", "--registry", registry, ...flags],
      capture().stream,
      err.stream,
    );
    assert.equal(code, 2);
    assert.match(
      err.text(),
      /--id: tenantId must be 3-20 characters of a-z, 0-9 and "-", start with a letter .*e\.g\. "acme-prod"/,
    );
  });

  it("lists every missing answer by flag", async () => {
    const err = capture();
    const code = await main(
      ["tenants", "add", "--registry", freshRegistry(), "--clouds", "gcp"],
      capture().stream,
      err.stream,
    );
    assert.equal(code, 2);
    for (const flag of ["--id", "--gcp-project", "--gcp-billing-accounts", "--gcp-oidc-issuer"])
      assert.match(err.text(), new RegExp(`${flag}: required`));
  });

  it("refuses to overwrite an existing tenant unless forced", async () => {
    const registry = freshRegistry();
    await tenantsCommand(["add", "--registry", registry, ...awsFlags], capture().stream, { isTTY: false });
    const err = capture();
    assert.equal(
      await main(["tenants", "add", "--registry", registry, ...awsFlags], capture().stream, err.stream),
      2,
    );
    assert.match(err.text(), /already exists; edit it, or pass --force/);
    assert.equal(
      await tenantsCommand(["add", "--registry", registry, "--force", ...awsFlags], capture().stream, {
        isTTY: false,
      }),
      0,
    );
  });

  it("asks on a TTY, re-asking until an answer is valid", async () => {
    const registry = freshRegistry();
    const input = new PassThrough();
    const out = capture();
    const answers = [
      "Bad Id",
      "globex",
      "Globex",
      "cc-9",
      "ops@globex.example",
      "us-east1,US",
      "",
      "",
      "gcp",
      "globex-billing",
      "us-east1",
      "nope",
      "01ABCD-23EF45-67ABCD",
      "Globex, Inc.; Globex Labs",
      "Globex, Inc.",
      "US",
      "",
      "https://token.actions.githubusercontent.com",
      "costline",
      "repo:globex/finops:ref:refs/heads/main",
    ];
    // Answer each prompt when it appears, as a person at a terminal would.
    out.stream.on("data", (chunk: Buffer) => {
      if (chunk.toString().endsWith(": ") && answers.length > 0) input.write(`${answers.shift()}\n`);
    });
    const pending = tenantsCommand(["add", "--registry", registry], out.stream, { isTTY: true, input });
    const code = await pending;
    assert.equal(code, 0, out.text());
    assert.match(out.text(), /tenantId must be 3-20 characters/, "the bad id was refused and asked again");
    assert.match(out.text(), /01ABCD-23EF45-67ABCD/, "the bad billing account was refused with an example");
    const tenant = parseTenantConfig(parse(readFileSync(join(registry, "globex.yaml"), "utf8")));
    assert.equal(tenant.gcp?.projectId, "globex-billing");
    assert.equal(tenant.gcp?.platformIdentity.kind, "oidc");
    assert.match(out.text(), /give one name per billing account: 1 account\(s\), 2 name\(s\)/);
    assert.deepEqual(tenant.gcp?.billingAccountNames, { "01ABCD-23EF45-67ABCD": "Globex, Inc." });
    assert.match(out.text(), /GCP: BigQuery billing export cannot be enabled by API/);
  });
});
