import { TenantConfigError } from "../../components/tenant/config";
import { CliError, ExitCode } from "./errors";
import { closest } from "./args";
import * as check from "./check";
import * as collect from "./collect";
import * as demo from "./demo";
import * as normalize from "./normalize";
import * as plan from "./plan";
import * as policyCheck from "./policy-check";
import * as query from "./query";
import * as report from "./report";
import * as tenants from "./tenants";
import * as validate from "./validate";
import * as contracts from "./contracts";
import * as verify from "./verify";
import * as audit from "./audit";

type Command = (argv: string[], out: NodeJS.WritableStream) => Promise<number>;

/** Every command, declared once: how it runs, what it is for, its usage line (which its --help prints). */
export const COMMANDS: Record<string, { run: Command; summary: string; usage: string }> = {
  demo: {
    run: demo.demoCommand,
    usage: demo.USAGE,
    summary: "the embedded default (npm start): everything offline on the bundled examples",
  },
  plan: {
    run: plan.planCommand,
    usage: plan.USAGE,
    summary: "offline preview of a tenant stack: resource tree and policy violations",
  },
  normalize: {
    run: normalize.normalizeCommand,
    usage: normalize.USAGE,
    summary: "billing exports -> FOCUS 1.2 or 1.3 (+ quarantine, reconciled summary) with DuckDB",
  },
  tenants: {
    run: tenants.tenantsCommand,
    usage: tenants.USAGE,
    summary: "plan, up, destroy, list or add the tenant stacks of the registry (tenants/)",
  },
  validate: {
    run: validate.validateCommand,
    usage: validate.USAGE,
    summary: "FOCUS 1.2 or 1.3 conformance of a FOCUS file or folder (exits 3 when a MUST rule fails)",
  },
  contracts: {
    run: contracts.contractsCommand,
    usage: contracts.USAGE,
    summary: "the tenant's declared contracts as FOCUS 1.3 Contract Commitment data",
  },
  check: {
    run: check.checkCommand,
    usage: check.USAGE,
    summary: "policy checks over normalized data and the connection (exits 3 on an error finding)",
  },
  query: {
    run: query.queryCommand,
    usage: query.USAGE,
    summary: "SQL over a normalize store or collect folder: views focus, unified and named cost views",
  },
  collect: {
    run: collect.collectCommand,
    usage: collect.USAGE,
    summary:
      "every tenant's normalized data, from where its jobs publish, into one folder query and report read",
  },
  report: {
    run: report.reportCommand,
    usage: report.USAGE,
    summary: "one self-contained HTML cost report over a normalize store or collect folder",
  },
  "policy-check": {
    run: policyCheck.policyCheckCommand,
    usage: policyCheck.USAGE,
    summary: "run the CrossGuard policy pack on a resources file (plan --json or stack export)",
  },
  verify: {
    run: verify.verifyCommand,
    usage: verify.USAGE,
    summary: "check the deployed job identity's permissions; name what to grant for each missing one",
  },
  audit: {
    run: audit.auditCommand,
    usage: audit.USAGE,
    summary:
      "who read the tenant's secret and billing data, from the trail (exits 3 on an unexpected reader)",
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "usage: costline <command> [flags]   (costline --version: the version)",
    "",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `costline <command> --help` for a command's flags.",
  ].join("\n");
}

const HELP = new Set(["--help", "-h"]);
const VERSION = new Set(["--version", "-V"]);

/** The package's own version, read where it is declared. */
const version = () => (require("../../package.json") as { version: string }).version;

/** Runs the CLI and returns its exit code; errors the user can fix are printed without a stack. */
export async function main(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || HELP.has(name)) {
    (name ? out : err).write(`${help()}\n`);
    return name ? ExitCode.ok : ExitCode.usage;
  }
  if (VERSION.has(name)) {
    out.write(`costline ${version()}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    const guess = closest(name, Object.keys(COMMANDS));
    err.write(
      `costline: unknown command "${name}"${guess ? ` (did you mean ${guess}?)` : ""}\n\n${help()}\n`,
    );
    return ExitCode.usage;
  }
  // Asked before the command runs, so that no command can treat --help as an argument (or run).
  if (rest.some((a) => HELP.has(a))) {
    out.write(`costline ${name}: ${command.summary}\n\nusage: ${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, out);
  } catch (e) {
    if (e instanceof TenantConfigError || e instanceof CliError) {
      err.write(`${e.message}\n`);
      return e instanceof CliError ? e.exitCode : ExitCode.usage;
    }
    err.write(`costline ${name}: ${(e as Error).stack ?? e}\n`);
    return ExitCode.failure;
  }
}
