import { PassThrough } from "node:stream";
import { main } from "../../runtime/cli/main";

/** What a `costline` invocation printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** Both streams, in the order they were written. */
  all: string;
}

/** Runs the `costline` CLI in-process with captured output, as a user's shell would see it. */
export async function runCli(...argv: string[]): Promise<CliRun> {
  const out = new PassThrough();
  const err = new PassThrough();
  const run: CliRun = { code: 0, out: "", err: "", all: "" };
  out.on("data", (d) => {
    run.out += d;
    run.all += d;
  });
  err.on("data", (d) => {
    run.err += d;
    run.all += d;
  });
  run.code = await main(argv, out, err);
  return run;
}
