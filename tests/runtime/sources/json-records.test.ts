import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { openEngine, queryRows, sqlPath } from "../../../runtime/engine/duckdb";
import { JsonScanner, jsonFileCheck } from "../../../runtime/sources/json-records";
import { SAMPLES, tempDir } from "../normalize/helpers";

/** Top-level objects of `text` fed whole, and fed again in chunks of every size up to 7 bytes. */
function counted(text: string): number {
  const bytes = Buffer.from(text);
  const whole = new JsonScanner();
  assert.ok(whole.write(bytes));
  for (let size = 1; size <= 7; size++) {
    const chunked = new JsonScanner();
    for (let i = 0; i < bytes.length; i += size) chunked.write(bytes.subarray(i, i + size));
    assert.equal(chunked.records, whole.records, `in chunks of ${size} bytes`);
  }
  return whole.records;
}

describe("JsonScanner: records of an NDJSON file, without DuckDB", () => {
  it("counts one object a line, with or without a last line end", () => {
    assert.equal(counted('{"a":1}\n{"a":2}\n'), 2);
    assert.equal(counted('{"a":1}\r\n{"a":2}'), 2);
    assert.equal(counted(""), 0);
  });

  it("counts no record for a blank line or a line of spaces", () => {
    assert.equal(counted('\n{"a":1}\n\n   \n{"a":2}\n\n'), 2);
  });

  it("counts the top-level object only, not those nested in it or in its lists", () => {
    assert.equal(counted('{"service":{"id":"x"},"labels":[{"key":"k","value":"v"}]}\n'), 1);
  });

  it("reads brackets and escaped quotes inside strings as text", () => {
    assert.equal(counted('{"s":"{ [ \\" { }"}\n{"s":"\\\\"}\n{"s":"}"}\n'), 3);
  });
});

describe("jsonFileCheck: a JSON file read through before DuckDB parses it", () => {
  const write = (name: string, text: string | Buffer) => {
    const path = join(tempDir(), name);
    writeFileSync(path, text);
    return path;
  };
  const nested = (depth: number) =>
    // A bracket inside a string is text, not nesting.
    write("deep.ndjson", `{"s":"[[[[","a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}\n`);

  it("allows 64 levels and refuses 65, naming the file", async () => {
    assert.deepEqual(await jsonFileCheck(nested(64)), { records: 1 });
    const refused = nested(65);
    assert.deepEqual(await jsonFileCheck(refused), {
      problem: `JSON nested deeper than 64 levels in ${refused}: not a billing export (they nest a few levels); check what wrote it`,
    });
  });

  it("counts a gzip file's records in the pass that checks its trailer, and fails one cut short", async () => {
    const text = readFileSync(join(SAMPLES, "gcp-billing", "gcp_billing_export_v1_2025-03.ndjson"));
    const gzip = gzipSync(text);
    assert.deepEqual(await jsonFileCheck(write("whole.ndjson.gz", gzip)), { records: 18 });
    const cut = await jsonFileCheck(write("cut.ndjson.gz", gzip.subarray(0, gzip.length - 10)));
    assert.match((cut as { problem: string }).problem, /^gzip data cut short or damaged .*cut\.ndjson\.gz/);
  });
});

describe("JsonScanner against DuckDB's NDJSON reader (fast-check)", function () {
  this.timeout(60_000);
  let engine: Awaited<ReturnType<typeof openEngine>>;
  before(async () => {
    engine = await openEngine({ threads: 1 });
  });
  after(() => engine.close());

  // Values as exports write them: text with the characters that matter to a scanner, numbers,
  // nulls, nested records and lists of them.
  const text = fc.stringMatching(/^[a-z{}[\]"\\ ]{0,8}$/);
  const value = fc.letrec((tie) => ({
    leaf: fc.oneof(
      text,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(null),
    ),
    node: fc.oneof(
      { depthSize: "small" },
      tie("leaf"),
      fc.dictionary(fc.stringMatching(/^[a-z]{1,4}$/), tie("node"), { maxKeys: 3 }),
      fc.array(tie("node"), { maxLength: 3 }),
    ),
  })).node;
  const record = fc
    .dictionary(fc.stringMatching(/^[a-z]{1,4}$/), value, { minKeys: 1, maxKeys: 4 })
    .map((r) => JSON.stringify(r));
  const line = fc.oneof(
    { weight: 6, arbitrary: record },
    { weight: 1, arbitrary: fc.constantFrom("", "  ") },
  );

  it("counts what DuckDB reads of any NDJSON file", async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 12 }),
        fc.constantFrom("\n", "\r\n"),
        async (lines, end) => {
          const path = join(dir, `f${n++}.ndjson`);
          writeFileSync(path, lines.map((l) => `${l}${end}`).join(""));
          const [read] = await queryRows<{ n: string }>(
            engine.connection,
            `SELECT CAST(count(*) AS VARCHAR) AS n FROM read_json(${sqlPath(path)}, format = 'newline_delimited')`,
          );
          assert.deepEqual(await jsonFileCheck(path), { records: Number(read!.n) });
        },
      ),
      { numRuns: 60 },
    );
  });
});
