import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { normalizeCommand } from "../../../runtime/cli/normalize";
import { normalize } from "../../../runtime/normalize/run";
import type { StoreSummary } from "../../../runtime/normalize/store";
import { type LockDeps, StoreBusyError } from "../../../runtime/normalize/store-lock";
import { readLayout } from "../../../runtime/query/store";
import { readerFor } from "../../../runtime/validate/dataset";
import { tempDir } from "./helpers";
import { ACCOUNTS, curSource, storeRows } from "./store-sources";

const [A, B] = ACCOUNTS;
const run = (
  inputs: string[],
  out: string,
  store?: Parameters<typeof normalize>[0]["store"],
  progress?: (m: string) => void,
) => normalize({ inputs, out, engine: { memoryLimit: "512MB" }, store, progress });
const summaryOf = (out: string) =>
  JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as StoreSummary;
const leftovers = (out: string) =>
  readdirSync(out).filter((e) => [".lock", ".publish.json"].includes(e) || e.startsWith(".staging-"));
const lockDeps = (over: Partial<LockDeps>): LockDeps => ({
  pid: process.pid,
  host: hostname(),
  now: () => new Date("2026-01-01T00:00:00Z"),
  isAlive: () => true,
  ...over,
});
const heldLock = (out: string, pid: number, host = hostname()) => {
  mkdirSync(out, { recursive: true });
  const text = JSON.stringify({ owner: "other-run", pid, host, started: "2026-01-01T00:00:00.000Z" });
  writeFileSync(join(out, ".lock"), text);
  return text;
};

describe("output store", function () {
  this.timeout(120000);
  const inputs = tempDir();

  it("a run replaces the sources its inputs cover and keeps every other source", async () => {
    const out = tempDir();
    await run([curSource(inputs, A, "2024-01", 13), curSource(inputs, B, "2024-01", 13)], out);
    assert.deepEqual(await storeRows(out), { [`${A} 2024-01`]: 15, [`${B} 2024-01`]: 15 });

    const second = await run([curSource(inputs, A, "2024-01", 3)], out);
    assert.deepEqual(await storeRows(out), { [`${A} 2024-01`]: 3, [`${B} 2024-01`]: 15 });
    assert.deepEqual(
      second.sources.map((s) => [s.billingAccountId, s.period, s.format]),
      [[A, "2024-01", "aws-cur2"]],
    );
    const s = summaryOf(out);
    assert.deepEqual(
      s.store.sources.map((x) => [x.billingAccountId, x.period, x.rows, x.costs]),
      [
        [A, "2024-01", 3, { USD: "1.5" }],
        // The billed cost: net unblended where given (0.9 for row 11's 1.0), else unblended.
        [B, "2024-01", 15, { EUR: "3", USD: "43.6" }],
      ],
    );
    assert.deepEqual(
      s.history.map((h) => [h.status, h.sourcesReplaced.length]),
      [
        ["reconciled", 2],
        ["reconciled", 1],
      ],
    );
    assert.deepEqual(leftovers(out), []);
  });

  it("a source's quarantine goes when the source is replaced, and another source's stays", async () => {
    const out = tempDir();
    const quarantined = () => readdirSync(join(out, "quarantine", "source_format=aws-cur2"));
    // Row 1's cost made unreadable: the row is quarantined, the other 12 written.
    const withBadRow = (account: string) => {
      const file = join(inputs, `bad-${account}.csv`);
      writeFileSync(
        file,
        readFileSync(curSource(inputs, account, "2024-01", 13), "utf8").replace("USD,1.5,", "USD,oops,"),
      );
      return file;
    };
    await run([withBadRow(A)], out);
    const [ofA] = quarantined();
    await run([withBadRow(B)], out);
    const [ofB] = quarantined().filter((f) => f !== ofA);
    assert.equal(quarantined().length, 2);

    await run([curSource(inputs, A, "2024-01", 13)], out);
    assert.deepEqual(quarantined(), [ofB]);
    assert.deepEqual(
      summaryOf(out).store.quarantine.map((q) => [q.file, q.sources.map((k) => k.billingAccountId)]),
      [[`quarantine/source_format=aws-cur2/${ofB}`, [B]]],
    );
    assert.deepEqual(await storeRows(out), { [`${A} 2024-01`]: 15, [`${B} 2024-01`]: 14 });
  });

  it("a failure before the commit changes nothing and is recorded; a stop after it is completed by the next run", async () => {
    const baseline = tempDir();
    await run([curSource(inputs, A, "2024-01", 13), curSource(inputs, B, "2024-02", 13)], baseline);
    const update = [curSource(inputs, A, "2024-01", 3), curSource(inputs, B, "2024-02", 3)];
    const steps: string[] = [];
    const probe = tempDir();
    cpSync(baseline, probe, { recursive: true });
    await run(update, probe, { hook: (step) => steps.push(step) });
    assert.deepEqual(steps, [
      "locked",
      "commit",
      `replace aws ${A} aws-cur2 2024-01`,
      `replace aws ${B} aws-cur2 2024-02`,
      "unified.sql",
      "summary",
    ]);
    const old = { [`${A} 2024-01`]: 15, [`${B} 2024-02`]: 15 };
    const updated = { [`${A} 2024-01`]: 3, [`${B} 2024-02`]: 3 };
    for (const [i, step] of steps.entries()) {
      const out = tempDir();
      cpSync(baseline, out, { recursive: true });
      let calls = 0;
      const hook = (s: string) => {
        if (calls++ === i) throw new Error(`injected at ${s}`);
      };
      const committed = i > 1;
      await assert.rejects(run(update, out, { hook }), {
        message: committed
          ? `${out}: this run's output is committed, but making it current stopped (injected at ${step}): the next costline normalize --out ${out} completes it; until then the store cannot be read`
          : `injected at ${step}`,
      });
      if (!committed) {
        assert.deepEqual(await storeRows(out), old, `failed at ${step}`);
        assert.deepEqual(leftovers(out), [], `failed at ${step}`);
        const failed = summaryOf(out);
        assert.deepEqual(
          failed.history.map((h) => h.status),
          ["reconciled", "failed"],
          `failed at ${step}`,
        );
        assert.equal(failed.history.at(-1)!.error, `injected at ${step}`);
        assert.deepEqual(
          failed.store.sources.map((x) => x.rows),
          [15, 15],
          `failed at ${step}`,
        );
        await run(update, out);
        assert.deepEqual(await storeRows(out), updated);
        assert.equal(summaryOf(out).history.at(-1)!.status, "reconciled");
        continue;
      }
      // What a kill leaves: the journal, the staged files it still names, and a dead run's lock.
      const journal = leftovers(out).filter((e) => e !== ".publish.json" && e !== ".lock");
      assert.equal(journal.length, 1, `failed at ${step}: the staging is kept for the journal`);
      heldLock(out, 4242);
      for (const read of [() => readLayout(out), () => readerFor(out)]) {
        assert.throws(
          read,
          /is part-way through a run's publication \(a normalize run stopped after committing its output, .*\.publish\.json\): some of its sources are that run's and others older: run costline normalize --input PATH\.\.\. --out .* \(any inputs; it completes the publication first\)/,
        );
      }
      assert.deepEqual(
        summaryOf(out).history.map((h) => h.status),
        ["reconciled"],
        `failed at ${step}`,
      );
      // The next run, whatever its inputs, first makes the stopped run's output current.
      const said: string[] = [];
      const next = await run(
        [curSource(inputs, B, "2024-01", 3)],
        out,
        { lock: lockDeps({ isAlive: () => false }) },
        (m) => said.push(m),
      );
      assert.ok(
        said.some((m) => /completing the publication of run .*, which stopped after committing it/.test(m)),
        `failed at ${step}`,
      );
      assert.deepEqual(await storeRows(out), { ...updated, [`${B} 2024-01`]: 3 }, `failed at ${step}`);
      assert.deepEqual(leftovers(out), [], `failed at ${step}`);
      const history = summaryOf(out).history;
      assert.deepEqual(
        history.map((h) => [h.status, h.sourcesReplaced.length]),
        [
          ["reconciled", 2],
          ["reconciled", 2],
          ["reconciled", 1],
        ],
        `failed at ${step}`,
      );
      assert.equal(history[1]!.completedBy, history[2]!.runId);
      assert.equal(next.reconciled, true);
    }
  });

  it("a second writer while one writes is refused, and neither's rows are lost or mixed", async () => {
    const out = tempDir();
    await run([curSource(inputs, B, "2024-01", 13)], out);
    // The second run starts while the first holds the lock; its error is kept until the first has finished.
    let second: Promise<unknown> | undefined;
    await run([curSource(inputs, A, "2024-01", 13)], out, {
      hook: (step) => {
        if (step === "locked")
          second = run([curSource(inputs, B, "2024-01", 3)], out).catch((e: unknown) => e);
      },
    });
    const refused = (await second) as Error;
    assert.ok(refused instanceof StoreBusyError);
    assert.match(
      refused.message,
      /is being written by run .* \(pid \d+ on .*\): run again when it has finished/,
    );
    assert.deepEqual(await storeRows(out), { [`${A} 2024-01`]: 15, [`${B} 2024-01`]: 15 });
    assert.equal(summaryOf(out).history.length, 2, "the refused run wrote nothing");
  });

  it("a lock of a live process, or of another host, makes the store busy; the CLI exits 4", async () => {
    const out = tempDir();
    const live = heldLock(out, 4242);
    const input = curSource(inputs, A, "2024-01", 3);
    await assert.rejects(
      run([input], out, { lock: lockDeps({ isAlive: (pid) => pid === 4242 }) }),
      StoreBusyError,
    );
    heldLock(out, 4242, "another-host");
    await assert.rejects(run([input], out, { lock: lockDeps({ isAlive: () => false }) }), StoreBusyError);
    assert.equal(
      readFileSync(join(out, ".lock"), "utf8"),
      JSON.stringify({ ...JSON.parse(live), host: "another-host" }),
    );
    assert.equal(existsSync(join(out, "focus")), false);

    heldLock(out, process.pid);
    const sink = new Writable({ write: (_c, _e, done) => done() });
    await assert.rejects(normalizeCommand(["--input", input, "--out", out], sink), { exitCode: 4 });
  });

  it("recovers a dead run's lock and removes its staging", async () => {
    const out = tempDir();
    heldLock(out, 4242);
    mkdirSync(join(out, ".staging-dead-run", "aws-cur2"), { recursive: true });
    const said: string[] = [];
    await run([curSource(inputs, A, "2024-01", 3)], out, { lock: lockDeps({ isAlive: () => false }) }, (m) =>
      said.push(m),
    );
    assert.deepEqual(
      said.filter((m) => m.startsWith(out)),
      [
        `${join(out, ".lock")}: removing the stale lock of run other-run (pid 4242 no longer runs)`,
        `${out}: removing .staging-dead-run, left by a run that stopped`,
      ],
    );
    assert.deepEqual(leftovers(out), []);
    assert.deepEqual(await storeRows(out), { [`${A} 2024-01`]: 3 });
  });

  it("refuses a store written before sources were named, naming the fix", async () => {
    const out = tempDir();
    const partition = join(out, "focus", "x_Provider=aws", "x_BillingPeriod=2024-01");
    mkdirSync(partition, { recursive: true });
    writeFileSync(join(partition, "aws-cur2-6f1c0b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f.parquet"), "");
    await assert.rejects(run([curSource(inputs, A, "2024-01", 3)], out), {
      message: `${out} holds output files not named by their source (focus/x_Provider=aws/x_BillingPeriod=2024-01/aws-cur2-6f1c0b9e-1d2a-4c3b-9e8f-0a1b2c3d4e5f.parquet), written before sources were replaced one by one: normalize into a new --out, or delete ${join(out, "focus")} and normalize every source again`,
    });
    assert.deepEqual(leftovers(out), []);
  });
});
