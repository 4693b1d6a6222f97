import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "../../../runtime/engine/duckdb";
import { detectFormat } from "../../../runtime/sources/detect";
import { fileKind, InputError, listInputFiles } from "../../../runtime/sources/files";
import { FIXTURES, SAMPLES, tempDir } from "../normalize/helpers";

describe("format detection and input files", () => {
  const cases: [string, string][] = [
    ["aws-cur2/cur2-2025-03.csv", "aws-cur2"],
    ["aws-cur/cur-legacy-2025-03.csv", "aws-cur"],
    ["focus/oci-focus-cost-report-2025-03-01.csv", "focus"],
    ["aws-focus/focus-1-2-aws-2025-03.csv", "aws-focus"],
    ["gcp-billing/gcp_billing_export_v1_2025-03.ndjson", "gcp-billing"],
    ["azure-cost-details/ea-actualcost-2025-03.csv", "azure-cost-details"],
    ["azure-cost-details/mca-actualcost-2025-03.csv", "azure-cost-details"],
    ["azure-focus/focuscost-2025-03.csv", "azure-focus"],
    ["opencost/allocation-namespace-1d-2025-03-01_03.json", "opencost"],
  ];
  for (const [file, format] of cases) {
    it(`detects ${format} from ${file}`, async () => {
      const engine = await openEngine({ memoryLimit: "128MB" });
      try {
        const path = join(SAMPLES, file);
        const detected = await detectFormat(engine.connection, path, fileKind(path)!);
        assert.equal(detected.format, format);
        assert.ok(detected.why.length > 0);
      } finally {
        engine.close();
      }
    });
  }

  /** FOCUS 1.2 columns every provider's FOCUS export has (the mandatory ones and a few more). */
  const FOCUS =
    "BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargeFrequency,ChargePeriodEnd,ChargePeriodStart,ContractedCost,EffectiveCost,InvoiceIssuerName,ListCost,PricingCategory,PricingQuantity,PricingUnit,ProviderName,PublisherName,RegionId,ResourceId,ServiceCategory,ServiceName,SkuId,SubAccountId,Tags";
  /**
   * One row a file: its header line (and a data line), and the format detected, "not detected"
   * (then the message must match `says`), or the message of a known file Costline does not read.
   */
  const table: { file: string; csv: string; detected?: string; says: RegExp }[] = [
    {
      file: "CUR 2.0 (Data Exports)",
      csv: "bill_billing_period_start_date,bill_billing_period_end_date,bill_payer_account_id,line_item_usage_account_id,line_item_line_item_type,line_item_usage_start_date,line_item_usage_end_date,line_item_product_code,line_item_currency_code,line_item_unblended_cost\n2025-03-01T00:00:00Z,2025-04-01T00:00:00Z,111111111111,222222222222,Usage,2025-03-01T00:00:00Z,2025-03-01T01:00:00Z,AmazonEC2,USD,0.096",
      detected: "aws-cur2",
      says: /CUR 2\.0/,
    },
    {
      file: "FOCUS_1_2_AWS",
      csv: `${FOCUS},x_Operation,x_ServiceCode,x_UsageType`,
      detected: "aws-focus",
      says: /x_ServiceCode/,
    },
    {
      file: "Azure FOCUS cost (x_SkuMeterCategory)",
      csv: `${FOCUS},x_BillingAccountId,x_SkuMeterCategory,x_SkuMeterName`,
      detected: "azure-focus",
      says: /x_SkuMeterCategory/,
    },
    {
      file: "Azure FOCUS cost (x_BillingProfileId)",
      csv: `${FOCUS},x_BillingProfileId`,
      detected: "azure-focus",
      says: /x_BillingProfileId/,
    },
    {
      file: "Azure cost details (MCA)",
      csv: "billingAccountId,billingPeriodStartDate,billingPeriodEndDate,date,meterCategory,costInBillingCurrency,billingCurrency,chargeType\nba-1,03/01/2025,03/31/2025,03/02/2025,Storage,1.5,USD,Usage",
      detected: "azure-cost-details",
      says: /MeterCategory\/ChargeType/,
    },
    {
      // Any provider's FOCUS file without the x_ columns of AWS or Azure (Google, a FinOps tool).
      file: "FOCUS 1.2 without x_ columns",
      csv: FOCUS,
      detected: "focus",
      says: /without a provider's x_ columns/,
    },
    {
      // Oracle's FOCUS reports keep FOCUS 1.0-preview's names (Provider, UsageQuantity, ...).
      file: "FOCUS 1.0-preview (OCI FOCUS report)",
      csv: "AvailabilityZone,BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,ChargeCategory,ChargeDescription,ChargeFrequency,ChargePeriodEnd,ChargePeriodStart,ChargeSubcategory,EffectiveCost,InvoiceIssuer,ListCost,PricingCategory,Provider,Publisher,Region,ServiceCategory,ServiceName,Tags,UsageQuantity,UsageUnit,oci_ReferenceNumber",
      detected: "focus",
      says: /without a provider's x_ columns/,
    },
    {
      // A cost column named like FOCUS's is not a FOCUS file.
      file: "BilledCost alone",
      csv: "Date,Service,BilledCost\n2025-03-01,EC2,1.5",
      says: /\(columns: date, service, billedcost\); no source format reads it/,
    },
    {
      file: "two unknown columns",
      csv: "a,b\n1,2",
      says: /\(columns: a, b\); no source format reads it/,
    },
    {
      file: "OCI cost report",
      csv: "lineItem/referenceNo,lineItem/tenantId,lineItem/intervalUsageStart,lineItem/intervalUsageEnd,product/service,product/resource,product/compartmentId,product/compartmentName,product/region,product/availabilityDomain,product/resourceId,usage/billedQuantity,usage/billedQuantityOverage,cost/subscriptionId,cost/productSku,product/Description,cost/unitPrice,cost/unitPriceOverage,cost/myCost,cost/myCostOverage,cost/currencyCode,cost/billingUnitReadable,cost/skuUnitDescription,cost/overageFlag,lineItem/isCorrection,lineItem/backreferenceNo",
      says: /is an Oracle Cloud \(OCI\) cost or usage report.*: no Costline source format reads it; OCI also writes FOCUS reports: download those instead \(Billing & Cost Management > Cost and Usage Reports > FOCUS Reports\)$/,
    },
    {
      file: "AWS Cost Explorer download",
      csv: '"Service","EC2-Instances($)","S3($)","Tax($)","Total costs($)"\n"Service total","120.5","3.2","0","123.7"\n"2025-03-01","60.25","1.6","0","61.85"',
      says: /is an AWS Cost Explorer CSV download .*: it has no line items to normalize; create a CUR 2\.0 or FOCUS 1\.2 export in AWS Billing and Cost Management > Data Exports/,
    },
    {
      file: "Azure EA portal usage details (legacy)",
      csv: '"AccountOwnerId","Account Name","ServiceAdministratorId","SubscriptionId","SubscriptionGuid","Subscription Name","Date","Month","Day","Year","Product","Meter ID","Meter Category","Meter Sub-Category","Meter Region","Meter Name","Consumed Quantity","ResourceRate","ExtendedCost","Resource Location","Consumed Service","Instance ID","ServiceInfo1","ServiceInfo2","AdditionalInfo","Tags","Store Service Identifier","Department Name","Cost Center","Unit Of Measure","Resource Group"',
      says: /is an Azure Enterprise Agreement usage details file from the EA portal .*: export cost details from Cost Management instead .*azure-cost-details.*azure-focus\)$/,
    },
    {
      file: "GCP billing file export (CSV)",
      csv: "Account ID,Line Item,Start Time,End Time,Project,Measurement1,Measurement1 Total Consumption,Measurement1 Units,Credit1,Credit1 Amount,Credit1 Currency,Cost,Currency,Project Number,Project ID,Project Name,Project Labels,Description",
      says: /is a Google Cloud Billing file export .*: set up the Cloud Billing export to BigQuery .*\(read as gcp-billing\)$/,
    },
  ];
  describe("by columns: the detection table", () => {
    let engine: Awaited<ReturnType<typeof openEngine>>;
    before(async () => {
      engine = await openEngine({ memoryLimit: "128MB" });
    });
    after(() => engine.close());
    const dir = tempDir();
    table.forEach((row, n) => {
      const path = join(dir, `file${n}.csv`);
      it(`${row.file}: ${row.detected ?? "not detected"}`, async () => {
        writeFileSync(path, `${row.csv}\n`);
        if (row.detected) {
          const found = await detectFormat(engine.connection, path, "csv");
          assert.equal(found.format, row.detected);
          assert.match(found.why, row.says);
        } else {
          await assert.rejects(detectFormat(engine.connection, path, "csv"), (e: unknown) => {
            assert.ok(e instanceof InputError);
            assert.ok(e.message.includes(path), e.message);
            assert.match(e.message, row.says);
            return true;
          });
        }
      });
    });
  });

  const gcp: [string, RegExp][] = [
    ["flattened-dotted.csv", /^BigQuery billing export fields, flattened \(service\.description/],
    ["flattened-underscored.ndjson", /^BigQuery billing export fields, flattened \(service_description/],
    ["export.ndjson", /^BigQuery billing export fields$/],
  ];
  for (const [file, why] of gcp) {
    it(`detects gcp-billing from ${file}, saying whether it is flattened`, async () => {
      const engine = await openEngine({ memoryLimit: "128MB" });
      try {
        const path = join(FIXTURES, "gcp-billing", file);
        const detected = await detectFormat(engine.connection, path, fileKind(path)!);
        assert.equal(detected.format, "gcp-billing");
        assert.match(detected.why, why);
      } finally {
        engine.close();
      }
    });
  }

  it("walks folders for data files, skips hidden entries, refuses unknown files and missing paths", () => {
    const files = listInputFiles([join(FIXTURES, "azure-cost-details")]).map((f) => [
      f.path.split("/").pop(),
      f.kind,
    ]);
    assert.deepEqual(files, [
      ["ea-actualcost.csv", "csv"],
      ["ea-amortizedcost.csv", "csv"],
      ["mca-actualcost.csv", "csv"],
    ]);
    const dir = tempDir();
    writeFileSync(join(dir, "notes.txt"), "x");
    assert.throws(
      () => listInputFiles([dir]),
      /no data files \(.parquet, .csv, .csv.gz, .json, .ndjson\) under/,
    );
    assert.throws(() => listInputFiles([join(dir, "notes.txt")]), /unsupported file type/);
    assert.throws(() => listInputFiles(["/nope"]), /input not found: \/nope/);
  });
});
