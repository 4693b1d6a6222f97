import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { TenantConfig } from "../../components/tenant/config";
import { ExitCode } from "./errors";
import { planCommand } from "./plan";

const ROOT = join(__dirname, "..", "..");
const SAMPLES = join(ROOT, "examples", "exports");
/** Where `npm start` writes the normalized samples. */
const OUT = join(ROOT, ".costline");

/**
 * Sample files that are another view of costs a kept file already holds, left out so that the
 * cost table counts each cost once: OpenCost's label and container aggregations of the namespace
 * file's cluster-day, and the EA enrollment's actual-cost file beside its amortized one.
 */
const OTHER_VIEWS = [/^allocation-(label|container)-/, /^ea-actualcost-/];

/** The sample inputs: every format's good files (less OTHER_VIEWS) and its deliberately bad one. */
function sampleInputs(): string[] {
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
export async function demoCommand(_argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const tenantFile = join(ROOT, "examples", "tenants", "acme-all.yaml");
  const planned = await planCommand(["--tenant", tenantFile], out);
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const tenant = loadTenantFile(tenantFile);
  const { normalize } = require("../normalize/run") as typeof import("../normalize/run");
  const { readRatesFile } = require("../currency/rates") as typeof import("../currency/rates");
  const summary = await normalize({
    inputs: sampleInputs(),
    out: OUT,
    tenantId: tenant.tenantId,
    rates: readRatesFile(join(ROOT, "runtime", "data", "rates.csv")),
    // The GCP export names no billing account; the tenant does, as its GCP job is told.
    billingAccountNames: tenant.gcp?.billingAccountNames,
  });
  const t = summary.totals;
  out.write(
    [
      "",
      `Normalized the bundled sample exports into .costline/ (FOCUS 1.2, Parquet): ${summary.files.length} files,`,
      `  rows read ${t.rowsRead}, written ${t.rowsWritten}, quarantined ${t.rowsQuarantined} (the deliberately bad rows: .costline/quarantine/)`,
      `  ${summary.reconciled ? "every row and cost reconciled" : `NOT reconciled: ${summary.problems.join("; ")}`}`,
      "",
      await costTable(),
      "",
      `Policy checks of tenant acme over the samples, as of ${CHECKED_AT.toISOString()} (the samples' billing month):`,
      await checkFindings(tenant.checks),
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

/** The tenant's configured checks over the normalized samples, as the jobs run them. */
async function checkFindings(checks: TenantConfig["checks"]): Promise<string> {
  const { runChecks } = require("../checks/run") as typeof import("../checks/run");
  const { renderFindings } = require("../checks/render") as typeof import("../checks/render");
  const findings = await runChecks({
    input: OUT,
    checks,
    now: CHECKED_AT,
  });
  return renderFindings(findings);
}

/** EffectiveCost in USD by provider and ServiceCategory, read back from the written output. */
async function costTable(): Promise<string> {
  const { openEngine, queryRows } = require("../engine/duckdb") as typeof import("../engine/duckdb");
  const { focusRelation } = require("../normalize/unified") as typeof import("../normalize/unified");
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    const rows = await queryRows<{ provider: string; category: string; usd: number; unconverted: string }>(
      engine.connection,
      `SELECT x_Provider AS provider, ServiceCategory AS category, CAST(sum(x_EffectiveCostUsd) AS DOUBLE) AS usd,
         count(*) FILTER (WHERE x_EffectiveCostUsd IS NULL) AS unconverted
       FROM ${focusRelation(OUT, "parquet")} GROUP BY ALL ORDER BY provider, usd DESC`,
    );
    const lines = [
      `${"provider".padEnd(12)}${"ServiceCategory".padEnd(34)}${"EffectiveCost USD".padStart(18)}`,
    ];
    for (const r of rows) {
      const note = Number(r.unconverted) > 0 ? `  (${r.unconverted} rows without a USD rate)` : "";
      lines.push(`${r.provider.padEnd(12)}${r.category.padEnd(34)}${r.usd.toFixed(2).padStart(18)}${note}`);
    }
    const total = rows.reduce((n, r) => n + r.usd, 0);
    lines.push(`${"total".padEnd(46)}${total.toFixed(2).padStart(18)}`);
    return lines.join("\n");
  } finally {
    engine.close();
  }
}
