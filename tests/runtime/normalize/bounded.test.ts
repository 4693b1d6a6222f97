import assert from "node:assert/strict";
import { bounded } from "../../../runtime/normalize/bounded";

/** A task that starts when called and ends when `end()` is called. */
function deferred(log: string[], name: string) {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  return {
    end: () => end(),
    task: async () => {
      log.push(`start ${name}`);
      await ended;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("bounded: at most n tasks at once, in the order given", () => {
  it("starts the third task only when one of the first two ends, and the fourth after it", async () => {
    const log: string[] = [];
    const gate = bounded(2);
    const tasks = ["a", "b", "c", "d"].map((name) => deferred(log, name));
    const results = tasks.map((t) => gate(t.task));
    await settle();
    assert.deepEqual(log, ["start a", "start b"]);
    tasks[1]!.end();
    await settle();
    assert.deepEqual(log, ["start a", "start b", "end b", "start c"]);
    tasks[0]!.end();
    await settle();
    assert.deepEqual(log.slice(4), ["end a", "start d"]);
    tasks[2]!.end();
    tasks[3]!.end();
    assert.deepEqual(await Promise.all(results), ["a", "b", "c", "d"]);
  });

  it("hands a task's failure to its caller alone and frees its place, also for a task that throws at once", async () => {
    const gate = bounded(1);
    const thrown = gate(() => {
      throw new Error("at once");
    });
    const rejected = gate(() => Promise.reject(new Error("later")));
    const after = gate(async () => "after");
    await assert.rejects(thrown, /at once/);
    await assert.rejects(rejected, /later/);
    assert.equal(await after, "after");
  });
});
