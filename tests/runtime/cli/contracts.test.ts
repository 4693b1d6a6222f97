import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli as run } from "../../helpers/cli";
import { tempDir } from "../normalize/helpers";

const EXAMPLE = join(__dirname, "..", "..", "..", "examples", "tenants", "acme-all.yaml");

describe("costline contracts", function () {
  this.timeout(60_000);

  it("writes the tenant's contracts as Contract Commitment data that validate accepts", async () => {
    const out = tempDir();
    const done = await run("contracts", "--tenant", EXAMPLE, "--out", out);
    assert.equal(done.code, 0, done.all);
    assert.match(
      done.out,
      /^3 commitment\(s\) of 2 contract\(s\) written as FOCUS 1\.3 Contract Commitment data to /,
    );
    const path = join(out, "contract-commitments.parquet");
    assert.ok(existsSync(path));
    const checked = await run("validate", "--input", path, "--applicability", "ALL");
    assert.equal(checked.code, 0, checked.all);
    assert.match(checked.out, /^FOCUS 1\.3 conformance of .* \(ContractCommitment dataset\)/);
  });

  it("exits 2 for a tenant without contracts, and for a bad output format", async () => {
    const tenant = join(tempDir(), "globex.yaml");
    const text = readFileSync(EXAMPLE, "utf8");
    // The example without its contracts section.
    writeFileSync(tenant, text.replace(/\ncontracts:\n(?: {2}.*\n|# .*\n)+/, "\n"));
    const none = await run("contracts", "--tenant", tenant, "--out", tempDir());
    assert.equal(none.code, 2, none.all);
    assert.match(none.err, /tenant acme declares no contracts; add a contracts section/);
    const bad = await run("contracts", "--tenant", EXAMPLE, "--out", tempDir(), "--output-format", "xlsx");
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--output-format is parquet or csv, not "xlsx"/);
  });
});
