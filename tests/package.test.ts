/**
 * Costline as a package others consume: `npm pack` (which builds dist/lib first), the tarball
 * installed into a project of its own outside the repository, its exports typechecked and run
 * with plain Node (no tsx, no TypeScript sources), and its CLI run from the installed copy.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./runtime/normalize/helpers";

const ROOT = join(__dirname, "..");
const EXPORTS = [
  "costline",
  "costline/aws",
  "costline/gcp",
  "costline/azure",
  "costline/kubernetes",
  "costline/program",
];

describe("the costline package", function () {
  this.timeout(300_000);
  let project: string;
  let files: string[];

  before(() => {
    const packed = tempDir();
    const [report] = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", packed], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    ) as { filename: string; files: { path: string }[] }[];
    files = report.files.map((f) => f.path);
    project = tempDir();
    const installed = join(project, "node_modules", "costline");
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", join(packed, report.filename), "-C", installed, "--strip-components=1"]);
    // The dependencies as npm would install them beside it: the repository's own, linked.
    for (const dep of readdirSync(join(ROOT, "node_modules"))) {
      if (dep.startsWith(".")) continue;
      symlinkSync(join(ROOT, "node_modules", dep), join(project, "node_modules", dep));
    }
  });

  it("ships the built exports, the plugin manifest and the sources its CLI runs, and no tests", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    for (const target of Object.values(pkg.exports as Record<string, string | Record<string, string>>)) {
      for (const path of typeof target === "string" ? [target] : Object.values(target)) {
        assert.ok(files.includes(path.replace(/^\.\//, "")), `${path} is in the package`);
      }
    }
    for (const f of ["PulumiPlugin.yaml", "index.ts", "bin/costline.js", "runtime/cli/main.ts"]) {
      assert.ok(files.includes(f), `${f} is in the package`);
    }
    assert.deepEqual(
      files.filter((f) => /^(tests|bench|node_modules|dist\/jobs)\//.test(f)),
      [],
    );
  });

  it("typechecks a TypeScript program that imports every export", () => {
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ["main.ts"],
      }),
    );
    writeFileSync(
      join(project, "main.ts"),
      [
        'import { parseTenantText, Tenant, TenantCostPipeline, type TenantArgs } from "costline";',
        'import { ExportBucket, type ExportBucketArgs } from "costline/aws";',
        'import { GcpBillingExport } from "costline/gcp";',
        'import { AzureCostStorage } from "costline/azure";',
        'import { CostNamespace } from "costline/kubernetes";',
        'import { tenantProgram } from "costline/program";',
        "const args: TenantArgs = { tenant: 'tenantId: t' };",
        "const region: ExportBucketArgs['region'] = 'eu-west-1';",
        "export const used = [parseTenantText, Tenant, TenantCostPipeline, ExportBucket, GcpBillingExport, AzureCostStorage, CostNamespace, tenantProgram, args, region];",
        "",
      ].join("\n"),
    );
    const tsc = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", project],
      {
        encoding: "utf8",
      },
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    // A wrong argument type is an error: the declarations are the components' own, not `any`.
    writeFileSync(
      join(project, "main.ts"),
      'import { Tenant } from "costline";\nexport const t = new Tenant("t", { tenant: 42 });\n',
    );
    const wrong = spawnSync(
      process.execPath,
      [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", project],
      {
        encoding: "utf8",
      },
    );
    assert.equal(wrong.status, 2);
    assert.match(
      wrong.stdout,
      /main\.ts\(2,36\): error TS2322: Type 'number' is not assignable to type 'string'/,
    );
  });

  it("runs a program on the compiled JavaScript alone: a tenant's pipeline under Pulumi's mocks", () => {
    const tenant = readFileSync(join(ROOT, "examples", "tenants", "globex-aws.yaml"), "utf8");
    writeFileSync(
      join(project, "run.js"),
      `const pulumi = require("@pulumi/pulumi");
const types = [];
pulumi.runtime.setMocks(
  {
    newResource: (a) => {
      types.push(a.type);
      const generated = a.type.startsWith("random:") ? { result: "x".repeat(40) } : {};
      return { id: a.name + "-id", state: { ...a.inputs, ...generated } };
    },
    call: (a) => (a.token === "aws:index/getCallerIdentity:getCallerIdentity" ? { accountId: "123456789012" } : a.inputs),
  },
  "consumer", "dev", false,
);
for (const name of ${JSON.stringify(EXPORTS)}) require(name);
const { Tenant } = require("costline");
const t = new Tenant("globex", { tenant: ${JSON.stringify(tenant)}, awsJobCode: new pulumi.asset.FileArchive(".") });
t.tenantId.apply((id) => setTimeout(() => console.log(JSON.stringify({ id, loaded: Object.keys(require.cache).filter((f) => f.endsWith(".ts")).length, types: [...new Set(types)].length })), 500));
`,
    );
    const run = spawnSync(process.execPath, ["run.js"], { cwd: project, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split("\n").at(-1)!);
    assert.equal(result.id, "globex");
    assert.equal(result.loaded, 0, "no TypeScript source is loaded");
    assert.ok(result.types > 20, `${result.types} resource types registered`);
    // Only the declared exports are reachable.
    const deep = spawnSync(process.execPath, ["-e", 'require("costline/components/aws/pipeline")'], {
      cwd: project,
      encoding: "utf8",
    });
    assert.match(deep.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it("runs its CLI from the installed copy", () => {
    const cli = spawnSync(
      process.execPath,
      [join(project, "node_modules", "costline", "bin", "costline.js"), "--version"],
      {
        encoding: "utf8",
      },
    );
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal(cli.stdout.trim(), "costline 0.1.0");
  });
});
