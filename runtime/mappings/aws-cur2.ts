import {
  add,
  and,
  coalesce,
  col,
  eq,
  type Expr,
  isIn,
  keyOf,
  keyValue,
  lit,
  NULL,
  notNull,
  sub,
  when,
  zeroIfNull,
} from "../mapping/ast";
import type { RawColumn, SourceMapping } from "../mapping/types";
import { billedOutputCost, extensionColumns, regionColumns, serviceColumns } from "./common";

const s: RawColumn = { type: "string" };
const d: RawColumn = { type: "decimal" };
const must = (type: RawColumn["type"]): RawColumn => ({ type, required: true, notNull: true });

const type = col("line_item_line_item_type");
const is = (...types: string[]) => isIn(type, types);
const billed = coalesce(col("line_item_net_unblended_cost"), col("line_item_unblended_cost"));
const sp = col("savings_plan_savings_plan_a_r_n");
const ri = col("reservation_reservation_a_r_n");

/** Line item types that are usage (possibly covered by a commitment, or its negation). */
const USAGE = ["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage", "SavingsPlanNegation"];
const PURCHASE = ["RIFee", "Fee", "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee"];
const CREDIT = ["Credit", "Refund", "BundledDiscount", "Discount", "PrivateRateDiscount", "EdpDiscount"];
const COMMITMENT = [
  "DiscountedUsage",
  "SavingsPlanCoveredUsage",
  "SavingsPlanNegation",
  "RIFee",
  "SavingsPlanRecurringFee",
  "SavingsPlanUpfrontFee",
];

/** What the line cost after amortizing commitments (DESIGN.md, "Mapping facts", CUR 2.0). */
const effectiveCost: Expr = when(
  [
    [is("SavingsPlanCoveredUsage"), zeroIfNull(col("savings_plan_savings_plan_effective_cost"))],
    [is("DiscountedUsage"), zeroIfNull(col("reservation_effective_cost"))],
    [is("SavingsPlanNegation", "SavingsPlanUpfrontFee"), lit(0)],
    [
      is("SavingsPlanRecurringFee"),
      sub(
        zeroIfNull(col("savings_plan_total_commitment_to_date")),
        zeroIfNull(col("savings_plan_used_commitment")),
      ),
    ],
    [
      is("RIFee"),
      add(
        zeroIfNull(col("reservation_unused_amortized_upfront_fee_for_billing_period")),
        zeroIfNull(col("reservation_unused_recurring_fee")),
      ),
    ],
    // An RI's upfront fee is amortized into its covered usage.
    [and(eq(type, "Fee"), notNull(ri)), lit(0)],
  ],
  billed,
);

const savingsPlan = notNull(sp);

/** AWS Data Exports CUR 2.0 -> FOCUS 1.2. */
export const awsCur2: SourceMapping = {
  format: "aws-cur2",
  provider: "aws",
  raw: {
    bill_billing_period_start_date: must("timestamp"),
    bill_billing_period_end_date: must("timestamp"),
    bill_payer_account_id: must("string"),
    bill_payer_account_name: s,
    bill_billing_entity: s,
    bill_invoice_id: s,
    bill_invoicing_entity: s,
    line_item_usage_account_id: must("string"),
    line_item_usage_account_name: s,
    line_item_line_item_type: must("string"),
    line_item_usage_start_date: must("timestamp"),
    line_item_usage_end_date: must("timestamp"),
    line_item_product_code: must("string"),
    line_item_usage_type: s,
    line_item_operation: s,
    line_item_line_item_description: s,
    line_item_resource_id: s,
    line_item_availability_zone: s,
    line_item_legal_entity: s,
    line_item_currency_code: must("string"),
    line_item_unblended_cost: must("decimal"),
    line_item_net_unblended_cost: d,
    line_item_unblended_rate: d,
    line_item_usage_amount: d,
    pricing_public_on_demand_cost: d,
    pricing_public_on_demand_rate: d,
    pricing_unit: s,
    pricing_term: s,
    pricing_currency: s,
    pricing_rate_id: s,
    product_region_code: s,
    product_sku: s,
    product: { type: "object" },
    resource_tags: { type: "object" },
    reservation_reservation_a_r_n: s,
    reservation_effective_cost: d,
    reservation_unused_amortized_upfront_fee_for_billing_period: d,
    reservation_unused_recurring_fee: d,
    savings_plan_savings_plan_a_r_n: s,
    savings_plan_savings_plan_effective_cost: d,
    savings_plan_total_commitment_to_date: d,
    savings_plan_used_commitment: d,
  },
  serviceKey: col("line_item_product_code"),
  regionKey: col("product_region_code"),
  focus: {
    AvailabilityZone: col("line_item_availability_zone"),
    BilledCost: billed,
    BillingAccountId: col("bill_payer_account_id"),
    BillingAccountName: col("bill_payer_account_name"),
    BillingAccountType: NULL,
    BillingCurrency: col("line_item_currency_code"),
    BillingPeriodEnd: col("bill_billing_period_end_date"),
    BillingPeriodStart: col("bill_billing_period_start_date"),
    CapacityReservationId: NULL,
    CapacityReservationStatus: NULL,
    ChargeCategory: when(
      [
        [is(...USAGE), lit("Usage")],
        [is(...PURCHASE), lit("Purchase")],
        [is("Tax"), lit("Tax")],
        [is(...CREDIT), lit("Credit")],
      ],
      lit("Adjustment"),
    ),
    ChargeClass: when([[is("Refund"), lit("Correction")]]),
    ChargeDescription: col("line_item_line_item_description"),
    ChargeFrequency: when(
      [
        [is(...USAGE), lit("Usage-Based")],
        [is("RIFee", "SavingsPlanRecurringFee"), lit("Recurring")],
      ],
      lit("One-Time"),
    ),
    ChargePeriodEnd: col("line_item_usage_end_date"),
    ChargePeriodStart: col("line_item_usage_start_date"),
    CommitmentDiscountCategory: when([
      [is(...COMMITMENT), when([[savingsPlan, lit("Spend")]], lit("Usage"))],
    ]),
    CommitmentDiscountId: when([[is(...COMMITMENT), coalesce(sp, ri)]]),
    CommitmentDiscountName: NULL,
    CommitmentDiscountQuantity: NULL,
    CommitmentDiscountStatus: when([[is("DiscountedUsage", "SavingsPlanCoveredUsage"), lit("Used")]]),
    CommitmentDiscountType: when([
      [is(...COMMITMENT), when([[savingsPlan, lit("Savings Plan")]], lit("Reserved Instance"))],
    ]),
    CommitmentDiscountUnit: NULL,
    ConsumedQuantity: when([[is(...USAGE), col("line_item_usage_amount")]]),
    ConsumedUnit: when([[is(...USAGE), col("pricing_unit")]]),
    ContractedCost: col("line_item_unblended_cost"),
    ContractedUnitPrice: col("line_item_unblended_rate"),
    EffectiveCost: effectiveCost,
    InvoiceId: col("bill_invoice_id"),
    InvoiceIssuerName: coalesce(col("bill_invoicing_entity"), lit("Amazon Web Services, Inc.")),
    ListCost: coalesce(col("pricing_public_on_demand_cost"), col("line_item_unblended_cost")),
    ListUnitPrice: col("pricing_public_on_demand_rate"),
    PricingCategory: when([
      [is("DiscountedUsage", "SavingsPlanCoveredUsage", "SavingsPlanNegation"), lit("Committed")],
      [is(...USAGE), when([[eq(col("pricing_term"), "Spot"), lit("Dynamic")]], lit("Standard"))],
    ]),
    PricingCurrency: col("pricing_currency"),
    PricingCurrencyContractedUnitPrice: NULL,
    PricingCurrencyEffectiveCost: NULL,
    PricingCurrencyListUnitPrice: NULL,
    PricingQuantity: col("line_item_usage_amount"),
    PricingUnit: col("pricing_unit"),
    ProviderName: lit("AWS"),
    PublisherName: when(
      [
        [
          eq(col("bill_billing_entity"), "AWS Marketplace"),
          coalesce(col("line_item_legal_entity"), lit("AWS Marketplace")),
        ],
      ],
      lit("Amazon Web Services"),
    ),
    ...regionColumns(col("product_region_code")),
    ResourceId: col("line_item_resource_id"),
    ResourceName: NULL,
    ResourceType: NULL,
    ...serviceColumns(coalesce(keyOf(col("product"), "product_name"), col("line_item_product_code"))),
    SkuId: col("product_sku"),
    SkuMeter: col("line_item_operation"),
    SkuPriceDetails: NULL,
    SkuPriceId: col("pricing_rate_id"),
    SubAccountId: col("line_item_usage_account_id"),
    SubAccountName: col("line_item_usage_account_name"),
    SubAccountType: NULL,
    // Legacy CUR names user-defined tags `user_<key>`; the prefix is dropped (unprefixed wins on collision).
    Tags: keyValue({ expr: col("resource_tags"), form: "json", stripPrefix: "user_" }),
  },
  extensions: extensionColumns("aws-cur2", "aws"),
  reconcile: { currency: col("line_item_currency_code"), sourceCost: billed, outputCost: billedOutputCost },
};
