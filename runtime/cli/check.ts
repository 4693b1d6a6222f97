import { existsSync } from "node:fs";
import { join } from "node:path";
import { nowFlag, parseFlags, required } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE =
  "costline check --input DIR --tenant FILE [--connection FILE] [--now ISO] [--fail-on error|warning] [--json]";

/**
 * `costline check`: runs the tenant's policies over normalized data and prints the findings.
 * Exit code: 3 (violation) when a finding is at or above --fail-on (error by default), else 0.
 * The connection record defaults to `<DIR>/connection.json` when that file exists.
 */
export async function checkCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "check",
    argv,
    {
      input: { type: "string" },
      tenant: { type: "string" },
      connection: { type: "string" },
      now: { type: "string" },
      "fail-on": { type: "string" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  const input = required("check", flags.input, "--input DIR", USAGE);
  const tenantFile = required("check", flags.tenant, "--tenant FILE", USAGE);
  const failOn = flags["fail-on"] ?? "error";
  if (failOn !== "error" && failOn !== "warning") {
    throw new CliError(`costline check: --fail-on is "error" or "warning", not "${failOn}"\nusage: ${USAGE}`);
  }
  const now = nowFlag("check", flags.now, USAGE);
  // DuckDB and the policies load only for this command.
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const { readConnectionRecord } = require("../checks/connection") as typeof import("../checks/connection");
  const { runChecks, worstSeverity } = require("../checks/run") as typeof import("../checks/run");
  const { renderFindings } = require("../checks/render") as typeof import("../checks/render");
  const { DatasetError } = require("../validate/dataset") as typeof import("../validate/dataset");

  const { checks } = loadTenantFile(tenantFile);
  const connectionFile = flags.connection ?? join(input, "connection.json");
  let connection: ReturnType<typeof readConnectionRecord> | undefined;
  if (flags.connection || existsSync(connectionFile)) {
    try {
      connection = readConnectionRecord(connectionFile);
    } catch (e) {
      throw new CliError(`costline check: ${(e as Error).message}`);
    }
  }
  let findings: Awaited<ReturnType<typeof runChecks>>;
  try {
    findings = await runChecks({ input, checks, connection, now });
  } catch (e) {
    if (e instanceof DatasetError) throw new CliError(`costline check: ${e.message}\nusage: ${USAGE}`);
    throw e;
  }
  out.write(flags.json ? `${JSON.stringify({ findings }, null, 2)}\n` : `${renderFindings(findings)}\n`);
  const worst = worstSeverity(findings);
  return worst === "error" || (failOn === "warning" && worst === "warning")
    ? ExitCode.violation
    : ExitCode.ok;
}
