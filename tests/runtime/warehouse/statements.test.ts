import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Parser } from "node-sql-parser";
import { compilePipeline } from "../../../runtime/mapping/compile";
import type { Dialect } from "../../../runtime/mapping/dialect";
import { inlineBillingAccountNames, inlineRates, inlineTaxonomy } from "../../../runtime/warehouse/inline";
import { MAPPINGS } from "../../../runtime/mappings";
import {
  athenaPeriodStatements,
  bigQueryPeriodStatements,
  bigQueryTable,
  compilePeriod,
  ownProvider,
} from "../../../runtime/warehouse/statements";
import { sourceRelation } from "../../../runtime/warehouse/source";
import { bigquery } from "../../../runtime/mapping/bigquery";
import { trino } from "../../../runtime/mapping/trino";
import { JOB_SOURCES } from "./fixtures";
import { parseable } from "./parse";
import { matchesSnapshot } from "./snapshot";

const parser = new Parser();
const LOCATION = "s3://costline-acme-111111111111-eu-west-1/normalized/billing_period=2026-10/run=run-1/";
const TARGET = bigQueryTable("acme-billing", "costline_acme_normalized", "focus_cost");

const input = (format: keyof typeof JOB_SOURCES, period: string) => ({
  mapping: MAPPINGS[format],
  tenantId: "acme",
  period,
  tables: [JOB_SOURCES[format]],
  rates: [{ date: "2026-09-15", currency: "EUR", usdPerUnit: "1.08" }],
  billingAccountNames: { "0A1B2C-3D4E5F-6A7B8C": "ACME Production" },
});

const tablesOf = (d: Dialect, i: ReturnType<typeof input>) => ({
  ...inlineTaxonomy(d, ownProvider(i.mapping)),
  rates: inlineRates(d, i.rates, i.period),
  billingAccounts: inlineBillingAccountNames(d, i.billingAccountNames),
});

describe("warehouse statements", () => {
  for (const format of ["aws-cur2", "aws-focus"] as const) {
    it(`${format}: the Athena UNLOAD of a period parses, writes the Glue columns, and matches its reviewed snapshot`, () => {
      const s = athenaPeriodStatements(input(format, "2026-10"), LOCATION);
      assert.equal(
        s.unload,
        `UNLOAD (${s.select}) TO '${LOCATION}' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
      );
      assert.doesNotThrow(() => parser.astify(parseable("trino", s.select), { database: "trino" }));
      assert.doesNotThrow(() => parser.astify(parseable("trino", s.accounting), { database: "trino" }));
      assert.match(
        s.select,
        /^SELECT o\."AvailabilityZone" AS "availabilityzone", o\."BilledCost" AS "billedcost",/,
      );
      assert.match(s.select, /FROM "costline_acme"\."(cur2|focus)" WHERE "billing_period" = '2026-10'/);
      matchesSnapshot(`${format}.athena-unload.sql`, s.unload);
      matchesSnapshot(`${format}.athena-accounting.sql`, s.accounting);
    });
  }

  it("gcp-billing: the BigQuery replacement parses statement by statement and matches its reviewed snapshot", () => {
    const s = bigQueryPeriodStatements(input("gcp-billing", "2026-10"), TARGET);
    for (const sql of [s.delete, s.insert, s.accounting]) {
      assert.doesNotThrow(
        () => parser.astify(parseable("bigquery", sql), { database: "bigquery" }),
        sql.slice(0, 80),
      );
    }
    const script = s.script(42);
    assert.ok(script.includes(`  ${s.delete};\n  ${s.insert};\n  IF @@row_count != 42 THEN`));
    matchesSnapshot("gcp-billing.bigquery-replace.sql", script);
    matchesSnapshot("gcp-billing.bigquery-accounting.sql", s.accounting);
    assert.throws(() => s.script(-1), /expected rows must be a count/);
  });

  it("FOCUS 1.3 statements parse in both warehouses and write 1.3's columns, JSON ones included", () => {
    const athena = athenaPeriodStatements({ ...input("aws-cur2", "2026-10"), focusVersion: "1.3" }, LOCATION);
    assert.doesNotThrow(() => parser.astify(parseable("trino", athena.select), { database: "trino" }));
    for (const c of ["hostprovidername", "serviceprovidername", "contractapplied", "allocatedmethoddetails"])
      assert.match(athena.select, new RegExp(`AS "${c}"`));
    const bq = bigQueryPeriodStatements({ ...input("gcp-billing", "2026-10"), focusVersion: "1.3" }, TARGET);
    for (const sql of [bq.delete, bq.insert, bq.accounting]) {
      assert.doesNotThrow(
        () => parser.astify(parseable("bigquery", sql), { database: "bigquery" }),
        sql.slice(0, 80),
      );
    }
    assert.match(bq.insert, /`HostProviderName`/);
    assert.match(bq.insert, / AS `ContractApplied`/);
    // 1.2 statements name none of them.
    assert.doesNotMatch(
      athenaPeriodStatements(input("aws-cur2", "2026-10"), LOCATION).select,
      /hostprovidername/,
    );
  });

  it("a required column missing from the export table is an error naming it", () => {
    const table = {
      ...JOB_SOURCES["aws-cur2"],
      columns: JOB_SOURCES["aws-cur2"].columns.filter((c) => c.name !== "line_item_unblended_cost"),
    };
    assert.throws(
      () => sourceRelation(MAPPINGS["aws-cur2"], trino, [table]),
      /cur2 lack\(s\) the required column line_item_unblended_cost/,
    );
    assert.throws(() => sourceRelation(MAPPINGS["azure-cost-details"], bigquery, [table]), /per-file facts/);
  });

  it("unsafe names cannot reach the statements", () => {
    assert.throws(
      () => athenaPeriodStatements(input("aws-cur2", "2026-10"), "s3://b/x' OR 1=1/"),
      /not an s3:\/\/ folder location/,
    );
    assert.throws(() => bigQueryTable("p", "d`; DROP", "t"), /dataset id/);
    assert.throws(
      () => athenaPeriodStatements(input("aws-cur2", "2026-13"), LOCATION),
      /"2026-13" is not a month/,
    );
  });

  it("every dialect compiles the one declaration of each mapping: no mapping is hand-written twice", () => {
    // 1. The warehouse statements embed the compiler's output for the one mapping object.
    const cur2 = input("aws-cur2", "2026-10");
    assert.ok(athenaPeriodStatements(cur2, LOCATION).select.includes(compilePeriod(trino, cur2).output));
    const gcp = input("gcp-billing", "2026-10");
    assert.ok(bigQueryPeriodStatements(gcp, TARGET).insert.includes(compilePeriod(bigquery, gcp).output));
    assert.equal(
      compilePeriod(trino, cur2).output,
      compilePipeline(MAPPINGS["aws-cur2"], trino, {
        ...sourceRelation(MAPPINGS["aws-cur2"], trino, cur2.tables),
        tenantId: "acme",
        tables: tablesOf(trino, cur2),
      }).output,
    );
    // 2. Outside runtime/mappings nothing declares a mapping or spells out a mapping's distinctive
    // source columns (a second, hand-written translation would), and there are no SQL files.
    const root = join(__dirname, "../../..");
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const code = [...files("runtime"), ...files("components"), ...files("stacks")].filter(
      (f) => !f.startsWith("runtime/mappings/") && !f.startsWith("runtime/sources/"),
    );
    assert.deepEqual(
      code.filter((f) => f.endsWith(".sql")),
      [],
    );
    const distinctive = [...new Set(Object.values(MAPPINGS).flatMap((m) => Object.keys(m.raw)))].filter(
      (n) => n.length >= 16 && n.includes("_") && !n.startsWith("x_"),
    );
    assert.ok(distinctive.includes("savings_plan_savings_plan_effective_cost"));
    const offenders: string[] = [];
    for (const f of code.filter((f) => f.endsWith(".ts"))) {
      // Code only: comments may name the columns they explain.
      const text = readFileSync(join(root, f), "utf8").replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, "$1");
      if (/:\s*SourceMapping\s*=|satisfies\s+SourceMapping\b/.test(text))
        offenders.push(`${f} declares a SourceMapping`);
      // Export table definitions (components/aws/export-tables.ts) list the columns, not their meaning.
      if (f === "components/aws/export-tables.ts") continue;
      for (const n of distinctive) if (text.includes(n)) offenders.push(`${f} spells ${n}`);
    }
    assert.deepEqual(offenders, []);
  });
});
