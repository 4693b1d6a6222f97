import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLES } from "../../helpers/tenants";
import { runCli as run } from "../../helpers/cli";

const dir = mkdtempSync(join(tmpdir(), "costline-policy-check-"));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};
const urn = (type: string, name: string) => `urn:pulumi:dev::other::${type}::${name}`;
const KEY = urn("aws:kms/key:Key", "cmk");
const TAGS = { "cost-center": "1", owner: "o", "costline-tenant": "t" };
/** A key whose one flaw is that it does not rotate (its policy lets only its own account administer it). */
const KEY_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "kms:*",
      Resource: "*",
    },
  ],
});
const PROVIDER = urn("pulumi:providers:aws", "main");
const insecure = {
  resources: [
    {
      urn: PROVIDER,
      type: "pulumi:providers:aws",
      name: "main",
      parent: null,
      inputs: { region: "eu-west-1", allowedAccountIds: ["111122223333"] },
    },
    {
      urn: KEY,
      type: "aws:kms/key:Key",
      name: "cmk",
      parent: null,
      provider: `${PROVIDER}::main-id`,
      inputs: { tags: TAGS, policy: KEY_POLICY },
    },
  ],
};

describe("costline policy-check", function () {
  this.timeout(60_000);

  it("finds the same violations in a saved plan as the plan itself", async () => {
    const config = join(dir, "acme-config.json");
    const plan = await run(
      "plan",
      "--tenant",
      join(EXAMPLES, "acme-all.yaml"),
      "--json",
      "--pack-config",
      config,
    );
    assert.equal(plan.code, 0, plan.err);
    const saved = JSON.parse(plan.out);
    assert.deepEqual(JSON.parse(readFileSync(config, "utf8"))["required-tags"], {
      tags: ["cost-center", "owner", "environment", "costline-tenant"],
    });
    assert.ok(
      saved.resources.some((r: { provider: string | null }) => r.provider?.includes("pulumi:providers:aws")),
    );
    const check = await run(
      "policy-check",
      "--resources",
      file("acme-plan.json", plan.out),
      "--config",
      config,
      "--json",
    );
    assert.equal(check.code, 0, check.err);
    assert.deepEqual(JSON.parse(check.out), { violations: saved.violations });
  });

  it("exits 3 on a mandatory violation and prints it, or lists it as JSON", async () => {
    const path = file("insecure.json", insecure);
    const text = await run("policy-check", "--resources", path);
    assert.equal(text.code, 3);
    assert.match(text.out, /\[mandatory\] aws-kms-key-rotation: the KMS key does not rotate/);
    assert.match(text.out, /2 resources checked: 1 violation\(s\), 1 mandatory/);
    const json = await run("policy-check", "--resources", path, "--json");
    assert.deepEqual(JSON.parse(json.out).violations, [
      {
        policy: "aws-kms-key-rotation",
        urn: KEY,
        level: "mandatory",
        message: "the KMS key does not rotate; set enableKeyRotation: true",
      },
    ]);
  });

  it("applies a pack config: a policy made advisory no longer fails the check", async () => {
    const config = file("advisory.json", { "aws-kms-key-rotation": { enforcementLevel: "advisory" } });
    const r = await run(
      "policy-check",
      "--resources",
      file("insecure2.json", insecure),
      "--config",
      config,
      "--json",
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).violations[0].level, "advisory");
  });

  it("reads a pulumi stack export, with secrets masked and the provider's default tags applied", async () => {
    const provider = urn("pulumi:providers:aws", "default");
    const exported = {
      version: 3,
      deployment: {
        resources: [
          { urn: urn("pulumi:pulumi:Stack", "other-dev"), type: "pulumi:pulumi:Stack", custom: false },
          {
            urn: provider,
            type: "pulumi:providers:aws",
            custom: true,
            id: "p1",
            inputs: { region: "eu-west-1", defaultTags: { tags: TAGS } },
          },
          {
            urn: urn("aws:lambda/function:Function", "fn"),
            type: "aws:lambda/function:Function",
            custom: true,
            provider: `${provider}::p1`,
            inputs: {
              environment: {
                variables: {
                  API_TOKEN: {
                    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                    ciphertext: "x",
                  },
                },
              },
              tags: {},
            },
          },
        ],
      },
    };
    const r = await run("policy-check", "--resources", file("export.json", exported), "--json");
    const found = JSON.parse(r.out).violations.filter((v: { level: string }) => v.level === "mandatory");
    assert.deepEqual(
      found.map((v: { policy: string; message: string }) => [v.policy, v.message]),
      [
        [
          "aws-lambda-no-plaintext-secrets",
          "the function's environment holds secrets in plain text: API_TOKEN (it holds a secret value in plain configuration). Pass a Secrets Manager reference instead.",
        ],
      ],
    );
    assert.equal(r.code, 3);
  });

  it("explains bad input and exits 2", async () => {
    assert.match((await run("policy-check")).err, /--resources FILE is required/);
    const missing = await run("policy-check", "--resources", join(dir, "nope.json"));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read resources file .*nope\.json: no such file/);
    assert.match(
      (await run("policy-check", "--resources", file("broken.json", "{"))).err,
      /is not valid JSON/,
    );
    const shape = await run("policy-check", "--resources", file("shape.json", { resources: [{ urn: "u" }] }));
    assert.equal(shape.code, 2);
    assert.match(shape.err, /resources\.0\.type: /);
    assert.match(shape.err, /expected \{"resources"/);
    const config = file("bad-config.json", { "aws-kms-key-rotation": { enforcementLevel: "loud" } });
    const bad = await run("policy-check", "--resources", file("ok.json", insecure), "--config", config);
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /"aws-kms-key-rotation"\.enforcementLevel must be one of advisory, mandatory, remediate, disabled/,
    );
  });
});
