import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { closest } from "../../../runtime/cli/args";
import { runCli } from "../../helpers/cli";

const COMMANDS = [
  "demo",
  "plan",
  "normalize",
  "tenants",
  "validate",
  "contracts",
  "check",
  "policy-check",
  "verify",
  "audit",
  "query",
  "report",
  "collect",
];
const VERSION = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")).version;

describe("costline: help, version and mistakes", function () {
  this.timeout(30000);

  for (const command of COMMANDS) {
    it(`${command} --help prints its usage and exits 0 without running`, async () => {
      const run = await runCli(command, "--help");
      assert.equal(run.code, 0, run.all);
      assert.match(run.out, new RegExp(`^costline ${command}: .+\\n\\nusage: costline ${command}`));
      assert.equal(run.err, "");
      // -h is the same, after other flags too.
      const short = await runCli(command, "--json", "-h");
      assert.equal(short.out, run.out);
    });
  }

  it("demo --help does not run the demo", async () => {
    const run = await runCli("demo", "--help");
    assert.doesNotMatch(run.out, /Normalized the bundled sample exports/);
  });

  it("--version prints the package's version", async () => {
    for (const flag of ["--version", "-V"]) {
      const run = await runCli(flag);
      assert.deepEqual([run.code, run.out], [0, `costline ${VERSION}\n`]);
    }
  });

  it("suggests the command or flag a typo meant, and exits 2 without a stack trace", async () => {
    const command = await runCli("normalise");
    assert.equal(command.code, 2);
    assert.match(command.err, /^costline: unknown command "normalise" \(did you mean normalize\?\)/);
    const flag = await runCli("normalize", "--inptu", "x.csv", "--out", "o");
    assert.equal(flag.code, 2);
    assert.match(
      flag.err,
      /^costline normalize: unknown flag --inptu \(did you mean --input\?\)\nusage: costline normalize/,
    );
    const far = await runCli("plan", "--colour");
    assert.match(far.err, /^costline plan: unknown flag --colour\nusage:/);
    for (const r of [command, flag, far]) assert.doesNotMatch(r.all, /\n\s+at /);
  });

  it("demo refuses flags it does not take", async () => {
    const run = await runCli("demo", "--fast");
    assert.equal(run.code, 2);
    assert.match(run.err, /^costline demo: unknown flag --fast\nusage: costline demo/);
  });

  it("closest: the nearest word within a third of its length, else none", () => {
    assert.equal(closest("inptu", ["input", "out", "format"]), "input");
    assert.equal(closest("OUT", ["input", "out"]), "out");
    assert.equal(closest("x", ["input", "out"]), undefined);
    assert.equal(closest("tenant-ids", ["tenant-id", "tenant"]), "tenant-id");
  });
});

describe("the README's command table", () => {
  it("lists every command with the usage its --help prints", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
    const rows = readme.split("\n").filter((l) => l.startsWith("| `"));
    const { COMMANDS: declared } =
      require("../../../runtime/cli/main") as typeof import("../../../runtime/cli/main");
    assert.deepEqual(Object.keys(declared).sort(), [...COMMANDS].sort());
    for (const [name, c] of Object.entries(declared)) {
      // Each usage line of a command (tenants has two), as the table writes it: `|` escaped.
      for (const usage of c.usage.split("\n").map((u) => u.trim().replace(/^costline /, ""))) {
        const cell = `\`${usage.replaceAll("|", "\\|")}\``;
        assert.ok(
          rows.some((r) => r.includes(cell)),
          `README's command table has no row with ${cell} (costline ${name} --help)`,
        );
      }
    }
  });
});
