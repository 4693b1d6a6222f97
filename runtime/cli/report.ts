import { DEFAULT_STORE, nowFlag, parseFlags } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE = "costline report [--input DIR] [--tenant FILE] [--now ISO] [--out FILE]";

const DEFAULT_OUT = "report.html";

/**
 * `costline report`: one self-contained HTML page (no network: the chart library is inline) over a
 * normalize store or a collect folder: cost over time by provider and ServiceCategory, top
 * services and movers, tag coverage, the tenant's budgets, anomalies and policies (with
 * --tenant), FOCUS conformance, and each source's freshness.
 */
export async function reportCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "report",
    argv,
    {
      input: { type: "string" },
      tenant: { type: "string" },
      now: { type: "string" },
      out: { type: "string" },
    },
    USAGE,
  );
  const now = nowFlag("report", flags.now, USAGE);
  const input = flags.input ?? DEFAULT_STORE;
  const target = flags.out ?? DEFAULT_OUT;
  // DuckDB, the validator and the policies load only for this command.
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const { buildReport } = require("../report/build") as typeof import("../report/build");
  const { StoreError } = require("../query/store") as typeof import("../query/store");
  const tenant = flags.tenant ? loadTenantFile(flags.tenant) : undefined;
  try {
    const data = await buildReport({
      input,
      out: target,
      now,
      ...(tenant
        ? {
            checks: tenant.checks,
            tenantId: tenant.tenantId,
            title: `Costline cost report: ${tenant.tenantId}`,
          }
        : {}),
    });
    out.write(
      `Wrote ${target}: ${data.periods.length} billing period(s), EffectiveCost ${data.total.toFixed(2)} ${data.currency}` +
        `${data.findings ? `, ${data.findings.filter((f) => f.severity !== "ok").length} finding(s)` : ""}\n`,
    );
  } catch (e) {
    if (e instanceof StoreError)
      throw new CliError(`costline report: ${(e as Error).message}\nusage: ${USAGE}`);
    throw e;
  }
  return ExitCode.ok;
}
