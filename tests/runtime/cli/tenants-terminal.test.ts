/**
 * `costline tenants add` as a person at a terminal meets it: the real CLI in a pseudo-terminal,
 * readline on a TTY, keys typed after each prompt appears (tests/helpers/pty.ts).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadTenantFile } from "../../../stacks/tenant/load";
import { costlineInTerminal } from "../../helpers/pty";
import { tempDir } from "../normalize/helpers";

/** The answers of an AWS tenant, prompt by prompt; "" takes a question's default. */
const AWS_ANSWERS: [string, string][] = [
  ["Tenant id", "initech"],
  ["Display name", "Initech"],
  ["Cost center tag", "cc-4410"],
  ["Owner tag", "finops@initech.example"],
  ["Allowed regions", "eu-west-1, eu-central-1"],
  ["Job schedule", ""],
  ["Reporting currency", "EUR"],
  ["Clouds", "aws"],
  ["AWS management account id", "123456789012"],
  ["AWS region", "eu-west-1"],
  ["Platform role ARN", "arn:aws:iam::210987654321:role/costline-platform"],
  ["AWS exports", ""],
  ["Deploy role ARN", ""],
];

describe("costline tenants add, in a terminal", function () {
  this.timeout(60_000);

  before(function () {
    if (spawnSync("script", ["--version"]).status === 0) return;
    // As with the browser: skipped on a machine without it, a failure where CI promises it.
    if (process.env.CI === "true")
      throw new Error("util-linux `script` is missing: apt-get install bsdutils");
    this.skip();
  });

  it("asks every question, re-asks a wrong answer with its reason, and writes a tenant that validates", async () => {
    const registry = tempDir();
    const t = costlineInTerminal(["tenants", "add", "--registry", registry]);
    for (const [i, [prompt, answer]] of AWS_ANSWERS.entries()) {
      await t.expect(prompt);
      await t.expect(": ");
      if (i === 0) {
        t.line("Initech Corp");
        await t.expect(/Tenant id \(3-20 of a-z, 0-9, -\): $/m);
      }
      if (i === 8) {
        t.line("12345");
        await t.expect(prompt);
      }
      t.line(answer);
    }
    await t.expect("Next steps:");
    const { code, screen } = await t.exited;
    assert.equal(code, 0, screen);
    assert.match(screen, /Tenant id \(3-20 of a-z, 0-9, -\): Initech Corp\n {2}.+\nTenant id/);
    assert.match(screen, /AWS management account id: 12345\n {2}.+\nAWS management account id/);
    const file = join(registry, "initech.yaml");
    const tenant = loadTenantFile(file);
    assert.equal(tenant.tenantId, "initech");
    assert.deepEqual(tenant.residency.allowedRegions, ["eu-west-1", "eu-central-1"]);
    assert.equal(tenant.reportingCurrency, "EUR");
    assert.equal(tenant.aws?.managementAccountId, "123456789012");
  });

  it("leaves on Ctrl-C without a stack trace or a file, and prints the answers so far as flags to go on from", async () => {
    const registry = tempDir();
    const t = costlineInTerminal(["tenants", "add", "--registry", registry]);
    for (const [prompt, answer] of AWS_ANSWERS.slice(0, 5)) {
      await t.expect(prompt);
      await t.expect(": ");
      t.line(answer);
    }
    await t.expect("Job schedule");
    await t.expect(": ");
    t.line("every day");
    await t.expect("Job schedule");
    await t.expect(": ");
    t.keys("\x03");
    const { code, screen } = await t.exited;
    assert.equal(code, 130, screen);
    assert.doesNotMatch(screen, /\n\s+at /, "no stack trace");
    assert.deepEqual(readdirSync(registry), []);
    const resume = /your answers so far, to go on from: costline (tenants add .*)$/m.exec(screen);
    assert.ok(resume, screen);
    // The rejected schedule is not among them; the accepted answers are, quoted for a shell.
    assert.equal(
      resume[1],
      `tenants add --registry ${registry} --id initech --name Initech --cost-center cc-4410 --owner finops@initech.example --regions 'eu-west-1, eu-central-1'`,
    );

    // Going on from them asks only what is left.
    const args = resume[1].match(/'[^']*'|\S+/g)!.map((a) => a.replace(/^'(.*)'$/, "$1"));
    const next = costlineInTerminal(args);
    const first = await next.expect("Job schedule");
    assert.doesNotMatch(first, /Tenant id|Display name|Allowed regions/);
    await next.expect(": ");
    for (const [prompt, answer] of AWS_ANSWERS.slice(5)) {
      if (prompt !== "Job schedule") {
        await next.expect(prompt);
        await next.expect(": ");
      }
      next.line(answer);
    }
    const done = await next.exited;
    assert.equal(done.code, 0, done.screen);
    assert.ok(existsSync(join(registry, "initech.yaml")));
    assert.equal(loadTenantFile(join(registry, "initech.yaml")).displayName, "Initech");
  });

  it("onboards Kubernetes clusters with a sink each, and writes only what was answered", async () => {
    const registry = tempDir();
    const t = costlineInTerminal(["tenants", "add", "--registry", registry]);
    const role = "arn:aws:iam::123456789012:role/costline-job";
    const answers: [string, string][] = [
      ...AWS_ANSWERS.slice(0, 7),
      ["Clouds", "kubernetes"],
      ["Clusters", "prod-eks:aws:prod, lab:other"],
      ["Where each cluster's job writes", `s3://initech-cost/prod-eks?region=eu-west-1&role=${role}`],
      ["Where each cluster's job writes", `s3://initech-cost/prod-eks?region=eu-west-1, volume:costline-out`],
      [
        "Where each cluster's job writes",
        `s3://initech-cost/prod-eks?region=eu-west-1&role=${role}, volume:costline-out`,
      ],
    ];
    for (const [prompt, answer] of answers) {
      await t.expect(prompt);
      await t.expect(": ");
      t.line(answer);
    }
    const { code, screen } = await t.exited;
    assert.equal(code, 0, screen);
    assert.match(screen, /\n {2}give one sink per cluster: 2 cluster\(s\), 1 sink\(s\)\n/);
    assert.match(
      screen,
      /\n {2}kubernetes\.clusters\.0\.sink\.roleArn: /,
      "the missing role is named by its path",
    );
    const file = join(registry, "initech.yaml");
    const clusters = loadTenantFile(file).kubernetes!.clusters;
    assert.deepEqual(
      clusters.map((c) => [c.name, c.cloud, c.context, c.sink]),
      [
        [
          "prod-eks",
          "aws",
          "prod",
          { kind: "s3", bucket: "initech-cost", prefix: "prod-eks", region: "eu-west-1", roleArn: role },
        ],
        ["lab", "other", undefined, { kind: "volume", claimName: "costline-out" }],
      ],
    );
    // Defaults stay the schema's: the file holds the answers, not the checks or the schedule.
    const text = readFileSync(file, "utf8");
    assert.doesNotMatch(text, /^(checks|schedule|focusVersion|audit):/m);
    assert.match(text, /^reportingCurrency: EUR$/m);
  });
});
