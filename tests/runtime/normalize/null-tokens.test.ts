import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, normalized, tempDir } from "./helpers";

/** The fields of one CSV record (RFC 4180 quoting), as written. */
const fields = (line: string) => [...`${line},`.matchAll(/("(?:[^"]|"")*"|[^,]*),/g)].map((m) => m[1]!);

/** A CSV of one header and records; a JS null is written as the bare token NULL. */
function writeNullTokenCsv(path: string, header: string[], rows: (string | null)[][]): void {
  const cell = (v: string | null) =>
    v === null ? "NULL" : /[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  writeFileSync(path, `${[header.join(","), ...rows.map((r) => r.map(cell).join(","))].join("\n")}\n`);
}

/** FOCUS 1.2 columns as AWS's FOCUS_1_2_AWS export names them, with its x_ columns. */
const FOCUS_HEADER =
  "AvailabilityZone,BilledCost,BillingAccountId,BillingAccountName,BillingAccountType,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,CapacityReservationId,CapacityReservationStatus,ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,ChargePeriodEnd,ChargePeriodStart,CommitmentDiscountCategory,CommitmentDiscountId,CommitmentDiscountName,CommitmentDiscountQuantity,CommitmentDiscountStatus,CommitmentDiscountType,CommitmentDiscountUnit,ConsumedQuantity,ConsumedUnit,ContractedCost,ContractedUnitPrice,EffectiveCost,InvoiceId,InvoiceIssuerName,ListCost,ListUnitPrice,PricingCategory,PricingCurrency,PricingCurrencyContractedUnitPrice,PricingCurrencyEffectiveCost,PricingCurrencyListUnitPrice,PricingQuantity,PricingUnit,ProviderName,PublisherName,RegionId,RegionName,ResourceId,ResourceName,ResourceType,ServiceCategory,ServiceName,ServiceSubcategory,SkuId,SkuMeter,SkuPriceDetails,SkuPriceId,SubAccountId,SubAccountName,SubAccountType,Tags,x_CostCategories,x_Discounts,x_Operation,x_ServiceCode,x_UsageType".split(
    ",",
  );

/** One FOCUS row by column name; every column not given is null (the bare token in the file). */
const focusRow = (values: Record<string, string>) => FOCUS_HEADER.map((c) => values[c] ?? null);
const common = {
  BillingAccountId: "111111111111",
  BillingAccountName: "acme-management",
  BillingAccountType: "Billing Account",
  BillingCurrency: "USD",
  BillingPeriodStart: "2025-03-01T00:00:00Z",
  BillingPeriodEnd: "2025-04-01T00:00:00Z",
  ChargePeriodStart: "2025-03-01T00:00:00Z",
  ChargePeriodEnd: "2025-03-02T00:00:00Z",
  InvoiceIssuerName: "Amazon Web Services, Inc.",
  ProviderName: "AWS",
  PublisherName: "Amazon Web Services, Inc.",
  SubAccountId: "222222222222",
  SubAccountName: "acme-prod",
  SubAccountType: "Linked Account",
};
const usage = {
  ...common,
  AvailabilityZone: "us-east-1a",
  BilledCost: "2.304",
  ChargeCategory: "Usage",
  ChargeDescription: "$0.096 per On Demand Linux m6i.large Instance Hour",
  ChargeFrequency: "Usage-Based",
  ConsumedQuantity: "24",
  ConsumedUnit: "Hours",
  ContractedCost: "2.304",
  ContractedUnitPrice: "0.096",
  EffectiveCost: "2.304",
  ListCost: "2.304",
  ListUnitPrice: "0.096",
  PricingCategory: "Standard",
  PricingCurrency: "USD",
  PricingQuantity: "24",
  PricingUnit: "Hours",
  RegionId: "us-east-1",
  RegionName: "US East (N. Virginia)",
  ResourceId: "i-0a1b2c3d4e5f60718",
  ResourceType: "Instance",
  ServiceCategory: "Compute",
  ServiceName: "Amazon Elastic Compute Cloud",
  SkuId: "JRTCKXETXF",
  SkuPriceId: "JRTCKXETXF.UR4WC3QYZZ.QR6EZ7BF7P",
  Tags: '{"team": "payments"}',
  x_Operation: "RunInstances",
  x_ServiceCode: "AmazonEC2",
  x_UsageType: "BoxUsage:m6i.large",
};
const tax = {
  ...common,
  BilledCost: "0.18",
  ChargeCategory: "Tax",
  ChargeDescription: "Tax for product code AmazonEC2",
  ChargeFrequency: "One-Time",
  ContractedCost: "0.18",
  EffectiveCost: "0.18",
  ListCost: "0.18",
  ServiceCategory: "Compute",
  ServiceName: "Amazon Elastic Compute Cloud",
  x_ServiceCode: "AmazonEC2",
};

describe("normalize: the bare token NULL is null in every CSV reader", function () {
  this.timeout(60000);

  it("a FOCUS export writing NULL for missing values quarantines only the rows that break FOCUS", async () => {
    const file = join(tempDir(), "focus-with-null-tokens.csv");
    writeNullTokenCsv(file, FOCUS_HEADER, [
      focusRow(usage),
      focusRow(tax),
      // Really broken: BilledCost is mandatory and must not be null.
      focusRow({ ...usage, BilledCost: "NULL" }),
    ]);
    // Quoted, NULL is the text "NULL": not a ChargeCategory.
    writeFileSync(
      file,
      `${readFileSync(file, "utf8")}${focusRow({ ...tax, BilledCost: "0.5" })
        .map((v, i) =>
          FOCUS_HEADER[i] === "ChargeCategory"
            ? '"NULL"'
            : v === null
              ? "NULL"
              : `"${v.replaceAll('"', '""')}"`,
        )
        .join(",")}\n`,
    );
    const run = await normalized([file], { format: "aws-focus" });
    const f = run.summary.files[0]!;
    assert.equal(f.status, "normalized", f.error);
    assert.deepEqual([f.rowsRead, f.rowsWritten, f.rowsQuarantined], [4, 2, 2]);
    const q = await run.query<{ row_number: string; reason: string; cost: string | null; category: string }>(
      "SELECT CAST(row_number AS VARCHAR) row_number, reason, json_extract_string(raw_row, '$.BilledCost') AS cost, json_extract_string(raw_row, '$.ChargeCategory') AS category FROM {quarantine} ORDER BY row_number",
    );
    assert.deepEqual(q, [
      { row_number: "3", reason: "missing value in BilledCost", cost: null, category: "Usage" },
      {
        row_number: "4",
        reason: "not a FOCUS value in ChargeCategory: NULL",
        cost: "0.5",
        category: "NULL",
      },
    ]);
    assert.deepEqual(run.summary.currencies, [
      {
        currency: "USD",
        sourceCost: "2.984",
        outputCost: "2.484",
        quarantinedCost: "0.5",
        supersededCost: "0",
        difference: "0",
        reconciled: true,
      },
    ]);
    const written = await run.query<{ c: string; cls: string | null; lup: number | null; cd: string | null }>(
      "SELECT ChargeCategory c, ChargeClass cls, CAST(ListUnitPrice AS DOUBLE) lup, CommitmentDiscountId cd FROM {focus} ORDER BY 1 DESC",
    );
    assert.deepEqual(written, [
      { c: "Usage", cls: null, lup: 0.096, cd: null },
      { c: "Tax", cls: null, lup: null, cd: null },
    ]);
  });

  it("a CUR 2.0 row with NULL in optional numeric and text columns is not quarantined for it", async () => {
    const [headerLine, first] = readFileSync(join(FIXTURES, "aws-cur2", "cur2.csv"), "utf8").split("\n");
    const header = headerLine!.split(",");
    const file = join(tempDir(), "cur2-null-tokens.csv");
    // The fixture's first row (an EC2 usage hour), its empty optional fields spelled NULL.
    const row = first!.replace(/(^|,)(?=,|$)/g, "$1NULL");
    for (const col of [
      "line_item_net_unblended_cost",
      "line_item_unblended_rate",
      "line_item_availability_zone",
    ]) {
      assert.equal(fields(row)[header.indexOf(col)], "NULL", col);
    }
    writeFileSync(file, `${headerLine}\n${row}\n`);
    const run = await normalized([file], { format: "aws-cur2" });
    const f = run.summary.files[0]!;
    assert.deepEqual([f.status, f.rowsRead, f.rowsWritten, f.rowsQuarantined], ["normalized", 1, 1, 0]);
    const [out] = await run.query<{ billed: number; zone: string | null }>(
      "SELECT CAST(BilledCost AS DOUBLE) billed, AvailabilityZone AS zone FROM {focus}",
    );
    assert.deepEqual(out, { billed: 1.5, zone: null });
  });

  it("an Azure cost details row with NULL in an optional number is not quarantined for it", async () => {
    const [headerLine, first] = readFileSync(
      join(FIXTURES, "azure-cost-details", "mca-actualcost.csv"),
      "utf8",
    ).split("\n");
    const header = headerLine!.split(",");
    const cells = fields(first!);
    assert.equal(cells[header.indexOf("PayGPrice")], "0.192");
    cells[header.indexOf("PayGPrice")] = "NULL";
    const file = join(tempDir(), "mca-null-tokens.csv");
    writeFileSync(file, `${headerLine}\n${cells.join(",")}\n`);
    const run = await normalized([file], { format: "azure-cost-details" });
    const f = run.summary.files[0]!;
    assert.deepEqual([f.status, f.rowsRead, f.rowsWritten, f.rowsQuarantined], ["normalized", 1, 1, 0]);
    // The list cost comes from paygCostInBillingCurrency, given.
    const [out] = await run.query<{ billed: number; list: number }>(
      "SELECT CAST(BilledCost AS DOUBLE) billed, CAST(ListCost AS DOUBLE) list FROM {focus}",
    );
    assert.deepEqual(out, { billed: 4.608, list: 4.608 });
  });
});
