import assert from "node:assert/strict";
import { parseFlags } from "../../../runtime/cli/args";
import { CliError } from "../../../runtime/cli/errors";

const OPTIONS = {
  input: { type: "string", multiple: true },
  tag: { type: "string", multiple: true },
  out: { type: "string" },
  json: { type: "boolean" },
} as const;
const USAGE = "costline x --input PATH... --out DIR [--tag T]... [--json]";
const parse = (...argv: string[]) => parseFlags("x", argv, OPTIONS, USAGE, ["input"]);

describe("command-line flags", () => {
  it("a flag declared to take several values takes every argument up to the next flag, in order", () => {
    assert.deepEqual(parse("--input", "a.csv", "b.csv", "--out", "o").input, ["a.csv", "b.csv"]);
    assert.deepEqual(parse("--input", "a", "--input", "b").input, ["a", "b"]);
    assert.deepEqual(parse("--input", "a", "b", "--json", "--input", "c", "--input=d", "e").input, [
      "a",
      "b",
      "c",
      "d",
      "e",
    ]);
    const flags = parse("--out", "o", "--input", "a", "b", "--json");
    assert.equal(flags.out, "o");
    assert.equal(flags.json, true);
  });

  it("an argument after any other flag, or before every flag, is a usage error naming it", () => {
    const refuses = (argv: string[], stray: string) =>
      assert.throws(
        () => parse(...argv),
        (e: unknown) =>
          e instanceof CliError &&
          e.message.includes(`costline x: unexpected argument "${stray}"`) &&
          e.message.includes(`usage: ${USAGE}`),
      );
    refuses(["--out", "o", "p"], "p");
    refuses(["--json", "a.csv"], "a.csv");
    refuses(["--tag", "t1", "t2"], "t2");
    refuses(["a.csv", "--input", "b.csv"], "a.csv");
    refuses(["--input", "a", "--", "b"], "b");
  });

  it("a flag not declared to take several values keeps parseArgs' own meaning", () => {
    assert.deepEqual(parse("--tag", "t1", "--tag", "t2").tag, ["t1", "t2"]);
    assert.throws(() => parse("--nope"), /costline x: unknown flag --nope\n/);
    assert.throws(() => parse("--out"), /costline x: Option '--out <value>' argument missing/);
  });
});
