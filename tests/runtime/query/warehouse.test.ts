import assert from "node:assert/strict";
import { Parser } from "node-sql-parser";
import { VIEW_ENGINES, viewDefinitions, viewStatements } from "../../../runtime/query/warehouse";
import { NAMED_VIEWS } from "../../../runtime/query/views";
import { parseable } from "../warehouse/parse";

describe("the views rendered for a warehouse", () => {
  const parser = new Parser();
  for (const [engine, database] of [
    ["athena", "trino"],
    ["bigquery", "bigquery"],
  ] as const) {
    it(`${engine}: every view parses as ${database} SQL and reads the table's unified view beside it`, () => {
      const sql = viewStatements(engine, "billing.normalized");
      const statements = sql.split(/;\n\n/).map((s) => s.replace(/^--.*\n/, "").replace(/;\s*$/, ""));
      assert.equal(statements.length, NAMED_VIEWS.length + 1);
      for (const s of statements) {
        const select = s.replace(/^CREATE OR REPLACE VIEW \S+ AS /, "");
        assert.doesNotThrow(() => parser.astify(parseable(database, select), { database }), s.slice(0, 200));
      }
      const unified = engine === "bigquery" ? "`billing.unified`" : "billing.unified";
      assert.ok(statements[0]!.startsWith(`CREATE OR REPLACE VIEW ${unified} AS SELECT`));
      // BigQuery quotes a plain table id whole (a project id may hold a dash); Trino takes it as it is.
      assert.ok(
        statements[0]!.includes(
          engine === "bigquery" ? "FROM `billing.normalized`" : "FROM billing.normalized",
        ),
      );
      for (const s of statements.slice(1)) assert.ok(s.includes(`FROM ${unified}`), s.slice(0, 120));
    });
  }

  for (const [engine, database] of [
    ["athena", "trino"],
    ["bigquery", "bigquery"],
  ] as const) {
    it(`${engine}: unified renames the tenant's tag aliases in canonical_tags, in SQL that parses`, () => {
      const aliases = { cost_center: ["cost-center", "CostCenter"] };
      const [unified, , coverage] = viewDefinitions(engine, "billing.normalized", aliases);
      assert.doesNotThrow(() => parser.astify(parseable(database, unified!.sql), { database }));
      for (const key of ["'cost-center'", "'CostCenter'"]) assert.ok(unified!.sql.includes(key), key);
      assert.match(unified!.sql, /AS [`"]canonical_tags[`"]/);
      assert.ok(!viewDefinitions(engine, "billing.normalized")[0]!.sql.includes("CostCenter"));
      // Coverage by tag key counts an alias under its canonical key.
      assert.match(coverage!.sql, /canonical_tags/);
    });
  }

  it("bigquery: a project id with a dash is quoted, whether or not it was given quoted", () => {
    for (const table of ["acme-prod.costline.focus_cost", "`acme-prod.costline.focus_cost`"]) {
      const sql = viewStatements("bigquery", table);
      assert.ok(sql.includes("FROM `acme-prod.costline.focus_cost`"), table);
      assert.ok(sql.startsWith("CREATE OR REPLACE VIEW `acme-prod.costline.unified` AS"), table);
    }
  });

  it("names every engine a user knows", () => {
    assert.deepEqual(Object.keys(VIEW_ENGINES), ["duckdb", "athena", "bigquery"]);
  });
});
