import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { Logger } from "../../../../runtime/jobs/shared/log";
import { REDACTED, Redactor } from "../../../../runtime/jobs/shared/redact";

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
