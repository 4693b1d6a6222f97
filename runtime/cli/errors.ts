/** Exit codes of the `costline` CLI, stated once. */
export const ExitCode = {
  ok: 0,
  /** The work failed (unreadable data, a failed job step). */
  failure: 1,
  /** The command line, a tenant file or an input is wrong; nothing was created or written. */
  usage: 2,
  /** The work ran, and found a mandatory policy violation or a failing MUST rule. */
  violation: 3,
  /** Another run is writing the same output folder (its `.lock`); nothing was written: run again later. */
  busy: 4,
  /** Stopped with Ctrl-C (128 + SIGINT, as a shell reports it); nothing was written. */
  interrupted: 130,
} as const;

/** An error the user can fix; printed without a stack trace, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {
    super(message);
    this.name = "CliError";
  }
}
