import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../../runtime/sources/files";
import { FIXTURES, normalized, tempDir } from "./helpers";

// Azure's ActualCost and AmortizedCost of one scope and month, read in one run (PairedDatasets):
// the fixtures are the EA enrollment 87654321's March, actual (a1 on demand, a2 and a6 covered
// usage at 0, a4 a reservation purchase, a5 its refund) and amortized (a1, a2 and a6 at their
// amortized cost, a3 unused reservation; no purchases, as Microsoft documents).

const DIR = join(FIXTURES, "azure-cost-details");
const [HEADER, ...ACTUAL] = readFileSync(join(DIR, "ea-actualcost.csv"), "utf8").trim().split(/\r?\n/);
const AMORTIZED = readFileSync(join(DIR, "ea-amortizedcost.csv"), "utf8").trim().split(/\r?\n/).slice(1);
const row = (lines: string[], id: string) => lines.find((l) => l.includes(`,${id} `))!;
const write = (dir: string, name: string, lines: string[]) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${[HEADER, ...lines].join("\n")}\n`);
  return join(dir, name);
};
const manifest = (dir: string, type: string, parts: string[]) =>
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      manifestVersion: "2024-04-01",
      blobCount: parts.length,
      exportConfig: {
        exportName: `costs-${type.toLowerCase()}`,
        resourceId: "/providers/Microsoft.Billing/billingAccounts/87654321",
        type,
      },
      deliveryConfig: { partitionData: true, fileFormat: "Csv" },
      runInfo: { runId: "7f3c", startDate: "2025-03-01T00:00:00", endDate: "2025-03-31T00:00:00" },
      blobs: parts.map((p) => ({ blobName: `exports/costs/20250301-20250331/7f3c/${p}`, byteCount: 100 })),
    }),
  );
const totals = async (run: Awaited<ReturnType<typeof normalized>>) =>
  (
    await run.query<{ rows: bigint; billed: number; effective: number }>(
      "SELECT count(*) AS rows, sum(BilledCost) AS billed, sum(EffectiveCost) AS effective FROM {focus}",
    )
  )[0]!;
const notesOf = (run: Awaited<ReturnType<typeof normalized>>, name: string) =>
  run.summary.files.find((f) => f.file.endsWith(name))!.notes ?? [];

describe("normalize: Azure ActualCost and AmortizedCost of one month, read together", function () {
  this.timeout(60000);

  it("are one dataset: the invoice's BilledCost, the amortized EffectiveCost, no charge twice", async () => {
    const run = await normalized([join(DIR, "ea-actualcost.csv"), join(DIR, "ea-amortizedcost.csv")]);
    const s = run.summary;
    assert.equal(s.reconciled, true, s.problems.join("\n"));
    const t = await totals(run);
    // a1..a6 once each: four amortized rows and the actual data's purchase and refund.
    assert.equal(Number(t.rows), 6);
    // BilledCost: 3.36 + 162 - 54 (the actual data's total); EffectiveCost: 3.36 + 2.88 + 0.36 + 1.896.
    assert.ok(Math.abs(t.billed - 111.36) < 1e-9, String(t.billed));
    assert.ok(Math.abs(t.effective - 8.496) < 1e-9, String(t.effective));
    assert.equal(s.totals.rowsSuperseded, 3);
    const [eur] = s.currencies;
    assert.deepEqual([eur!.sourceCost, eur!.outputCost, eur!.supersededCost], ["119.856", "116.496", "3.36"]);
  });

  it("alone, the amortized data is said to lack the purchases; the actual data, to lack amortization", async () => {
    const amortized = await normalized([join(DIR, "ea-amortizedcost.csv")]);
    assert.equal(amortized.summary.reconciled, true);
    assert.match(
      notesOf(amortized, "ea-amortizedcost.csv").join("\n"),
      /^AmortizedCost data has no commitment purchases/m,
    );
    const actual = await normalized([join(DIR, "ea-actualcost.csv")]);
    assert.equal(actual.summary.totals.rowsSuperseded, 0);
    assert.match(notesOf(actual, "ea-actualcost.csv").join("\n"), /^actual-cost data: /m);
  });

  it("in runs apart into one store, neither replaces the other's source and loses what only it holds", async () => {
    const actual = join(DIR, "ea-actualcost.csv");
    const amortized = join(DIR, "ea-amortizedcost.csv");
    const first = await normalized([actual]);
    const stored = () => JSON.parse(readFileSync(join(first.out, "summary.json"), "utf8"));
    const actualRun = stored().store.sources[0].runId;
    assert.deepEqual(stored().store.sources[0].datasets, ["ActualCost"]);
    // AmortizedCost alone would drop the purchase and refund (a4, a5) that only ActualCost holds.
    await assert.rejects(
      normalized([amortized], { out: first.out }),
      (e: Error) =>
        e instanceof InputError &&
        e.message ===
          `${first.out} holds azure 87654321 azure-cost-details 2025-03 read from ActualCost (run ${actualRun}); this run read it from AmortizedCost alone,` +
            " and replacing it would lose what only ActualCost holds: normalize that month's ActualCost and AmortizedCost exports in one run" +
            ` (costline normalize --input PATH... --out ${first.out}), or pass --replace-datasets to replace it with this run's data alone; nothing was written`,
    );
    assert.equal(stored().store.sources[0].runId, actualRun, "the ActualCost source stands");
    assert.equal(Number((await totals(first)).rows), 5);
    assert.equal(stored().history.at(-1).status, "failed");
    // Both in one run replace it with the one dataset they are together; then neither alone may.
    const both = await normalized([actual, amortized], { out: first.out });
    assert.equal(both.summary.reconciled, true, both.summary.problems.join("\n"));
    assert.deepEqual(stored().store.sources[0].datasets, ["ActualCost", "AmortizedCost"]);
    await assert.rejects(
      normalized([actual], { out: first.out }),
      /would lose what only AmortizedCost holds/,
    );
    // Asked to, one dataset replaces the pair.
    const replaced = await normalized([amortized], { out: first.out, replaceDatasets: true });
    assert.equal(replaced.summary.reconciled, true);
    assert.deepEqual(stored().store.sources[0].datasets, ["AmortizedCost"]);
    assert.equal(Number((await totals(replaced)).rows), 4);
  });

  it("pairs only the months both datasets cover: the actual data's other month is written whole", async () => {
    const dir = tempDir();
    const april = (l: string) =>
      l.replaceAll("03/01/2025,03/01/2025,03/31/2025", "04/01/2025,04/01/2025,04/30/2025");
    const actual = write(dir, "actual.csv", [...ACTUAL, ...ACTUAL.map(april)]);
    const run = await normalized([actual, join(DIR, "ea-amortizedcost.csv")]);
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
    const file = run.summary.files.find((f) => f.file === actual)!;
    assert.deepEqual([file.rowsRead, file.rowsSuperseded, file.rowsWritten], [10, 3, 7]);
    const [aprilRows] = await run.query<{ n: bigint }>(
      "SELECT count(*) AS n FROM {focus} WHERE BillingPeriodStart = TIMESTAMP '2025-04-01'",
    );
    assert.equal(Number(aprilRows!.n), 5);
  });

  it("refuses a file whose dataset neither a manifest nor its rows state, where both datasets meet", async () => {
    const dir = tempDir();
    // a1 alone: on-demand usage, the same in both datasets.
    const part = write(dir, "part_0_0002.csv", [row(ACTUAL, "a1")]);
    const run = await normalized([join(DIR, "ea-actualcost.csv"), join(DIR, "ea-amortizedcost.csv"), part]);
    const s = run.summary;
    assert.equal(s.reconciled, false);
    const refused = s.files.find((f) => f.file === part)!;
    assert.equal(refused.status, "failed");
    assert.match(refused.error!, /whether it is AmortizedCost or ActualCost data/);
    assert.match(refused.error!, /billing account 87654321, period 2025-03-01 has files of both/);
    assert.match(refused.error!, /Keep the manifest\.json/);
    assert.ok(s.problems[0]!.startsWith(part), s.problems[0]);
    // The others are still read as one dataset.
    assert.equal(s.totals.rowsSuperseded, 3);
  });

  it("refuses an amortized file that also holds commitment purchases, where both datasets meet", async () => {
    const dir = tempDir();
    const mixed = write(dir, "mixed.csv", [...AMORTIZED, row(ACTUAL, "a4")]);
    const run = await normalized([join(DIR, "ea-actualcost.csv"), mixed]);
    const file = run.summary.files.find((f) => f.file === mixed)!;
    assert.equal(file.status, "failed");
    assert.match(file.error!, /holds both amortized commitment usage and commitment purchases/);
  });

  it("takes a part's dataset from the export manifest beside it, over what its rows suggest", async () => {
    const dir = tempDir();
    const actualRun = join(dir, "actual", "7f3c");
    const amortizedRun = join(dir, "amortized", "9a1d");
    // Parts without commitment charges: alone, their rows say nothing of their dataset.
    write(
      actualRun,
      "part_0_0001.csv",
      ACTUAL.filter((l) => l.includes(",a1 ") || l.includes(",a4 ")),
    );
    write(actualRun, "part_0_0002.csv", [row(ACTUAL, "a1")]);
    manifest(actualRun, "ActualCost", ["part_0_0001.csv", "part_0_0002.csv"]);
    write(amortizedRun, "part_0_0001.csv", [row(AMORTIZED, "a1")]);
    write(amortizedRun, "part_0_0002.csv", [row(AMORTIZED, "a2")]);
    manifest(amortizedRun, "AmortizedCost", ["part_0_0001.csv", "part_0_0002.csv"]);
    const run = await normalized([dir]);
    const s = run.summary;
    assert.equal(s.reconciled, true, s.problems.join("\n"));
    assert.deepEqual(
      s.files.filter((f) => f.status === "skipped").map((f) => f.notes![0]!.replace(/ run .*/, "")),
      [
        "skipped: the manifest of a Cost Management ActualCost export",
        "skipped: the manifest of a Cost Management AmortizedCost export",
      ],
    );
    // Actual: a1 twice superseded, the purchase a4 kept; amortized: a1 and a2.
    assert.equal(s.totals.rowsSuperseded, 2);
    const t = await totals(run);
    assert.equal(Number(t.rows), 3);
    assert.ok(Math.abs(t.billed - (3.36 + 162)) < 1e-9, String(t.billed));
    assert.ok(Math.abs(t.effective - (3.36 + 2.88)) < 1e-9, String(t.effective));
    const amortizedPart = join(amortizedRun, "part_0_0001.csv");
    assert.match(notesOf(run, amortizedPart).join("\n"), /^AmortizedCost data \(by its export's manifest\)/m);
    assert.doesNotMatch(notesOf(run, amortizedPart).join("\n"), /actual-cost data/);
  });
});
