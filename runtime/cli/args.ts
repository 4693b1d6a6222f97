import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parses one subcommand's flags; an unknown flag or a missing value is a usage error naming the flag. */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O, usage: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new CliError(`costline ${command}: ${(e as Error).message}\nusage: ${usage}`);
  }
}

/** Returns a required string flag or fails with the usage line. */
export function required(command: string, value: unknown, flag: string, usage: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new CliError(`costline ${command}: ${flag} is required\nusage: ${usage}`);
  }
  return value;
}
