import assert from "node:assert/strict";
import { isTransient, retryAfterMs, withRetry } from "../../../../runtime/jobs/shared/retry";

const throttled = Object.assign(new Error("Rate exceeded"), {
  name: "ThrottlingException",
  $metadata: { httpStatusCode: 400 },
});
const denied = Object.assign(new Error("not authorized"), {
  name: "AccessDeniedException",
  $metadata: { httpStatusCode: 403 },
});

describe("withRetry", () => {
  it("retries throttling with exponential, jittered, bounded waits and then succeeds", async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw throttled;
        return "done";
      },
      { baseMs: 100, maxDelayMs: 250, random: () => 0.999, sleep: async (ms) => void waits.push(ms) },
    );
    assert.equal(result, "done");
    assert.deepEqual(waits, [99, 199, 249], "each wait below min(max, base·2^n), never above the bound");
  });

  it("fails at once on an error that is not transient", async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw denied;
      }),
      /not authorized/,
    );
    assert.equal(calls, 1);
  });

  it("gives up after the attempts allowed, with the last error", async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw throttled;
        },
        { attempts: 3, sleep: async () => {} },
      ),
      /Rate exceeded/,
    );
    assert.equal(calls, 3);
  });

  it("honours Retry-After in seconds and as a date, within the bound", async () => {
    const waits: number[] = [];
    const busy = (value: string) =>
      Object.assign(new Error("slow down"), { statusCode: 429, headers: { "retry-after": value } });
    let calls = 0;
    await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw busy("3");
        if (calls === 2) throw busy("Tue, 24 Nov 2026 00:00:07 GMT");
        if (calls === 3) throw busy("3600");
        return 1;
      },
      {
        random: () => 0,
        maxDelayMs: 60_000,
        now: () => Date.parse("2026-11-24T00:00:00Z"),
        sleep: async (ms) => void waits.push(ms),
      },
    );
    assert.deepEqual(waits, [3000, 7000, 60_000]);
  });
});

describe("isTransient / retryAfterMs", () => {
  it("classifies throttling and server faults as transient, client errors not", () => {
    assert.ok(isTransient(throttled));
    assert.ok(isTransient({ $metadata: { httpStatusCode: 503 } }));
    assert.ok(isTransient({ code: "ECONNRESET" }));
    assert.ok(isTransient({ response: { status: 429 } }));
    assert.ok(!isTransient(denied));
    assert.ok(!isTransient({ statusCode: 404 }));
    assert.ok(!isTransient("boom"));
  });

  it("reads Retry-After from fetch-style headers too", () => {
    assert.equal(retryAfterMs({ response: { headers: new Headers({ "retry-after": "2" }) } }), 2000);
    assert.equal(retryAfterMs({ response: { headers: new Headers() } }), undefined);
  });
});
