import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseRates } from "../../../runtime/currency/rates";
import { openEngine } from "../../../runtime/engine/duckdb";
import { FIXTURES, normalized, tempDir } from "./helpers";

const DIR = join(FIXTURES, "aws-cur2");
const RATES = parseRates("date,currency,usd_per_unit\n2024-01-10,EUR,1.1\n2024-01-25,EUR,1.2\n", "test");
const SP = "arn:aws:savingsplans::111111111111:savingsplan/sp-1";
const RI = "arn:aws:ec2:us-east-1:111111111111:reserved-instances/ri-1";

type Row = Record<string, string | null>;

/** Hand-worked FOCUS values of tests/fixtures/aws-cur2/cur2.csv, by ChargeDescription ("row N"). */
const EXPECTED: Record<string, Row> = {
  "row 1": {
    ChargeCategory: "Usage",
    BilledCost: "1.5",
    EffectiveCost: "1.5",
    PricingCategory: "Standard",
    Tags: '{"env":"prod","team":"data"}',
  },
  "row 2": {
    ChargeCategory: "Usage",
    BilledCost: "2",
    EffectiveCost: "1.2",
    PricingCategory: "Committed",
    CommitmentDiscountCategory: "Spend",
    CommitmentDiscountStatus: "Used",
    CommitmentDiscountType: "Savings Plan",
    CommitmentDiscountId: SP,
  },
  "row 3": { ChargeCategory: "Usage", BilledCost: "-2", EffectiveCost: "0", PricingCategory: "Committed" },
  // The unused commitment (10 - 8.5) is a row of its own (see the RIFee test below).
  "row 4": {
    ChargeCategory: "Purchase",
    ChargeFrequency: "Recurring",
    BilledCost: "10",
    EffectiveCost: "0",
    CommitmentDiscountStatus: null,
  },
  "row 5": {
    ChargeCategory: "Usage",
    BilledCost: "0",
    EffectiveCost: "0.8",
    CommitmentDiscountCategory: "Usage",
    CommitmentDiscountType: "Reserved Instance",
    CommitmentDiscountId: RI,
  },
  "row 6": {
    ChargeCategory: "Purchase",
    BilledCost: "30",
    EffectiveCost: "0",
    CommitmentDiscountStatus: null,
  },
  // A Tax line as CUR writes it: usage 1, a rate, public cost 0, the SKU and unit of what it taxes.
  // FOCUS prices no tax: no quantity, unit, unit prices or SKU; its list cost is what it bills.
  "row 7": {
    ChargeCategory: "Tax",
    BilledCost: "4.2",
    EffectiveCost: "4.2",
    ListCost: "4.2",
    RegionId: null,
    PricingQuantity: null,
    PricingUnit: null,
    ListUnitPrice: null,
    ContractedUnitPrice: null,
    SkuId: null,
    SkuPriceId: null,
    SkuMeter: null,
  },
  "row 8": { ChargeCategory: "Credit", ChargeClass: null, BilledCost: "-5", EffectiveCost: "-5" },
  "row 9": { ChargeCategory: "Credit", ChargeClass: "Correction", BilledCost: "-1" },
  "row 10": {
    ServiceCategory: "Other",
    x_ServiceFamily: "other",
    PublisherName: "Acme Software LLC",
    // user_env and env collide once the legacy prefix is stripped: the unprefixed key wins.
    Tags: '{"env":"prod"}',
  },
  "row 11": {
    BilledCost: "0.9",
    EffectiveCost: "0.9",
    ListCost: "1",
    PricingCategory: "Dynamic",
    RegionId: "eu-west-1",
    x_RegionGeo: "eu-west",
  },
  // 2024-01-20 takes the rate of the nearest earlier date, 2024-01-10.
  "row 12": { BillingCurrency: "EUR", BilledCost: "2", x_ExchangeRateToUsd: "1.1", x_BilledCostUsd: "2.2" },
  // 2024-01-05 precedes every EUR rate: the USD columns stay NULL and the row is kept.
  "row 13": { BillingCurrency: "EUR", BilledCost: "1", x_ExchangeRateToUsd: null, x_BilledCostUsd: null },
};

const num = (v: unknown) => (v === null || v === undefined ? null : String(Number(v)));

describe("normalize aws-cur2", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof normalized>>;
  before(async () => {
    run = await normalized([DIR], { rates: RATES, tenantId: "acme" });
  });

  it("maps every row to the hand-worked FOCUS values", async () => {
    const rows = await run.query<Row>("SELECT * FROM {focus} WHERE ChargeDescription LIKE 'row %'");
    const byRow = new Map(
      rows.filter((r) => r.x_SourceFormat === "aws-cur2").map((r) => [r.ChargeDescription!, r]),
    );
    for (const [row, expected] of Object.entries(EXPECTED)) {
      const actual = byRow.get(row);
      assert.ok(actual, `${row} missing from the output`);
      for (const [column, value] of Object.entries(expected)) {
        const got: string | null = actual[column] ?? null;
        const numeric = /Cost|Rate/.test(column) && value !== null;
        assert.equal(numeric ? num(got) : got, value, `${row}.${column}`);
      }
    }
  });

  it("splits a commitment fee line into the fee and its unused commitment", async () => {
    const rows = await run.query<Row>(
      `SELECT ChargeDescription, ChargeCategory, ChargeFrequency, CommitmentDiscountStatus, CommitmentDiscountId,
         CAST(BilledCost AS VARCHAR) BilledCost, CAST(EffectiveCost AS VARCHAR) EffectiveCost,
         CAST(ContractedCost AS VARCHAR) ContractedCost, CAST(ConsumedQuantity AS VARCHAR) ConsumedQuantity,
         CAST(CommitmentDiscountQuantity AS VARCHAR) CommitmentDiscountQuantity
       FROM {focus} WHERE ChargeDescription LIKE '%row 6' OR ChargeDescription LIKE '%row 4' ORDER BY ChargeDescription`,
    );
    const shown = rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, /Cost|Quantity/.test(k) && v !== null ? num(v) : v]),
      ),
    );
    // Row 6, RIFee: billed 30; unused 2 (amortized upfront) + 1 (recurring) = 3 becomes its own Usage
    // row, billed 0, so that the fee's EffectiveCost is 0 and the 30 is billed once. The fixture
    // states no usage amount, so the unused hours are unknown. Row 4, the Savings Plan fee:
    // commitment 10 - used 8.5 = 1.5 unused, stated in its currency.
    assert.deepEqual(shown, [
      {
        ChargeDescription: "Unused commitment: row 4",
        ChargeCategory: "Usage",
        ChargeFrequency: "Usage-Based",
        CommitmentDiscountStatus: "Unused",
        CommitmentDiscountId: SP,
        BilledCost: "0",
        EffectiveCost: "1.5",
        ContractedCost: "0",
        ConsumedQuantity: null,
        CommitmentDiscountQuantity: "1.5",
      },
      {
        ChargeDescription: "Unused commitment: row 6",
        ChargeCategory: "Usage",
        ChargeFrequency: "Usage-Based",
        CommitmentDiscountStatus: "Unused",
        CommitmentDiscountId: RI,
        BilledCost: "0",
        EffectiveCost: "3",
        ContractedCost: "0",
        ConsumedQuantity: null,
        CommitmentDiscountQuantity: null,
      },
      {
        ChargeDescription: "row 4",
        ChargeCategory: "Purchase",
        ChargeFrequency: "Recurring",
        CommitmentDiscountStatus: null,
        CommitmentDiscountId: SP,
        BilledCost: "10",
        EffectiveCost: "0",
        ContractedCost: "10",
        ConsumedQuantity: null,
        CommitmentDiscountQuantity: "10",
      },
      {
        ChargeDescription: "row 6",
        ChargeCategory: "Purchase",
        ChargeFrequency: "Recurring",
        CommitmentDiscountStatus: null,
        CommitmentDiscountId: RI,
        BilledCost: "30",
        EffectiveCost: "0",
        ContractedCost: "30",
        ConsumedQuantity: null,
        CommitmentDiscountQuantity: null,
      },
    ]);
  });

  it("writes UTC timestamps, exclusive period ends, the taxonomy and x_ columns", async () => {
    const [r] = await run.query<Row>(
      `SELECT CAST(BillingPeriodStart AS VARCHAR) bps, CAST(BillingPeriodEnd AS VARCHAR) bpe, CAST(ChargePeriodStart AS VARCHAR) cps,
        CAST(x_ChargeDate AS VARCHAR) d, ServiceName, ServiceCategory, ServiceSubcategory, RegionName, x_RegionCountry, x_TenantId, x_Provider, x_SourceFormat, ProviderName
       FROM {focus} WHERE ChargeDescription = 'row 1'`,
    );
    assert.deepEqual(r, {
      bps: "2024-01-01 00:00:00",
      bpe: "2024-02-01 00:00:00",
      cps: "2024-01-15 10:00:00",
      d: "2024-01-15",
      ServiceName: "Amazon Elastic Compute Cloud",
      ServiceCategory: "Compute",
      ServiceSubcategory: "Virtual Machines",
      RegionName: "US East (N. Virginia)",
      x_RegionCountry: "US",
      x_TenantId: "acme",
      x_Provider: "aws",
      x_SourceFormat: "aws-cur2",
      ProviderName: "AWS",
    });
  });

  it("quarantines bad rows with their file, row number and reason, and keeps the good one", async () => {
    const rows = await run.query<{ row_number: string; reason: string; source_file: string }>(
      "SELECT CAST(row_number AS VARCHAR) row_number, reason, source_file FROM {quarantine} ORDER BY row_number",
    );
    assert.deepEqual(
      rows.map((r) => [r.row_number, r.reason]),
      [
        ["1", "bad number in line_item_unblended_cost: abc"],
        ["2", "bad date in line_item_usage_start_date: not-a-date"],
        ["3", "missing value in line_item_usage_account_id"],
        ["4", 'bad JSON object in resource_tags: {"broken'],
      ],
    );
    assert.ok(rows.every((r) => r.source_file.endsWith("cur2-bad-rows.csv")));
    const bad = run.summary.files.find((f) => f.file.endsWith("cur2-bad-rows.csv"))!;
    assert.deepEqual([bad.rowsRead, bad.rowsWritten, bad.rowsQuarantined], [5, 1, 4]);
  });

  it("reconciles counts and cost totals per currency exactly, and reports rows without a USD rate", () => {
    const s = run.summary;
    assert.equal(s.reconciled, true, s.problems.join("\n"));
    // 13 + 1 good lines written, plus the unused commitments split off rows 4 and 6.
    assert.deepEqual(s.totals, {
      rowsRead: 18,
      rowsWritten: 16,
      rowsQuarantined: 4,
      rowsSuperseded: 0,
      filesRejected: 0,
    });
    const usd = s.currencies.find((c) => c.currency === "USD")!;
    // 43.6 written + 10.75 quarantined (the unparseable "abc" carries no cost) + 0.75 good bad-file row.
    assert.deepEqual([usd.sourceCost, usd.outputCost, usd.quarantinedCost], ["55.1", "44.35", "10.75"]);
    assert.deepEqual(s.rowsWithoutUsdRate, [{ format: "aws-cur2", currency: "EUR", rows: 1 }]);
    assert.deepEqual(
      s.unknownServices.map((u) => [u.service, u.rows]),
      [["prod-abc123xyz", 1]],
    );
  });

  it("states a USD amount in the USD columns exactly, digits a DOUBLE cannot hold included", async () => {
    const [header, row1] = readFileSync(join(DIR, "cur2.csv"), "utf8").split("\n");
    const amount = "1234.123456789012345678";
    const file = join(tempDir(), "cur2.csv");
    writeFileSync(file, `${header}\n${row1!.replaceAll(",1.5,", `,${amount},`)}\n`);
    const precise = await normalized([file], { format: "aws-cur2" });
    const [r] = await precise.query<Row>(
      `SELECT CAST(BilledCost AS VARCHAR) b, CAST(x_BilledCostUsd AS VARCHAR) bu, CAST(x_EffectiveCostUsd AS VARCHAR) eu,
         CAST(x_ExchangeRateToUsd AS VARCHAR) r FROM {focus}`,
    );
    assert.equal(Number(r!.r), 1);
    assert.deepEqual([r!.b, r!.bu, r!.eu], [`${amount}`, `${amount}`, `${amount}`]);
  });

  it("reads Parquet with MAP tags and typed columns to the same result", async () => {
    const dir = tempDir();
    const parquet = join(dir, "cur2.parquet");
    const engine = await openEngine();
    await engine.connection.run(
      `COPY (SELECT * REPLACE (
          CAST(line_item_unblended_cost AS DOUBLE) AS line_item_unblended_cost,
          CAST(line_item_usage_start_date AS TIMESTAMP) AS line_item_usage_start_date,
          CASE WHEN resource_tags IS NULL THEN NULL ELSE CAST(json_transform(resource_tags, '"MAP(VARCHAR, VARCHAR)"') AS MAP(VARCHAR, VARCHAR)) END AS resource_tags)
        FROM read_csv('${join(DIR, "cur2.csv")}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`,
    );
    engine.close();
    const pq = await normalized([parquet], { rates: RATES, format: "aws-cur2" });
    assert.equal(pq.summary.reconciled, true, pq.summary.problems.join("\n"));
    const [tags] = await pq.query<Row>(
      "SELECT CAST(Tags AS VARCHAR) t FROM {focus} WHERE ChargeDescription = 'row 10'",
    );
    assert.equal(tags!.t, '{"env":"prod"}');
    const [totals] = await pq.query<Row>(
      "SELECT CAST(sum(EffectiveCost) AS DOUBLE) e FROM {focus} WHERE BillingCurrency = 'USD'",
    );
    assert.equal(num(totals!.e), "10.1");
  });

  describe("written as FOCUS 1.3 (issue 22)", () => {
    let v12: Awaited<ReturnType<typeof normalized>>;
    let v13: Awaited<ReturnType<typeof normalized>>;
    before(async () => {
      // The fixture with the rate ids a CUR 2.0 export has (pricing_rate_id, one per price), on every row.
      const [header, ...rows] = readFileSync(join(DIR, "cur2.csv"), "utf8").trimEnd().split(/\r?\n/);
      const csv = join(tempDir(), "cur2-rates.csv");
      writeFileSync(
        csv,
        `${[`${header},pricing_rate_id`, ...rows.map((r, i) => `${r},${100000 + i}`)].join("\n")}\n`,
      );
      const opts = { rates: RATES, tenantId: "acme", format: "aws-cur2" } as const;
      v12 = await normalized([csv], opts);
      v13 = await normalized([csv], { ...opts, focusVersion: "1.3" });
    });
    const byRow = async (r: typeof run, columns: string[]) =>
      new Map(
        (
          await r.query<Row>(
            `SELECT ChargeDescription, ${columns.map((c) => `CAST(${c} AS VARCHAR) AS ${c}`).join(", ")}
             FROM {focus} WHERE ChargeDescription LIKE 'row %' AND x_SourceFormat = 'aws-cur2'`,
          )
        ).map((x) => [x.ChargeDescription!, x]),
      );

    it("names the seller and the host: AWS for its own services, the seller for a Marketplace product", async () => {
      const rows = await byRow(v13, [
        "ProviderName",
        "PublisherName",
        "ServiceProviderName",
        "HostProviderName",
      ]);
      assert.deepEqual(rows.get("row 1"), {
        ChargeDescription: "row 1",
        ProviderName: "AWS",
        PublisherName: "Amazon Web Services",
        ServiceProviderName: "AWS",
        HostProviderName: "AWS",
      });
      // Billed by AWS Marketplace, sold by its legal entity; no AWS resource of ours runs it.
      assert.deepEqual(rows.get("row 10"), {
        ChargeDescription: "row 10",
        ProviderName: "AWS",
        PublisherName: "Acme Software LLC",
        ServiceProviderName: "Acme Software LLC",
        HostProviderName: null,
      });
    });

    it("writes the 65 FOCUS 1.3 columns, and the 1.2 output none of the 8 that 1.3 added", async () => {
      const columns = async (r: typeof run) =>
        (await r.query<{ column_name: string }>("DESCRIBE SELECT * FROM {focus}"))
          .map((c) => c.column_name)
          .filter((c) => !c.startsWith("x_"));
      const [c12, c13] = [await columns(v12), await columns(v13)];
      assert.equal(c13.length, 65);
      assert.equal(c12.length, 57);
      assert.deepEqual(c13.filter((c) => !c12.includes(c)).sort(), [
        "AllocatedMethodDetails",
        "AllocatedMethodId",
        "AllocatedResourceId",
        "AllocatedResourceName",
        "AllocatedTags",
        "ContractApplied",
        "HostProviderName",
        "ServiceProviderName",
      ]);
      assert.equal(v13.summary.focusVersion, "1.3");
    });

    it("leaves a charge without a SkuPriceId unpriced, and counts the same cost as 1.2", async () => {
      const price = ["PricingCategory", "PricingQuantity", "PricingUnit", "ListUnitPrice", "SkuPriceDetails"];
      const tax = (await byRow(v13, price)).get("row 7")!;
      for (const c of price) assert.equal(tax[c], null, `row 7 ${c}`);
      // A priced row keeps its price and quantity.
      const used = (await byRow(v13, price)).get("row 1")!;
      assert.notEqual(used.PricingQuantity, null);
      assert.equal(used.PricingCategory, "Standard");
      const totals = (r: typeof run) =>
        r.query<Row>(
          `SELECT BillingCurrency, CAST(sum(BilledCost) AS VARCHAR) b, CAST(sum(EffectiveCost) AS VARCHAR) e,
             CAST(sum(ListCost) AS VARCHAR) l, count(*) AS n FROM {focus} GROUP BY 1 ORDER BY 1`,
        );
      assert.deepEqual(await totals(v13), await totals(v12));
      // 1.2 leaves a Tax row's price to its SkuPriceId too: the two versions price alike here.
      assert.deepEqual((await byRow(v12, price)).get("row 7"), tax);
      // Without rate ids (the fixture as it is) no row has a SkuPriceId: 1.2 keeps the usage's
      // price and quantity, 1.3 must not state them.
      const unrated = await normalized([join(DIR, "cur2.csv")], { rates: RATES, focusVersion: "1.3" });
      const quantity = ["PricingQuantity", "ListUnitPrice"];
      assert.notEqual((await byRow(run, quantity)).get("row 1")!.PricingQuantity, null);
      assert.deepEqual((await byRow(unrated, quantity)).get("row 1"), {
        ChargeDescription: "row 1",
        PricingQuantity: null,
        ListUnitPrice: null,
      });
      assert.equal(v13.summary.reconciled, true, v13.summary.problems.join("\n"));
    });
  });
});
