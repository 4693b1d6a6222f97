import assert from "node:assert/strict";
import { type AuditRead, auditWindow, summarize } from "../../../runtime/audit/types";

const read = (principal: string, action: string, first: string, last = first, count = 1): AuditRead => ({
  principal,
  action,
  resource: "tenant-secret",
  first,
  last,
  count,
});

describe("summarize", () => {
  it("groups by principal, action and resource, summing counts and widening first and last", () => {
    const entries = summarize(
      [
        read("job", "Get", "2026-11-02T00:00:00.000Z", "2026-11-03T00:00:00.000Z", 4),
        read("job", "Get", "2026-11-01T00:00:00.000Z"),
        read("job", "Get", "2026-11-05T00:00:00.000Z"),
        read("job", "List", "2026-11-04T00:00:00.000Z"),
      ],
      () => ({ expected: true, why: "the job" }),
    );
    assert.deepEqual(
      entries.map((e) => [e.action, e.count, e.first, e.last]),
      [
        ["Get", 6, "2026-11-01T00:00:00.000Z", "2026-11-05T00:00:00.000Z"],
        ["List", 1, "2026-11-04T00:00:00.000Z", "2026-11-04T00:00:00.000Z"],
      ],
    );
  });

  it("puts unexpected readers first, then orders by principal and action", () => {
    const entries = summarize(
      [
        read("alice", "Get", "2026-11-01T00:00:00.000Z"),
        read("zed", "Get", "2026-11-01T00:00:00.000Z"),
        read("job", "Get", "2026-11-01T00:00:00.000Z"),
      ],
      (r) =>
        r.principal === "alice" ? { expected: true, why: "" } : { expected: r.principal === "job", why: "" },
    );
    assert.deepEqual(
      entries.map((e) => e.principal),
      ["zed", "alice", "job"],
    );
  });
});

describe("auditWindow", () => {
  it("ends now and starts the given days before", () => {
    const w = auditWindow(30, new Date("2026-12-01T12:00:00Z"));
    assert.equal(w.since.toISOString(), "2026-11-01T12:00:00.000Z");
    assert.equal(w.until.toISOString(), "2026-12-01T12:00:00.000Z");
  });
});
