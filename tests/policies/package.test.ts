import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

// The pack is published and run as its own folder (`pulumi preview --policy-pack policies`, or a
// copy of it in another repository): everything it needs must be inside it or a dependency it
// declares, at the versions the product is tested with.
const ROOT = resolve(__dirname, "../..");
const PACK = join(ROOT, "policies");
const manifest = JSON.parse(readFileSync(join(PACK, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(PACK, "package-lock.json"), "utf8"));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name === "node_modules"
      ? []
      : e.isDirectory()
        ? sources(join(dir, e.name))
        : e.name.endsWith(".ts")
          ? [join(dir, e.name)]
          : [],
  );
}

/** Every module a file imports or requires, as written. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

const packageName = (spec: string) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

describe("the policy pack as a package", () => {
  const files = sources(PACK);

  it("imports nothing from outside its folder", () => {
    assert.ok(files.length > 10);
    const outside = files.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .filter((spec) => relative(PACK, resolve(dirname(file), spec)).startsWith(".."))
        .map((spec) => `${relative(PACK, file)} imports ${spec}`),
    );
    assert.deepEqual(outside, []);
  });

  it("declares every package it imports, at the version the repository tests", () => {
    const declared = new Set(Object.keys(manifest.dependencies));
    const undeclared = files.flatMap((file) =>
      importsOf(file)
        .filter(
          (spec) => !spec.startsWith(".") && !spec.startsWith("node:") && !builtinModules.includes(spec),
        )
        .filter((spec) => !declared.has(packageName(spec)))
        .map((spec) => `${relative(PACK, file)} imports ${spec}`),
    );
    assert.deepEqual(undeclared, []);
    const repository = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    const tested = { ...repository.dependencies, ...repository.devDependencies };
    for (const [name, version] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }))
      assert.equal(
        version,
        tested[name],
        `${name}: the pack pins ${version}, the repository tests ${tested[name]}`,
      );
  });

  it("has a lockfile of exactly its manifest", () => {
    const root = lock.packages[""];
    assert.equal(root.name, manifest.name);
    assert.deepEqual(root.dependencies, manifest.dependencies);
    assert.deepEqual(root.devDependencies, manifest.devDependencies);
    for (const name of Object.keys(manifest.dependencies))
      assert.equal(lock.packages[`node_modules/${name}`]?.version, manifest.dependencies[name], name);
  });

  it("runs from a copy of its folder alone, with no repository around it", function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), "costline-pack-"));
    try {
      const copy = join(dir, "policies");
      cpSync(PACK, copy, { recursive: true, filter: (src) => !src.includes("node_modules") });
      // The copy's dependencies are the repository's installed ones, the versions pinned above.
      symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
      const queue = {
        urn: "urn:pulumi:dev::costline::aws:sqs/queue:Queue::jobs",
        type: "aws:sqs/queue:Queue",
        name: "jobs",
        parent: null,
        inputs: { name: "jobs", sqsManagedSseEnabled: false },
        custom: true,
        provider: null,
        dependsOn: [],
      };
      const script = `require("./run").runPolicyPack(${JSON.stringify([queue])}).then(
        (v) => console.log(JSON.stringify(v.map((x) => x.policy))),
        (e) => { console.error(e); process.exit(1); })`;
      const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
        cwd: copy,
        encoding: "utf8",
      });
      assert.equal(run.status, 0, run.stderr);
      const policies: string[] = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
      // A queue with encryption off and no tags: the copy judges it as the pack in the repository does.
      assert.ok(policies.includes("required-tags"), run.stdout);
      assert.ok(policies.includes("aws-sqs-encryption"), run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
