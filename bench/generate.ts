/**
 * Synthetic billing exports at any size, for benchmarks and scale tests.
 *
 * Rows are computed by DuckDB from `range(n)` and written with `COPY ... TO`, so memory stays
 * constant from a hundred rows to ten million: nothing is built in JavaScript. Every value is a
 * function of the row number (through `hash`), so the same call writes the same file. Service
 * keys and regions come from the taxonomy tables, so generated rows join them the way real
 * exports do; the columns, nesting and date formats are those of the samples in examples/exports.
 *
 * The output form follows the file name: `.parquet`, `.csv`, `.csv.gz`, and for gcp-billing also
 * `.ndjson` / `.json` (newline-delimited, BigQuery extract timestamps). aws-cur is the CUR 2.0
 * rows as the legacy CUR's CSV writes them (`lineItem/UnblendedCost`, a column per tag). focus is
 * a FinOps tool's FOCUS 1.2 export: AWS, Azure, Google Cloud and Snowflake rows in one file.
 */

import { DuckDBInstance } from "@duckdb/node-api";
import { REGIONS } from "../runtime/taxonomy/regions";
import { type Provider, SERVICES } from "../runtime/taxonomy/services";

export type GeneratedFormat = "aws-cur2" | "aws-cur" | "gcp-billing" | "azure-cost-details" | "focus";

/** The formats of one provider's own export, whose services and regions are that provider's. */
type NativeFormat = Exclude<GeneratedFormat, "focus">;

type FileForm = "parquet" | "csv" | "csv.gz" | "ndjson";

const AWS_SERVICES = [
  "AmazonEC2",
  "AmazonRDS",
  "AmazonS3",
  "AmazonEKS",
  "AWSLambda",
  "AmazonDynamoDB",
  "AWSDataTransfer",
  "AmazonCloudWatch",
];

/**
 * The services that carry most of the spend, drawn 70% of the time; the other 30% is spread over
 * every service of the provider, so the long tail is present too.
 */
export const TOP_SERVICES: Readonly<Record<NativeFormat, readonly string[]>> = {
  "aws-cur2": AWS_SERVICES,
  "aws-cur": AWS_SERVICES,
  "gcp-billing": [
    "Compute Engine",
    "BigQuery",
    "Cloud Storage",
    "Kubernetes Engine",
    "Cloud SQL",
    "Networking",
    "Cloud Run",
  ],
  "azure-cost-details": [
    "Virtual Machines",
    "Storage",
    "SQL Database",
    "Azure Kubernetes Service",
    "Bandwidth",
    "Azure App Service",
    "Log Analytics",
  ],
};

/** The regions most rows land in, drawn 80% of the time; the rest is spread over all regions. */
const AWS_REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
export const TOP_REGIONS: Readonly<Record<NativeFormat, readonly string[]>> = {
  "aws-cur2": AWS_REGIONS,
  "aws-cur": AWS_REGIONS,
  "gcp-billing": ["us-central1", "us-east1", "europe-west1", "europe-west3", "asia-northeast1"],
  "azure-cost-details": ["westeurope", "northeurope", "eastus", "eastus2", "uksouth"],
};

const PROVIDER: Record<NativeFormat, Provider> = {
  "aws-cur2": "aws",
  "aws-cur": "aws",
  "gcp-billing": "gcp",
  "azure-cost-details": "azure",
};

/** Writes `rows` synthetic rows of `format` to `outFile` (form chosen by its extension). */
export async function generate(format: GeneratedFormat, rows: number, outFile: string): Promise<void> {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new Error(`generate: rows must be a whole number >= 0, got ${rows}`);
  }
  const form = fileForm(format, outFile);
  const select = selectFor(format, rows, form);
  const instance = await DuckDBInstance.create(":memory:", { preserve_insertion_order: "false" });
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${select}) TO ${sqlString(outFile)} (${copyOptions(form)})`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function fileForm(format: GeneratedFormat, outFile: string): FileForm {
  const name = outFile.toLowerCase();
  if (name.endsWith(".parquet")) return "parquet";
  if (name.endsWith(".csv.gz")) return "csv.gz";
  if (name.endsWith(".csv")) return "csv";
  if ((name.endsWith(".ndjson") || name.endsWith(".json")) && format === "gcp-billing") return "ndjson";
  const allowed = format === "gcp-billing" ? ".parquet, .ndjson or .json" : ".parquet, .csv or .csv.gz";
  throw new Error(`generate: cannot tell the file form of '${outFile}' for ${format}; name it ${allowed}`);
}

function copyOptions(form: FileForm): string {
  switch (form) {
    case "parquet":
      return "FORMAT parquet, COMPRESSION zstd";
    case "csv":
      return "FORMAT csv, HEADER true";
    case "csv.gz":
      return "FORMAT csv, HEADER true, COMPRESSION gzip";
    case "ndjson":
      return "FORMAT json";
  }
}

function selectFor(format: GeneratedFormat, rows: number, form: FileForm): string {
  if (format === "focus") return focusExport(rows, form);
  const pick = picksOf(format, (s) => s.key);
  switch (format) {
    case "aws-cur2":
      return awsCur2(rows, form, pick);
    case "aws-cur":
      return legacyCur(awsCur2(rows, "csv", pick));
    case "gcp-billing":
      return gcpBilling(rows, form, pick);
    case "azure-cost-details":
      return azureEa(rows, pick);
  }
}

interface Picks {
  service: string;
  region: string;
}

/** Services (by the name `serviceOf` gives them) and regions drawn as `format`'s export spreads them. */
function picksOf(format: NativeFormat, serviceOf: (s: (typeof SERVICES)[number]) => string): Picks {
  const services = SERVICES.filter((s) => s.provider === PROVIDER[format]);
  const nameOf = (key: string) => serviceOf(services.find((s) => s.key === key)!);
  return {
    service: weightedPick(
      TOP_SERVICES[format].map(nameOf),
      [...new Set(services.map(serviceOf))],
      7,
      "svc_h",
    ),
    region: weightedPick(
      TOP_REGIONS[format],
      REGIONS.filter((r) => r.provider === PROVIDER[format] && r.country !== null).map((r) => r.id),
      8,
      "reg_h",
    ),
  };
}

/** A SQL expression choosing from `top` in `topTenths`/10 of rows and from `all` otherwise. */
function weightedPick(
  top: readonly string[],
  all: readonly string[],
  topTenths: number,
  hashColumn: string,
): string {
  return `CASE WHEN ${hashColumn} % 10 < ${topTenths}
    THEN ${sqlList(top)}[1 + ((${hashColumn} // 10) % ${top.length})::INTEGER]
    ELSE ${sqlList(all)}[1 + ((${hashColumn} // 10) % ${all.length})::INTEGER] END`;
}

/**
 * Per-row seeds shared by every format. `k` is the row the values derive from: for AWS, the
 * Savings Plan negation row (i % 20 = 2) repeats the covered row before it, as real exports pair them.
 */
function seeds(rows: number, pairNegations: boolean): string {
  const k = pairNegations ? "CASE WHEN i % 20 = 2 THEN i - 1 ELSE i END" : "i";
  return `SELECT i, k, hash(k, 'svc') AS svc_h, hash(k, 'reg') AS reg_h, hash(k, 'amt') AS amt_h, hash(k, 'tag') AS tag_h,
      TIMESTAMP '2025-03-01' + to_days((k % 31)::INTEGER) + to_hours((hash(k, 'hr') % 24)::INTEGER) AS t0
    FROM (SELECT range AS i, ${k} AS k FROM range(${rows}))`;
}

/** A positive amount with a long tail: most rows cents to dollars, a few hundreds. */
const AMOUNT = "round(exp((amt_h % 1000) / 170.0) / 100.0, 6)";

const TEAMS = sqlList(["payments", "data", "platform", "web", "ml"]);
const ENVS = sqlList(["prod", "staging", "dev"]);

function awsCur2(rows: number, form: FileForm, pick: Picks): string {
  const parquet = form === "parquet";
  const ts = (e: string) => isoTimestamp(e, form);
  const map = (pairs: string) => (parquet ? `MAP {${pairs}}` : `to_json(MAP {${pairs}})::VARCHAR`);
  const typeCase = `CASE WHEN i % 20 = 1 THEN 'SavingsPlanCoveredUsage' WHEN i % 20 = 2 THEN 'SavingsPlanNegation'
      WHEN i % 20 = 3 THEN 'DiscountedUsage' WHEN i % 100 = 98 THEN 'Credit' WHEN i % 100 = 99 THEN 'Tax' ELSE 'Usage' END`;
  return `WITH s AS (${seeds(rows, true)}),
  b AS (SELECT *, ${pick.service} AS svc, ${pick.region} AS region, ${typeCase} AS typ, ${AMOUNT} AS amount,
      (1 + amt_h % 24)::DOUBLE AS qty FROM s)
  SELECT
    'Anniversary' AS bill_bill_type,
    'AWS' AS bill_billing_entity,
    ${ts("TIMESTAMP '2025-04-01'")} AS bill_billing_period_end_date,
    ${ts("TIMESTAMP '2025-03-01'")} AS bill_billing_period_start_date,
    'EUINUS25-0412345' AS bill_invoice_id,
    '111111111111' AS bill_payer_account_id,
    'acme-management' AS bill_payer_account_name,
    ${map("'BusinessUnit': 'retail'")} AS cost_category,
    'gen' || i::VARCHAR AS identity_line_item_id,
    strftime(t0, '%Y-%m-%dT%H:%M:%SZ') || '/' || strftime(t0 + INTERVAL 1 HOUR, '%Y-%m-%dT%H:%M:%SZ') AS identity_time_interval,
    region || 'a' AS line_item_availability_zone,
    CASE typ WHEN 'SavingsPlanNegation' THEN -amount WHEN 'DiscountedUsage' THEN 0 WHEN 'Credit' THEN -amount ELSE amount END
      AS line_item_blended_cost,
    'USD' AS line_item_currency_code,
    'Amazon Web Services, Inc.' AS line_item_legal_entity,
    typ || ' of ' || svc || ' in ' || region AS line_item_line_item_description,
    typ AS line_item_line_item_type,
    NULL::DOUBLE AS line_item_net_unblended_cost,
    'RunInstances' AS line_item_operation,
    svc AS line_item_product_code,
    CASE WHEN typ IN ('Credit', 'Tax') THEN NULL ELSE 'arn:aws:synthetic:' || region || ':222222222222:resource/r-' || (k % 50000)::VARCHAR END
      AS line_item_resource_id,
    CASE WHEN typ = 'Tax' THEN 'VAT' END AS line_item_tax_type,
    CASE typ WHEN 'SavingsPlanNegation' THEN -amount WHEN 'DiscountedUsage' THEN 0 WHEN 'Credit' THEN -amount ELSE amount END
      AS line_item_unblended_cost,
    round(amount / qty, 8) AS line_item_unblended_rate,
    (ARRAY['222222222222', '333333333333', '444444444444'])[1 + (tag_h % 3)::INTEGER] AS line_item_usage_account_id,
    (ARRAY['acme-prod', 'acme-data', 'acme-dev'])[1 + (tag_h % 3)::INTEGER] AS line_item_usage_account_name,
    qty AS line_item_usage_amount,
    ${ts("t0 + INTERVAL 1 HOUR")} AS line_item_usage_end_date,
    ${ts("t0")} AS line_item_usage_start_date,
    upper(left(replace(region, '-', ''), 4)) || '-Usage:' || svc AS line_item_usage_type,
    'USD' AS pricing_currency,
    CASE WHEN typ IN ('Credit', 'Tax', 'SavingsPlanNegation') THEN NULL ELSE amount END AS pricing_public_on_demand_cost,
    -- One rate id per price (service, region, line type), as CUR 2.0 states it on priced lines.
    CASE WHEN typ NOT IN ('Credit', 'Tax') THEN (hash(svc || region || typ) % 100000000)::VARCHAR END
      AS pricing_rate_id,
    CASE typ WHEN 'DiscountedUsage' THEN 'Reserved' WHEN 'Usage' THEN 'OnDemand' END AS pricing_term,
    'Hrs' AS pricing_unit,
    ${map("'servicename': svc")} AS product,
    region AS product_region_code,
    svc AS product_servicecode,
    CASE WHEN typ NOT IN ('Credit', 'Tax') THEN upper(left(md5(svc || region), 16)) END AS product_sku,
    CASE WHEN typ = 'DiscountedUsage' THEN round(amount * 0.62, 6) END AS reservation_effective_cost,
    CASE WHEN typ = 'DiscountedUsage' THEN 'arn:aws:rds:us-east-1:222222222222:ri:synthetic-ri' END
      AS reservation_reservation_a_r_n,
    ${map(`'user_team': ${TEAMS}[1 + (tag_h % 5)::INTEGER], 'user_env': ${ENVS}[1 + ((tag_h // 5) % 3)::INTEGER]`)}
      AS resource_tags,
    CASE WHEN typ IN ('SavingsPlanCoveredUsage', 'SavingsPlanNegation')
      THEN 'arn:aws:savingsplans::111111111111:savingsplan/3f2c1a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b' END
      AS savings_plan_savings_plan_a_r_n,
    CASE WHEN typ = 'SavingsPlanCoveredUsage' THEN round(amount * 0.7, 6) END AS savings_plan_savings_plan_effective_cost
  FROM b`;
}

/** Columns AWS added with CUR 2.0: the legacy CUR has no account names. */
const CUR2_ONLY = ["bill_payer_account_name", "line_item_usage_account_name"];
const CUR_CATEGORIES = ["line_item", "savings_plan", "bill", "pricing", "reservation", "identity", "product"];
/** The keys of the generated CUR 2.0 maps, each a column of its own in the legacy CUR. */
const CUR2_MAP_KEYS: Record<string, { keys: string[]; legacy: (key: string) => string }> = {
  product: { keys: ["servicename"], legacy: (k) => `product/${k}` },
  resource_tags: { keys: ["user_team", "user_env"], legacy: (k) => `resourceTags/${k.replace("_", ":")}` },
  cost_category: { keys: ["BusinessUnit"], legacy: (k) => `costCategory/${k}` },
};

/** A CUR 2.0 column's legacy CSV header: `line_item_unblended_cost` -> `lineItem/UnblendedCost`. */
function legacyCsvHeader(cur2: string): string {
  const category = CUR_CATEGORIES.find((c) => cur2.startsWith(`${c}_`))!;
  const words = (s: string) =>
    s
      .split("_")
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1));
  const [first, ...rest] = category.split("_");
  return `${first}${words(rest.join("_")).join("")}/${words(cur2.slice(category.length + 1)).join("")}`;
}

/** The CUR 2.0 rows of `cur2Csv` (its CSV form) with the legacy CUR's columns. */
function legacyCur(cur2Csv: string): string {
  // The output columns are the aliases with a CUR category (the seeds' aliases have none).
  const columns = [...cur2Csv.matchAll(/ AS ([a-z_]+)\b/g)].map((m) => m[1]!);
  const select = [...new Set(columns)]
    .filter(
      (c) =>
        (c in CUR2_MAP_KEYS || CUR_CATEGORIES.some((k) => c.startsWith(`${k}_`))) && !CUR2_ONLY.includes(c),
    )
    .flatMap((c) => {
      const map = CUR2_MAP_KEYS[c];
      if (!map) return [`${c} AS ${sqlIdent(legacyCsvHeader(c))}`];
      return map.keys.map(
        (k) => `json_extract_string(${c}, ${sqlString(`$.${k}`)}) AS ${sqlIdent(map.legacy(k))}`,
      );
    });
  return `SELECT ${select.join(", ")} FROM (${cur2Csv})`;
}

function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function gcpBilling(rows: number, form: FileForm, pick: Picks): string {
  // BigQuery's extract writes timestamps as text with a UTC suffix; Parquet keeps TIMESTAMP.
  const ts = (e: string) => (form === "ndjson" ? `strftime(${e}, '%Y-%m-%d %H:%M:%S UTC')` : e);
  const keyValues = `[{'key': 'team', 'value': ${TEAMS}[1 + (tag_h % 5)::INTEGER]},
      {'key': 'env', 'value': ${ENVS}[1 + ((tag_h // 5) % 3)::INTEGER]}]`;
  const noCredits = "[]::STRUCT(name VARCHAR, amount DOUBLE, full_name VARCHAR, id VARCHAR, type VARCHAR)[]";
  return `WITH s AS (${seeds(rows, false)}),
  b AS (SELECT *, ${pick.service} AS svc, ${pick.region} AS region, ${AMOUNT} AS amount,
      CASE WHEN i % 200 = 199 THEN 'tax' WHEN i % 500 = 498 THEN 'adjustment' ELSE 'regular' END AS cost_type,
      -- the invoice month is the calendar month in America/Los_Angeles
      strftime(timezone('America/Los_Angeles', timezone('UTC', t0)), '%Y%m') AS invoice_month
    FROM s)
  SELECT
    '01A2B3-C4D5E6-F7A8B9' AS billing_account_id,
    {'id': upper(left(md5(svc), 4) || '-' || substr(md5(svc), 5, 4) || '-' || substr(md5(svc), 9, 4)), 'description': svc} AS service,
    {'id': upper(left(md5(svc || region), 4) || '-' || substr(md5(svc || region), 5, 4)), 'description': svc || ' usage in ' || region}
      AS sku,
    ${ts("t0")} AS usage_start_time,
    ${ts("t0 + INTERVAL 1 HOUR")} AS usage_end_time,
    {'id': 'acme-project-' || (tag_h % 20)::VARCHAR, 'number': (400000000000 + tag_h % 20)::VARCHAR,
     'name': 'Acme project ' || (tag_h % 20)::VARCHAR, 'labels': ${keyValues}} AS project,
    ${keyValues} AS labels,
    []::STRUCT(key VARCHAR, value VARCHAR)[] AS system_labels,
    {'location': region, 'country': NULL::VARCHAR, 'region': region, 'zone': region || '-a'} AS location,
    ${ts("TIMESTAMP '2025-04-02 09:00:00'")} AS export_time,
    CASE cost_type WHEN 'adjustment' THEN -amount ELSE amount END AS cost,
    'USD' AS currency,
    1.0 AS currency_conversion_rate,
    {'amount': (1 + amt_h % 3600)::DOUBLE, 'unit': 'seconds', 'amount_in_pricing_units': round((1 + amt_h % 3600) / 3600.0, 6),
     'pricing_unit': 'hour'} AS usage,
    CASE WHEN cost_type = 'regular' AND i % 4 = 0
      THEN [{'name': 'Sustained Usage Discount', 'amount': -round(amount * 0.2, 6), 'full_name': NULL::VARCHAR,
             'id': 'SUD', 'type': 'SUSTAINED_USAGE_DISCOUNT'}]
      WHEN cost_type = 'regular' AND i % 7 = 0
      THEN [{'name': 'Committed use discount: CPU', 'amount': -amount, 'full_name': NULL::VARCHAR,
             'id': 'commitment/synthetic', 'type': 'COMMITTED_USAGE_DISCOUNT'}]
      ELSE ${noCredits} END AS credits,
    {'month': invoice_month} AS invoice,
    cost_type,
    CASE WHEN cost_type = 'adjustment'
      THEN {'id': 'adj-' || i::VARCHAR, 'description': 'Synthetic adjustment', 'mode': 'MANUAL_ADJUSTMENTS', 'type': 'GENERAL_ADJUSTMENT'}
      END AS adjustment_info
  FROM b`;
}

function azureEa(rows: number, pick: Picks): string {
  const mmddyyyy = (e: string) => `strftime(${e}, '%m/%d/%Y')`;
  return `WITH s AS (${seeds(rows, false)}),
  b AS (SELECT *, ${pick.service} AS svc, ${pick.region} AS region, ${AMOUNT} AS amount,
      CASE WHEN i % 25 = 1 THEN 'Reservation' WHEN i % 25 = 2 THEN 'SavingsPlan' WHEN i % 50 = 3 THEN 'Spot' ELSE 'OnDemand' END AS model,
      '5e1a7c2b-8d3f-4a6e-9b0c-' || lpad((tag_h % 8)::VARCHAR, 12, '0') AS sub
    FROM s)
  SELECT
    'Platform Engineering' AS InvoiceSectionName,
    'Acme EU' AS AccountName,
    sub AS SubscriptionId,
    'acme-sub-' || (tag_h % 8)::VARCHAR AS SubscriptionName,
    'rg-' || ${TEAMS}[1 + (tag_h % 5)::INTEGER] AS ResourceGroup,
    region AS ResourceLocation,
    ${mmddyyyy("t0")} AS Date,
    svc || ' - synthetic' AS ProductName,
    svc AS MeterCategory,
    'Standard' AS MeterSubCategory,
    'Usage' AS MeterName,
    (1 + amt_h % 24)::DOUBLE AS Quantity,
    CASE WHEN model IN ('Reservation', 'SavingsPlan') THEN 0 ELSE round(amount / (1 + amt_h % 24), 8) END AS EffectivePrice,
    CASE WHEN model IN ('Reservation', 'SavingsPlan') THEN 0 ELSE amount END AS CostInBillingCurrency,
    '/subscriptions/' || sub || '/resourceGroups/rg-' || ${TEAMS}[1 + (tag_h % 5)::INTEGER]
      || '/providers/Microsoft.Synthetic/resources/r-' || (k % 50000)::VARCHAR AS ResourceId,
    '"team": "' || ${TEAMS}[1 + (tag_h % 5)::INTEGER] || '","env": "' || ${ENVS}[1 + ((tag_h // 5) % 3)::INTEGER] || '"' AS Tags,
    'Azure' AS PublisherType,
    'Microsoft' AS PublisherName,
    'Usage' AS ChargeType,
    'UsageBased' AS Frequency,
    model AS PricingModel,
    '87654321' AS BillingAccountId,
    'Acme Enterprise Enrollment' AS BillingAccountName,
    'EUR' AS BillingCurrencyCode,
    '03/01/2025' AS BillingPeriodStartDate,
    '03/31/2025' AS BillingPeriodEndDate,
    CASE model
      WHEN 'Reservation' THEN '/providers/Microsoft.Capacity/reservationOrders/4b8e2f1a-6c3d-4e5f-a7b8-c9d0e1f2a3b4/reservations/0f1e2d3c-4b5a-4697-8877-665544332211'
      WHEN 'SavingsPlan' THEN '/providers/Microsoft.BillingBenefits/savingsPlanOrders/9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d/savingsPlans/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'
    END AS benefitId
  FROM b`;
}

/** A timestamp as the file form holds it: TIMESTAMP in Parquet, ISO 8601 UTC text in CSV. */
function isoTimestamp(e: string, form: FileForm): string {
  return form === "parquet" ? e : `strftime(${e}, '%Y-%m-%dT%H:%M:%SZ')`;
}

/** One provider's rows in a FinOps tool's FOCUS export, with the values its own FOCUS data states. */
interface FocusProvider {
  /** The key its row values are picked by; also its taxonomy provider (Snowflake has none). */
  slug: string;
  /** Its twentieths of the file's rows. */
  share: number;
  providerName: string;
  publisherName: string;
  invoiceIssuerName: string;
  billingAccount: { id: string; name: string; type: string };
  subAccountType: string;
  /** Its sub-accounts as `[id, name]`. */
  subAccounts: readonly (readonly [string, string])[];
  currency: string;
  commitment: { category: "Spend" | "Usage"; type: string; id: string };
  resourceType: string;
  /** SQL giving a resource id from `region` and `k`, in the provider's own form. */
  resourceId: string;
  /** Google's FOCUS data writes its enumeration values in lower case. */
  lowerCaseEnums: boolean;
  picks: Picks;
}

/** Snowflake bills through FinOps tools too; the taxonomy does not know it, so its rows state their service. */
const SNOWFLAKE_SERVICES = [
  { serviceName: "Warehouse Metering", category: "Databases", subcategory: "Data Warehouses" },
  { serviceName: "Storage", category: "Storage", subcategory: "Object Storage" },
  { serviceName: "Cloud Services", category: "Databases", subcategory: "Data Warehouses" },
];

const FOCUS_PROVIDERS: readonly FocusProvider[] = [
  {
    slug: "aws",
    share: 9,
    providerName: "AWS",
    publisherName: "Amazon Web Services, Inc.",
    invoiceIssuerName: "Amazon Web Services, Inc.",
    billingAccount: { id: "111111111111", name: "acme-management", type: "Billing Account" },
    subAccountType: "Linked Account",
    subAccounts: [
      ["222222222222", "acme-prod"],
      ["333333333333", "acme-data"],
      ["444444444444", "acme-dev"],
    ],
    currency: "USD",
    commitment: {
      category: "Spend",
      type: "Compute Savings Plan",
      id: "arn:aws:savingsplans::111111111111:savingsplan/3f2c1a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
    },
    resourceType: "Instance",
    resourceId: "'arn:aws:synthetic:' || region || ':222222222222:resource/r-' || (k % 50000)::VARCHAR",
    lowerCaseEnums: false,
    picks: picksOf("aws-cur2", (s) => s.serviceName),
  },
  {
    slug: "azure",
    share: 6,
    providerName: "Microsoft",
    publisherName: "Microsoft",
    invoiceIssuerName: "Microsoft",
    billingAccount: { id: "87654321", name: "Acme Enterprise Enrollment", type: "Billing Profile" },
    subAccountType: "Subscription",
    subAccounts: [
      ["5e1a7c2b-8d3f-4a6e-9b0c-000000000001", "acme-sub-prod"],
      ["5e1a7c2b-8d3f-4a6e-9b0c-000000000002", "acme-sub-dev"],
    ],
    currency: "EUR",
    commitment: {
      category: "Usage",
      type: "Reservation",
      id: "/providers/Microsoft.Capacity/reservationOrders/4b8e2f1a-6c3d-4e5f-a7b8-c9d0e1f2a3b4/reservations/0f1e2d3c-4b5a-4697-8877-665544332211",
    },
    resourceType: "Virtual machine",
    resourceId:
      "'/subscriptions/5e1a7c2b-8d3f-4a6e-9b0c-000000000001/resourcegroups/rg-synthetic/providers/microsoft.synthetic/resources/r-' || (k % 50000)::VARCHAR",
    lowerCaseEnums: false,
    picks: picksOf("azure-cost-details", (s) => s.serviceName),
  },
  {
    slug: "gcp",
    share: 4,
    providerName: "Google Cloud",
    publisherName: "Google Cloud",
    invoiceIssuerName: "Google Cloud",
    billingAccount: { id: "01A2B3-C4D5E6-F7A8B9", name: "Acme billing", type: "Billing Account" },
    subAccountType: "Project",
    subAccounts: [
      ["acme-web", "Acme web"],
      ["acme-data", "Acme data"],
      ["acme-ml", "Acme ML"],
    ],
    currency: "USD",
    commitment: { category: "Usage", type: "Committed use discount", id: "commitment/synthetic" },
    resourceType: "compute.googleapis.com/Instance",
    resourceId:
      "'//compute.googleapis.com/projects/acme-web/zones/' || region || '-b/instances/' || (k % 50000)::VARCHAR",
    lowerCaseEnums: true,
    picks: picksOf("gcp-billing", (s) => s.serviceName),
  },
  {
    slug: "snowflake",
    share: 1,
    providerName: "Snowflake Inc.",
    publisherName: "Snowflake Inc.",
    invoiceIssuerName: "Snowflake Inc.",
    billingAccount: { id: "ORG-ACME", name: "acme", type: "Organization" },
    subAccountType: "Account",
    subAccounts: [
      ["ACME_PROD", "acme_prod"],
      ["ACME_DEV", "acme_dev"],
    ],
    currency: "USD",
    commitment: { category: "Spend", type: "Capacity", id: "capacity/ORG-ACME/2025" },
    resourceType: "Warehouse",
    resourceId: "'WH_' || (k % 40)::VARCHAR",
    lowerCaseEnums: false,
    picks: {
      service: weightedPick(
        ["Warehouse Metering"],
        SNOWFLAKE_SERVICES.map((s) => s.serviceName),
        8,
        "svc_h",
      ),
      // Snowflake runs in the clouds' regions and names them by their ids.
      region: weightedPick(["us-west-2"], ["us-east-1", "eu-central-1", "us-west-2"], 8, "reg_h"),
    },
  },
];

/**
 * A month of a FinOps tool's FOCUS 1.2 export of several providers: the 57 columns in the
 * specification's order, each provider's rows with its own names, accounts, currency and
 * enumeration spelling, and the charges FOCUS data has: on-demand and Spot usage, commitment-covered
 * usage, its unused share and its recurring fee, corrections, credits and tax.
 */
function focusExport(rows: number, form: FileForm): string {
  const ts = (e: string) => isoTimestamp(e, form);
  const byProvider = (value: (p: FocusProvider) => string) =>
    `CASE slug ${FOCUS_PROVIDERS.map((p) => `WHEN ${sqlString(p.slug)} THEN ${value(p)}`).join(" ")} END`;
  const text = (value: (p: FocusProvider) => string) => byProvider((p) => sqlString(value(p)));
  const subAccount = (part: 0 | 1) =>
    byProvider(
      (p) => `${sqlList(p.subAccounts.map((a) => a[part]))}[1 + (tag_h % ${p.subAccounts.length})::INTEGER]`,
    );
  const lowerCase = sqlList(FOCUS_PROVIDERS.filter((p) => p.lowerCaseEnums).map((p) => p.slug));
  const spelled = (e: string) => `CASE WHEN list_contains(${lowerCase}, slug) THEN lower(${e}) ELSE ${e} END`;
  // Each provider takes the twentieths after those of the providers before it.
  const bounds = FOCUS_PROVIDERS.map((_, n) =>
    FOCUS_PROVIDERS.slice(0, n + 1).reduce((t, p) => t + p.share, 0),
  );
  const slugCase = `CASE ${FOCUS_PROVIDERS.map((p, n) => `WHEN prv_h % 20 < ${bounds[n]} THEN ${sqlString(p.slug)}`).join(" ")} END`;
  // Lookups rather than joins, so that rows keep the order of `range` and a call writes the same file.
  const services = FOCUS_PROVIDERS.flatMap((p) => {
    const own = SERVICES.filter((s) => s.provider === p.slug);
    const named = new Map((own.length ? own : SNOWFLAKE_SERVICES).map((s) => [s.serviceName, s]));
    return [...named.values()].map(
      (s) =>
        `${sqlString(`${p.slug}|${s.serviceName}`)}: {'category': ${sqlString(s.category)}, 'subcategory': ${sqlString(s.subcategory)}}`,
    );
  });
  const regionNames = REGIONS.filter((r) => FOCUS_PROVIDERS.some((p) => p.slug === r.provider)).map(
    (r) => `${sqlString(`${r.provider}|${r.id}`)}: ${sqlString(r.name)}`,
  );
  const priced = "kind IN ('usage', 'spot', 'committed', 'correction', 'fee')";
  const consumed = "kind IN ('usage', 'spot', 'committed', 'correction')";
  const committed = "kind IN ('committed', 'unused', 'fee')";
  const sign = "CASE WHEN kind IN ('credit', 'correction') THEN -1 ELSE 1 END";
  return `WITH s AS (SELECT *, hash(k, 'prv') AS prv_h FROM (${seeds(rows, false)})),
  b AS (SELECT *, ${slugCase} AS slug,
      CASE WHEN i % 100 = 96 THEN 'unused' WHEN i % 100 = 97 THEN 'fee' WHEN i % 100 = 98 THEN 'credit'
        WHEN i % 100 = 99 THEN 'tax' WHEN i % 500 = 95 THEN 'correction' WHEN i % 20 = 1 THEN 'committed'
        WHEN i % 50 = 3 THEN 'spot' ELSE 'usage' END AS kind,
      ${AMOUNT} AS amount, (1 + amt_h % 24)::DOUBLE AS qty
    FROM s),
  c AS (SELECT *, ${byProvider((p) => p.picks.service)} AS svc, ${byProvider((p) => p.picks.region)} AS region,
      CASE kind WHEN 'spot' THEN round(amount * 0.3, 6) WHEN 'committed' THEN round(amount * 0.7, 6)
        WHEN 'unused' THEN round(amount * 0.3, 6) WHEN 'fee' THEN 0 ELSE ${sign} * amount END AS effective,
      CASE WHEN kind IN ('committed', 'unused') THEN 0 WHEN kind = 'spot' THEN round(amount * 0.3, 6) ELSE ${sign} * amount END
        AS billed,
      CASE WHEN kind IN ('usage', 'committed', 'correction') THEN ${sign} * amount WHEN kind = 'spot' THEN amount ELSE 0 END
        AS list,
      MAP {${services.join(", ")}}[slug || '|' || svc] AS taxonomy,
      MAP {${regionNames.join(", ")}}[slug || '|' || region] AS region_name,
      CASE WHEN kind IN ('usage', 'committed', 'correction', 'fee') THEN ${sign} * amount
        WHEN kind = 'spot' THEN round(amount * 0.3, 6) ELSE 0 END AS contracted
    FROM b)
  SELECT
    CASE WHEN ${consumed} AND slug = 'aws' THEN region || 'a' WHEN ${consumed} AND slug = 'gcp' THEN region || '-b' END
      AS AvailabilityZone,
    billed AS BilledCost,
    ${text((p) => p.billingAccount.id)} AS BillingAccountId,
    ${text((p) => p.billingAccount.name)} AS BillingAccountName,
    ${text((p) => p.billingAccount.type)} AS BillingAccountType,
    ${text((p) => p.currency)} AS BillingCurrency,
    ${ts("TIMESTAMP '2025-04-01'")} AS BillingPeriodEnd,
    ${ts("TIMESTAMP '2025-03-01'")} AS BillingPeriodStart,
    NULL::VARCHAR AS CapacityReservationId,
    NULL::VARCHAR AS CapacityReservationStatus,
    ${spelled("CASE kind WHEN 'credit' THEN 'Credit' WHEN 'tax' THEN 'Tax' WHEN 'fee' THEN 'Purchase' ELSE 'Usage' END")}
      AS ChargeCategory,
    CASE WHEN kind = 'correction' THEN ${spelled("'Correction'")} END AS ChargeClass,
    CASE kind WHEN 'credit' THEN 'Promotional credit' WHEN 'tax' THEN 'Tax for ' || svc
      WHEN 'fee' THEN 'Recurring fee of ' || ${text((p) => p.commitment.type)}
      WHEN 'unused' THEN 'Unused ' || ${text((p) => p.commitment.type)} || ' commitment'
      WHEN 'correction' THEN 'Correction of February usage of ' || svc
      ELSE svc || ' usage in ' || region END AS ChargeDescription,
    ${spelled("CASE WHEN kind IN ('credit', 'tax') THEN 'One-Time' WHEN kind = 'fee' THEN 'Recurring' ELSE 'Usage-Based' END")}
      AS ChargeFrequency,
    ${ts("CASE WHEN kind IN ('credit', 'tax', 'fee') THEN TIMESTAMP '2025-04-01' ELSE t0 + INTERVAL 1 HOUR END")}
      AS ChargePeriodEnd,
    ${ts("CASE WHEN kind IN ('credit', 'tax', 'fee') THEN TIMESTAMP '2025-03-01' ELSE t0 END")} AS ChargePeriodStart,
    CASE WHEN ${committed} THEN ${spelled(text((p) => p.commitment.category))} END AS CommitmentDiscountCategory,
    CASE WHEN ${committed} THEN ${text((p) => p.commitment.id)} END AS CommitmentDiscountId,
    CASE WHEN ${committed} THEN ${text((p) => p.commitment.type)} || ' ' || ${text((p) => p.billingAccount.name)} END
      AS CommitmentDiscountName,
    CASE WHEN kind IN ('committed', 'unused') THEN qty END AS CommitmentDiscountQuantity,
    CASE kind WHEN 'committed' THEN ${spelled("'Used'")} WHEN 'unused' THEN ${spelled("'Unused'")} END
      AS CommitmentDiscountStatus,
    CASE WHEN ${committed} THEN ${text((p) => p.commitment.type)} END AS CommitmentDiscountType,
    CASE WHEN kind IN ('committed', 'unused') THEN 'Hours' END AS CommitmentDiscountUnit,
    CASE WHEN ${consumed} THEN ${sign} * qty END AS ConsumedQuantity,
    CASE WHEN ${consumed} THEN 'Hours' END AS ConsumedUnit,
    contracted AS ContractedCost,
    CASE WHEN ${priced} THEN round(abs(contracted) / qty, 10) END AS ContractedUnitPrice,
    effective AS EffectiveCost,
    'INV-' || upper(slug) || '-2025-03' AS InvoiceId,
    ${text((p) => p.invoiceIssuerName)} AS InvoiceIssuerName,
    list AS ListCost,
    CASE WHEN ${priced} THEN round(amount / qty, 10) END AS ListUnitPrice,
    CASE WHEN kind IN ('credit', 'tax') THEN NULL
      ELSE ${spelled("CASE kind WHEN 'spot' THEN 'Dynamic' WHEN 'usage' THEN 'Standard' WHEN 'correction' THEN 'Standard' ELSE 'Committed' END")}
      END AS PricingCategory,
    ${text((p) => p.currency)} AS PricingCurrency,
    CASE WHEN ${priced} THEN round(abs(contracted) / qty, 10) END AS PricingCurrencyContractedUnitPrice,
    effective AS PricingCurrencyEffectiveCost,
    CASE WHEN ${priced} THEN round(amount / qty, 10) END AS PricingCurrencyListUnitPrice,
    CASE WHEN ${priced} THEN ${sign} * qty END AS PricingQuantity,
    CASE WHEN ${priced} THEN 'Hours' END AS PricingUnit,
    ${text((p) => p.providerName)} AS ProviderName,
    ${text((p) => p.publisherName)} AS PublisherName,
    CASE WHEN kind NOT IN ('credit', 'tax') THEN region END AS RegionId,
    CASE WHEN kind NOT IN ('credit', 'tax') THEN region_name END AS RegionName,
    CASE WHEN ${consumed} THEN ${byProvider((p) => p.resourceId)} END AS ResourceId,
    CASE WHEN ${consumed} THEN 'r-' || (k % 50000)::VARCHAR END AS ResourceName,
    CASE WHEN ${consumed} THEN ${text((p) => p.resourceType)} END AS ResourceType,
    taxonomy.category AS ServiceCategory,
    svc AS ServiceName,
    taxonomy.subcategory AS ServiceSubcategory,
    CASE WHEN ${priced} THEN upper(left(md5(svc), 10)) END AS SkuId,
    CASE WHEN ${priced} THEN svc || ' Hours' END AS SkuMeter,
    CASE WHEN ${priced} THEN '{"CoreCount": ' || (1 + amt_h % 8)::VARCHAR || '}' END AS SkuPriceDetails,
    CASE WHEN ${priced} THEN upper(left(md5(svc), 10)) || '.' || upper(left(md5(region), 8)) END AS SkuPriceId,
    ${subAccount(0)} AS SubAccountId,
    ${subAccount(1)} AS SubAccountName,
    ${text((p) => p.subAccountType)} AS SubAccountType,
    -- One row in ten is untagged, as real resources are.
    CASE WHEN tag_h % 10 > 0 THEN to_json(MAP {'team': ${TEAMS}[1 + (tag_h % 5)::INTEGER],
      'env': ${ENVS}[1 + ((tag_h // 5) % 3)::INTEGER]})::VARCHAR END AS Tags
  FROM c`;
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function sqlList(values: readonly string[]): string {
  return `[${values.map(sqlString).join(", ")}]`;
}
