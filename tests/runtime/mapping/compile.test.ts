import assert from "node:assert/strict";
import { coalesce, col, eq, lit, lookup, mul, out, when } from "../../../runtime/mapping/ast";
import { openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { compileDatasetQueries, compilePipeline, MappingError } from "../../../runtime/mapping/compile";
import type { Dialect } from "../../../runtime/mapping/dialect";
import { duckdb } from "../../../runtime/mapping/duckdb";
import type { SourceMapping } from "../../../runtime/mapping/types";
import { FORMAT_IDS } from "../../../runtime/mapping/types";
import { MAPPINGS } from "../../../runtime/mappings";
import { ALL_FOCUS_COLUMNS, outputColumns } from "../../../runtime/schema/output";

const input = (mapping: SourceMapping) => ({
  relation: "raw_rows",
  textColumns: new Set(Object.keys(mapping.raw)),
  tenantId: "t1",
  tables: {
    services: "services",
    regions: "regions",
    units: "units",
    rates: "rates",
    billingAccounts: "accounts",
  },
});

/**
 * A dialect whose every engine-specific operation is an opaque marker: what the compiler writes
 * around the markers is plain SQL, so a second engine needs only its own Dialect.
 */
const marker: Dialect = Object.fromEntries(
  Object.entries(duckdb).map(([name, fn]) => [
    name,
    typeof fn !== "function" || ["ident", "string", "columnType", "cast"].includes(name)
      ? fn
      : (...args: unknown[]) => `${name.toUpperCase()}(${args.map((a) => JSON.stringify(a)).join(", ")})`,
  ]),
) as unknown as Dialect;

/** DuckDB functions that must only ever come from the DuckDB dialect, never from a mapping or the compiler. */
const DUCKDB_ONLY =
  /\b(json_transform|list_transform|list_filter|map_entries|try_strptime|strftime|regexp_full_match|unnest|to_json|json_merge_patch|TRY_CAST|INTERVAL)\b/i;

describe("mapping compiler", () => {
  it("computes a regexExtract named several times by the row's columns once per row", () => {
    for (const mapping of Object.values(MAPPINGS)) {
      const { output } = compilePipeline(mapping, duckdb, input(mapping));
      const calls: string[] = output.match(/regexp_extract\(.*?, 1\)/g) ?? [];
      assert.deepEqual(
        calls.filter((call, i) => calls.indexOf(call) !== i),
        [],
        `${mapping.format}: a regex is evaluated more than once`,
      );
    }
    const aws = compilePipeline(MAPPINGS["aws-cur2"], duckdb, input(MAPPINGS["aws-cur2"])).output;
    assert.match(aws, /AS __regex0\b/, "the repeated extractions are columns of an inner SELECT");
  });

  it("computes a product named by several columns once per row, unless only CASE branches name it", () => {
    const cur = MAPPINGS["aws-cur2"];
    const everyRow = mul(col("line_item_usage_amount"), col("pricing_public_on_demand_rate"));
    const inBranches = mul(col("line_item_usage_amount"), col("line_item_unblended_rate"));
    const branch = (type: string) => when([[eq(col("line_item_line_item_type"), type), inBranches]]);
    const mapping: SourceMapping = {
      ...cur,
      focus: {
        ...cur.focus,
        ListUnitPrice: everyRow,
        PricingCurrencyListUnitPrice: coalesce(lit(0), everyRow),
        ContractedUnitPrice: branch("Usage"),
        PricingCurrencyContractedUnitPrice: branch("DiscountedUsage"),
      },
    };
    const { output } = compilePipeline(mapping, duckdb, input(mapping));
    // Every raw column is text here (see input), read as DOUBLE from its source value.
    const operand = (name: string) => duckdb.toDouble!(duckdb.ident(`raw$${name}`), true);
    const product = (right: string) => duckdb.multiply(operand("line_item_usage_amount"), operand(right));
    const namings = (right: string) => output.split(product(right)).length - 1;
    assert.equal(namings("pricing_public_on_demand_rate"), 1, "computed once");
    assert.ok(output.includes(`${product("pricing_public_on_demand_rate")} AS __calc`), "in an inner SELECT");
    // Shared, the product would run for every row, where a branch may exist to avoid it.
    assert.equal(namings("line_item_unblended_rate"), 2, "left in its branches");
  });

  it("DuckDB: products and quotients read decimal source columns as DOUBLE, never their parsed DECIMAL", () => {
    for (const mapping of Object.values(MAPPINGS)) {
      const { output } = compilePipeline(mapping, duckdb, input(mapping));
      // A FOCUS export's columns share their names with the output's, which the x_ layer converts.
      const decimals = Object.entries(mapping.raw).filter(
        ([name, c]) => c.type === "decimal" && !outputColumns().some((o) => o.name === name),
      );
      for (const [name] of decimals) {
        assert.ok(!output.includes(`CAST(${duckdb.ident(name)} AS DOUBLE)`), `${mapping.format}: ${name}`);
      }
    }
    const cur = compilePipeline(MAPPINGS["aws-cur2"], duckdb, input(MAPPINGS["aws-cur2"])).output;
    assert.ok(cur.includes(duckdb.toDouble!(duckdb.ident("raw$line_item_usage_amount"), true)));
  });

  it("counts unknown services in the accounting pass when the key reads the source row, even with exploded items", () => {
    const cur = compilePipeline(MAPPINGS["aws-cur2"], duckdb, input(MAPPINGS["aws-cur2"]));
    assert.ok(MAPPINGS["aws-cur2"].explode, "CUR splits commitment fees into fee and unused rows");
    assert.equal(cur.unknownServices, undefined, "no separate scan");
    assert.match(cur.accounting, /THEN CAST\(a\.__service_key AS VARCHAR\) END AS unknown_service/);
    const opencost = compilePipeline(MAPPINGS.opencost, duckdb, input(MAPPINGS.opencost));
    assert.ok(opencost.unknownServices, "a key from the exploded items needs its own scan");
    assert.match(opencost.accounting, /CAST\(NULL AS VARCHAR\) AS unknown_service/);
  });

  it("every format has a mapping declaring every FOCUS and x_ column, and it is plain data", () => {
    assert.deepEqual(Object.keys(MAPPINGS).sort(), [...FORMAT_IDS].sort());
    for (const mapping of Object.values(MAPPINGS)) {
      assert.deepEqual(
        Object.keys(mapping.focus).sort(),
        ALL_FOCUS_COLUMNS.map((c) => c.name).sort(),
        mapping.format,
      );
      assert.deepEqual(
        Object.keys(mapping.extensions).sort(),
        outputColumns()
          .filter((c) => c.level === "costline")
          .map((c) => c.name)
          .sort(),
      );
      // Data, not code: it survives a JSON round trip unchanged (no functions, no SQL builders).
      assert.deepEqual(JSON.parse(JSON.stringify(mapping)), mapping);
    }
  });

  for (const format of FORMAT_IDS) {
    it(`${format}: compiles through the dialect only (no DuckDB SQL outside it)`, () => {
      const mapping = MAPPINGS[format];
      const viaMarker = compilePipeline(mapping, marker, input(mapping));
      const queries = Object.values(viaMarker).map((q) => (typeof q === "function" ? q("2025-03") : q));
      for (const sql of queries.filter((q) => q !== undefined)) {
        assert.doesNotMatch(sql, DUCKDB_ONLY);
      }
      const viaDuckdb = compilePipeline(mapping, duckdb, input(mapping));
      assert.match(viaDuckdb.output, /^SELECT /);
    });
  }

  it("joins the billing account names on BillingAccountId only for a mapping that looks them up", () => {
    const join = 'LEFT JOIN accounts AS __acct ON __acct.id = k."focus$BillingAccountId"';
    const gcp = compilePipeline(MAPPINGS["gcp-billing"], duckdb, input(MAPPINGS["gcp-billing"])).output;
    assert.ok(gcp.includes(join), "gcp-billing names its accounts from the table");
    assert.match(gcp, /__acct\."name" AS VARCHAR\) AS "BillingAccountName"/);
    const cur = MAPPINGS["aws-cur2"];
    assert.doesNotMatch(compilePipeline(cur, duckdb, input(cur)).output, /__acct/, "CUR has its own names");
    const named = { ...cur, focus: { ...cur.focus, BillingAccountName: lookup("billingAccount", "name") } };
    assert.ok(
      compilePipeline(named, duckdb, input(cur)).output.includes(join),
      "any mapping may look them up",
    );
    assert.throws(
      () =>
        compilePipeline(
          { ...named, focus: { ...named.focus, BillingAccountId: lookup("service", "serviceName") } },
          duckdb,
          input(cur),
        ),
      (e: unknown) => e instanceof MappingError && /looked up by BillingAccountId/.test(e.message),
    );
  });

  it("rejects a mapping that reads an undeclared column or an output column in FOCUS", () => {
    const base = MAPPINGS["aws-cur2"];
    assert.throws(
      () =>
        compilePipeline(
          { ...base, focus: { ...base.focus, InvoiceId: col("no_such_column") } },
          duckdb,
          input(base),
        ),
      (e: unknown) => e instanceof MappingError && /column "no_such_column" is not declared/.test(e.message),
    );
    assert.throws(
      () =>
        compilePipeline(
          { ...base, focus: { ...base.focus, InvoiceId: out("BilledCost") } },
          duckdb,
          input(base),
        ),
      /only allowed in x_ columns/,
    );
    const { Tags: _dropped, ...incomplete } = base.focus;
    assert.throws(
      () => compilePipeline({ ...base, focus: incomplete }, duckdb, input(base)),
      /no expression for Tags/,
    );
  });
});

describe("mapping compiler: paired datasets (compileDatasetQueries)", () => {
  it("keeps every row but those of a paired key that the whole dataset holds, also rows with no key", async () => {
    const mapping = MAPPINGS["azure-cost-details"];
    const row = (n: number, account: string | null, chargeType: string, model: string, cost: string) =>
      `SELECT 'f.csv' AS __file, ${n} AS __row, CAST(NULL AS VARCHAR) AS __problem, ${Object.keys(mapping.raw)
        .map((name) => {
          const value = {
            billing_account_id: account,
            billing_period_start: "03/01/2025",
            charge_type: chargeType,
            pricing_model: model,
            cost,
            currency: "EUR",
          }[name];
          return `${value === undefined || value === null ? "NULL" : `'${value}'`}::VARCHAR AS "${name}"`;
        })
        .join(", ")}`;
    const relation = `(${[
      row(1, "87654321", "Usage", "OnDemand", "3.36"),
      row(2, "87654321", "Purchase", "Reservation", "162"),
      row(3, null, "Usage", "OnDemand", "1"),
      row(4, "11112222", "Usage", "OnDemand", "5"),
    ].join(" UNION ALL ")})`;
    const text = new Set(Object.keys(mapping.raw));
    const q = compileDatasetQueries(mapping, duckdb, relation, text, new Set(), true);
    const engine = await openEngine({ memoryLimit: "256MB" });
    try {
      const keys = (await queryRows<{ __key: string }>(engine.connection, q.keys)).map((r) => r.__key).sort();
      assert.deepEqual(keys, [
        "billing account 11112222, period 2025-03-01",
        "billing account 87654321, period 2025-03-01",
      ]);
      const { kept, superseded } = q.split(["billing account 87654321, period 2025-03-01"]);
      const rows = await queryRows<{ __row: number; cost: string }>(
        engine.connection,
        `SELECT __row, cost FROM (${kept}) ORDER BY __row`,
      );
      assert.deepEqual(
        rows.map((r) => [Number(r.__row), r.cost]),
        [
          [2, "162"],
          [3, "1"],
          [4, "5"],
        ],
      );
      const tallies = await queryRows<{ currency: string; rows: bigint; cost: string }>(
        engine.connection,
        superseded,
      );
      assert.deepEqual(
        tallies.map((t) => [t.currency, Number(t.rows), Number(t.cost)]),
        [["EUR", 1, 3.36]],
      );
      const none = await queryRows<{ n: bigint }>(
        engine.connection,
        `SELECT count(*) AS n FROM (${q.split([]).kept})`,
      );
      assert.equal(Number(none[0]!.n), 4);
    } finally {
      engine.close();
    }
  });
});
