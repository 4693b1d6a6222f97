import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..");

/** The modules a fresh Node process has loaded once it has required `entries` (through tsx, as Pulumi runs it). */
function modulesLoadedBy(...entries: string[]): string[] {
  const requires = entries.map((e) => `require(${JSON.stringify(e)});`).join("");
  const script = `${requires} process.stdout.write(JSON.stringify(Object.keys(require.cache)))`;
  const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out) as string[];
}

describe("stacks/tenant/program: what `pulumi up` loads", function () {
  this.timeout(60_000);

  it("loads no engine the jobs run on: no DuckDB binding, no validator, no mappings or checks", () => {
    // What stacks/tenant/index.ts runs: the tenant's schema, then the program.
    const loaded = modulesLoadedBy(
      join(ROOT, "components", "tenant", "config.ts"),
      join(ROOT, "stacks", "tenant", "program.ts"),
    );
    assert.ok(
      loaded.some((m) => m.endsWith("/components/tenant/pipeline.ts")),
      "the program was loaded",
    );
    const engines = loaded.filter((m) =>
      /node_modules\/@duckdb\/|\/runtime\/(validate|mappings|normalize\/run|checks\/policies|engine)\//.test(
        m,
      ),
    );
    assert.deepEqual(engines, []);
  });
});
