import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { Logger } from "../../../../runtime/jobs/shared/log";
import { REDACTED, Redactor } from "../../../../runtime/jobs/shared/redact";
import { RunRecorder } from "../../../../runtime/jobs/shared/run-record";

function jsonLogger() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d) => (text += d));
  const logger = new Logger({
    format: "json",
    stream,
    base: { job: "aws" },
    now: () => new Date("2026-11-24T00:00:00Z"),
  });
  return {
    logger,
    lines: () =>
      text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
  };
}

describe("redaction", () => {
  it("removes registered secret values wherever they appear, including inside JSON secrets", () => {
    const r = new Redactor();
    r.add(JSON.stringify({ externalId: "ext-9f8e7d6c5b4a", endpoint: "https://example.invalid" }));
    assert.equal(r.text("assume with ext-9f8e7d6c5b4a failed"), `assume with ${REDACTED} failed`);
  });

  it("masks fields whose names say they are secret, whatever the value", () => {
    const r = new Redactor();
    assert.deepEqual(
      r.redact({ password: "x", nested: { clientSecret: 42, apiKey: "k" }, keep: "ok", isSecret: true }),
      {
        password: REDACTED,
        nested: { clientSecret: REDACTED, apiKey: REDACTED },
        keep: "ok",
        isSecret: true,
      },
    );
  });

  it("masks credential shapes nobody registered", () => {
    const r = new Redactor();
    const leaked =
      "key AKIAIOSFODNN7EXAMPLE and sig=abcdefghijklmnopqrstu%3D and Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig";
    const out = r.text(leaked);
    assert.ok(!/AKIA|abcdefghijklmnop|eyJhbGci/.test(out), out);
  });

  it("never lets a secret reach a log line, in messages, fields or errors", () => {
    const { logger, lines } = jsonLogger();
    logger.redactor.add("s3cr3t-value-123");
    logger.info("connecting with s3cr3t-value-123", {
      token: "abc",
      error: new Error("denied for s3cr3t-value-123"),
    });
    const [line] = lines();
    assert.equal(line.message, `connecting with ${REDACTED}`);
    assert.equal(line.token, REDACTED);
    assert.equal(line.error.message, `denied for ${REDACTED}`);
    assert.equal(line.job, "aws");
    assert.equal(line.time, "2026-11-24T00:00:00.000Z");
  });

  it("filters by level", () => {
    const { logger, lines } = jsonLogger();
    logger.debug("hidden");
    logger.warn("shown");
    assert.deepEqual(
      lines().map((l) => l.level),
      ["warn"],
    );
  });
});

/** Every form in which `secret` may show in written text, as the redactor must never let it. */
function forms(secret: string): string[] {
  const base64At = (offset: number) => {
    // The characters only the secret's bytes decide at this offset (see redact.ts).
    const bytes = Buffer.from(secret, "utf8");
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    const tail =
      (offset + bytes.length) % 3 === 0 ? encoded.length : Math.floor((offset + bytes.length) / 3) * 4;
    return encoded.slice(offset === 0 ? 0 : 4, tail);
  };
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    base64At(0),
    base64At(1),
    base64At(2),
  ].filter((f) => f.length >= 6);
}

/** A secret written into a line the way code really does: raw, quoted, encoded, nested. */
const carriers: ((secret: string) => unknown)[] = [
  (s) => `plain ${s} text`,
  (s) => JSON.stringify({ connection: { value: s } }),
  (s) => `https://example.com/cb?state=${encodeURIComponent(s)}`,
  (s) => `Basic ${Buffer.from(`user:${s}`).toString("base64")}`,
  (s) => Buffer.from(`{"v":"${s}"}`).toString("base64url"),
  (s) => ({ nested: [{ deeper: { note: `value=${s}` } }] }),
  (s) => new Error("outer failure", { cause: new Error(`inner ${s}`) }),
  (s) => new AggregateError([new Error(`first ${s}`)], "several failed"),
];

describe("redaction, property-tested through the jobs' logging path and run records", () => {
  const secret = fc
    .string({ unit: "grapheme", minLength: 8, maxLength: 40 })
    .filter((s) => s.trim().length >= 8 && !/^[\s\p{P}]+$/u.test(s));

  it("no registered secret reaches a JSON or human log line or a run record, in any encoding", () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: carriers.length - 1 }), (value, which) => {
        for (const format of ["json", "human"] as const) {
          const stream = new PassThrough();
          let text = "";
          stream.on("data", (d) => (text += d));
          const logger = new Logger({ format, stream });
          logger.redactor.add(value);
          const carried = carriers[which]!(value);
          logger.error(typeof carried === "string" ? carried : "job failed", { detail: carried });
          const recorder = new RunRecorder("aws", "acme", logger.redactor, () => 0, "run-1");
          recorder.read({ source: String(typeof carried === "string" ? carried : value) });
          recorder.checked({ policy: "p", severity: "info", message: `saw ${value}` });
          const record = JSON.stringify(
            recorder.finish(carried instanceof Error ? carried : new Error(value)),
          );
          for (const out of [text, record])
            for (const f of forms(value)) assert.ok(!out.includes(f), `${JSON.stringify(f)} in ${out}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("masks credentials nobody registered, by their shape, keeping what names them", () => {
    const r = new Redactor();
    const jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    const cases: [string, string][] = [
      [
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        `aws_secret_access_key = ${REDACTED}`,
      ],
      [`token ${jwt} expired`, `token ${REDACTED} expired`],
      [
        "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=bm90LWEtcmVhbC1rZXktYnV0LWxvbmc=;EndpointSuffix=core.windows.net",
        `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${REDACTED};EndpointSuffix=core.windows.net`,
      ],
      [
        "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0LWtleQ==",
        `Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${REDACTED}`,
      ],
      [
        "postgres://costline:hunter2hunter2@db.internal:5432/costs",
        `postgres://costline:${REDACTED}@db.internal:5432/costs`,
      ],
      [
        "Server=db;User Id=costline;Password=hunter2!x;",
        `Server=db;User Id=costline;${"Password="}${REDACTED};`,
      ],
      [
        "https://acme.blob.core.windows.net/c?sv=2024-11-04&sig=Zm9vYmFyYmF6cXV4cXV1eA%3D%3D&se=2026",
        `https://acme.blob.core.windows.net/c?sv=2024-11-04&sig=${REDACTED}&se=2026`,
      ],
      ["key AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q in config", `key ${REDACTED} in config`],
    ];
    for (const [input, expected] of cases) assert.equal(r.text(input), expected, input);
  });

  it("leaves what only looks long alone: hashes, paths, ids", () => {
    const r = new Redactor();
    for (const ok of [
      "commit 3f2c1e2a4b5d4c6e8f90a1b2c3d4e5f6a7b8c9d0",
      "s3://costline-acme/exports/cur2/data/BILLING_PERIOD=2025-03/costline-acme-cur2-00001.snappy.parquet",
      "run 20261204T213000-1a2b3c4d wrote 1,024 rows",
      "https://acme.blob.core.windows.net/normalized/focus/x_Provider=azure/",
      "reading /data/exports/CUR2/acme/BillingMarch2025.csv",
    ])
      assert.equal(r.text(ok), ok);
  });
});
