/**
 * The README's shell blocks as a user runs them, in order, from a fresh folder: `npm start` first,
 * then every `npx costline` line that runs offline, each in its own process, with the exit code
 * the README promises. The lines that cannot run here (a template with placeholders, a command
 * that needs the Pulumi CLI, a cloud or a terminal) are still held to their command's declaration:
 * every flag they show is one the command takes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { COMMANDS } from "../runtime/cli/main";
import { tempDir } from "./runtime/normalize/helpers";

const ROOT = join(__dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SCRIPTS = Object.keys(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts);

/** The lines of the README's ```sh blocks, comments removed. */
function shellLines(): { line: string; comment: string }[] {
  const blocks = [...README.matchAll(/^```sh\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  return blocks.flatMap((b) =>
    b
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => {
        const at = l.search(/\s#\s/);
        return at < 0
          ? { line: l.trim(), comment: "" }
          : { line: l.slice(0, at).trim(), comment: l.slice(at) };
      }),
  );
}

/** A command line's words as a POSIX shell splits them (quotes, no expansions), and its `>` target. */
function words(line: string): { argv: string[]; stdout?: string } {
  const argv: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) argv.push(m[1] ?? m[2] ?? m[3]!);
  const redirect = argv.indexOf(">");
  return redirect < 0 ? { argv } : { argv: argv.slice(0, redirect), stdout: argv[redirect + 1] };
}

/** Why a README line is not run here; undefined for one that must run as written. */
function notRun(argv: string[]): string | undefined {
  const [command, sub] = argv;
  if (argv.some((w) => /[[\]]/.test(w) || /^[A-Z]+(\.\.\.)?$/.test(w)))
    return "a template: it shows placeholders";
  if (command === "tenants" && (sub === "up" || sub === "destroy"))
    return "needs the Pulumi CLI and a backend";
  if (command === "tenants" && sub === "add")
    return "asks at a terminal (tests/runtime/cli/tenants-terminal.test.ts)";
  if (command === "verify") return "reads the cloud as the job identity";
  if (command === "query" && argv.includes("collected/")) return "reads a collect folder of deployed tenants";
  return undefined;
}

const costlineLines = shellLines()
  .filter(({ line }) => line.startsWith("npx costline "))
  .map((l) => ({ ...l, ...words(l.line.slice("npx costline ".length)) }));

describe("the README's commands", function () {
  this.timeout(300_000);

  it("name only npm scripts that package.json has", () => {
    const npm = shellLines()
      .flatMap(({ line }) => line.split("&&").map((c) => c.trim()))
      .filter((c) => c.startsWith("npm "));
    assert.ok(npm.length >= 3, npm.join("\n"));
    for (const c of npm) {
      const [, verb, script] = c.split(/\s+/);
      if (verb === "ci") continue;
      const name = verb === "run" ? script! : verb!;
      assert.ok(SCRIPTS.includes(name), `README runs "${c}", but package.json has no script ${name}`);
    }
  });

  it("show only flags their command declares", () => {
    assert.ok(costlineLines.length >= 10, "the README's costline lines were found");
    for (const { line, argv } of costlineLines) {
      const command = COMMANDS[argv[0]!];
      assert.ok(command, `README runs an unknown command: ${line}`);
      for (const flag of argv.filter((w) => w.startsWith("--"))) {
        assert.ok(
          command.usage.includes(`${flag.split("=")[0]} `) ||
            command.usage.includes(`${flag}]`) ||
            command.usage.endsWith(flag),
          `README shows ${flag} in "${line}", which costline ${argv[0]} does not declare:\n${command.usage}`,
        );
      }
    }
  });

  it("run as written from a fresh folder after npm start, each with the exit code it states", () => {
    const cwd = tempDir("costline-readme-");
    // The README's paths are the repository's (examples/...); outputs land in this folder.
    symlinkSync(join(ROOT, "examples"), join(cwd, "examples"));
    const costline = (argv: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "bin", "costline.js"), ...argv], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      });
    const start = costline(["demo"]);
    assert.equal(start.status, 0, start.stderr);
    const ran: string[] = [];
    for (const { line, comment, argv, stdout } of costlineLines) {
      if (notRun(argv)) continue;
      const r = costline(argv);
      // "exit 3 on a mandatory violation" states what a violation gives; the example has none.
      assert.equal(r.status, 0, `${line}${comment} exited ${r.status}:\n${r.stderr}${r.stdout}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${line} printed a stack trace`);
      if (stdout) {
        writeFileSync(join(cwd, stdout), r.stdout);
        assert.ok(r.stdout.trim(), `${line} wrote nothing to ${stdout}`);
      }
      ran.push(line);
    }
    // What the walkthrough must have covered, so that a README edit cannot quietly skip it.
    for (const command of ["query", "plan", "policy-check", "tenants list"]) {
      assert.ok(
        ran.some((l) => l.startsWith(`npx costline ${command}`)),
        `no README line of costline ${command} ran: ${ran.join("\n")}`,
      );
    }
    assert.match(readFileSync(join(cwd, "by-provider.csv"), "utf8"), /^provider,usd\n/);
    assert.ok(statSync(join(cwd, "pack.json")).size > 0);
    assert.ok(JSON.parse(readFileSync(join(cwd, "plan.json"), "utf8")).resources.length > 100);
  });

  it("leave out only lines with a stated reason", () => {
    const skipped = costlineLines
      .map(({ line, argv }) => [line, notRun(argv)] as const)
      .filter(([, why]) => why);
    assert.ok(
      skipped.length < costlineLines.length / 2,
      skipped.map(([l, why]) => `${l}: ${why}`).join("\n"),
    );
  });
});
