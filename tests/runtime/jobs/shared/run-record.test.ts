import assert from "node:assert/strict";
import { Redactor } from "../../../../runtime/jobs/shared/redact";
import { RunRecorder } from "../../../../runtime/jobs/shared/run-record";

describe("RunRecorder", () => {
  it("records what was read, written and checked, with timing", () => {
    let now = Date.parse("2026-11-24T06:00:00Z");
    const rec = new RunRecorder("aws", "acme", undefined, () => now, "run-1");
    rec.read({ source: "s3://bucket/cur2/", bytes: 1024, queryId: "q-1" });
    rec.wrote({ target: "costline_acme.focus period=2026-11", rows: 10 });
    rec.checked({ policy: "freshness", severity: "warning", message: "late" });
    now += 1500;
    const record = rec.finish();
    assert.equal(record.status, "succeeded");
    assert.equal(record.durationMs, 1500);
    assert.equal(record.startedAt, "2026-11-24T06:00:00.000Z");
    assert.deepEqual(record.read, [{ source: "s3://bucket/cur2/", bytes: 1024, queryId: "q-1" }]);
    assert.equal(record.written[0].rows, 10);
    assert.equal(record.checks.length, 1);
    assert.equal(record.error, undefined);
  });

  it("records a failure with its message redacted", () => {
    const redactor = new Redactor();
    redactor.add("ext-id-123456");
    const record = new RunRecorder("aws", "acme", redactor).finish(
      new Error("assume role with ext-id-123456 denied"),
    );
    assert.equal(record.status, "failed");
    assert.equal(record.error, "assume role with [redacted] denied");
    assert.match(record.runId, /^\d{8}T\d{6}-[0-9a-f]{8}$/);
  });
});
