import assert from "node:assert/strict";
import {
  type AccountingRow,
  accountedPartitions,
  tallyAccounting,
} from "../../../runtime/normalize/accounting";

const row = (r: Partial<AccountingRow>): AccountingRow => ({
  file: "a.csv",
  currency: "USD",
  rows_read: 0,
  rows_quarantined: 0,
  rows_expected: 0,
  source_cost: "0",
  quarantined_cost: "0",
  unknown_service: null,
  unknown_pricing_unit: null,
  unknown_consumed_unit: null,
  period: "2026-10",
  provider: "aws",
  billing_account: "111111111111",
  ...r,
});

describe("the accounting's typed readers", () => {
  // Two payers in October from a.csv, b.csv spanning October and November, and a.csv's rows that
  // all failed their checks (no period).
  const rows = [
    row({ file: "a.csv", rows_read: 3, rows_expected: 3, source_cost: "1.10" }),
    row({
      file: "a.csv",
      billing_account: "222222222222",
      rows_read: 2,
      rows_expected: 2,
      source_cost: "0.20",
    }),
    row({ file: "b.csv", rows_read: 4, rows_expected: 4, source_cost: "0.05", currency: "EUR" }),
    row({ file: "b.csv", period: "2026-11", rows_read: 1, rows_expected: 1, source_cost: "7" }),
    row({
      file: "a.csv",
      period: null,
      billing_account: null,
      rows_read: 2,
      rows_quarantined: 2,
      quarantined_cost: "0.30",
      unknown_pricing_unit: "Fortnights",
      unknown_consumed_unit: "Fortnights",
    }),
  ];

  it("names each partition's sources by billing account, with their rows and costs per currency", () => {
    const { partitions, partitionsOfFile } = accountedPartitions(rows, "aws-cur2", ["b.csv", "a.csv"]);
    assert.deepEqual(
      partitions.map((p) => [p.provider, p.period, p.files]),
      [
        ["aws", "2026-10", ["b.csv", "a.csv"]],
        ["aws", "2026-11", ["b.csv"]],
      ],
    );
    assert.deepEqual(partitions[0]!.sources, [
      {
        provider: "aws",
        billingAccountId: "111111111111",
        format: "aws-cur2",
        period: "2026-10",
        rows: 7,
        costs: { USD: "1.1", EUR: "0.05" },
      },
      {
        provider: "aws",
        billingAccountId: "222222222222",
        format: "aws-cur2",
        period: "2026-10",
        rows: 2,
        costs: { USD: "0.2" },
      },
    ]);
    // a.csv's quarantined rows name no period: it has rows in October only.
    assert.deepEqual(
      [...partitionsOfFile],
      [
        ["b.csv", 2],
        ["a.csv", 1],
      ],
    );
  });

  it("sums rows by file and costs by currency exactly, and counts a row's unknown unit once", () => {
    const tally = tallyAccounting(rows);
    assert.deepEqual(tally.files.get("a.csv"), { rowsRead: 7, rowsQuarantined: 2, rowsWritten: 5 });
    assert.deepEqual(tally.files.get("b.csv"), { rowsRead: 5, rowsQuarantined: 0, rowsWritten: 5 });
    assert.deepEqual(tally.currencies.get("USD"), { sourceCost: "8.3", quarantinedCost: "0.3" });
    assert.deepEqual(tally.currencies.get("EUR"), { sourceCost: "0.05", quarantinedCost: "0" });
    // The same unit as pricing and consumed unit is one unknown unit of those rows, counted by
    // the rows the output expects (quarantined rows are not in the output).
    assert.deepEqual([...tally.unknownUnits], [['["aws","Fortnights"]', 0]]);
    assert.equal(tally.unknownServices.size, 0);
  });
});
