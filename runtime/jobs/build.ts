/**
 * `npm run build:jobs`: bundles each job's entry point with esbuild into the artifact its cloud
 * deploys, under dist/jobs/<cloud>/. The components deploy these folders as they are; nothing is
 * fetched when a job runs. DuckDB's native binding cannot be bundled: the jobs that normalize on
 * DuckDB (Azure, Kubernetes) and the AWS job, which copies a sample into it for the FOCUS validator,
 * carry it for linux-x64 (glibc) in their own node_modules; the GCP function declares it in its
 * package.json, which Cloud Build installs when the function is deployed.
 */
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";

const ROOT = join(__dirname, "..", "..");

interface JobTarget {
  /** dist/jobs/<cloud>/ */
  cloud: "aws" | "gcp" | "azure" | "kubernetes";
  /** Entry module, relative to the repository root. */
  entry: string;
  /** Packages left out of the bundle: provided by the runtime, or native. */
  external: string[];
  /** Packages copied into the artifact's node_modules because they are external but not provided. */
  vendored: string[];

  /** Extra files of the artifact (name -> content). */
  files: (version: string) => Record<string, string>;
}

const DUCKDB = ["@duckdb/node-bindings", "@duckdb/node-bindings-linux-x64", "detect-libc"];

/** The four artifacts. */
export const JOB_TARGETS: readonly JobTarget[] = [
  {
    cloud: "aws",
    entry: "runtime/jobs/aws/handler.ts",
    // The Lambda Node.js runtime provides AWS SDK v3; using it keeps the zip small.
    external: ["@aws-sdk/*", "@duckdb/node-bindings"],
    vendored: DUCKDB,
    files: () => ({}),
  },
  {
    cloud: "gcp",
    entry: "runtime/jobs/gcp/handler.ts",
    external: ["@duckdb/node-bindings"],
    vendored: [],
    // Cloud Functions reads the entry module from package.json and installs what it declares.
    files: (version) => ({
      "package.json": packageJson("costline-job-gcp", version, ["@duckdb/node-bindings"]),
    }),
  },
  {
    cloud: "azure",
    entry: "runtime/jobs/azure/index.ts",
    // The Functions host injects @azure/functions-core into the worker.
    external: ["@duckdb/node-bindings", "@azure/functions-core"],
    vendored: DUCKDB,
    files: (version) => ({
      "package.json": packageJson("costline-job-azure", version),
      "host.json": `${JSON.stringify({ version: "2.0", extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" } }, null, 2)}\n`,
    }),
  },
  {
    cloud: "kubernetes",
    entry: "runtime/jobs/kubernetes/main.ts",
    external: ["@duckdb/node-bindings"],
    vendored: DUCKDB,
    files: (version) => ({ "package.json": packageJson("costline-job-kubernetes", version) }),
  },
];

/** The artifact's package.json; `dependencies` are pinned to the versions installed here. */
function packageJson(name: string, version: string, dependencies: string[] = []): string {
  const pinned = Object.fromEntries(
    dependencies.map((pkg) => [pkg, (require(`${pkg}/package.json`) as { version: string }).version]),
  );
  const manifest = { name, version, private: true, main: "index.js" };
  return `${JSON.stringify(dependencies.length ? { ...manifest, dependencies: pinned } : manifest, null, 2)}\n`;
}

/** Builds every job artifact under `outDir` (default dist/jobs) and returns their folders. */
export async function buildJobs(outDir = join(ROOT, "dist", "jobs")): Promise<Record<string, string>> {
  const { version } = require("../../package.json") as { version: string };
  const built: Record<string, string> = {};
  for (const target of JOB_TARGETS) {
    const dir = join(outDir, target.cloud);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await build({
      entryPoints: [join(ROOT, target.entry)],
      outfile: join(dir, "index.js"),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      external: target.external,
      sourcemap: "linked",
      legalComments: "linked",
      logLevel: "warning",
      // The runtime's data tables are read with require(); bundling inlines them.
      loader: { ".csv": "text" },
      // ESM dependencies (the Azure SDK) read import.meta.url, which a CommonJS bundle lacks.
      banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { "import.meta.url": "__importMetaUrl" },
    });
    for (const pkg of target.vendored) {
      const from = join(ROOT, "node_modules", pkg);
      if (!existsSync(from))
        throw new Error(`cannot package ${pkg} for ${target.cloud}: run npm ci on linux-x64 first`);
      const to = join(dir, "node_modules", pkg);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to, { recursive: true, dereference: true });
    }
    for (const [name, content] of Object.entries(target.files(version)))
      writeFileSync(join(dir, name), content);
    built[target.cloud] = dir;
  }
  return built;
}

if (require.main === module) {
  buildJobs(process.argv[2]).then(
    (dirs) => {
      for (const [cloud, dir] of Object.entries(dirs)) process.stdout.write(`built ${cloud} job: ${dir}\n`);
    },
    (error) => {
      process.stderr.write(`build:jobs failed: ${error instanceof Error ? error.message : error}\n`);
      process.exitCode = 1;
    },
  );
}
