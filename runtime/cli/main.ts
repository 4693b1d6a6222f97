import { TenantConfigError } from "../../components/tenant/config";
import { CliError, ExitCode } from "./errors";
import { checkCommand } from "./check";
import { demoCommand } from "./demo";
import { normalizeCommand } from "./normalize";
import { planCommand } from "./plan";
import { policyCheckCommand } from "./policy-check";
import { tenantsCommand } from "./tenants";
import { validateCommand } from "./validate";
import { verifyCommand } from "./verify";

type Command = (argv: string[], out: NodeJS.WritableStream) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  demo: {
    run: demoCommand,
    summary: "the embedded default (npm start): everything offline on the bundled examples",
  },
  plan: {
    run: planCommand,
    summary: "offline preview of a tenant stack: resource tree and policy violations",
  },
  normalize: {
    run: normalizeCommand,
    summary: "billing exports -> FOCUS 1.2 (+ quarantine, reconciled summary) with DuckDB",
  },
  tenants: {
    run: tenantsCommand,
    summary: "plan, up, destroy, list or add the tenant stacks of the registry (tenants/)",
  },
  validate: {
    run: validateCommand,
    summary: "FOCUS 1.2 conformance of a FOCUS file or folder (exits 3 when a MUST rule fails)",
  },
  check: {
    run: checkCommand,
    summary: "policy checks over normalized data and the connection (exits 3 on an error finding)",
  },
  "policy-check": {
    run: policyCheckCommand,
    summary: "run the CrossGuard policy pack on a resources file (plan --json or stack export)",
  },
  verify: {
    run: verifyCommand,
    summary: "check the deployed job identity's permissions; name what to grant for each missing one",
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "usage: costline <command> [flags]",
    "",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `costline <command> --help` for a command's flags.",
  ].join("\n");
}

/** Runs the CLI and returns its exit code; errors the user can fix are printed without a stack. */
export async function main(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    (name ? out : err).write(`${help()}\n`);
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    err.write(`costline: unknown command "${name}"\n\n${help()}\n`);
    return ExitCode.usage;
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
