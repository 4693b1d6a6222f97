import assert from "node:assert/strict";
import {
  cronProblems,
  previousRuns,
  toEventBridgeCron,
  toNcrontab,
  toUnixCron,
} from "../../../components/core/schedule";

describe("schedule", () => {
  it("accepts five-field cron with lists, ranges, steps and names", () => {
    for (const ok of ["0 6 * * *", "*/15 0-6,22 1 jan-mar mon-fri", "30 2 * * 0", "0 0 1 */2 *"]) {
      assert.deepEqual(cronProblems(ok), [], ok);
    }
  });

  it("names what is wrong", () => {
    assert.match(cronProblems("0 6 * *")[0], /has 4 fields/);
    assert.match(cronProblems("61 6 * * *")[0], /minute "61" is not valid/);
    assert.match(cronProblems("0 6 * * fri-mon")[0], /day of week "fri-mon"/);
  });

  it("renders each scheduler's dialect", () => {
    assert.equal(toUnixCron("0  6 * * *"), "0 6 * * *");
    assert.equal(toNcrontab("0 6 * * *"), "0 0 6 * * *");
    assert.equal(toEventBridgeCron("0 6 * * *"), "cron(0 6 * * ? *)");
    assert.equal(toEventBridgeCron("0 6 * * 1-5"), "cron(0 6 ? * 2-6 *)");
    assert.equal(toEventBridgeCron("0 6 * * 0"), "cron(0 6 ? * 1 *)");
    assert.equal(toEventBridgeCron("0 6 * * 5-7"), "cron(0 6 ? * 6-7,1 *)");
    assert.throws(
      () => toEventBridgeCron("0 6 1 * 1"),
      /EventBridge cannot express .*set one of them to "\*"/,
    );
  });
});

describe("previousRuns", () => {
  const at = new Date("2026-03-04T10:00:00Z"); // a Wednesday

  it("lists the latest firing times at or before a moment, newest first", () => {
    assert.deepEqual(
      previousRuns("0 6 * * *", at, 2).map((d) => d.toISOString()),
      ["2026-03-04T06:00:00.000Z", "2026-03-03T06:00:00.000Z"],
    );
    assert.deepEqual(
      previousRuns("*/20 9-10 * * *", at, 3).map((d) => d.toISOString()),
      ["2026-03-04T10:00:00.000Z", "2026-03-04T09:40:00.000Z", "2026-03-04T09:20:00.000Z"],
    );
  });

  it("honours days of the week, months and Sunday as 7", () => {
    assert.deepEqual(
      previousRuns("30 2 * * mon", at, 1).map((d) => d.toISOString()),
      ["2026-03-02T02:30:00.000Z"],
    );
    assert.deepEqual(
      previousRuns("0 0 * * 7", at, 1).map((d) => d.toISOString()),
      ["2026-03-01T00:00:00.000Z"],
    );
    assert.deepEqual(
      previousRuns("0 0 1 */6 *", at, 2).map((d) => d.toISOString()),
      ["2026-01-01T00:00:00.000Z", "2025-07-01T00:00:00.000Z"],
    );
  });

  it("finds a schedule that fires only on 29 February", () => {
    assert.deepEqual(
      previousRuns("0 0 29 2 *", at, 1).map((d) => d.toISOString()),
      ["2024-02-29T00:00:00.000Z"],
    );
  });
});
