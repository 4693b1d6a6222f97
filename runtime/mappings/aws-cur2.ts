import {
  add,
  and,
  cast,
  coalesce,
  col,
  concat,
  div,
  eq,
  type Expr,
  isIn,
  isNull,
  item,
  keyOf,
  keyValue,
  lit,
  mul,
  NULL,
  notNull,
  or,
  sub,
  when,
  zeroIfNull,
} from "../mapping/ast";
import type { Explode, RawColumn, SourceMapping } from "../mapping/types";
import { awsResourceType } from "./resource-type";
import {
  billedOutputCost,
  extensionColumns,
  NOT_ALLOCATED,
  providerParties,
  pricingCurrencyColumns,
  regionColumns,
  serviceColumns,
  consumedQuantityIn,
  consumedUnitIn,
  pricingUnitIn,
  pricingUnitOf,
  skuMeter,
  unitPriceOf,
  unlessTax,
} from "./common";

const s: RawColumn = { type: "string" };
const d: RawColumn = { type: "decimal" };
const must = (type: RawColumn["type"]): RawColumn => ({ type, required: true, notNull: true });

const type = col("line_item_line_item_type");
const is = (...types: string[]) => isIn(type, types);
const billed = coalesce(col("line_item_net_unblended_cost"), col("line_item_unblended_cost"));
const sp = col("savings_plan_savings_plan_a_r_n");
const ri = col("reservation_reservation_a_r_n");
const amount = col("line_item_usage_amount");

/** Line item types that are usage (possibly covered by a commitment, or its negation). */
const USAGE = ["Usage", "DiscountedUsage", "SavingsPlanCoveredUsage", "SavingsPlanNegation"];
const PURCHASE = ["RIFee", "Fee", "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee"];
const CREDIT = ["Credit", "Refund", "BundledDiscount", "Discount", "PrivateRateDiscount", "EdpDiscount"];
/**
 * Line item types that use or buy a commitment. A SavingsPlanNegation is not one: it offsets the
 * on-demand charge of covered usage, and the covered usage line carries the commitment.
 */
const COMMITMENT = [
  "DiscountedUsage",
  "SavingsPlanCoveredUsage",
  "RIFee",
  "SavingsPlanRecurringFee",
  "SavingsPlanUpfrontFee",
];

/**
 * The commitment a fee line left unused, as CUR states it there: the unused amortized upfront
 * plus unused recurring fee of a reservation, the unused part of a Savings Plan's commitment.
 */
const unusedCommitment: Expr = when(
  [
    [
      is("RIFee"),
      add(
        zeroIfNull(col("reservation_unused_amortized_upfront_fee_for_billing_period")),
        zeroIfNull(col("reservation_unused_recurring_fee")),
      ),
    ],
    [
      is("SavingsPlanRecurringFee"),
      sub(
        zeroIfNull(col("savings_plan_total_commitment_to_date")),
        zeroIfNull(col("savings_plan_used_commitment")),
      ),
    ],
  ],
  lit(0),
);

/**
 * Every CUR line is one charge; a fee line with unused commitment also yields that commitment as
 * a row of its own: FOCUS wants the fee a Purchase with EffectiveCost 0 and the unused commitment
 * a Usage row (CommitmentDiscountStatus Unused, BilledCost 0) carrying its EffectiveCost.
 * Amounts are decimals in both items so that every engine gives the item field one exact type.
 */
const LINES: Explode = {
  items: [
    { line: lit(1), unused: cast(lit(0), "decimal") },
    { line: lit(0), unused: cast(unusedCommitment, "decimal") },
  ],
  keepIfNonZero: ["line", "unused"],
};
const unusedRow = eq(item("line"), lit(0));
const isUsage = or(unusedRow, is(...USAGE));

/** What the line cost after amortizing commitments (docs/DESIGN.md, "Mapping facts", CUR 2.0). */
const effectiveCost: Expr = when(
  [
    [unusedRow, item("unused")],
    [is("SavingsPlanCoveredUsage"), zeroIfNull(col("savings_plan_savings_plan_effective_cost"))],
    [is("DiscountedUsage"), zeroIfNull(col("reservation_effective_cost"))],
    // The fees' unused commitment is a row of its own (LINES).
    [is("SavingsPlanNegation", "SavingsPlanUpfrontFee", "SavingsPlanRecurringFee", "RIFee"), lit(0)],
    // An RI's upfront fee is amortized into its covered usage.
    [and(eq(type, "Fee"), notNull(ri)), lit(0)],
  ],
  billed,
);
/**
 * The hours a reservation left unused. Where the export lacks the column, they are the hours the
 * RIFee line reserves in the share of its fee left unused: the recurring fee's share, or for an
 * all-upfront reservation (no recurring fee) the amortized upfront fee's.
 */
const unusedReservedHours = coalesce(
  col("reservation_unused_quantity"),
  div(mul(amount, col("reservation_unused_recurring_fee")), col("line_item_unblended_cost")),
  div(
    mul(amount, col("reservation_unused_amortized_upfront_fee_for_billing_period")),
    col("reservation_amortized_upfront_fee_for_billing_period"),
  ),
);
/** Costs the unused-commitment row does not restate: the fee line bills them. */
const onLine = (cost: Expr) => when([[unusedRow, lit(0)]], cost);

const savingsPlan = notNull(sp);
const billingCurrency = col("line_item_currency_code");
/** CUR states public prices in pricing_currency (USD); where it is empty, costs and prices share one currency. */
const pricingCurrency = coalesce(col("pricing_currency"), billingCurrency);
/**
 * A negation reverses the on-demand charge of the usage it offsets: its quantity counts against
 * that usage, so that unit prices stay non-negative while its cost is negative. A Tax line states
 * a usage amount of 1 but prices nothing (FOCUS wants its quantity and unit prices NULL), and a
 * credit's amount of 0 comes without a unit to count it in.
 */
const tax = is("Tax");
const pricingQuantity = when(
  [
    [or(tax, isNull(col("pricing_unit"))), NULL],
    [is("SavingsPlanNegation"), sub(lit(0), amount)],
  ],
  amount,
);
const contractedCost = onLine(col("line_item_unblended_cost"));
/** A Tax line's public on-demand cost is 0: the tax has no list price, so its list cost is what it bills. */
const listCost = onLine(
  when(
    [[tax, col("line_item_unblended_cost")]],
    coalesce(col("pricing_public_on_demand_cost"), col("line_item_unblended_cost")),
  ),
);
// A Tax line may still name the SKU and rates of what it taxes; the tax itself has neither.
const contractedUnitPrice = unlessTax(
  tax,
  coalesce(unitPriceOf(contractedCost, pricingQuantity), col("line_item_unblended_rate")),
);
const listUnitPrice = unlessTax(
  tax,
  coalesce(unitPriceOf(listCost, pricingQuantity), col("pricing_public_on_demand_rate")),
);
const skuId = unlessTax(tax, col("product_sku"));
const marketplace = eq(col("bill_billing_entity"), "AWS Marketplace");
/** A Marketplace line's seller of record is its legal entity. */
const seller = coalesce(col("line_item_legal_entity"), lit("AWS Marketplace"));

/** AWS Data Exports CUR 2.0 -> FOCUS (1.2 and 1.3). */
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
    reservation_amortized_upfront_fee_for_billing_period: d,
    reservation_unused_amortized_upfront_fee_for_billing_period: d,
    reservation_unused_recurring_fee: d,
    reservation_unused_quantity: d,
    savings_plan_savings_plan_a_r_n: s,
    savings_plan_savings_plan_effective_cost: d,
    savings_plan_total_commitment_to_date: d,
    savings_plan_used_commitment: d,
  },
  explode: LINES,
  serviceKey: col("line_item_product_code"),
  regionKey: col("product_region_code"),
  units: { pricing: col("pricing_unit") },
  focus: {
    // Split cost allocation data's pod and task rows (EKSPod-EC2, ECSTask-EC2) are read as the
    // charges CUR writes, cost 0 beside the node's EC2 line that bills the instance, so nothing is
    // counted twice. They are not labelled allocated charges: FOCUS 1.3 wants those to carry their
    // origin's dimensions and to sum to it, which needs the origin row joined to its pods' rows
    // (docs/DESIGN.md, "Mapping facts").
    ...NOT_ALLOCATED,
    AvailabilityZone: col("line_item_availability_zone"),
    BilledCost: onLine(billed),
    BillingAccountId: col("bill_payer_account_id"),
    BillingAccountName: col("bill_payer_account_name"),
    // The payer (management) account; its usage accounts are linked accounts (as AWS's FOCUS export names them).
    BillingAccountType: lit("Billing Account"),
    BillingCurrency: billingCurrency,
    BillingPeriodEnd: col("bill_billing_period_end_date"),
    BillingPeriodStart: col("bill_billing_period_start_date"),
    CapacityReservationId: NULL,
    CapacityReservationStatus: NULL,
    ChargeCategory: when(
      [
        [isUsage, lit("Usage")],
        [is(...PURCHASE), lit("Purchase")],
        [tax, lit("Tax")],
        [is(...CREDIT), lit("Credit")],
      ],
      lit("Adjustment"),
    ),
    ChargeClass: when([[is("Refund"), lit("Correction")]]),
    ChargeDescription: when(
      [[unusedRow, concat(lit("Unused commitment: "), col("line_item_line_item_description"))]],
      col("line_item_line_item_description"),
    ),
    ChargeFrequency: when(
      [
        [isUsage, lit("Usage-Based")],
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
    // Reservations commit to hours; Savings Plans to an hourly spend in the pricing currency.
    CommitmentDiscountQuantity: when([
      // What was left unused: reserved hours, or the Savings Plan's commitment in its currency.
      [unusedRow, when([[savingsPlan, item("unused")]], unusedReservedHours)],
      [is("DiscountedUsage", "RIFee"), amount],
      [is("SavingsPlanCoveredUsage"), col("savings_plan_savings_plan_effective_cost")],
      [is("SavingsPlanRecurringFee"), col("savings_plan_total_commitment_to_date")],
      [is("SavingsPlanUpfrontFee"), col("line_item_unblended_cost")],
    ]),
    CommitmentDiscountStatus: when([
      [unusedRow, lit("Unused")],
      [is("DiscountedUsage", "SavingsPlanCoveredUsage"), lit("Used")],
    ]),
    CommitmentDiscountType: when([
      [is(...COMMITMENT), when([[savingsPlan, lit("Savings Plan")]], lit("Reserved Instance"))],
    ]),
    CommitmentDiscountUnit: when([
      [is("DiscountedUsage", "RIFee"), pricingUnitIn(col("pricing_unit"))],
      [is("SavingsPlanCoveredUsage", "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee"), pricingCurrency],
    ]),
    ConsumedQuantity: when([[is(...USAGE), consumedQuantityIn(col("line_item_usage_amount"))]]),
    ConsumedUnit: when([[is(...USAGE), consumedUnitIn(col("pricing_unit"))]]),
    ContractedCost: contractedCost,
    ContractedUnitPrice: contractedUnitPrice,
    EffectiveCost: effectiveCost,
    InvoiceId: col("bill_invoice_id"),
    InvoiceIssuerName: coalesce(col("bill_invoicing_entity"), lit("Amazon Web Services, Inc.")),
    ListCost: listCost,
    ListUnitPrice: listUnitPrice,
    PricingCategory: when([
      [is(...COMMITMENT, "SavingsPlanNegation"), lit("Committed")],
      [is(...USAGE), when([[eq(col("pricing_term"), "Spot"), lit("Dynamic")]], lit("Standard"))],
      [is(...PURCHASE), lit("Standard")],
    ]),
    ...pricingCurrencyColumns(pricingCurrency, {
      billingCurrency,
      effectiveCost,
      listUnitPrice,
      contractedUnitPrice,
    }),
    PricingQuantity: pricingQuantity,
    PricingUnit: pricingUnitOf(pricingQuantity, pricingUnitIn(col("pricing_unit"))),
    ProviderName: lit("AWS"),
    PublisherName: when([[marketplace, seller]], lit("Amazon Web Services")),
    ...providerParties({
      provider: lit("AWS"),
      marketplace,
      seller,
      resourceId: col("line_item_resource_id"),
    }),
    ...regionColumns(col("product_region_code")),
    ResourceId: col("line_item_resource_id"),
    ResourceName: NULL,
    ResourceType: awsResourceType(col("line_item_resource_id"), col("line_item_product_code")),
    ...serviceColumns(coalesce(keyOf(col("product"), "product_name"), col("line_item_product_code"))),
    SkuId: skuId,
    SkuMeter: skuMeter(skuId, col("line_item_operation")),
    SkuPriceDetails: NULL,
    SkuPriceId: unlessTax(tax, col("pricing_rate_id")),
    SubAccountId: col("line_item_usage_account_id"),
    SubAccountName: col("line_item_usage_account_name"),
    SubAccountType: when([[notNull(col("line_item_usage_account_id")), lit("Linked Account")]]),
    // Legacy CUR names user-defined tags `user_<key>`; the prefix is dropped (unprefixed wins on collision).
    Tags: keyValue({ expr: col("resource_tags"), form: "json", stripPrefix: "user_" }),
  },
  extensions: extensionColumns("aws-cur2", "aws"),
  reconcile: { currency: col("line_item_currency_code"), sourceCost: billed, outputCost: billedOutputCost },
};
