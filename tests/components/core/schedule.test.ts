import assert from "node:assert/strict";
import { cronProblems, toEventBridgeCron, toNcrontab, toUnixCron } from "../../../components/core/schedule";

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
