import assert from "node:assert/strict";
import { Parser } from "node-sql-parser";
import { bigquery } from "../../../runtime/mapping/bigquery";
import { ALIAS } from "../../../runtime/mapping/compile";
import { trino } from "../../../runtime/mapping/trino";
import { FORMAT_IDS } from "../../../runtime/mapping/types";
import { compileAny, DIALECTS } from "../warehouse/fixtures";
import { PARSER_REWRITES, parseable } from "../warehouse/parse";

const parser = new Parser();
const QUERIES = ["output", "accounting", "quarantine", "unknownServices", "outputTotals"] as const;

describe("Trino and BigQuery dialects", () => {
  for (const [name, d] of Object.entries(DIALECTS)) {
    for (const format of FORMAT_IDS) {
      it(`${format} compiles to ${name} SQL that node-sql-parser parses in its ${name} grammar`, () => {
        const compiled = compileAny(format, d);
        for (const q of QUERIES) {
          // unknownServices exists only for exploded mappings; the others count in accounting.
          const sql = compiled[q]?.replace("{output}", "o");
          if (sql === undefined) continue;
          assert.doesNotThrow(
            () => parser.astify(parseable(d.name as "trino", sql), { database: name }),
            `${format} ${q}`,
          );
        }
      });
    }
  }

  it("each parser rewrite is needed by some compiled SQL, and only those rewrites are applied", () => {
    for (const [name, rewrites] of Object.entries(PARSER_REWRITES)) {
      const d = DIALECTS[name as keyof typeof DIALECTS];
      const all = FORMAT_IDS.flatMap((f) =>
        QUERIES.flatMap((q) => compileAny(f, d)[q]?.replace("{output}", "o") ?? []),
      );
      for (const [pattern] of rewrites) {
        const needing = all.find((sql) => new RegExp(pattern.source).test(sql));
        assert.ok(needing, `${name}: rewrite ${pattern} matches nothing any more; remove it`);
        const others = rewrites.filter(([p]) => p !== pattern);
        const partly = others.reduce((s, [p, r]) => s.replace(p, r), needing);
        assert.throws(() => parser.astify(partly, { database: name }), `${name}: ${pattern} is not needed`);
      }
    }
  });

  it("quotes like each engine: BigQuery escapes with backslashes, Trino doubles quotes", () => {
    assert.equal(bigquery.string("it's a \\ path\n"), "'it\\'s a \\\\ path\\n'");
    assert.equal(trino.string("it's"), "'it''s'");
    assert.equal(bigquery.ident("a`b"), "`a\\`b`");
    assert.equal(trino.ident('a"b'), '"a""b"');
  });

  it("Trino keeps exploded items in flat columns, since its ROW fields cannot be named without types", () => {
    assert.equal(trino.structField(ALIAS.item, "cost"), `"${ALIAS.item}_cost"`);
    assert.equal(trino.structField(`k.${ALIAS.item}`, "cost"), `k."${ALIAS.item}_cost"`);
    const sql = trino.explode(
      "(SELECT 1 AS a)",
      [
        { cost: "a", unit: "'h'" },
        { cost: "2", unit: "NULL" },
      ],
      ALIAS.item,
    );
    assert.match(
      sql,
      /CROSS JOIN UNNEST\(ARRAY\[a, 2\], ARRAY\['h', NULL\]\) AS __items\("__item_cost", "__item_unit"\)/,
    );
  });

  it("JSON columns stay text until written: JSON text in Trino (Glue stores strings), JSON type in BigQuery", () => {
    assert.equal(trino.cast("x", "json"), "CAST(x AS VARCHAR)");
    assert.equal(bigquery.cast("x", "json"), "PARSE_JSON(x)");
    assert.equal(trino.columnType("decimal"), "DECIMAL(38,18)");
    assert.equal(bigquery.columnType("decimal"), "BIGNUMERIC");
  });
});
