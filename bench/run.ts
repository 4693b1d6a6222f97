/**
 * `npm run bench -- [--rows N] [--formats aws-cur2,aws-cur,gcp-billing,azure-cost-details,focus]
 *  [--json]` (a format is `name` or `name:form`, e.g. `focus:csv`; `collect` and `plan` measure
 *  those commands instead, see collect.ts and plan.ts)
 *
 * For each format, in each of its file forms (focus: Parquet and CSV): generates N synthetic rows,
 * then measures in separate child processes (so that each peak RSS is its own) (1) the baseline, a
 * plain DuckDB read of the file written back to Parquet, (2) `normalize` of the same file as FOCUS
 * 1.2 and (3) as FOCUS 1.3. Reports seconds, rows/s, peak RSS, the normalize/baseline ratio and
 * the 1.3/1.2 ratio. Timings are measured around the work only, not process start-up.
 * The measured code is loaded in the child only, so the parent's generator does not count.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type GeneratedFormat, generate } from "./generate";

/** Each format in the file forms its exports really have; FOCUS files come both ways. */
const FILE_FORMS: Record<GeneratedFormat, readonly string[]> = {
  "aws-cur2": ["parquet"],
  "aws-cur": ["csv.gz"],
  "gcp-billing": ["parquet"],
  "azure-cost-details": ["csv"],
  focus: ["parquet", "csv"],
};

/** The engine settings both measured steps share. */
const ENGINE = { memoryLimit: "1GB", threads: 2 };

interface Measure {
  seconds: number;
  peakRssMb: number;
}

interface Result {
  format: GeneratedFormat;
  form: string;
  rows: number;
  fileMb: number;
  baseline: Measure;
  normalize: Measure & { rowsPerSecond: number; rowsWritten: number; reconciled: boolean };
  ratio: number;
  /** The same normalize writing FOCUS 1.3, and its time over the 1.2 run's. */
  normalize13: Measure & { rowsWritten: number; reconciled: boolean };
  ratio13: number;
}

type StepKind = "baseline" | "normalize" | "normalize13";

/** One measured step, run in this child process; prints its Measure as JSON. */
async function step(kind: StepKind, file: string, format: GeneratedFormat, out: string) {
  // Loading the code (and transpiling it) is start-up, not work: both steps load theirs first.
  const { openEngine } = require("../runtime/engine/duckdb") as typeof import("../runtime/engine/duckdb");
  const { normalize } = require("../runtime/normalize/run") as typeof import("../runtime/normalize/run");
  const started = process.hrtime.bigint();
  let extra: Record<string, unknown> = {};
  if (kind === "baseline") {
    mkdirSync(out, { recursive: true });
    const engine = await openEngine({ ...ENGINE, tempDirectory: join(out, "spill") });
    const reader = /\.csv(\.gz)?$/.test(file) ? `read_csv('${file}')` : `read_parquet('${file}')`;
    await engine.connection.run(
      `COPY (SELECT * FROM ${reader}) TO '${join(out, "baseline.parquet")}' (FORMAT parquet, COMPRESSION zstd)`,
    );
    engine.close();
  } else {
    const focusVersion = kind === "normalize13" ? "1.3" : "1.2";
    const summary = await normalize({ inputs: [file], out, format, engine: ENGINE, focusVersion });
    extra = { rowsWritten: summary.totals.rowsWritten, reconciled: summary.reconciled };
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ seconds, peakRssMb, ...extra })}\n`);
}

function measure(kind: string, file: string, format: string, out: string) {
  const output = execFileSync(
    process.execPath,
    ["--require", "tsx/cjs", __filename, "--step", kind, "--file", file, "--format", format, "--out", out],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(output.trim().split("\n").pop()!);
}

/** `format` (each of its file forms) or `format:form` (that one), e.g. `focus:parquet`. */
function inputsOf(formats: string[]): (readonly [GeneratedFormat, string])[] {
  return formats.flatMap((entry) => {
    const [format, form] = entry.split(":") as [GeneratedFormat, string | undefined];
    if (!FILE_FORMS[format] || (form && !FILE_FORMS[format].includes(form))) {
      throw new Error(`unknown format or file form '${entry}'`);
    }
    return (form ? [form] : FILE_FORMS[format]).map((f) => [format, f] as const);
  });
}

async function bench(inputs: (readonly [GeneratedFormat, string])[], rows: number): Promise<Result[]> {
  const results: Result[] = [];
  for (const [format, form] of inputs) {
    const dir = mkdtempSync(join(tmpdir(), `costline-bench-${format}-`));
    try {
      const file = join(dir, `${format}.${form}`);
      process.stderr.write(`${format} ${form}: generating ${rows} rows...\n`);
      await generate(format, rows, file);
      const fileMb = statSync(file).size / 2 ** 20;
      process.stderr.write(`${format} ${form}: baseline (read + write Parquet)...\n`);
      const baseline = measure("baseline", file, format, join(dir, "baseline"));
      process.stderr.write(`${format} ${form}: normalize...\n`);
      const normalized = measure("normalize", file, format, join(dir, "out"));
      process.stderr.write(`${format} ${form}: normalize as FOCUS 1.3...\n`);
      const normalized13 = measure("normalize13", file, format, join(dir, "out13"));
      results.push({
        format,
        form,
        rows,
        fileMb,
        baseline,
        normalize: { ...normalized, rowsPerSecond: rows / normalized.seconds },
        ratio: normalized.seconds / baseline.seconds,
        normalize13: normalized13,
        ratio13: normalized13.seconds / normalized.seconds,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

function render(results: Result[]): string {
  const lines = [
    "format              form         rows       file MB  baseline s  normalize s  rows/s     ratio  peak RSS MB (base/norm)  1.3 s  1.3/1.2  reconciled",
  ];
  for (const r of results) {
    lines.push(
      [
        r.format.padEnd(18),
        r.form.padEnd(8),
        String(r.rows).padStart(9),
        r.fileMb.toFixed(1).padStart(9),
        r.baseline.seconds.toFixed(2).padStart(11),
        r.normalize.seconds.toFixed(2).padStart(12),
        Math.round(r.normalize.rowsPerSecond).toString().padStart(10),
        r.ratio.toFixed(2).padStart(6),
        `${Math.round(r.baseline.peakRssMb)} / ${Math.round(r.normalize.peakRssMb)}`.padStart(24),
        r.normalize13.seconds.toFixed(2).padStart(6),
        r.ratio13.toFixed(2).padStart(8),
        `  ${r.normalize.reconciled && r.normalize13.reconciled}`,
      ].join(" "),
    );
  }
  return lines.join("\n");
}

async function main() {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "1000000" },
      formats: { type: "string", default: "aws-cur2,aws-cur,gcp-billing,azure-cost-details,focus" },
      json: { type: "boolean" },
      step: { type: "string" },
      file: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      tenants: { type: "string", default: "100" },
    },
  });
  if (values.step === "plan" || values.step === "sdk-files") {
    await (require("./plan") as typeof import("./plan")).planStep(values.step);
    return;
  }
  if (values.step) {
    await step(values.step as StepKind, values.file!, values.format as GeneratedFormat, values.out!);
    return;
  }
  const rows = Number(values.rows);
  const formats = values.formats!.split(",");
  const results = await bench(inputsOf(formats.filter((f) => f !== "collect" && f !== "plan")), rows);
  const collected = formats.includes("collect")
    ? await (require("./collect") as typeof import("./collect")).benchCollect(Number(values.tenants))
    : undefined;
  const planned = formats.includes("plan")
    ? (require("./plan") as typeof import("./plan")).benchPlan()
    : undefined;
  if (values.json) {
    const extra = { ...(collected ? { collect: collected } : {}), ...(planned ? { plan: planned } : {}) };
    process.stdout.write(
      `${JSON.stringify(Object.keys(extra).length ? { normalize: results, ...extra } : results, null, 2)}\n`,
    );
    return;
  }
  if (results.length) process.stdout.write(`${render(results)}\n`);
  if (planned) {
    const p = planned;
    process.stdout.write(
      `plan: costline plan of ${p.tenant} (${p.resources} resources) ${p.commandSeconds.toFixed(2)} s against ${p.baselineSeconds.toFixed(2)} s to start and load its Pulumi SDK modules (ratio ${p.ratio.toFixed(2)}); inside: load ${p.loadSeconds.toFixed(2)} s, plan and policies ${p.planSeconds.toFixed(2)} s, of which the pack's ${p.policySeconds.toFixed(3)} s (target: under 1 s)\n`,
    );
  }
  if (collected) {
    const c = collected;
    process.stdout.write(
      `collect: ${c.tenants} tenants, ${c.sources} clouds, concurrency ${c.concurrency}: ${c.collectSeconds.toFixed(2)} s against a plain copy's ${c.baselineSeconds.toFixed(2)} s (ratio ${c.ratio.toFixed(2)}); failing: ${c.failing.join(", ") || "none"}; the slow tenant ${c.slowCollected ? "was collected" : "was NOT collected"}\n`,
    );
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
