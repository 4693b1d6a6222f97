import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { generate, TOP_REGIONS, TOP_SERVICES } from "../../bench/generate";
import { normalize } from "../../runtime/normalize/run";
import { focusColumns } from "../../runtime/schema/output";
import {
  CHARGE_CATEGORIES,
  CHARGE_FREQUENCIES,
  PRICING_CATEGORIES,
  SERVICE_CATEGORIES,
} from "../../runtime/taxonomy/focus-values";
import { REGIONS } from "../../runtime/taxonomy/regions";
import { type Provider, SERVICES } from "../../runtime/taxonomy/services";

const keysOf = (provider: Provider) =>
  new Set(SERVICES.filter((s) => s.provider === provider).map((s) => s.key));
const regionsOf = (provider: Provider) =>
  new Set(REGIONS.filter((r) => r.provider === provider).map((r) => r.id));

describe("bench/generate", () => {
  let dir: string;
  let db: DuckDBInstance;
  let sql: DuckDBConnection;
  const query = async (text: string) => (await sql.runAndReadAll(text)).getRowObjectsJson();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "costline-generate-"));
    db = await DuckDBInstance.create(":memory:");
    sql = await db.connect();
  });
  after(() => {
    sql.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it("draws its top services and regions from the taxonomy", () => {
    for (const [format, provider] of [
      ["aws-cur2", "aws"],
      ["gcp-billing", "gcp"],
      ["azure-cost-details", "azure"],
    ] as const) {
      for (const key of TOP_SERVICES[format]) assert.ok(keysOf(provider).has(key), `${format}: ${key}`);
      for (const id of TOP_REGIONS[format]) assert.ok(regionsOf(provider).has(id), `${format}: ${id}`);
    }
  });

  it("writes aws-cur as CUR 2.0's rows with the legacy CUR's CSV headers, a column per tag", async () => {
    const [legacy, cur2] = [join(dir, "legacy.csv.gz"), join(dir, "twin.csv")];
    await generate("aws-cur", 300, legacy);
    await generate("aws-cur2", 300, cur2);
    const [row] = await query(
      `SELECT count(*) AS n, sum(CAST("lineItem/UnblendedCost" AS DOUBLE)) AS cost,
              count(*) FILTER ("resourceTags/user:team" IS NOT NULL) AS tagged,
              count(*) FILTER ("product/servicename" = "lineItem/ProductCode") AS named
       FROM read_csv('${legacy}', all_varchar = true)`,
    );
    const [twin] = await query(`SELECT sum(line_item_unblended_cost) AS cost FROM '${cur2}'`);
    assert.equal(Number(row.n), 300);
    assert.ok(Math.abs(Number(row.cost) - Number(twin.cost)) < 1e-6, `${row.cost} vs ${twin.cost}`);
    assert.equal(Number(row.tagged), 300);
    assert.equal(Number(row.named), 300);
    const names = (await query(`DESCRIBE SELECT * FROM read_csv('${legacy}', all_varchar = true)`)).map(
      (c) => c.column_name,
    );
    assert.ok(names.includes("lineItem/LineItemType") && names.includes("savingsPlan/SavingsPlanARN"));
    // The legacy CUR has no maps and no account names.
    for (const cur2Only of [
      "product",
      "resource_tags",
      "line_item_usage_account_name",
      "lineItem/UsageAccountName",
    ]) {
      assert.ok(!names.includes(cur2Only), cur2Only);
    }
  });

  describe("aws-cur2", () => {
    for (const name of ["cur.parquet", "cur.csv", "cur.csv.gz"]) {
      it(`writes ${name} with the asked row count, taxonomy keys and paired Savings Plan rows`, async () => {
        const file = join(dir, name);
        await generate("aws-cur2", 500, file);
        const [row] = await query(
          `SELECT count(*) AS n, count(DISTINCT identity_line_item_id) AS ids,
                  list(DISTINCT line_item_product_code) AS services, list(DISTINCT product_region_code) AS regions,
                  list(DISTINCT line_item_line_item_type) AS types,
                  sum(line_item_unblended_cost) FILTER (line_item_line_item_type LIKE 'SavingsPlan%') AS sp_net
           FROM '${file}'`,
        );
        assert.equal(Number(row.n), 500);
        assert.equal(Number(row.ids), 500);
        for (const key of row.services as string[]) assert.ok(keysOf("aws").has(key), key);
        for (const id of row.regions as string[]) assert.ok(regionsOf("aws").has(id), id);
        for (const type of [
          "Usage",
          "SavingsPlanCoveredUsage",
          "SavingsPlanNegation",
          "DiscountedUsage",
          "Tax",
          "Credit",
        ]) {
          assert.ok((row.types as string[]).includes(type), `no ${type}`);
        }
        assert.ok(
          Math.abs(Number(row.sp_net)) < 1e-9,
          `covered usage and negations cancel, got ${row.sp_net}`,
        );
      });
    }

    it("writes resource_tags as a MAP in Parquet and as JSON text in CSV, with user_ keys", async () => {
      await generate("aws-cur2", 50, join(dir, "tags.parquet"));
      await generate("aws-cur2", 50, join(dir, "tags.csv"));
      const [parquet] = await query(
        `SELECT typeof(any_value(resource_tags)) AS t, count(*) FILTER (resource_tags['user_team'] IS NOT NULL) AS tagged
         FROM '${join(dir, "tags.parquet")}'`,
      );
      assert.equal(parquet.t, "MAP(VARCHAR, VARCHAR)");
      assert.equal(Number(parquet.tagged), 50);
      const [csv] = await query(
        `SELECT any_value(resource_tags) AS tags FROM read_csv('${join(dir, "tags.csv")}', all_varchar = true)`,
      );
      assert.ok(Object.keys(JSON.parse(String(csv.tags))).every((k) => k.startsWith("user_")));
    });

    it("writes the same file for the same arguments", async () => {
      await generate("aws-cur2", 200, join(dir, "a.csv"));
      await generate("aws-cur2", 200, join(dir, "b.csv"));
      assert.equal(readFileSync(join(dir, "a.csv"), "utf8"), readFileSync(join(dir, "b.csv"), "utf8"));
    });
  });

  describe("gcp-billing", () => {
    it("writes NDJSON in the nested export schema with BigQuery extract timestamps", async () => {
      const file = join(dir, "gcp.ndjson");
      await generate("gcp-billing", 300, file);
      const lines = readFileSync(file, "utf8")
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
      assert.equal(lines.length, 300);
      for (const row of lines) {
        assert.ok(keysOf("gcp").has(row.service.description), row.service.description);
        assert.ok(regionsOf("gcp").has(row.location.region), row.location.region);
        assert.match(row.usage_start_time, /^2025-03-\d{2} \d{2}:00:00 UTC$/);
        assert.ok(Array.isArray(row.labels) && Array.isArray(row.credits));
        assert.match(row.invoice.month, /^2025(02|03)$/);
      }
      assert.ok(lines.some((r) => r.credits.length > 0));
      assert.ok(lines.some((r) => r.cost_type === "tax"));
    });

    it("puts usage before 08:00 UTC on 1 March on the February invoice (Pacific time)", async () => {
      const file = join(dir, "gcp.parquet");
      await generate("gcp-billing", 2000, file);
      const rows = await query(
        `SELECT invoice.month AS month, min(usage_start_time)::VARCHAR AS first, max(usage_start_time)::VARCHAR AS last,
                count(*) AS n
         FROM '${file}' WHERE usage_start_time < TIMESTAMP '2025-03-02' GROUP BY ALL ORDER BY month`,
      );
      assert.equal(rows[0].month, "202502");
      assert.ok(String(rows[0].last) < "2025-03-01 08:00:00", String(rows[0].last));
      assert.equal(rows[1].month, "202503");
      assert.ok(String(rows[1].first) >= "2025-03-01 08:00:00", String(rows[1].first));
      const [types] = await query(
        `SELECT typeof(any_value(credits)) AS credits, typeof(any_value(service)) AS service FROM '${file}'`,
      );
      assert.match(String(types.credits), /^STRUCT\("name" VARCHAR, amount DOUBLE/);
      assert.equal(types.service, "STRUCT(id VARCHAR, description VARCHAR)");
    });
  });

  describe("azure-cost-details", () => {
    it("writes the EA column set with MM/DD/YYYY dates, taxonomy keys and commitment benefit ids", async () => {
      const file = join(dir, "azure.csv.gz");
      await generate("azure-cost-details", 400, file);
      const [row] = await query(
        `SELECT count(*) AS n, list(DISTINCT MeterCategory) AS services, list(DISTINCT ResourceLocation) AS regions,
                bool_and(regexp_matches(Date, '^03/\\d{2}/2025$')) AS dates,
                count(*) FILTER (PricingModel = 'Reservation' AND benefitId ILIKE '%/microsoft.capacity/%') AS reserved,
                count(*) FILTER (PricingModel = 'SavingsPlan' AND benefitId ILIKE '%/microsoft.billingbenefits/%') AS saving,
                sum(CostInBillingCurrency) FILTER (PricingModel IN ('Reservation', 'SavingsPlan')) AS covered_cost
         FROM read_csv('${file}', types = {'Date': 'VARCHAR'})`,
      );
      assert.equal(Number(row.n), 400);
      for (const key of row.services as string[]) assert.ok(keysOf("azure").has(key), key);
      for (const id of row.regions as string[]) assert.ok(regionsOf("azure").has(id), id);
      assert.equal(row.dates, true);
      assert.ok(Number(row.reserved) > 0 && Number(row.saving) > 0);
      assert.equal(Number(row.covered_cost), 0, "actual cost of commitment-covered usage is 0");
    });
  });

  describe("focus", () => {
    for (const name of ["focus.parquet", "focus.csv"]) {
      it(`writes ${name} as a FinOps tool's FOCUS 1.2 export of several providers, with their spellings`, async () => {
        const file = join(dir, name);
        await generate("focus", 3000, file);
        const source = name.endsWith(".csv") ? `read_csv('${file}', all_varchar = true)` : `'${file}'`;
        const columns = (await query(`DESCRIBE SELECT * FROM ${source}`)).map((c) => c.column_name);
        assert.deepEqual(
          columns,
          focusColumns().map((c) => c.name),
        );
        const rows = await query(
          `SELECT ProviderName AS provider, count(*) AS n, list(DISTINCT ChargeCategory) AS categories,
                  list(DISTINCT ChargeFrequency) AS frequencies, list(DISTINCT PricingCategory) AS pricing,
                  list(DISTINCT ServiceCategory) AS services, list(DISTINCT BillingCurrency) AS currencies,
                  count(*) FILTER (CommitmentDiscountStatus ILIKE 'used' AND CAST(BilledCost AS DOUBLE) <> 0) AS billed_covered
           FROM ${source} GROUP BY ALL ORDER BY n DESC`,
        );
        assert.deepEqual(
          rows.map((r) => r.provider),
          ["AWS", "Microsoft", "Google Cloud", "Snowflake Inc."],
        );
        const spelled = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));
        for (const r of rows) {
          const lowerCase = r.provider === "Google Cloud";
          for (const [found, allowed] of [
            [r.categories, CHARGE_CATEGORIES],
            [r.frequencies, CHARGE_FREQUENCIES],
            [r.pricing, PRICING_CATEGORIES],
          ] as const) {
            for (const v of (found as (string | null)[]).filter((x) => x !== null)) {
              assert.ok(spelled(allowed).has(v.toLowerCase()), `${r.provider}: ${v}`);
              assert.equal(v === v.toLowerCase(), lowerCase, `${r.provider} spells ${v}`);
            }
          }
          for (const c of r.services as string[]) assert.ok(SERVICE_CATEGORIES.includes(c), c);
          assert.equal(Number(r.billed_covered), 0, "commitment-covered usage is not billed");
        }
        assert.ok(spelled(rows[0].categories as string[]).size >= 4, "usage, purchases, credits and tax");
        assert.deepEqual(rows[1].currencies, ["EUR"]);
        const [clouds] = await query(
          `SELECT list(DISTINCT ServiceName) FILTER (ProviderName = 'AWS') AS aws,
                  list(DISTINCT RegionId) FILTER (ProviderName = 'Microsoft' AND RegionId IS NOT NULL) AS azure
           FROM ${source}`,
        );
        const names = new Set(SERVICES.filter((s) => s.provider === "aws").map((s) => s.serviceName));
        for (const n of clouds.aws as string[]) assert.ok(names.has(n), n);
        for (const id of clouds.azure as string[]) assert.ok(regionsOf("azure").has(id), id);
      });

      it(`normalizes ${name} with no row quarantined, each row under the provider it names`, async () => {
        const file = join(dir, `n-${name}`);
        await generate("focus", 2000, file);
        const out = join(dir, `out-${name}`);
        const summary = await normalize({ inputs: [file], out, format: "focus" });
        assert.equal(summary.totals.rowsWritten, 2000);
        assert.equal(summary.totals.rowsQuarantined, 0);
        assert.equal(summary.reconciled, true);
        assert.deepEqual(summary.unknownServices, []);
        assert.deepEqual(summary.partitions, [
          "focus/x_Provider=aws/x_BillingPeriod=2025-03",
          "focus/x_Provider=azure/x_BillingPeriod=2025-03",
          "focus/x_Provider=gcp/x_BillingPeriod=2025-03",
          "focus/x_Provider=snowflake-inc/x_BillingPeriod=2025-03",
        ]);
        const [google] = await query(
          `SELECT list(DISTINCT ChargeCategory ORDER BY ChargeCategory) AS categories
           FROM '${out}/focus/x_Provider=gcp/**/*.parquet'`,
        );
        assert.deepEqual(google.categories, ["Credit", "Purchase", "Tax", "Usage"]);
      });
    }

    it("writes the same file for the same arguments", async () => {
      await generate("focus", 500, join(dir, "fa.csv"));
      await generate("focus", 500, join(dir, "fb.csv"));
      assert.equal(readFileSync(join(dir, "fa.csv"), "utf8"), readFileSync(join(dir, "fb.csv"), "utf8"));
    });
  });

  it("writes a header-only file for zero rows", async () => {
    const file = join(dir, "empty.csv");
    await generate("azure-cost-details", 0, file);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    assert.equal(lines.length, 1);
    assert.ok(lines[0].startsWith("InvoiceSectionName,"));
  });

  it("rejects a row count that is not a whole number, and a file name it cannot write", async () => {
    await assert.rejects(
      generate("aws-cur2", -1, join(dir, "x.csv")),
      /rows must be a whole number >= 0, got -1/,
    );
    await assert.rejects(generate("aws-cur2", 1.5, join(dir, "x.csv")), /got 1.5/);
    await assert.rejects(
      generate("aws-cur2", 10, join(dir, "x.ndjson")),
      /name it \.parquet, \.csv or \.csv\.gz/,
    );
    await assert.rejects(generate("gcp-billing", 10, join(dir, "x.txt")), /\.parquet, \.ndjson or \.json/);
  });
});
