import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { TenantConfig } from "../../components/tenant/config";
import { DEFAULT_STORE, parseFlags } from "./args";
import { ExitCode } from "./errors";
import { planCommand } from "./plan";

export const USAGE = "costline demo";

const ROOT = join(__dirname, "..", "..");
const SAMPLES = join(ROOT, "examples", "exports");
/**
 * Where the demo writes: `.costline/` of the folder it runs in (for `npm start`, the
 * repository's), where query, report and collect look by default, so that `costline query` after
 * it reads what it wrote.
 */
const demoStore = () => resolve(DEFAULT_STORE);

/**
 * Sample files that are another view of costs a kept file already holds, left out so that the
 * cost table counts each cost once: OpenCost's label and container aggregations of the namespace
 * file's cluster-day. (The EA enrollment's actual and amortized files are read as one dataset.)
 */
const OTHER_VIEWS = [/^allocation-(label|container)-/];

/** The sample inputs: every format's good files (less OTHER_VIEWS) and its deliberately bad one. */
export function sampleInputs(): string[] {
  return readdirSync(SAMPLES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) =>
      readdirSync(join(SAMPLES, e.name))
        .filter((f) => !OTHER_VIEWS.some((view) => view.test(f)))
        .map((f) => join(SAMPLES, e.name, f)),
    );
}

/**
 * `costline demo` (what `npm start` runs): the embedded default, offline and without credentials.
 * It previews the all-clouds example tenant's stack, then normalizes the bundled sample exports
 * into `.costline/`, prints their cost by provider and FOCUS ServiceCategory, and runs the
 * tenant's policy checks over them as its job would.
 */
export async function demoCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  parseFlags("demo", argv, {}, USAGE);
  const tenantFile = join(ROOT, "examples", "tenants", "acme-all.yaml");
  const planned = await planCommand(["--tenant", tenantFile], out);
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const tenant = loadTenantFile(tenantFile);
  const { normalize } = require("../normalize/run") as typeof import("../normalize/run");
  const { readRatesFile } = require("../currency/rates") as typeof import("../currency/rates");
  const summary = await normalize({
    inputs: sampleInputs(),
    out: demoStore(),
    tenantId: tenant.tenantId,
    reportingCurrency: tenant.reportingCurrency,
    rates: readRatesFile(join(ROOT, "runtime", "data", "rates.csv")),
    // The GCP export names no billing account; the tenant does, as its GCP job is told.
    billingAccountNames: tenant.gcp?.billingAccountNames,
  });
  const t = summary.totals;
  out.write(
    [
      "",
      `Normalized the bundled sample exports into .costline/ (FOCUS 1.2, Parquet): ${summary.files.length} files,`,
      `  rows read ${t.rowsRead}, written ${t.rowsWritten}, quarantined ${t.rowsQuarantined} (the deliberately bad rows: .costline/quarantine/)${t.rowsSuperseded ? `, superseded ${t.rowsSuperseded} (Azure ActualCost rows that the AmortizedCost sample holds too)` : ""}`,
      `  ${summary.reconciled ? "every row and cost reconciled" : `NOT reconciled: ${summary.problems.join("; ")}`}`,
      "",
      await costTable(),
      "",
      `Policy checks of tenant acme over the samples, as of ${CHECKED_AT.toISOString()} (the samples' billing month):`,
      await checkFindings(tenant.checks),
      "",
      await report(tenant),
      "",
    ].join("\n"),
  );
  return summary.reconciled ? planned : ExitCode.failure;
}

/**
 * The samples describe March 2025; checking them "now" would only report that they are old, so the
 * checks run as of the last evening of that month, as the tenant's job would have.
 */
const CHECKED_AT = new Date("2025-03-31T18:00:00Z");

/** The HTML report of the normalized samples, with the tenant's budgets and checks, as of CHECKED_AT. */
async function report(tenant: TenantConfig): Promise<string> {
  const { buildReport } = require("../report/build") as typeof import("../report/build");
  const target = join(demoStore(), "report.html");
  await buildReport({
    input: demoStore(),
    out: target,
    checks: tenant.checks,
    tenantId: tenant.tenantId,
    now: CHECKED_AT,
    title: `Costline cost report: ${tenant.tenantId} (bundled samples)`,
  });
  return `Report of the samples (open it in a browser; it needs no network): ${target}`;
}

/** The tenant's configured checks over the normalized samples, as the jobs run them. */
async function checkFindings(checks: TenantConfig["checks"]): Promise<string> {
  const { runChecks } = require("../checks/run") as typeof import("../checks/run");
  const { renderFindings } = require("../checks/render") as typeof import("../checks/render");
  const findings = await runChecks({
    input: demoStore(),
    checks,
    now: CHECKED_AT,
  });
  return renderFindings(findings);
}

/**
 * EffectiveCost in USD by provider, source format and ServiceCategory, read back from the written
 * output. By source too: the samples hold AWS's CUR 2.0 and FOCUS exports of the same account,
 * whose sum would count its charges twice (the overlapping-sources check says so).
 */
async function costTable(): Promise<string> {
  const { openEngine, queryRows } = require("../engine/duckdb") as typeof import("../engine/duckdb");
  const { focusRelation } = require("../normalize/unified") as typeof import("../normalize/unified");
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    const rows = await queryRows<{ source: string; category: string; usd: number; unconverted: string }>(
      engine.connection,
      `SELECT x_Provider || '/' || x_SourceFormat AS source, ServiceCategory AS category, CAST(sum(x_EffectiveCostUsd) AS DOUBLE) AS usd,
         count(*) FILTER (WHERE x_EffectiveCostUsd IS NULL) AS unconverted
       FROM ${focusRelation(demoStore(), "parquet")} GROUP BY ALL ORDER BY source, usd DESC`,
    );
    const line = (source: string, category: string, usd: number | string) =>
      `${source.padEnd(30)}${category.padEnd(34)}${(typeof usd === "number" ? usd.toFixed(2) : usd).padStart(18)}`;
    const lines = [line("provider/source", "ServiceCategory", "EffectiveCost USD")];
    for (const source of [...new Set(rows.map((r) => r.source))]) {
      const of = rows.filter((r) => r.source === source);
      for (const r of of) {
        const note = Number(r.unconverted) > 0 ? `  (${r.unconverted} rows without a USD rate)` : "";
        lines.push(`${line(source, r.category, r.usd)}${note}`);
      }
      lines.push(
        line(
          "",
          "total",
          of.reduce((n, r) => n + r.usd, 0),
        ),
      );
    }
    return lines.join("\n");
  } finally {
    engine.close();
  }
}
