import assert from "node:assert/strict";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { CheckCompiler } from "../../../runtime/validate/compile";
import type { Dataset } from "../../../runtime/validate/dataset";
import type { Check } from "../../../runtime/validate/model";

/**
 * Each check function compiled to SQL and run on a few values: TRUE satisfies it, FALSE violates
 * it, NULL means the check does not speak about the row.
 */
describe("validate: check functions as SQL", () => {
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  before(async () => {
    db = await DuckDBInstance.create(":memory:");
    conn = await db.connect();
  });
  after(() => {
    conn.closeSync();
    db.closeSync();
  });

  /** Creates table t from a SELECT and evaluates one check per row, in order of column `i`. */
  async function evaluate(
    select: string,
    check: Check,
    format: Dataset["format"] = "csv",
    mode: "requirement" | "condition" = "requirement",
  ): Promise<(boolean | null)[]> {
    await conn.run(`CREATE OR REPLACE TABLE t AS ${select}`);
    const described = (await conn.runAndReadAll("DESCRIBE t")).getRowObjectsJson();
    const columns = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
    const compiler = new CheckCompiler({ columns, format });
    const predicate = compiler[mode](check);
    const windows = [...compiler.windows].map(([a, s]) => `, ${s} AS "${a}"`).join("");
    const rows = await conn.runAndReadAll(
      `SELECT ${predicate} AS ok FROM (SELECT *${windows} FROM t) ORDER BY i`,
    );
    return rows.getRowObjectsJson().map((r) => r.ok as boolean | null);
  }
  const texts = (...values: (string | null)[]) =>
    values
      .map((v, i) => `SELECT ${i} AS i, ${v === null ? "NULL::VARCHAR" : `'${v.replace(/'/g, "''")}'`} AS c`)
      .join(" UNION ALL ");

  it("ColumnPresent", async () => {
    assert.deepEqual(await evaluate(texts("x"), { fn: "ColumnPresent", column: "c" }), [true]);
    assert.deepEqual(await evaluate(texts("x"), { fn: "ColumnPresent", column: "Nope" }), [false]);
  });

  it("TypeString: text passes, a typed number in Parquet does not", async () => {
    assert.deepEqual(await evaluate(texts("a", null), { fn: "TypeString", column: "c" }), [true, null]);
    assert.deepEqual(
      await evaluate("SELECT 0 AS i, 1.5 AS c", { fn: "TypeString", column: "c" }, "parquet"),
      [false],
    );
  });

  it("TypeDecimal: CSV text must spell a number; Parquet must carry a numeric type", async () => {
    const check: Check = { fn: "TypeDecimal", column: "c" };
    assert.deepEqual(await evaluate(texts("1.5", "-2e-3", "NULL", "1,5", null), check), [
      true,
      true,
      false,
      false,
      null,
    ]);
    assert.deepEqual(await evaluate("SELECT 0 AS i, 1.5::DECIMAL(38,18) AS c", check, "parquet"), [true]);
    assert.deepEqual(await evaluate(texts("1.5"), check, "parquet"), [false]);
  });

  it("TypeDateTime and FormatDateTime: a date-time without T and Z has the type but not the format", async () => {
    const values = texts(
      "2024-01-01T00:00:00Z",
      "2024-01-01 00:00:00",
      "2024-01-31",
      "NULL",
      "2024-02-30T00:00:00Z",
    );
    assert.deepEqual(await evaluate(values, { fn: "TypeDateTime", column: "c" }), [
      true,
      true,
      true,
      false,
      false,
    ]);
    assert.deepEqual(await evaluate(values, { fn: "FormatDateTime", column: "c" }), [
      true,
      false,
      false,
      false,
      false,
    ]);
    const typed = "SELECT 0 AS i, TIMESTAMPTZ '2024-01-01 00:00:00Z' AS c";
    assert.deepEqual(await evaluate(typed, { fn: "FormatDateTime", column: "c" }, "parquet"), [true]);
  });

  it("FormatNumeric and CheckDecimalValue: E notation yes; +, commas, symbols, NaN no", async () => {
    const values = texts("12", "-0.5", ".5", "1E-3", "+1", "1,000", "$3", "1/2", "NaN", "1e+3");
    const expected = [true, true, true, true, false, false, false, false, false, false];
    assert.deepEqual(await evaluate(values, { fn: "FormatNumeric", column: "c" }), expected);
    assert.deepEqual(await evaluate(values, { fn: "CheckDecimalValue", column: "c" }), expected);
    assert.deepEqual(
      await evaluate(
        "SELECT 0 AS i, 'nan'::DOUBLE AS c",
        { fn: "CheckDecimalValue", column: "c" },
        "parquet",
      ),
      [false],
    );
  });

  it("FormatString: no empty strings, blanks or null placeholders", async () => {
    assert.deepEqual(
      await evaluate(texts("web-1", "", "  ", "NULL", "Not Applicable", null), {
        fn: "FormatString",
        column: "c",
      }),
      [true, false, false, false, false, null],
    );
  });

  it("FormatUnit", async () => {
    assert.deepEqual(
      await evaluate(texts("GB-Hours", "1000 Requests", "Requests/Second", "Hours", "", "3", "GB--"), {
        fn: "FormatUnit",
        column: "c",
      }),
      [true, true, true, true, false, false, false],
    );
  });

  it("FormatKeyValue: a JSON object of scalars with unique keys; a MAP of scalars", async () => {
    const values = texts(
      '{"a":"1","b":2,"c":null,"d":true}',
      '{"a":1,"a":2}',
      '{"a":{"b":1}}',
      '{"a":[1]}',
      '["a","b"]',
      "NULL",
      "null",
      "{}",
    );
    assert.deepEqual(await evaluate(values, { fn: "FormatKeyValue", column: "c" }), [
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
    assert.deepEqual(
      await evaluate(
        "SELECT 0 AS i, map(['k'], ['v']) AS c",
        { fn: "FormatKeyValue", column: "c" },
        "parquet",
      ),
      [true],
    );
    assert.deepEqual(
      await evaluate("SELECT 0 AS i, ['k'] AS c", { fn: "FormatKeyValue", column: "c" }, "parquet"),
      [false],
    );
  });

  it("FormatCurrency and CheckNationalCurrency", async () => {
    const values = texts("USD", "EUR", "usd", "EU1", "Credits", "");
    assert.deepEqual(await evaluate(values, { fn: "FormatCurrency", column: "c" }), [
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
    assert.deepEqual(await evaluate(values, { fn: "CheckNationalCurrency", column: "c" }), [
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it("CheckValue and CheckNotValue: null, text (case matters) and numbers", async () => {
    const values = texts("Usage", "usage", null, "0", "0.00");
    assert.deepEqual(await evaluate(values, { fn: "CheckValue", column: "c", value: "Usage" }), [
      true,
      false,
      null,
      false,
      false,
    ]);
    assert.deepEqual(await evaluate(values, { fn: "CheckNotValue", column: "c", value: "Usage" }), [
      false,
      true,
      null,
      true,
      true,
    ]);
    assert.deepEqual(await evaluate(values, { fn: "CheckValue", column: "c", value: null }), [
      false,
      false,
      true,
      false,
      false,
    ]);
    assert.deepEqual(await evaluate(values, { fn: "CheckNotValue", column: "c", value: null }), [
      true,
      true,
      false,
      true,
      true,
    ]);
    assert.deepEqual(await evaluate(values, { fn: "CheckValue", column: "c", value: 0 }), [
      null,
      null,
      null,
      true,
      true,
    ]);
  });

  it("CheckGreaterOrEqualThanValue", async () => {
    assert.deepEqual(
      await evaluate(texts("0", "3.5", "-0.01", null), {
        fn: "CheckGreaterOrEqualThanValue",
        column: "c",
        value: 0,
      }),
      [true, true, false, null],
    );
  });

  it("CheckSameValue and CheckNotSameValue (a condition treats NULL as a value)", async () => {
    const select =
      "SELECT * FROM (VALUES (0, 'AWS', 'AWS'), (1, 'Seller', 'AWS'), (2, NULL, 'AWS')) v(i, a, b)";
    assert.deepEqual(await evaluate(select, { fn: "CheckSameValue", columnA: "a", columnB: "b" }), [
      true,
      false,
      null,
    ]);
    assert.deepEqual(await evaluate(select, { fn: "CheckNotSameValue", columnA: "a", columnB: "b" }), [
      false,
      true,
      null,
    ]);
    assert.deepEqual(
      await evaluate(select, { fn: "CheckNotSameValue", columnA: "a", columnB: "b" }, "csv", "condition"),
      [false, true, true],
    );
  });

  it("CheckDistinctCount: each A has exactly n distinct B", async () => {
    const select =
      "SELECT * FROM (VALUES (0, 'p1', 's1'), (1, 'p1', 's1'), (2, 'p2', 's1'), (3, 'p2', 's2'), (4, NULL, 's3')) v(i, a, b)";
    assert.deepEqual(
      await evaluate(select, { fn: "CheckDistinctCount", columnA: "a", columnB: "b", expectedCount: 1 }),
      [true, true, false, false, null],
    );
  });

  it("ColumnByColumnEqualsColumnValue within the stated tolerance", async () => {
    const select =
      "SELECT * FROM (VALUES (0, '0.023', '239.13', '5.5'), (1, '2', '3', '6'), (2, '2', '3', '6.1'), (3, NULL, '3', '6')) v(i, a, b, r)";
    assert.deepEqual(
      await evaluate(select, {
        fn: "ColumnByColumnEqualsColumnValue",
        columnA: "a",
        columnB: "b",
        result: "r",
      }),
      [true, true, false, null],
    );
  });

  it("AND and OR composites in three-valued logic", async () => {
    const select = "SELECT * FROM (VALUES (0, 'Usage', 'x'), (1, 'Tax', NULL), (2, 'usage', 'x')) v(i, a, b)";
    const or: Check = {
      fn: "OR",
      items: [
        { fn: "CheckValue", column: "a", value: "Usage" },
        { fn: "CheckValue", column: "a", value: "Tax" },
      ],
    };
    assert.deepEqual(await evaluate(select, or), [true, true, false]);
    const and: Check = { fn: "AND", items: [or, { fn: "CheckNotValue", column: "b", value: null }] };
    assert.deepEqual(await evaluate(select, and), [true, false, false]);
  });

  it("conditions are two-valued: NULL is not a value and is 'not' any value", async () => {
    const select = "SELECT * FROM (VALUES (0, 'Correction'), (1, NULL)) v(i, c)";
    assert.deepEqual(
      await evaluate(select, { fn: "CheckNotValue", column: "c", value: "Correction" }, "csv", "condition"),
      [false, true],
    );
    assert.deepEqual(
      await evaluate(select, { fn: "CheckValue", column: "c", value: "Correction" }, "csv", "condition"),
      [true, false],
    );
  });
});
