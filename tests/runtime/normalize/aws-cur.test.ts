import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { cur2CsvToParquet } from "../../../bench/sample-parquet";
import { openEngine } from "../../../runtime/engine/duckdb";
import { cur2Name } from "../../../runtime/sources/aws-cur";
import { detectFormat } from "../../../runtime/sources/detect";
import { assertSameRows, FIXTURES, normalized, tempDir } from "./helpers";

const LEGACY = join(FIXTURES, "aws-cur", "cur-legacy-2024-01.csv");
const TWIN = join(FIXTURES, "aws-cur", "cur2-twin-2024-01.csv");
const RI = "arn:aws:ec2:us-east-1:111111111111:reserved-instances/4a1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const SP = "arn:aws:savingsplans::111111111111:savingsplan/7f8e9d0c-1b2a-4c3d-9e8f-7a6b5c4d3e2f";
const RI_FEE = "USD 0.075 hourly fee per Linux/UNIX (Amazon VPC), m5.xlarge instance";

type Value = string | number | null;
type Row = Record<string, string | null>;

/** Columns every line of the fixture shares: one payer, one linked account, EC2, January 2024, USD. */
const EVERY: Record<string, Value> = {
  BillingAccountId: "111111111111",
  BillingAccountName: null,
  BillingAccountType: "Billing Account",
  BillingCurrency: "USD",
  BillingPeriodStart: "2024-01-01 00:00:00",
  BillingPeriodEnd: "2024-02-01 00:00:00",
  CapacityReservationId: null,
  CapacityReservationStatus: null,
  CommitmentDiscountName: null,
  InvoiceId: "2024001234567",
  InvoiceIssuerName: "Amazon Web Services, Inc.",
  PricingCurrency: "USD",
  ProviderName: "AWS",
  PublisherName: "Amazon Web Services",
  ResourceName: null,
  ServiceCategory: "Compute",
  ServiceName: "Amazon Elastic Compute Cloud",
  ServiceSubcategory: "Virtual Machines",
  SkuPriceDetails: null,
  SubAccountId: "222222222222",
  SubAccountName: null,
  SubAccountType: "Linked Account",
  x_TenantId: "acme",
  x_Provider: "aws",
  x_SourceFormat: "aws-cur",
  x_ServiceFamily: "compute",
  x_ExchangeRateToUsd: 1,
  // The tenant reports in USD: its amounts are the USD ones.
  x_ReportingCurrency: "USD",
};
const NO_COMMITMENT: Record<string, Value> = {
  CommitmentDiscountCategory: null,
  CommitmentDiscountId: null,
  CommitmentDiscountQuantity: null,
  CommitmentDiscountStatus: null,
  CommitmentDiscountType: null,
  CommitmentDiscountUnit: null,
};
const US_EAST_1: Record<string, Value> = {
  RegionId: "us-east-1",
  RegionName: "US East (N. Virginia)",
  x_RegionGeo: "us-east",
  x_RegionCountry: "US",
};
const NO_REGION: Record<string, Value> = {
  RegionId: null,
  RegionName: null,
  x_RegionGeo: null,
  x_RegionCountry: null,
};
/** An instance-hour on 2024-01-15 10:00-11:00 UTC. */
const INSTANCE_HOUR: Record<string, Value> = {
  ...EVERY,
  ...US_EAST_1,
  ChargeCategory: "Usage",
  ChargeClass: null,
  ChargeFrequency: "Usage-Based",
  ChargePeriodStart: "2024-01-15 10:00:00",
  ChargePeriodEnd: "2024-01-15 11:00:00",
  x_ChargeDate: "2024-01-15",
  ConsumedQuantity: 1,
  ConsumedUnit: "Hours",
  PricingUnit: "Hours",
  ResourceType: "instance",
  SkuMeter: "RunInstances",
};
const WHOLE_MONTH: Record<string, Value> = {
  ...EVERY,
  ChargePeriodStart: "2024-01-01 00:00:00",
  ChargePeriodEnd: "2024-02-01 00:00:00",
  x_ChargeDate: "2024-01-01",
  AvailabilityZone: null,
  ResourceId: null,
  ResourceType: null,
};
/** A charge that is not usage: no quantity consumed, no SKU, no tags. */
const ADJUSTMENT: Record<string, Value> = {
  ...WHOLE_MONTH,
  ...NO_COMMITMENT,
  ...NO_REGION,
  ChargeFrequency: "One-Time",
  ConsumedQuantity: null,
  ConsumedUnit: null,
  PricingCategory: null,
  PricingUnit: null,
  SkuId: null,
  SkuMeter: null,
  SkuPriceId: null,
  Tags: null,
};
/** Money columns of a charge that costs `cost` at every price. */
const costs = (billed: number, effective: number, list: number, contracted: number) => ({
  BilledCost: billed,
  EffectiveCost: effective,
  PricingCurrencyEffectiveCost: effective,
  ListCost: list,
  ContractedCost: contracted,
  x_BilledCostUsd: billed,
  x_EffectiveCostUsd: effective,
  x_EffectiveCostReporting: effective,
});
const unitPrices = (list: number | null, contracted: number | null) => ({
  ListUnitPrice: list,
  PricingCurrencyListUnitPrice: list,
  ContractedUnitPrice: contracted,
  PricingCurrencyContractedUnitPrice: contracted,
});

/** Every FOCUS and x_ value of the fixture's lines, worked by hand from the legacy CUR columns, by ChargeDescription. */
const EXPECTED: Record<string, Record<string, Value>> = {
  // On demand: billed, effective, list and contracted are the line's 0.096 for 1 hour.
  "$0.096 per On Demand Linux m5.large Instance Hour": {
    ...INSTANCE_HOUR,
    ...NO_COMMITMENT,
    ...costs(0.096, 0.096, 0.096, 0.096),
    ...unitPrices(0.096, 0.096),
    AvailabilityZone: "us-east-1a",
    PricingCategory: "Standard",
    PricingQuantity: 1,
    ResourceId: "i-0a1b2c3d4e5f60718",
    SkuId: "2ZP4J8GPBP6QFK3Y",
    SkuPriceId: "21538452990",
    // resourceTags/aws:createdBy, user:cost-center and user:team as CUR 2.0 keys them, user_ dropped.
    Tags: '{"aws_created_by":"IAMUser:AIDAEXAMPLE:deploy","cost_center":"cc-42","team":"data"}',
  },
  // RI-covered: billed 0, effective the reservation's 0.121, list the public 0.192.
  "Linux/UNIX (Amazon VPC), m5.xlarge reserved instance applied": {
    ...INSTANCE_HOUR,
    ...costs(0, 0.121, 0.192, 0),
    ...unitPrices(0.192, 0),
    AvailabilityZone: "us-east-1b",
    CommitmentDiscountCategory: "Usage",
    CommitmentDiscountId: RI,
    CommitmentDiscountQuantity: 1,
    CommitmentDiscountStatus: "Used",
    CommitmentDiscountType: "Reserved Instance",
    CommitmentDiscountUnit: "Hours",
    PricingCategory: "Committed",
    PricingQuantity: 1,
    ResourceId: "i-0f1e2d3c4b5a69788",
    SkuId: "XU2NYYPCRTK4T7CN",
    SkuPriceId: "21538461203",
    Tags: '{"team":"data"}',
  },
  // Savings Plan covered: billed at on-demand 0.085, effective the plan's 0.054, which is the commitment used.
  "$0.085 per On Demand Linux c5.large Instance Hour": {
    ...INSTANCE_HOUR,
    ...costs(0.085, 0.054, 0.085, 0.085),
    ...unitPrices(0.085, 0.085),
    AvailabilityZone: "us-east-1a",
    CommitmentDiscountCategory: "Spend",
    CommitmentDiscountId: SP,
    CommitmentDiscountQuantity: 0.054,
    CommitmentDiscountStatus: "Used",
    CommitmentDiscountType: "Savings Plan",
    CommitmentDiscountUnit: "USD",
    PricingCategory: "Committed",
    PricingQuantity: 1,
    ResourceId: "i-0c5c5c5c5c5c5c5c5",
    SkuId: "ZGC49G7XS8QA54BP",
    SkuPriceId: "21538452211",
    Tags: '{"team":"web"}',
  },
  // The negation takes back the covered hour's -0.085 (quantity -1, so the unit prices stay 0.085).
  "SavingsPlanNegation used by AccountId : 222222222222 and UsageSku : ZGC49G7XS8QA54BP": {
    ...INSTANCE_HOUR,
    ...NO_COMMITMENT,
    ...costs(-0.085, 0, -0.085, -0.085),
    ...unitPrices(0.085, 0.085),
    AvailabilityZone: "us-east-1a",
    PricingCategory: "Committed",
    PricingQuantity: -1,
    ResourceId: "i-0c5c5c5c5c5c5c5c5",
    SkuId: "ZGC49G7XS8QA54BP",
    SkuPriceId: "21538452211",
    Tags: '{"team":"web"}',
  },
  // The RI fee bills 744 h x 0.075 = 55.8, amortized into the covered usage (EffectiveCost 0).
  [RI_FEE]: {
    ...WHOLE_MONTH,
    ...US_EAST_1,
    ...costs(55.8, 0, 55.8, 55.8),
    ...unitPrices(0.075, 0.075),
    ChargeCategory: "Purchase",
    ChargeClass: null,
    ChargeFrequency: "Recurring",
    CommitmentDiscountCategory: "Usage",
    CommitmentDiscountId: RI,
    CommitmentDiscountQuantity: 744,
    CommitmentDiscountStatus: null,
    CommitmentDiscountType: "Reserved Instance",
    CommitmentDiscountUnit: "Hours",
    ConsumedQuantity: null,
    ConsumedUnit: null,
    PricingCategory: "Committed",
    PricingQuantity: 744,
    PricingUnit: "Hours",
    SkuId: "XU2NYYPCRTK4T7CN",
    SkuMeter: "RunInstances",
    SkuPriceId: null,
    Tags: null,
  },
  // What the reservation left unused: 1.104 amortized upfront + 1.8 recurring = 2.904, over 24 hours.
  [`Unused commitment: ${RI_FEE}`]: {
    ...WHOLE_MONTH,
    ...US_EAST_1,
    ...costs(0, 2.904, 0, 0),
    ...unitPrices(0, 0),
    ChargeCategory: "Usage",
    ChargeClass: null,
    ChargeFrequency: "Usage-Based",
    CommitmentDiscountCategory: "Usage",
    CommitmentDiscountId: RI,
    CommitmentDiscountQuantity: 24,
    CommitmentDiscountStatus: "Unused",
    CommitmentDiscountType: "Reserved Instance",
    CommitmentDiscountUnit: "Hours",
    ConsumedQuantity: null,
    ConsumedUnit: null,
    PricingCategory: "Committed",
    PricingQuantity: 744,
    PricingUnit: "Hours",
    SkuId: "XU2NYYPCRTK4T7CN",
    SkuMeter: "RunInstances",
    SkuPriceId: null,
    Tags: null,
  },
  // Tax states usage 1 and public cost 0, but prices nothing: no quantity, no unit prices, list = billed.
  "Tax for product code AmazonEC2": {
    ...ADJUSTMENT,
    ...costs(4.73, 4.73, 4.73, 4.73),
    ...unitPrices(null, null),
    ChargeCategory: "Tax",
    ChargeClass: null,
    PricingQuantity: null,
  },
  "AWS Activate Credits": {
    ...ADJUSTMENT,
    ...costs(-5, -5, -5, -5),
    ...unitPrices(null, null),
    ChargeCategory: "Credit",
    ChargeClass: null,
    // Its usage amount 0 comes without a pricing unit.
    PricingQuantity: null,
  },
  "Refund for over-billed m5.large usage": {
    ...ADJUSTMENT,
    ...costs(-1.2, -1.2, -1.2, -1.2),
    ...unitPrices(null, null),
    ChargeCategory: "Credit",
    ChargeClass: "Correction",
    PricingQuantity: null,
  },
};

/** Every output value as text, rows in a stable order. */
const SNAPSHOT = "SELECT * FROM (SELECT COLUMNS(*)::VARCHAR FROM {focus}) ORDER BY ChargeDescription";

function assertRows(rows: Row[], sourceFormat: string) {
  assert.equal(rows.length, Object.keys(EXPECTED).length);
  for (const row of rows) {
    const expected = EXPECTED[row.ChargeDescription!];
    assert.ok(expected, `unexpected row ${row.ChargeDescription}`);
    const all = { ...expected, ChargeDescription: row.ChargeDescription, x_SourceFormat: sourceFormat };
    assert.deepEqual(Object.keys(row).sort(), Object.keys(all).sort(), `${row.ChargeDescription}: columns`);
    for (const [column, value] of Object.entries(all)) {
      const got = row[column] ?? null;
      const shown = typeof value === "number" && got !== null ? Number(got) : got;
      assert.equal(shown, value, `${row.ChargeDescription}: ${column}`);
    }
  }
}

/** The legacy CSV as the Athena/Parquet form AWS delivers: its columns renamed and typed. */
async function legacyParquet(target: string): Promise<void> {
  // Hand-written, in the CSV's column order, as AWS's Athena integration names them.
  const athena = [
    "identity_line_item_id",
    "identity_time_interval",
    "bill_invoice_id",
    "bill_invoicing_entity",
    "bill_billing_entity",
    "bill_bill_type",
    "bill_payer_account_id",
    "bill_billing_period_start_date",
    "bill_billing_period_end_date",
    "line_item_usage_account_id",
    "line_item_line_item_type",
    "line_item_usage_start_date",
    "line_item_usage_end_date",
    "line_item_product_code",
    "line_item_usage_type",
    "line_item_operation",
    "line_item_availability_zone",
    "line_item_resource_id",
    "line_item_usage_amount",
    "line_item_normalization_factor",
    "line_item_normalized_usage_amount",
    "line_item_currency_code",
    "line_item_unblended_rate",
    "line_item_unblended_cost",
    "line_item_blended_rate",
    "line_item_blended_cost",
    "line_item_line_item_description",
    "line_item_tax_type",
    "line_item_legal_entity",
    "product_product_name",
    "product_instance_type",
    "product_location",
    "product_operating_system",
    "product_region",
    "product_region_code",
    "product_servicecode",
    "product_sku",
    "product_usagetype",
    "pricing_rate_code",
    "pricing_rate_id",
    "pricing_currency",
    "pricing_public_on_demand_cost",
    "pricing_public_on_demand_rate",
    "pricing_term",
    "pricing_unit",
    "reservation_amortized_upfront_cost_for_usage",
    "reservation_amortized_upfront_fee_for_billing_period",
    "reservation_effective_cost",
    "reservation_reservation_a_r_n",
    "reservation_unused_amortized_upfront_fee_for_billing_period",
    "reservation_unused_quantity",
    "reservation_unused_recurring_fee",
    "savings_plan_total_commitment_to_date",
    "savings_plan_savings_plan_a_r_n",
    "savings_plan_savings_plan_rate",
    "savings_plan_used_commitment",
    "savings_plan_savings_plan_effective_cost",
    "resource_tags_aws_created_by",
    "resource_tags_user_cost_center",
    "resource_tags_user_team",
  ];
  const header = readFileSync(LEGACY, "utf8").split("\n", 1)[0]!.split(",");
  assert.equal(header.length, athena.length);
  const typed = header.map((csv, i) => {
    const name = athena[i]!;
    const value = `"${csv}"`;
    if (/(_date)$/.test(name))
      return `CAST(strptime(${value}, '%Y-%m-%dT%H:%M:%SZ') AS TIMESTAMP) AS ${name}`;
    if (
      /(_cost|_rate|_amount|_factor|_fee|_for_usage|_for_billing_period|_quantity|_to_date|_commitment)$/.test(
        name,
      )
    )
      return `CAST(${value} AS DOUBLE) AS ${name}`;
    return `${value} AS ${name}`;
  });
  const engine = await openEngine({ memoryLimit: "128MB" });
  try {
    await engine.connection.run(
      `COPY (SELECT ${typed.join(", ")} FROM read_csv('${LEGACY}', header = true, all_varchar = true)) TO '${target}' (FORMAT parquet)`,
    );
  } finally {
    engine.close();
  }
}

describe("normalize aws-cur (legacy Cost and Usage Report)", function () {
  this.timeout(60000);

  it("maps usage, RI and Savings Plan coverage, the RI fee, tax, credit and refund to the hand-worked FOCUS values", async () => {
    const run = await normalized([LEGACY], { tenantId: "acme" });
    const [file] = run.summary.files;
    assert.equal(file!.format, "aws-cur");
    assert.equal(file!.why, "legacy CUR CSV headers");
    assert.deepEqual(run.summary.totals, {
      rowsRead: 8,
      rowsWritten: 9,
      rowsQuarantined: 0,
      rowsSuperseded: 0,
      filesRejected: 0,
    });
    // 0.096 + 0 + 0.085 - 0.085 + 55.8 + 4.73 - 5 - 1.2
    assert.equal(Number(run.summary.currencies[0]!.sourceCost), 54.426);
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
    assertRows(await run.query<Row>(SNAPSHOT), "aws-cur");
  });

  it("names the payer by the name the run is given for its id, as the legacy CUR has no name columns", async () => {
    const unnamed = await normalized([LEGACY], { tenantId: "acme" });
    assert.match(unnamed.summary.files[0]!.notes?.join("\n") ?? "", /^legacy CUR states no account names: /m);
    const run = await normalized([LEGACY], {
      tenantId: "acme",
      billingAccountNames: { "111111111111": "Acme Payer", "999999999999": "Another Payer" },
    });
    const names = await run.query<Row>("SELECT DISTINCT BillingAccountName, SubAccountName FROM {focus}");
    assert.deepEqual(names, [{ BillingAccountName: "Acme Payer", SubAccountName: null }]);
  });

  it("reads the Athena/Parquet form to the same FOCUS rows", async () => {
    const parquet = join(tempDir(), "cur-legacy-00001.snappy.parquet");
    await legacyParquet(parquet);
    const run = await normalized([parquet], { tenantId: "acme" });
    assert.equal(run.summary.files[0]!.format, "aws-cur");
    assert.equal(run.summary.files[0]!.why, "legacy CUR Athena columns, a product_* column per attribute");
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
    assertRows(await run.query<Row>(SNAPSHOT), "aws-cur");
  });

  it("gives the same FOCUS rows as the same lines in CUR 2.0, which stays CUR 2.0 as CSV and as Parquet", async () => {
    const legacy = await normalized([LEGACY], { tenantId: "acme" });
    const parquet = join(tempDir(), "cur2-twin.parquet");
    await cur2CsvToParquet(TWIN, parquet);
    for (const input of [TWIN, parquet]) {
      const cur2 = await normalized([input], { tenantId: "acme" });
      assert.equal(cur2.summary.files[0]!.format, "aws-cur2");
      const relabelled = (await legacy.query<Row>(SNAPSHOT)).map((r) => ({
        ...r,
        x_SourceFormat: "aws-cur2",
      }));
      assertSameRows(await cur2.query<Row>(SNAPSHOT), relabelled);
    }
  });

  it("reads a delivery's monthly folders, gzipped, skipping the manifests with a note", async () => {
    const report = join(tempDir(), "cur", "acme-hourly");
    const month = join(report, "20240101-20240201");
    mkdirSync(month, { recursive: true });
    writeFileSync(join(month, "acme-hourly-00001.csv.gz"), gzipSync(readFileSync(LEGACY)));
    const manifest = {
      assemblyId: "5f2d6c1e-8b9a-4c3d-a2e1-0f9e8d7c6b5a",
      account: "111111111111",
      columns: [
        { category: "identity", name: "LineItemId", type: "String" },
        { category: "lineItem", name: "UnblendedCost", type: "BigDecimal" },
      ],
      charset: "UTF-8",
      compression: "GZIP",
      contentType: "text/csv",
      reportId: "acme-hourly-report-id",
      reportName: "acme-hourly",
      billingPeriod: { start: "20240101T000000.000Z", end: "20240201T000000.000Z" },
      bucket: "acme-billing",
      reportKeys: ["cur/acme-hourly/20240101-20240201/acme-hourly-00001.csv.gz"],
      additionalArtifactKeys: [],
    };
    writeFileSync(join(month, "acme-hourly-Manifest.json"), JSON.stringify(manifest));
    copyFileSync(join(month, "acme-hourly-Manifest.json"), join(report, "acme-hourly-Manifest.json"));
    const run = await normalized([join(report, "..")], { tenantId: "acme" });
    const byName = new Map(run.summary.files.map((f) => [f.file.slice(report.length + 1), f]));
    assert.deepEqual([...byName.keys()].sort(), [
      "20240101-20240201/acme-hourly-00001.csv.gz",
      "20240101-20240201/acme-hourly-Manifest.json",
      "acme-hourly-Manifest.json",
    ]);
    for (const name of ["acme-hourly-Manifest.json", "20240101-20240201/acme-hourly-Manifest.json"]) {
      assert.equal(byName.get(name)!.status, "skipped");
      assert.match(byName.get(name)!.notes![0]!, /Cost and Usage Report manifest/);
    }
    assert.equal(byName.get("20240101-20240201/acme-hourly-00001.csv.gz")!.format, "aws-cur");
    assert.deepEqual(run.summary.totals, {
      rowsRead: 8,
      rowsWritten: 9,
      rowsQuarantined: 0,
      rowsSuperseded: 0,
      filesRejected: 0,
    });
    assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
  });

  it("rejects a legacy export without a required column, naming it", async () => {
    const file = join(tempDir(), "no-type.csv");
    const lines = readFileSync(LEGACY, "utf8").replace("lineItem/LineItemType,", "lineItem/Type,");
    writeFileSync(file, lines);
    const run = await normalized([file], { format: "aws-cur" });
    assert.equal(run.summary.files[0]!.status, "rejected");
    assert.match(
      run.summary.files[0]!.error!,
      /missing required column\(s\) for aws-cur: line_item_line_item_type/,
    );
    assert.equal(run.summary.reconciled, false);
  });

  it("spells legacy CSV headers as CUR 2.0 and Athena do", () => {
    assert.equal(cur2Name("lineItem/UnblendedCost"), "line_item_unblended_cost");
    assert.equal(cur2Name("savingsPlan/SavingsPlanARN"), "savings_plan_savings_plan_a_r_n");
    assert.equal(cur2Name("product/ProductName"), "product_product_name");
    assert.equal(cur2Name("product/region"), "product_region");
    assert.equal(cur2Name("resourceTags/user:cost-center"), "resource_tags_user_cost_center");
    assert.equal(cur2Name("resourceTags/aws:createdBy"), "resource_tags_aws_created_by");
    assert.equal(cur2Name("line_item_unblended_cost"), "line_item_unblended_cost");
  });

  it("detects both legacy forms and leaves CUR 2.0 to aws-cur2", async () => {
    const engine = await openEngine({ memoryLimit: "128MB" });
    try {
      assert.equal((await detectFormat(engine.connection, LEGACY, "csv")).format, "aws-cur");
      assert.equal((await detectFormat(engine.connection, TWIN, "csv")).format, "aws-cur2");
    } finally {
      engine.close();
    }
  });
});
