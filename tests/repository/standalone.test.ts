import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { findOutsideReferences } from "../helpers/outside-paths";

const ROOT = join(__dirname, "..", "..");

/**
 * The planted references are spelled with placeholders, so that this file does not itself refer
 * outside the repository: `UP` becomes `..`, `WORKPLACE` the workplace folder's name and `HOMES`
 * the folder of users' homes.
 */
const plant = (text: string) =>
  text.replaceAll("UP", "..").replaceAll("WORKPLACE", "shared").replaceAll("HOMES", "/home");

describe("the repository stands alone", () => {
  it("refers to no path outside itself in any source, test, bench or script file", () => {
    const found = findOutsideReferences(ROOT);
    assert.deepEqual(
      found.map((f) => `${f.file}:${f.line}: ${f.why}: ${f.text}`),
      [],
      "carry what the file needs inside the repository (docs/DESIGN.md, 'Reference material')",
    );
  });

  describe("the guard, over a planted tree", () => {
    let tree: string;
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), plant(text));
    };

    before(() => {
      tree = mkdtempSync(join(tmpdir(), "costline-standalone-"));
      write(".gitignore", "node_modules/\n/out/\n");
      write(
        "tests/a/model.test.ts",
        'readFileSync(join(__dirname, "UP/UP/UP/WORKPLACE/reference/m.json"));\n',
      );
      write(
        "runtime/b/derive.ts",
        'const M = join(\n  __dirname,\n  "UP",\n  "UP",\n  "UP",\n  "models",\n);\n',
      );
      write("bench/run.sh", "node bench.js --data HOMES/dev/costline/bench/data\n");
      write("package.json", '{"scripts": {"ref": "cat UP/WORKPLACE/DESIGN.md"}}\n');
      // Inside the repository, however many steps it takes: not reported.
      write(
        "runtime/jobs/gcp/job.ts",
        'import { log } from "UP/WORKPLACE/log";\nconst up = join(__dirname, "UP", "UP");\n',
      );
      // Installed and generated folders are not ours to judge.
      write("node_modules/pkg/index.js", 'require("UP/UP/UP/UP/elsewhere");\n');
      write("out/summary.json", '{"file": "HOMES/dev/export.csv"}\n');
    });

    after(() => rmSync(tree, { recursive: true, force: true }));

    it("reports each planted reference, where it is and why, and nothing else", () => {
      const found = findOutsideReferences(tree).map((f) => [f.file, f.line, f.why]);
      assert.deepEqual(found, [
        ["bench/run.sh", 1, "names an absolute path of a machine"],
        ["package.json", 1, "climbs above the repository root"],
        ["package.json", 1, "names the workplace's reference folder"],
        ["runtime/b/derive.ts", 1, "joins a path above the repository root"],
        ["tests/a/model.test.ts", 1, "climbs above the repository root"],
        ["tests/a/model.test.ts", 1, "joins a path above the repository root"],
        ["tests/a/model.test.ts", 1, "names the workplace's reference folder"],
      ]);
    });
  });
});
