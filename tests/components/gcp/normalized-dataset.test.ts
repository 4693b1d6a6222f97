import assert from "node:assert/strict";
import {
  bigQueryOutputSchema,
  CLUSTERING_COLUMNS,
  PARTITION_COLUMN,
} from "../../../components/gcp/normalized-dataset";
import { outputColumns, sqlType } from "../../../runtime/schema/output";

describe("gcp: normalized table schema", () => {
  it("has every output column of the version, in the runtime's order, with the BigQuery type of its logical type", () => {
    for (const version of ["1.2", "1.3"] as const) {
      const schema = bigQueryOutputSchema(version);
      assert.deepEqual(
        schema.map((f) => [f.name, f.type]),
        outputColumns(version).map((c) => [c.name, sqlType(c.type, "bigquery")]),
      );
      assert.ok(schema.every((f) => f.mode === "NULLABLE" && f.description.length > 0));
    }
    const added = bigQueryOutputSchema("1.3").find((f) => f.name === "HostProviderName");
    assert.equal(added?.description, "FOCUS 1.3 HostProviderName (mandatory)");
    assert.equal(bigQueryOutputSchema("1.3").length - bigQueryOutputSchema("1.2").length, 8);
  });

  it("follows a change of the runtime schema instead of keeping a copy", () => {
    const schema = bigQueryOutputSchema("1.2", [
      { name: "x_New", type: "decimal", level: "costline" },
      { name: "x_Day", type: "date", level: "costline", description: "a day" },
    ]);
    assert.deepEqual(schema, [
      { name: "x_New", type: "BIGNUMERIC", mode: "NULLABLE", description: "FOCUS 1.2 x_New (costline)" },
      { name: "x_Day", type: "DATE", mode: "NULLABLE", description: "a day" },
    ]);
  });

  it("partitions on a DATE column and clusters on tenant, provider and service columns that exist", () => {
    const byName = new Map(bigQueryOutputSchema("1.2").map((f) => [f.name, f.type]));
    assert.equal(byName.get(PARTITION_COLUMN), "DATE");
    assert.deepEqual([...CLUSTERING_COLUMNS], ["x_TenantId", "x_Provider", "ServiceName"]);
    for (const c of CLUSTERING_COLUMNS) assert.equal(byName.get(c), "STRING", c);
  });
});
