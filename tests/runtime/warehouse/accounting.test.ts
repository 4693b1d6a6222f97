import assert from "node:assert/strict";
import { accountingTotals } from "../../../runtime/warehouse/accounting";

describe("warehouse accounting", () => {
  it("sums the per-file rows and lists the services the taxonomy lacks, most rows first", () => {
    const totals = accountingTotals([
      {
        file: "a",
        currency: "USD",
        unknown_service: null,
        rows_read: "10",
        rows_quarantined: "2",
        rows_expected: "8",
      },
      {
        file: "a",
        currency: "USD",
        unknown_service: "NewService",
        rows_read: "3",
        rows_quarantined: "0",
        rows_expected: "3",
      },
      {
        file: "b",
        currency: "EUR",
        unknown_service: "Rare",
        rows_read: 1,
        rows_quarantined: 0,
        rows_expected: 1,
      },
      {
        file: "b",
        currency: "EUR",
        unknown_service: "NewService",
        rows_read: 2,
        rows_quarantined: 0,
        rows_expected: 2,
      },
    ]);
    assert.deepEqual(totals, {
      read: 16,
      quarantined: 2,
      expected: 14,
      unknownServices: [
        { service: "NewService", rows: 5 },
        { service: "Rare", rows: 1 },
      ],
      unknownUnits: [],
    });
  });

  it("lists the units the units table lacks, each once a row, most rows first", () => {
    const totals = accountingTotals([
      {
        unknown_pricing_unit: "1k characters",
        unknown_consumed_unit: null,
        rows_read: 4,
        rows_quarantined: 1,
      },
      { unknown_pricing_unit: "widget", unknown_consumed_unit: "widget", rows_read: 2, rows_quarantined: 0 },
      { unknown_pricing_unit: null, unknown_consumed_unit: "widget", rows_read: 2, rows_quarantined: 0 },
    ]);
    assert.deepEqual(totals.unknownUnits, [
      { unit: "widget", rows: 4 },
      { unit: "1k characters", rows: 3 },
    ]);
  });

  it("refuses a count that is not a number rather than summing NaN", () => {
    assert.throws(() => accountingTotals([{ rows_read: "many" }]), /returned many where a count belongs/);
  });
});
