import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { contractCommitmentRows, writeContractCommitments } from "../../../runtime/contracts/dataset";
import { validateFocus } from "../../../runtime/validate/validator";
import { exampleTenant } from "../../helpers/tenants";
import { tempDir } from "../normalize/helpers";

const CONTRACTS = exampleTenant().contracts!;

describe("contracts: the Contract Commitment dataset of declared contracts", function () {
  this.timeout(60_000);

  it("writes one row per commitment, its period its own or its contract's, its figures as declared", () => {
    const rows = contractCommitmentRows(CONTRACTS);
    assert.deepEqual(
      rows.map((r) => [
        r.ContractId,
        r.ContractCommitmentId,
        r.ContractCommitmentCategory,
        r.ContractCommitmentPeriodStart,
        r.ContractCommitmentPeriodEnd,
        r.ContractCommitmentCost,
        r.ContractCommitmentQuantity,
        r.ContractCommitmentUnit,
      ]),
      [
        [
          "AWS-EDP-2025",
          "AWS-EDP-2025-Y1",
          "Spend",
          "2025-01-01T00:00:00Z",
          "2026-01-01T00:00:00Z",
          1200000,
          null,
          null,
        ],
        [
          "AWS-EDP-2025",
          "AWS-EDP-2025-Y2",
          "Spend",
          "2026-01-01T00:00:00Z",
          "2027-01-01T00:00:00Z",
          1500000,
          null,
          null,
        ],
        // A usage commitment without its own period runs for its contract's, and states no cost.
        [
          "GCP-CUD-FLEX-2025",
          "GCP-CUD-FLEX-2025-VCPU",
          "Usage",
          "2025-03-01T00:00:00Z",
          "2026-03-01T00:00:00Z",
          null,
          8760,
          "vCPU-Hours",
        ],
      ],
    );
    assert.deepEqual(
      [rows[0]!.ContractPeriodStart, rows[0]!.ContractPeriodEnd],
      ["2025-01-01T00:00:00Z", "2028-01-01T00:00:00Z"],
    );
  });

  for (const format of ["parquet", "csv"] as const) {
    it(`as ${format}, passes every statically checkable FOCUS 1.3 Contract Commitment rule`, async () => {
      const path = await writeContractCommitments(contractCommitmentRows(CONTRACTS), tempDir(), format);
      const report = await validateFocus(path, { applicability: "ALL" });
      assert.equal(report.dataset, "ContractCommitment");
      assert.equal(report.focusVersion, "1.3");
      assert.equal(report.rows, 3);
      assert.deepEqual(
        report.results.filter((r) => r.status === "fail").map((r) => `${r.id}: ${r.detail}`),
        [],
      );
      assert.ok(report.summary.executed >= 90, `${report.summary.executed} rules ran`);
    });
  }

  it("leaves a description the terms do not give NULL, which the SHOULD rule then reports", async () => {
    const [first] = contractCommitmentRows(CONTRACTS);
    const path = await writeContractCommitments(
      [{ ...first!, ContractCommitmentDescription: null }],
      tempDir(),
    );
    const report = await validateFocus(path, { applicability: "ALL" });
    assert.deepEqual(
      report.results.filter((r) => r.status === "fail").map((r) => [r.id, r.keyword]),
      [["CCT-ContractCommitmentDescription-C-003-O", "SHOULD NOT"]],
    );
    assert.equal(report.summary.mandatoryFailures, 0);
  });

  it("writes the CSV with FOCUS timestamps, and nothing when there is nothing to write", async () => {
    const path = await writeContractCommitments(contractCommitmentRows(CONTRACTS), tempDir(), "csv");
    const [header, first] = readFileSync(path, "utf8").split("\n");
    assert.equal(header!.split(",").length, 13);
    assert.match(first!, /2025-01-01T00:00:00Z/);
    const empty = tempDir();
    await assert.rejects(writeContractCommitments([], empty), /no contract commitments to write/);
    assert.throws(() => readFileSync(join(empty, "contract-commitments.parquet")));
  });
});
