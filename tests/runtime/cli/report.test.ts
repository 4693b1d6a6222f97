import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli as run } from "../../helpers/cli";
import { collectFolder, sampleStore } from "../../helpers/stores";
import { SAMPLES, tempDir } from "../normalize/helpers";

const TENANT = join(__dirname, "..", "..", "..", "examples", "tenants", "acme-all.yaml");

/** `costline report` of a store for the example tenant acme, as of the samples' month end. */
const reportOf = (input: string, out: string) =>
  run("report", "--input", input, "--tenant", TENANT, "--now", "2025-03-31T18:00:00Z", "--out", out);

describe("costline report", function () {
  this.timeout(120000);

  it("writes one HTML file with the tenant's budgets and says what it holds", async () => {
    const store = await sampleStore();
    const out = join(tempDir(), "sub", "acme.html");
    const r = await reportOf(store, out);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      new RegExp(
        `^Wrote ${out}: 1 billing period\\(s\\), EffectiveCost \\d+\\.\\d\\d USD, \\d+ finding\\(s\\)\\n$`,
      ),
    );
    const html = readFileSync(out, "utf8");
    assert.match(html, /<title>Costline cost report: acme<\/title>/);
    assert.match(html, /acme-cloud \(2025-03\)/);
    assert.ok(!existsSync(`${out}.partial`));
  });

  it("over a collect folder, judges only the --tenant's own folder by its checks", async () => {
    const cur2 = join(SAMPLES, "aws-cur2", "cur2-2025-03.csv");
    const health = (tenant: string) => ({ tenant, clouds: [] });
    const root = await collectFolder({ acme: [cur2], globex: [cur2] }, [health("acme"), health("globex")]);
    const out = join(tempDir(), "r.html");
    const r = await reportOf(root, out);
    assert.equal(r.code, 0, r.err);
    // acme's budget is judged once, on acme's folder; globex's same costs are not held to it.
    assert.equal(readFileSync(out, "utf8").match(/<td>acme-cloud \(2025-03\)<\/td>/g)?.length, 1);
  });

  it("fails without a stack on a missing store or a bad --now", async () => {
    const missing = await run("report", "--input", join(tempDir(), "nowhere"));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^costline report: .*nowhere is not a folder: pass --input DIR/);
    const now = await run("report", "--now", "yesterday");
    assert.equal(now.code, 2);
    assert.match(now.err, /--now must be an ISO date-time/);
    for (const x of [missing, now]) assert.doesNotMatch(x.err, /\n\s+at /);
  });
});
