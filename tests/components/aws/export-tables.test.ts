import assert from "node:assert/strict";
import { hiveType, normalizedColumns } from "../../../components/aws/catalog";
import {
  CUR2_TABLE,
  cur2Columns,
  cur2TableConfigurations,
  exportQuery,
  FOCUS_TABLE,
  focusColumns,
} from "../../../components/aws/export-tables";
import { exportLayout } from "../../../components/aws/layout";
import { focusColumns as outputFocusColumns, outputColumns } from "../../../runtime/schema/output";

const base = { granularity: "DAILY", splitCostAllocation: false, capacityReservations: false } as const;

describe("AWS export tables", () => {
  it("selects an explicit, duplicate-free CUR 2.0 column list including resources", () => {
    const names = cur2Columns(base).map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    for (const needed of [
      "line_item_resource_id",
      "line_item_line_item_type",
      "line_item_net_unblended_cost",
      "line_item_unblended_cost",
      "pricing_public_on_demand_cost",
      "savings_plan_savings_plan_effective_cost",
      "reservation_effective_cost",
      "reservation_reservation_a_r_n",
      "savings_plan_savings_plan_a_r_n",
      "resource_tags",
      "product",
      "cost_category",
    ]) {
      assert.ok(names.includes(needed), `CUR 2.0 columns lack ${needed}`);
    }
    const query = exportQuery(CUR2_TABLE, cur2Columns(base));
    assert.match(query, /^SELECT [a-z_]+(, [a-z_]+)* FROM COST_AND_USAGE_REPORT$/);
    assert.doesNotMatch(query, /\*/);
  });

  it("adds split-cost and capacity columns only with their table configuration", () => {
    const plain = cur2Columns(base).map((c) => c.name);
    const full = cur2Columns({ ...base, splitCostAllocation: true, capacityReservations: true }).map(
      (c) => c.name,
    );
    assert.ok(!plain.some((n) => n.startsWith("split_line_item_") || n.startsWith("capacity_reservation_")));
    assert.ok(full.includes("split_line_item_split_cost"));
    assert.ok(full.includes("capacity_reservation_capacity_reservation_arn"));
    const on = cur2TableConfigurations(
      { ...base, splitCostAllocation: true, capacityReservations: true },
      "111122223333",
    );
    assert.equal(on[CUR2_TABLE].INCLUDE_SPLIT_COST_ALLOCATION_DATA, "TRUE");
    assert.equal(on[CUR2_TABLE].INCLUDE_CAPACITY_RESERVATION_DATA, "TRUE");
  });

  it("sets every CUR 2.0 table configuration, resources always on", () => {
    const config = cur2TableConfigurations({ ...base, granularity: "HOURLY" }, "111122223333");
    assert.deepEqual(config, {
      COST_AND_USAGE_REPORT: {
        BILLING_VIEW_ARN: "arn:aws:billing::111122223333:billingview/primary",
        TIME_GRANULARITY: "HOURLY",
        INCLUDE_RESOURCES: "TRUE",
        INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
        INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
        INCLUDE_CAPACITY_RESERVATION_DATA: "FALSE",
      },
    });
  });

  it("selects the 57 FOCUS 1.2 columns of the output schema plus AWS's three", () => {
    const columns = focusColumns();
    assert.equal(columns.length, outputFocusColumns("1.2").length + 3);
    assert.deepEqual(
      columns.slice(0, outputFocusColumns("1.2").length).map((c) => c.name),
      outputFocusColumns("1.2").map((c) => c.name),
    );
    assert.equal(columns.find((c) => c.name === "BilledCost")?.type, "double");
    assert.equal(columns.find((c) => c.name === "ChargePeriodStart")?.type, "timestamp");
    assert.equal(columns.find((c) => c.name === "Tags")?.type, "map<string,string>");
    assert.match(exportQuery(FOCUS_TABLE, columns), / FROM FOCUS_1_2_AWS$/);
  });

  it("refuses an empty query", () => {
    assert.throws(() => exportQuery(CUR2_TABLE, []), /at least one column/);
  });

  it("derives the normalized Glue columns from the output schema of the tenant's FOCUS version", () => {
    for (const version of ["1.2", "1.3"] as const) {
      assert.deepEqual(
        normalizedColumns(version).map((c) => c.name),
        outputColumns(version).map((c) => c.name.toLowerCase()),
        version,
      );
    }
    assert.ok(normalizedColumns("1.3").some((c) => c.name === "serviceprovidername"));
    assert.ok(!normalizedColumns("1.2").some((c) => c.name === "serviceprovidername"));
    const columns = normalizedColumns("1.2");
    const type = (name: string) => columns.find((c) => c.name === name)?.type;
    assert.equal(type("billedcost"), "decimal(38,18)");
    assert.equal(type("chargeperiodstart"), "timestamp");
    assert.equal(type("tags"), "string");
    assert.equal(type("x_chargedate"), "date");
  });

  it("maps Trino types to Glue types and refuses unknown ones", () => {
    assert.equal(hiveType("DECIMAL(10, 2)"), "decimal(10,2)");
    assert.equal(hiveType("TIMESTAMP(3)"), "timestamp");
    assert.equal(hiveType("VARCHAR"), "string");
    assert.throws(() => hiveType("ROW(a INTEGER)"), /no Glue type for Trino type ROW/);
  });

  it("lays out the bucket with the export data where Data Exports deliver it", () => {
    const layout = exportLayout("acme", "111122223333", "eu-west-1");
    assert.equal(layout.bucket, "costline-acme-111122223333-eu-west-1");
    assert.equal(layout.cur2.s3Prefix, "exports/cur2");
    assert.equal(layout.cur2.dataPrefix, `exports/cur2/${layout.cur2.exportName}/data/`);
    assert.equal(layout.cur2.metadataPrefix, `exports/cur2/${layout.cur2.exportName}/metadata/`);
    assert.ok(layout.cur2.dataPrefix.startsWith(layout.exportsPrefix));
    assert.ok(layout.focus.dataPrefix.startsWith(layout.exportsPrefix));
    for (const other of [layout.normalizedPrefix, layout.resultsPrefix]) {
      assert.ok(!other.startsWith(layout.exportsPrefix), `${other} overlaps the exports prefix`);
    }
  });
});
