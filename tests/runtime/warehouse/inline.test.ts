import assert from "node:assert/strict";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { bigquery } from "../../../runtime/mapping/bigquery";
import { trino } from "../../../runtime/mapping/trino";
import { loadTaxonomy } from "../../../runtime/normalize/taxonomy-tables";
import { unitRows } from "../../../runtime/taxonomy/units";
import { inlineTaxonomy } from "../../../runtime/warehouse/inline";

type UnitRow = { provider: string; key: string; unit: string; block_unit: string; block: string };
const ordered = `SELECT provider, key, unit, block_unit, CAST(block AS VARCHAR) AS block FROM {t} ORDER BY provider, key`;

describe("warehouse inline tables", () => {
  it("the units table inline in Athena's SQL holds the rows the normalizer loads into DuckDB", async () => {
    const engine = await openEngine({ memoryLimit: "256MB" });
    try {
      await loadTaxonomy(engine.connection, { services: "s", regions: "r", units: "u" });
      const loaded = await queryRows<UnitRow>(engine.connection, ordered.replace("{t}", "u"));
      // Trino's VALUES with typed literals is SQL DuckDB runs as it is.
      const inline = await queryRows<UnitRow>(
        engine.connection,
        ordered.replace("{t}", inlineTaxonomy(trino).units),
      );
      assert.deepEqual(inline, loaded);
      assert.equal(loaded.length, unitRows().length);
      assert.ok(
        loaded.some((r) => r.provider === "azure" && r.key === "10k" && r.block_unit === "10000 Units"),
      );
    } finally {
      engine.close();
    }
  });

  it("the units table inline in BigQuery's SQL holds one provider's rows, typed in its first STRUCT", () => {
    const sql = inlineTaxonomy(bigquery, "gcp").units;
    assert.match(
      sql,
      /STRUCT\('gcp' AS `provider`,\s*'hour' AS `key`,\s*'Hours' AS `unit`,\s*'Hours' AS `block_unit`,\s*CAST\('1' AS BIGNUMERIC\) AS `block`\)/,
    );
    for (const r of unitRows("gcp")) assert.ok(sql.includes(`'${r.key}'`), r.key);
    assert.ok(!sql.includes("'azure'"));
  });
});
