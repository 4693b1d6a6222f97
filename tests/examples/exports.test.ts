import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { cur2CsvToParquet, gcpNdjsonToParquet } from "../../bench/sample-parquet";
import { focusColumns } from "../../runtime/schema/output";
import {
  CHARGE_CATEGORIES,
  CHARGE_FREQUENCIES,
  COMMITMENT_DISCOUNT_CATEGORIES,
  COMMITMENT_DISCOUNT_STATUSES,
  PRICING_CATEGORIES,
  SERVICE_SUBCATEGORIES,
} from "../../runtime/taxonomy/focus-values";
import { REGIONS } from "../../runtime/taxonomy/regions";
import { type Provider, SERVICES } from "../../runtime/taxonomy/services";

const DIR = join(__dirname, "../../examples/exports");
const README = readFileSync(join(DIR, "README.md"), "utf8");
const EXPECTED = JSON.parse(readFileSync(join(DIR, "EXPECTED.json"), "utf8")) as {
  files: Record<string, Record<string, unknown>>;
};

/** Services the samples use on purpose without a taxonomy entry (Marketplace products). */
const DELIBERATELY_UNKNOWN: Record<string, string[]> = {
  "aws-cur2/cur2-2025-03.csv": ["e3k7b9x2q4m6n8p1r5t0v3w7y"],
  "gcp-billing/gcp_billing_export_v1_2025-03.ndjson": ["Example SaaS Platform"],
  "azure-focus/focuscost-2025-03.csv": ["Example Analytics SaaS"],
  "focus/oci-focus-cost-report-2025-03-01.csv": ["Networking"],
};

const service = (provider: Provider, key: string) =>
  SERVICES.some((s) => s.provider === provider && s.key === key);
const region = (provider: Provider, id: string) =>
  REGIONS.some((r) => r.provider === provider && r.id === id.toLowerCase());

type Row = Record<string, string | null>;

let db: DuckDBInstance;
let sql: DuckDBConnection;
before(async () => {
  db = await DuckDBInstance.create(":memory:");
  sql = await db.connect();
});
after(() => {
  sql.closeSync();
  db.closeSync();
});

/** A CSV file parsed by DuckDB's CSV reader, every value as text (empty -> null). */
async function csv(file: string): Promise<{ columns: string[]; rows: Row[] }> {
  const reader = await sql.runAndReadAll(
    `SELECT * FROM read_csv('${join(DIR, file)}', header = true, all_varchar = true, strict_mode = true)`,
  );
  return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Row[] };
}

const ndjson = (file: string) =>
  readFileSync(join(DIR, file), "utf8")
    .trimEnd()
    .split("\n")
    .map((line, i) => {
      try {
        return JSON.parse(line);
      } catch (error) {
        throw new Error(`${file} line ${i + 1} is not JSON: ${error}`);
      }
    });

const json = (file: string) => JSON.parse(readFileSync(join(DIR, file), "utf8"));

const sum = (values: (string | number | null | undefined)[]) =>
  values.reduce<number>((t, v) => t + Number(v ?? 0), 0);
const close = (actual: number, expected: unknown, what: string) =>
  assert.ok(Math.abs(actual - Number(expected)) < 1e-9, `${what}: ${actual} != ${expected}`);

function assertKnownServices(file: string, provider: Provider, keys: (string | null)[]) {
  const unknown = [...new Set(keys.filter((k): k is string => !!k && !service(provider, k)))];
  assert.deepEqual(
    unknown.sort(),
    (DELIBERATELY_UNKNOWN[file] ?? []).sort(),
    `${file}: services not in the taxonomy`,
  );
}

function assertKnownRegions(file: string, provider: Provider, ids: (string | null)[]) {
  const unknown = [...new Set(ids.filter((id): id is string => !!id && !region(provider, id)))];
  assert.deepEqual(unknown, [], `${file}: regions not in the taxonomy`);
}

/** Every FOCUS enumeration and category on a row of a FOCUS file is an allowed 1.2 value. */
function assertFocusValues(file: string, rows: Row[]) {
  const check = (row: Row, column: string, allowed: readonly string[], nullable: boolean) => {
    const value = row[column];
    if (value === null) assert.ok(nullable, `${file}: ${column} is empty`);
    else assert.ok(allowed.includes(value), `${file}: ${column} '${value}'`);
  };
  for (const row of rows) {
    check(row, "ChargeCategory", CHARGE_CATEGORIES, false);
    check(row, "ChargeClass", ["Correction"], true);
    check(row, "ChargeFrequency", CHARGE_FREQUENCIES, true);
    check(row, "PricingCategory", PRICING_CATEGORIES, true);
    check(row, "CommitmentDiscountCategory", COMMITMENT_DISCOUNT_CATEGORIES, true);
    check(row, "CommitmentDiscountStatus", COMMITMENT_DISCOUNT_STATUSES, true);
    check(row, "ServiceSubcategory", SERVICE_SUBCATEGORIES[row.ServiceCategory ?? ""] ?? [], false);
    for (const column of ["ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd"]) {
      assert.match(row[column] ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, `${file}: ${column}`);
    }
    assert.doesNotThrow(() => JSON.parse(row.Tags ?? "{}"), `${file}: Tags is JSON`);
  }
}

function assertExpectedTotals(file: string, rows: Row[]) {
  const expected = EXPECTED.files[file];
  assert.equal(rows.length, expected.rows, `${file}: rows`);
  close(sum(rows.map((r) => r.EffectiveCost)), expected.effectiveCostTotal, `${file}: EffectiveCost`);
  close(sum(rows.map((r) => r.BilledCost)), expected.billedCostTotal, `${file}: BilledCost`);
  for (const [category, total] of Object.entries(
    expected.effectiveCostByChargeCategory as Record<string, string>,
  )) {
    const inCategory = rows.filter((r) => r.ChargeCategory === category);
    close(sum(inCategory.map((r) => r.EffectiveCost)), total, `${file}: EffectiveCost of ${category}`);
  }
}

describe("bundled sample exports", () => {
  it("are all described in the README and accounted for in EXPECTED.json", () => {
    const files = readdirSync(DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((dir) => readdirSync(join(DIR, dir.name)).map((name) => `${dir.name}/${name}`));
    assert.equal(files.length, 19);
    for (const file of files) {
      assert.ok(README.includes(`\`${file.split("/")[1]}\``), `README does not list ${file}`);
      assert.ok(EXPECTED.files[file], `EXPECTED.json has no entry for ${file}`);
    }
    assert.deepEqual(Object.keys(EXPECTED.files).sort(), [...files].sort());
    for (const keys of Object.values(DELIBERATELY_UNKNOWN)) {
      for (const key of keys)
        assert.ok(README.includes(key), `README does not name deliberately unknown '${key}'`);
    }
  });

  describe("aws-cur2", () => {
    const required = [
      "identity_line_item_id",
      "bill_billing_period_start_date",
      "bill_payer_account_id",
      "line_item_line_item_type",
      "line_item_unblended_cost",
      "line_item_net_unblended_cost",
      "line_item_usage_start_date",
      "line_item_product_code",
      "pricing_public_on_demand_cost",
      "product_region_code",
      "resource_tags",
      "reservation_reservation_a_r_n",
      "savings_plan_savings_plan_a_r_n",
      "savings_plan_savings_plan_effective_cost",
    ];

    it("parses, with CUR 2.0 columns, JSON-text maps and known services and regions", async () => {
      const file = "aws-cur2/cur2-2025-03.csv";
      const { columns, rows } = await csv(file);
      for (const column of required) assert.ok(columns.includes(column), `missing ${column}`);
      assert.equal(rows.length, EXPECTED.files[file].rows);
      for (const row of rows) {
        for (const map of ["resource_tags", "cost_category", "product"]) {
          assert.equal(
            typeof JSON.parse(row[map] ?? "null"),
            "object",
            `${row.identity_line_item_id} ${map}`,
          );
        }
      }
      const types = new Set(rows.map((r) => r.line_item_line_item_type));
      for (const t of [
        "Usage",
        "SavingsPlanCoveredUsage",
        "SavingsPlanNegation",
        "SavingsPlanRecurringFee",
        "DiscountedUsage",
      ]) {
        assert.ok(types.has(t), `no ${t} row`);
      }
      assert.ok(types.has("RIFee") && types.has("Tax") && types.has("Credit"));
      assert.ok(
        rows.some((r) => Object.keys(JSON.parse(r.resource_tags ?? "{}")).some((k) => k.startsWith("user_"))),
      );
      assertKnownServices(
        file,
        "aws",
        rows.map((r) => r.line_item_product_code),
      );
      assertKnownRegions(
        file,
        "aws",
        rows.map((r) => r.product_region_code),
      );
      close(
        sum(rows.map((r) => r.line_item_net_unblended_cost ?? r.line_item_unblended_cost)),
        EXPECTED.files[file].billedCostTotal,
        "BilledCost",
      );
    });

    it("has a bad-rows file with one good row and the broken ones EXPECTED.json names", async () => {
      const { rows } = await csv("aws-cur2/bad-rows.csv");
      const reasons = EXPECTED.files["aws-cur2/bad-rows.csv"].quarantineReasons as Record<string, string>;
      assert.equal(rows.length, 1 + Object.keys(reasons).length);
      assert.deepEqual(
        rows.slice(1).map((r) => r.identity_line_item_id),
        Object.keys(reasons),
      );
      assert.ok(Number.isNaN(Number(rows[1].line_item_unblended_cost)));
      assert.equal(rows[3].line_item_product_code, null);
    });

    it("converts to Parquet with MAP columns and typed dates and costs", async () => {
      const dir = mkdtempSync(join(tmpdir(), "costline-samples-"));
      try {
        const parquet = join(dir, "cur2.parquet");
        await cur2CsvToParquet(join(DIR, "aws-cur2/cur2-2025-03.csv"), parquet);
        const reader = await sql.runAndReadAll(
          `SELECT count(*) AS n, sum(line_item_unblended_cost) AS unblended,
                  any_value(resource_tags['user_team']) FILTER (identity_line_item_id = 'li0001a7f3c9e1b2d4') AS team,
                  min(line_item_usage_start_date)::VARCHAR AS first, typeof(any_value(resource_tags)) AS tags_type
           FROM '${parquet}'`,
        );
        const [row] = reader.getRowObjectsJson();
        assert.equal(Number(row.n), 25);
        assert.equal(row.team, "payments");
        assert.equal(row.first, "2025-03-01 00:00:00");
        assert.equal(row.tags_type, "MAP(VARCHAR, VARCHAR)");
        const { rows } = await csv("aws-cur2/cur2-2025-03.csv");
        close(Number(row.unblended), sum(rows.map((r) => r.line_item_unblended_cost)), "unblended total");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("refuses to convert a file whose values do not fit the Parquet types", async () => {
      const dir = mkdtempSync(join(tmpdir(), "costline-samples-"));
      try {
        await assert.rejects(
          cur2CsvToParquet(join(DIR, "aws-cur2/bad-rows.csv"), join(dir, "bad.parquet")),
          /twelve|Could not/,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("aws-focus and azure-focus", () => {
    const focusNames = focusColumns().map((c) => c.name);

    for (const [file, provider, serviceColumn] of [
      ["aws-focus/focus-1-2-aws-2025-03.csv", "aws", "x_ServiceCode"],
      ["azure-focus/focuscost-2025-03.csv", "azure", "x_SkuMeterCategory"],
    ] as const) {
      it(`${file}: the FOCUS 1.2 columns in spec order, valid values, known services and regions`, async () => {
        const { columns, rows } = await csv(file);
        assert.deepEqual(columns.slice(0, focusNames.length), focusNames);
        assert.ok(
          columns.slice(focusNames.length).every((c) => c.startsWith("x_")),
          "only x_ columns after FOCUS",
        );
        assertFocusValues(file, rows);
        assertExpectedTotals(file, rows);
        const keys = rows.map(
          (r) => r[serviceColumn] ?? (service(provider, r.ServiceName ?? "") ? null : r.ServiceName),
        );
        assertKnownServices(file, provider, keys);
        assertKnownRegions(
          file,
          provider,
          rows.map((r) => r.RegionId),
        );
      });
    }

    for (const file of ["aws-focus/bad-rows.csv", "azure-focus/bad-rows.csv"]) {
      it(`${file}: one good row, then one broken value a row`, async () => {
        const { rows } = await csv(file);
        assert.equal(rows.length, 1 + (EXPECTED.files[file].quarantineReasons as string[]).length);
        assertFocusValues(file, rows.slice(0, 1));
        assert.ok(rows.slice(1).every((r) => r.ChargeDescription?.startsWith("BAD: ")));
      });
    }
  });

  describe("focus (a FOCUS file of another provider)", () => {
    const file = "focus/oci-focus-cost-report-2025-03-01.csv";

    it(`${file}: Oracle's FOCUS 1.0-preview columns, its values and the hand-worked totals`, async () => {
      const { columns, rows } = await csv(file);
      // The preview's names, and none of the 1.0 names that replaced them.
      for (const c of [
        "Provider",
        "Publisher",
        "InvoiceIssuer",
        "Region",
        "UsageQuantity",
        "UsageUnit",
        "ChargeSubcategory",
      ])
        assert.ok(columns.includes(c), `missing ${c}`);
      for (const c of [
        "ProviderName",
        "PublisherName",
        "InvoiceIssuerName",
        "RegionId",
        "ConsumedQuantity",
        "ChargeClass",
      ])
        assert.ok(!columns.includes(c), `a preview file has no ${c}`);
      assert.ok(
        columns.some((c) => c.startsWith("oci_")),
        "Oracle's own columns",
      );
      assert.equal(rows.length, EXPECTED.files[file].rows);
      assert.ok(rows.every((r) => r.Provider === "Oracle"));
      assert.deepEqual(
        [...new Set(rows.map((r) => r.PricingCategory).filter(Boolean))].sort(),
        ["Commitment-Based", "On-Demand"],
        "the preview's pricing categories",
      );
      assert.deepEqual(
        rows.filter((r) => r.ChargeSubcategory === "Credit").map((r) => r.ChargeCategory),
        ["Adjustment"],
        "the preview's credit is an adjustment",
      );
      for (const row of rows) assert.match(row.ChargePeriodStart ?? "", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);
      close(sum(rows.map((r) => r.BilledCost)), EXPECTED.files[file].billedCostTotal, "BilledCost");
      close(sum(rows.map((r) => r.EffectiveCost)), EXPECTED.files[file].effectiveCostTotal, "EffectiveCost");
    });
  });

  describe("gcp-billing", () => {
    for (const file of [
      "gcp-billing/gcp_billing_export_v1_2025-03.ndjson",
      "gcp-billing/gcp_billing_export_resource_v1_2025-03-jpy.ndjson",
    ]) {
      it(`${file}: the nested BigQuery schema, known services and locations, EXPECTED totals`, () => {
        const rows = ndjson(file);
        const expected = EXPECTED.files[file];
        assert.equal(rows.length, expected.rows);
        for (const row of rows) {
          assert.equal(typeof row.service.description, "string");
          assert.equal(typeof row.sku.id, "string");
          assert.match(row.usage_start_time, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
          assert.match(row.invoice.month, /^\d{6}$/);
          assert.ok(
            Array.isArray(row.labels) && Array.isArray(row.credits) && Array.isArray(row.project.labels),
          );
          assert.ok(["regular", "tax", "adjustment", "rounding_error"].includes(row.cost_type));
          assert.equal(typeof row.usage.amount_in_pricing_units, "number");
        }
        assertKnownServices(
          file,
          "gcp",
          rows.map((r) => r.service.description),
        );
        assertKnownRegions(
          file,
          "gcp",
          rows.flatMap((r) => [r.location.region, r.location.location]),
        );
        close(sum(rows.map((r) => r.cost)), expected.billedCostTotal, "cost");
        close(
          sum(rows.map((r) => r.cost + sum(r.credits.map((c: { amount: number }) => c.amount)))),
          expected.effectiveCostTotal,
          "cost + credits",
        );
      });
    }

    it("has the row whose invoice month differs from its UTC usage date", () => {
      const rows = ndjson("gcp-billing/gcp_billing_export_v1_2025-03.ndjson");
      const edge = rows.filter(
        (r) => r.usage_start_time.startsWith("2025-04-") && r.invoice.month === "202503",
      );
      assert.equal(edge.length, 1);
    });

    it("prices the JPY example with the rates file", () => {
      const [example] = EXPECTED.files["gcp-billing/gcp_billing_export_resource_v1_2025-03-jpy.ndjson"]
        .rowExpectations as { expect: Record<string, string> }[];
      const rates = readFileSync(join(__dirname, "../../runtime/data/rates.csv"), "utf8");
      assert.ok(rates.includes(`2025-03-10,JPY,${example.expect.x_ExchangeRateToUsd}\n`));
      close(
        Number(example.expect.EffectiveCost) * Number(example.expect.x_ExchangeRateToUsd),
        example.expect.x_EffectiveCostUsd,
        "x_EffectiveCostUsd",
      );
    });

    it("has a bad-rows file of valid JSON lines: one good row, then the broken ones", () => {
      const rows = ndjson("gcp-billing/bad-rows.ndjson");
      assert.equal(
        rows.length,
        1 + (EXPECTED.files["gcp-billing/bad-rows.ndjson"].quarantineReasons as string[]).length,
      );
      assert.ok(rows.slice(1).every((r) => r.sku.description.startsWith("BAD: ")));
    });

    it("converts to Parquet with the nested schema", async () => {
      const dir = mkdtempSync(join(tmpdir(), "costline-samples-"));
      try {
        for (const file of [
          "gcp-billing/gcp_billing_export_v1_2025-03.ndjson",
          "gcp-billing/gcp_billing_export_resource_v1_2025-03-jpy.ndjson",
        ]) {
          const parquet = join(dir, "gcp.parquet");
          await gcpNdjsonToParquet(join(DIR, file), parquet);
          const reader = await sql.runAndReadAll(
            `SELECT count(*) AS n, sum(cost + coalesce(list_sum([c.amount FOR c IN credits]), 0)) AS effective,
                    typeof(any_value(usage_start_time)) AS ts, typeof(any_value(credits)) AS credits_type,
                    count(*) FILTER (service.description = 'Compute Engine') AS compute
             FROM '${parquet}'`,
          );
          const [row] = reader.getRowObjectsJson();
          assert.equal(Number(row.n), EXPECTED.files[file].rows);
          assert.equal(row.ts, "TIMESTAMP");
          assert.match(String(row.credits_type), /^STRUCT\("name" VARCHAR, amount DOUBLE/);
          assert.ok(Number(row.compute) > 0);
          close(Number(row.effective), EXPECTED.files[file].effectiveCostTotal, `${file} effective`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("azure-cost-details", () => {
    const EA_ONLY = [
      "BillingCurrencyCode",
      "CostInBillingCurrency",
      "ResourceGroup",
      "ResourceLocation",
      "MeterCategory",
    ];
    const MCA_ONLY = [
      "billingCurrency",
      "costInBillingCurrency",
      "resourceGroupName",
      "resourceLocation",
      "meterCategory",
    ];

    for (const [file, kind] of [
      ["azure-cost-details/ea-actualcost-2025-03.csv", "ea"],
      ["azure-cost-details/ea-amortizedcost-2025-03.csv", "ea"],
      ["azure-cost-details/mca-actualcost-2025-03.csv", "mca"],
    ] as const) {
      it(`${file}: the ${kind.toUpperCase()} column names, MM/DD/YYYY dates, known services and regions`, async () => {
        const { columns, rows } = await csv(file);
        const [own, other] = kind === "ea" ? [EA_ONLY, MCA_ONLY] : [MCA_ONLY, EA_ONLY];
        for (const column of own) assert.ok(columns.includes(column), `missing ${column}`);
        for (const column of other) assert.ok(!columns.includes(column), `unexpected ${column}`);
        const col = (name: string) => (kind === "ea" ? name : name[0].toLowerCase() + name.slice(1));
        const expected = EXPECTED.files[file];
        assert.equal(rows.length, expected.rows);
        for (const row of rows) {
          assert.match(row[col("Date")] ?? "", /^(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/2025$/);
          const tags = row[col("Tags")];
          if (tags) JSON.parse(kind === "ea" ? `{${tags}}` : tags);
        }
        assertKnownServices(
          file,
          "azure",
          rows.map((r) => r[col("MeterCategory")]),
        );
        assertKnownRegions(
          file,
          "azure",
          rows.map((r) => r[col("ResourceLocation")]),
        );
        const withoutMeter = rows.filter((r) => !r[col("MeterCategory")]).length;
        assert.equal(withoutMeter, expected.rowsWithoutMeterCategory, "rows without a MeterCategory");
        close(sum(rows.map((r) => r[col("CostInBillingCurrency")])), expected.sourceCostTotal, "cost total");
      });
    }

    it("marks reservations and savings plans by benefitId", async () => {
      const { rows } = await csv("azure-cost-details/ea-actualcost-2025-03.csv");
      for (const row of rows.filter((r) => r.benefitId)) {
        const capacity = row.benefitId?.toLowerCase().includes("/microsoft.capacity/");
        const benefits = row.benefitId?.toLowerCase().includes("/microsoft.billingbenefits/");
        assert.ok(capacity !== benefits, row.benefitId ?? "");
        assert.equal(row.PricingModel, capacity ? "Reservation" : "SavingsPlan");
      }
    });

    it("has a bad-rows file with one good row, then one broken value a row", async () => {
      const { rows } = await csv("azure-cost-details/bad-rows-ea-actualcost.csv");
      assert.equal(rows.length, 5);
      assert.ok(rows.slice(1).every((r) => r.ProductName?.startsWith("BAD: ")));
    });
  });

  describe("opencost", () => {
    const COMPONENTS = [
      "cpuCost",
      "gpuCost",
      "ramCost",
      "pvCost",
      "networkCost",
      "loadBalancerCost",
      "sharedCost",
      "externalCost",
    ];

    for (const [file, special] of [
      ["opencost/allocation-namespace-1d-2025-03-01_03.json", ["__idle__"]],
      ["opencost/allocation-container-1d-2025-03-01.json", ["__idle__"]],
      ["opencost/allocation-label-team-1d-2025-03-01.json", ["__idle__", "__unallocated__"]],
    ] as const) {
      it(`${file}: an /allocation response with every cost component and EXPECTED totals`, () => {
        const doc = json(file);
        assert.equal(doc.code, 200);
        assert.ok(Array.isArray(doc.data));
        const allocations = doc.data.flatMap((step: Record<string, Record<string, unknown>>) =>
          Object.values(step),
        );
        const expected = EXPECTED.files[file];
        assert.equal(allocations.length, expected.allocations);
        for (const a of allocations) {
          for (const c of COMPONENTS) assert.equal(typeof a[c], "number", `${a.name}.${c}`);
          // As OpenCost 1.110+ answers: `lbAllocations` null, or each load balancer's cost and hours.
          const lbs = Object.values(
            (a.lbAllocations ?? {}) as Record<string, { cost: number; hours: number }>,
          );
          for (const lb of lbs) assert.equal(typeof lb.hours, "number", `${a.name} load balancer hours`);
          close(sum(lbs.map((lb) => lb.cost)), a.loadBalancerCost, `${a.name} load balancer cost`);
          assert.ok(a.properties.cluster, `${a.name} has a cluster`);
          assert.ok(Date.parse(a.window.start) < Date.parse(a.window.end), `${a.name} window`);
        }
        const names = new Set(allocations.map((a: { name: string }) => a.name));
        for (const name of special) assert.ok(names.has(name), `no ${name} allocation`);
        close(
          sum(allocations.flatMap((a: Record<string, number>) => COMPONENTS.map((c) => a[c]))),
          expected.effectiveCostTotal,
          "total",
        );
      });
    }

    it("has a bad file with one good allocation and the broken ones", () => {
      const doc = json("opencost/bad-allocation.json");
      const names = Object.keys(doc.data[0]);
      const reasons = EXPECTED.files["opencost/bad-allocation.json"].quarantineReasons as Record<
        string,
        string
      >;
      assert.deepEqual(names.slice(1), Object.keys(reasons));
    });
  });
});
