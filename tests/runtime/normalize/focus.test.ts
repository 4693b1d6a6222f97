import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "../../../runtime/engine/duckdb";
import { FIXTURES, normalized, SAMPLES, tempDir } from "./helpers";

const PLATFORM = join(FIXTURES, "focus", "finops-platform-focus-1-0.csv");
const SNOWFLAKE = join(FIXTURES, "focus", "snowflake-focus-1-3.csv");
const OCI = join(SAMPLES, "focus", "oci-focus-cost-report-2025-03-01.csv");
const GOOGLE_VIEW = join(FIXTURES, "focus", "google-focus-view-1-0.ndjson");

type Row = Record<string, string | null>;

/** Output rows as text, timestamps in FOCUS spelling, ordered by the file's own x_ column and cost. */
const rowsOf = (run: Awaited<ReturnType<typeof normalized>>) =>
  run.query<Row>(
    `SELECT * REPLACE (
       strftime(BillingPeriodStart, '%Y-%m-%dT%H:%M:%SZ') AS BillingPeriodStart,
       strftime(BillingPeriodEnd, '%Y-%m-%dT%H:%M:%SZ') AS BillingPeriodEnd,
       strftime(ChargePeriodStart, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodStart,
       strftime(ChargePeriodEnd, '%Y-%m-%dT%H:%M:%SZ') AS ChargePeriodEnd,
       CAST(x_ChargeDate AS VARCHAR) AS x_ChargeDate, CAST(Tags AS VARCHAR) AS Tags)
     FROM {focus} ORDER BY x_Provider, BilledCost`,
  );

/** Decimal output as its shortest text (DuckDB writes DECIMAL(38,18) with every digit). */
const short = (v: string | null) => (v === null ? null : v.includes(".") ? v.replace(/\.?0+$/, "") : v);

function pick(row: Row, columns: string[]): Row {
  return Object.fromEntries(columns.map((c) => [c, short(row[c] ?? null)]));
}

/** An NDJSON file as the BigQuery console saves query results as CSV: nested values as JSON text. */
async function asConsoleCsv(ndjson: string): Promise<string> {
  const csv = join(tempDir(), "google-focus-view.csv");
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    const nested = ["Tags", "ServiceCategory", "x_Credits"].map(
      (c) => `CAST(to_json(${c}) AS VARCHAR) AS ${c}`,
    );
    await engine.connection.run(
      `COPY (SELECT * REPLACE (${nested.join(", ")}) FROM read_json('${ndjson}', format = 'newline_delimited')) TO '${csv}' (HEADER)`,
    );
  } finally {
    engine.close();
  }
  return csv;
}

describe("normalize: FOCUS files of any provider (focus)", function () {
  this.timeout(60000);

  describe("a FinOps platform's FOCUS 1.0 export of AWS, Google Cloud, Databricks and Snowflake", () => {
    let run: Awaited<ReturnType<typeof normalized>>;
    let rows: Row[];
    before(async () => {
      run = await normalized([PLATFORM]);
      rows = await rowsOf(run);
    });

    it("is detected as focus, its version stated, and reconciles", () => {
      const file = run.summary.files[0]!;
      assert.equal(file.format, "focus");
      assert.equal(file.formatChosenBy, "detected");
      assert.deepEqual(file.notes, ["FOCUS 1.0 (by its columns), written as FOCUS 1.2"]);
      assert.equal(run.summary.reconciled, true, run.summary.problems.join("\n"));
      assert.deepEqual([file.rowsRead, file.rowsWritten, file.rowsQuarantined], [5, 5, 0]);
      // 2.304 + 1.2484 + 3.75 - 10 + 0.18
      assert.deepEqual(
        run.summary.currencies.map((c) => [c.currency, c.sourceCost, c.outputCost]),
        [["USD", "-2.5176", "-2.5176"]],
      );
    });

    it("files each provider's rows under its own x_Provider, named by ProviderName", () => {
      assert.deepEqual(readdirSync(join(run.out, "focus")).sort(), [
        "x_Provider=aws",
        "x_Provider=databricks",
        "x_Provider=gcp",
        "x_Provider=snowflake-inc",
      ]);
      assert.deepEqual(run.summary.partitions, [
        "focus/x_Provider=aws/x_BillingPeriod=2025-03",
        "focus/x_Provider=databricks/x_BillingPeriod=2025-03",
        "focus/x_Provider=gcp/x_BillingPeriod=2025-03",
        "focus/x_Provider=snowflake-inc/x_BillingPeriod=2025-03",
      ]);
    });

    it("passes the file's FOCUS values through, filling only what it leaves empty", () => {
      const [tax, ec2] = rows.filter((r) => r.x_Provider === "aws");
      assert.deepEqual(
        pick(ec2!, [
          "AvailabilityZone",
          "BilledCost",
          "BillingAccountId",
          "BillingAccountName",
          "BillingCurrency",
          "BillingPeriodStart",
          "BillingPeriodEnd",
          "ChargeCategory",
          "ChargeClass",
          "ChargeDescription",
          "ChargeFrequency",
          "ChargePeriodStart",
          "ChargePeriodEnd",
          "ConsumedQuantity",
          "ConsumedUnit",
          "ContractedCost",
          "ContractedUnitPrice",
          "EffectiveCost",
          "InvoiceIssuerName",
          "ListCost",
          "ListUnitPrice",
          "PricingCategory",
          "PricingCurrency",
          "PricingCurrencyContractedUnitPrice",
          "PricingCurrencyEffectiveCost",
          "PricingCurrencyListUnitPrice",
          "PricingQuantity",
          "PricingUnit",
          "ProviderName",
          "PublisherName",
          "RegionId",
          "RegionName",
          "ResourceId",
          "ResourceType",
          "ServiceCategory",
          "ServiceName",
          "ServiceSubcategory",
          "SkuId",
          "SkuPriceId",
          "SubAccountId",
          "SubAccountName",
          "Tags",
          "x_Provider",
          "x_SourceFormat",
          "x_ServiceFamily",
          "x_RegionGeo",
          "x_RegionCountry",
          "x_BilledCostUsd",
          "x_EffectiveCostUsd",
          "x_ExchangeRateToUsd",
          "x_ChargeDate",
        ]),
        {
          AvailabilityZone: "us-east-1a",
          BilledCost: "2.304",
          BillingAccountId: "111111111111",
          BillingAccountName: "acme-management",
          BillingCurrency: "USD",
          BillingPeriodStart: "2025-03-01T00:00:00Z",
          BillingPeriodEnd: "2025-04-01T00:00:00Z",
          ChargeCategory: "Usage",
          ChargeClass: null,
          ChargeDescription: "$0.096 per On Demand Linux m6i.large Instance Hour",
          ChargeFrequency: "Usage-Based",
          ChargePeriodStart: "2025-03-10T00:00:00Z",
          ChargePeriodEnd: "2025-03-11T00:00:00Z",
          ConsumedQuantity: "24",
          ConsumedUnit: "Hours",
          ContractedCost: "2.304",
          ContractedUnitPrice: "0.096",
          EffectiveCost: "2.304",
          InvoiceIssuerName: "Amazon Web Services, Inc.",
          ListCost: "2.304",
          ListUnitPrice: "0.096",
          PricingCategory: "Standard",
          // FOCUS 1.0 states prices in the billing currency: 1.2's pricing-currency columns restate them.
          PricingCurrency: "USD",
          PricingCurrencyContractedUnitPrice: "0.096",
          PricingCurrencyEffectiveCost: "2.304",
          PricingCurrencyListUnitPrice: "0.096",
          PricingQuantity: "24",
          PricingUnit: "Hours",
          ProviderName: "AWS",
          PublisherName: "Amazon Web Services, Inc.",
          RegionId: "us-east-1",
          // The file leaves RegionName empty: the region taxonomy names it.
          RegionName: "US East (N. Virginia)",
          ResourceId: "i-0a1b2c3d4e5f60718",
          ResourceType: "Instance",
          ServiceCategory: "Compute",
          ServiceName: "Amazon Elastic Compute Cloud",
          // FOCUS 1.0 has no subcategory: the taxonomy's, which belongs to the file's category.
          ServiceSubcategory: "Virtual Machines",
          SkuId: "JRTCKXETXF",
          SkuPriceId: "JRTCKXETXF.UR4WC3QYZZ.QR6EZ7BF7P",
          SubAccountId: "222222222222",
          SubAccountName: "acme-prod",
          Tags: '{"team":"payments","env":"prod"}',
          x_Provider: "aws",
          x_SourceFormat: "focus",
          // Found by its FOCUS ServiceName, which the taxonomy knows besides CUR's product code.
          x_ServiceFamily: "compute",
          x_RegionGeo: "us-east",
          x_RegionCountry: "US",
          x_BilledCostUsd: "2.304",
          x_EffectiveCostUsd: "2.304",
          x_ExchangeRateToUsd: "1",
          x_ChargeDate: "2025-03-10",
        },
      );
      assert.deepEqual(
        pick(tax!, ["ChargeCategory", "ServiceCategory", "ServiceSubcategory", "PricingQuantity"]),
        {
          ChargeCategory: "Tax",
          ServiceCategory: "Compute",
          ServiceSubcategory: "Virtual Machines",
          PricingQuantity: null,
        },
      );
    });

    it("reads enumerations in any case (Google's FOCUS view writes them in lower case)", () => {
      const gcp = rows.find((r) => r.x_Provider === "gcp")!;
      assert.deepEqual(
        pick(gcp, [
          "ChargeCategory",
          "ChargeFrequency",
          "PricingCategory",
          "ServiceCategory",
          "ServiceSubcategory",
          "RegionName",
          "EffectiveCost",
          "x_ServiceFamily",
        ]),
        {
          ChargeCategory: "Usage",
          ChargeFrequency: "Usage-Based",
          PricingCategory: "Standard",
          // Google's view states no category: the taxonomy's, by ServiceName.
          ServiceCategory: "Compute",
          ServiceSubcategory: "Virtual Machines",
          RegionName: "Belgium",
          EffectiveCost: "0.9987",
          x_ServiceFamily: "compute",
        },
      );
      const snowflake = rows.find((r) => r.x_Provider === "snowflake-inc")!;
      assert.deepEqual(
        pick(snowflake, ["ChargeCategory", "ServiceCategory", "ServiceSubcategory", "x_ServiceFamily"]),
        {
          ChargeCategory: "Credit",
          ServiceCategory: "Databases",
          ServiceSubcategory: "Other (Databases)",
          // Not in the taxonomy, but its category says what it is.
          x_ServiceFamily: "database",
        },
      );
    });

    it("reports an unknown service only where the output says Other", () => {
      const databricks = rows.find((r) => r.x_Provider === "databricks")!;
      assert.deepEqual(
        pick(databricks, ["ServiceName", "ServiceCategory", "ServiceSubcategory", "x_ServiceFamily"]),
        {
          ServiceName: "Jobs Compute",
          ServiceCategory: "Other",
          ServiceSubcategory: "Other (Other)",
          x_ServiceFamily: "other",
        },
      );
      // Snowflake is not in the taxonomy either, but its file states its category, which is kept.
      assert.deepEqual(run.summary.unknownServices, [
        { provider: "databricks", format: "focus", service: "Jobs Compute", rows: 1 },
      ]);
    });

    it("forced as aws-focus, writes the AWS rows and quarantines the others with the reason, never labelling them aws", async () => {
      const forced = await normalized([PLATFORM], { format: "aws-focus" });
      const file = forced.summary.files[0]!;
      assert.deepEqual([file.rowsWritten, file.rowsQuarantined], [2, 3]);
      const reasons = await forced.query<{ reason: string }>(
        "SELECT reason FROM {quarantine} ORDER BY reason",
      );
      assert.deepEqual(
        reasons.map((r) => r.reason),
        [
          'ProviderName "Databricks" is not aws: not a row of aws-focus; read the file with --format focus',
          'ProviderName "Google Cloud" is not aws: not a row of aws-focus; read the file with --format focus',
          'ProviderName "Snowflake Inc." is not aws: not a row of aws-focus; read the file with --format focus',
        ],
      );
      assert.deepEqual(readdirSync(join(forced.out, "focus")), ["x_Provider=aws"]);
      assert.equal(forced.summary.reconciled, true, forced.summary.problems.join("\n"));
    });
  });

  describe("Google's FOCUS view as BigQuery exports it (NDJSON: Tags as entries, product taxonomy in ServiceCategory)", () => {
    let run: Awaited<ReturnType<typeof normalized>>;
    let rows: Row[];
    before(async () => {
      run = await normalized([GOOGLE_VIEW]);
      rows = await rowsOf(run);
    });

    it("keeps every row, and says where the categories came from", () => {
      const file = run.summary.files[0]!;
      assert.equal(file.format, "focus");
      assert.deepEqual([file.rowsRead, file.rowsWritten, file.rowsQuarantined], [4, 4, 0]);
      assert.ok(
        file.notes?.some((n) =>
          n.startsWith("ServiceCategory holds values that are not FOCUS service categories"),
        ),
        JSON.stringify(file.notes),
      );
      assert.equal(run.summary.reconciled, true);
      assert.deepEqual(run.summary.unknownServices, []);
    });

    it("writes Tags as one object, a resource's own label before its project's", () => {
      const byResource = Object.fromEntries(rows.map((r) => [r.ResourceName ?? "none", r.Tags]));
      assert.deepEqual(byResource, {
        none: null,
        "shop-assets": '{"team":"web"}',
        "batch-2": null,
        "web-1": '{"env":"prod","goog-k8s-cluster-name":"shop","team":"web"}',
      });
    });

    it("takes a category the file states in FOCUS terms, and the taxonomy's where it states its own", () => {
      assert.deepEqual(
        rows.map((r) =>
          pick(r, [
            "ServiceName",
            "ServiceCategory",
            "ServiceSubcategory",
            "ChargeCategory",
            "PricingCategory",
            "BilledCost",
          ]),
        ),
        [
          {
            ServiceName: "Compute Engine",
            ServiceCategory: "Compute",
            ServiceSubcategory: "Virtual Machines",
            ChargeCategory: "Adjustment",
            PricingCategory: null,
            BilledCost: "-0.15",
          },
          {
            ServiceName: "Cloud Storage",
            ServiceCategory: "Storage",
            ServiceSubcategory: "Object Storage",
            ChargeCategory: "Usage",
            PricingCategory: "Standard",
            BilledCost: "0.02",
          },
          {
            ServiceName: "Compute Engine",
            ServiceCategory: "Compute",
            ServiceSubcategory: "Virtual Machines",
            ChargeCategory: "Usage",
            PricingCategory: "Committed",
            BilledCost: "0.56952",
          },
          {
            ServiceName: "Compute Engine",
            ServiceCategory: "Compute",
            ServiceSubcategory: "Virtual Machines",
            ChargeCategory: "Usage",
            PricingCategory: "Standard",
            BilledCost: "1.896",
          },
        ],
      );
      assert.ok(rows.every((r) => r.x_Provider === "gcp"));
    });

    it("saved as CSV from the BigQuery console (nested values as JSON text), gives the same rows", async () => {
      const csv = await asConsoleCsv(GOOGLE_VIEW);
      assert.match(readFileSync(csv, "utf8"), /"\[\{""key"":""env""/);
      const fromCsv = await normalized([csv]);
      assert.equal(fromCsv.summary.totals.rowsQuarantined, 0);
      const comparable = (r: Row) =>
        pick(r, [
          "ResourceName",
          "Tags",
          "ServiceCategory",
          "ServiceSubcategory",
          "BilledCost",
          "EffectiveCost",
        ]);
      assert.deepEqual((await rowsOf(fromCsv)).map(comparable), rows.map(comparable));
    });

    it("quarantines a row whose Tags list an entry without a key, naming the column", async () => {
      const csv = await asConsoleCsv(GOOGLE_VIEW);
      const text = readFileSync(csv, "utf8");
      const keyless = text.replace('[{""key"":""env"",""value"":""prod""', '[{""value"":""prod""');
      assert.notEqual(keyless, text);
      writeFileSync(csv, keyless);
      const bad = await normalized([csv]);
      assert.equal(bad.summary.totals.rowsQuarantined, 1);
      assert.equal(bad.summary.reconciled, true);
      const [q] = await bad.query<{ reason: string }>("SELECT reason FROM {quarantine}");
      assert.match(q!.reason, /^bad JSON object in Tags: \[\{"value":"prod"/);
    });
  });

  it("reads FOCUS 1.3, says which of its columns 1.2 cannot carry, and keeps ProviderName as the provider", async () => {
    const run = await normalized([SNOWFLAKE]);
    const file = run.summary.files[0]!;
    assert.equal(file.format, "focus");
    assert.deepEqual(file.notes, [
      "FOCUS 1.3 (by its columns), written as FOCUS 1.2",
      "FOCUS 1.2 has no ContractApplied, HostProviderName, ServiceProviderName: not carried",
    ]);
    const [row] = await rowsOf(run);
    assert.deepEqual(
      pick(row!, ["x_Provider", "ServiceSubcategory", "PricingCurrencyListUnitPrice", "BillingAccountType"]),
      {
        x_Provider: "snowflake",
        ServiceSubcategory: "Data Warehouses",
        PricingCurrencyListUnitPrice: "3",
        BillingAccountType: "Organization",
      },
    );
  });

  describe("written as FOCUS 1.3 (issue 22)", () => {
    /** The Snowflake fixture's row, and a copy of it with ContractApplied set to `value` (CSV-quoted). */
    function withContractApplied(value: string): string {
      const [header, row] = readFileSync(SNOWFLAKE, "utf8").trimEnd().split("\n");
      const at = header!.split(",").indexOf("ContractApplied");
      // The fields before ContractApplied hold one quoted comma ("Compute credits, warehouse ...").
      const fields = row!.split(",");
      fields.splice(at + 1, 1, value);
      const csv = join(tempDir(), "snowflake-focus-1-3.csv");
      writeFileSync(csv, `${header}\n${row}\n${fields.join(",")}\n`);
      return csv;
    }

    it("keeps a 1.3 file's own 1.3 columns: its host, its service provider and its ProviderName", async () => {
      const run = await normalized([SNOWFLAKE], { focusVersion: "1.3" });
      assert.deepEqual(run.summary.files[0]!.notes, ["FOCUS 1.3 (by its columns)"]);
      assert.equal(run.summary.focusVersion, "1.3");
      const [row] = await rowsOf(run);
      assert.deepEqual(
        pick(row!, [
          "ServiceProviderName",
          "HostProviderName",
          "ProviderName",
          "ContractApplied",
          "x_Provider",
        ]),
        {
          ServiceProviderName: "Snowflake",
          HostProviderName: "AWS",
          ProviderName: "Snowflake",
          ContractApplied: null,
          x_Provider: "snowflake",
        },
      );
    });

    it("upgrades an older file with ServiceProviderName from ProviderName and the same host, and says so", async () => {
      const run = await normalized([PLATFORM], { focusVersion: "1.3" });
      const notes = run.summary.files[0]!.notes!;
      assert.equal(notes[0], "FOCUS 1.0 (by its columns), written as FOCUS 1.3");
      assert.ok(
        notes.includes(
          "upgraded with HostProviderName equal to ServiceProviderName and ServiceProviderName from ProviderName",
        ),
        notes.join("\n"),
      );
      const rows = await rowsOf(run);
      assert.ok(rows.length > 0);
      for (const r of rows) {
        assert.equal(r.ServiceProviderName, r.ProviderName);
        assert.equal(r.HostProviderName, r.ProviderName);
      }
    });

    it("reads ContractApplied as a JSON object, and quarantines a row whose ContractApplied is not one", async () => {
      const applied = {
        Elements: [
          { ContractId: "C-2026", ContractCommitmentId: "CC-1", ContractCommitmentAppliedCost: 12.5 },
        ],
      };
      const good = await normalized(
        [withContractApplied(`"${JSON.stringify(applied).replaceAll('"', '""')}"`)],
        {
          focusVersion: "1.3",
        },
      );
      assert.equal(good.summary.totals.rowsQuarantined, 0);
      const [row] = await good.query<{ applied: string }>(
        "SELECT CAST(ContractApplied AS VARCHAR) AS applied FROM {focus} WHERE ContractApplied IS NOT NULL",
      );
      assert.deepEqual(JSON.parse(row!.applied), applied);

      const bad = await normalized([withContractApplied("not-json")], { focusVersion: "1.3" });
      assert.equal(bad.summary.totals.rowsQuarantined, 1);
      assert.equal(bad.summary.reconciled, true, "the row is accounted for in quarantine");
      const [q] = await bad.query<{ reason: string }>("SELECT reason FROM {quarantine}");
      assert.match(q!.reason, /^bad JSON object in ContractApplied: not-json/);
    });
  });

  it("upgrades FOCUS 1.0-preview (Oracle's FOCUS reports): its names, values and minute-precision timestamps", async () => {
    const run = await normalized([OCI]);
    const file = run.summary.files[0]!;
    assert.equal(file.notes?.[0], "FOCUS 1.0-preview (by its columns), written as FOCUS 1.2");
    assert.equal(
      file.notes?.[2],
      "lacks mandatory FOCUS column(s) ChargeClass, ContractedCost: written as NULL",
    );
    const rows = await rowsOf(run);
    const committed = rows.find((r) => r.CommitmentDiscountId !== null)!;
    assert.deepEqual(
      pick(committed, [
        "ProviderName",
        "PublisherName",
        "InvoiceIssuerName",
        "RegionId",
        "RegionName",
        "ConsumedQuantity",
        "ConsumedUnit",
        "PricingCategory",
        "CommitmentDiscountStatus",
        "ChargePeriodStart",
        "x_Provider",
      ]),
      {
        ProviderName: "Oracle",
        PublisherName: "Oracle",
        InvoiceIssuerName: "Oracle",
        RegionId: "us-ashburn-1",
        // No Oracle regions in the taxonomy: the id names the region.
        RegionName: "us-ashburn-1",
        ConsumedQuantity: "9.6",
        ConsumedUnit: "ECPU Hours",
        PricingCategory: "Committed",
        CommitmentDiscountStatus: "Used",
        ChargePeriodStart: "2025-03-01T00:00:00Z",
        x_Provider: "oracle",
      },
    );
    assert.deepEqual(
      rows.filter((r) => r.ChargeCategory === "Credit").map((r) => short(r.BilledCost)),
      ["-5"],
      "the preview's Adjustment/Credit is 1.0's Credit",
    );
  });

  it("reads a FOCUS 1.0 file that writes every missing value as the bare token NULL as one that leaves them empty", async () => {
    // The FinOps Foundation's FOCUS 1.0 sample data spells missing values so; CSV fields here are unquoted.
    const file = join(tempDir(), "focus-1-0-null-tokens.csv");
    const [header, ...lines] = readFileSync(PLATFORM, "utf8").trimEnd().split("\n");
    const cells = (line: string) =>
      line
        .match(/("([^"]|"")*"|[^,]*)(,|$)/g)!
        .slice(0, -1)
        .map((c) => c.replace(/,$/, ""));
    writeFileSync(
      file,
      `${[
        header,
        ...lines.map((l) =>
          cells(l)
            .map((c) => (c === "" ? "NULL" : c))
            .join(","),
        ),
      ].join("\n")}\n`,
    );
    assert.match(readFileSync(file, "utf8"), /,NULL,/);
    const [withTokens, withBlanks] = [await normalized([file]), await normalized([PLATFORM])];
    assert.deepEqual(
      [withTokens.summary.totals, withTokens.summary.currencies],
      [withBlanks.summary.totals, withBlanks.summary.currencies],
    );
    assert.equal(withTokens.summary.totals.rowsQuarantined, 0);
    assert.deepEqual(await rowsOf(withTokens), await rowsOf(withBlanks));
  });
});
