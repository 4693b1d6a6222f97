import {
  add,
  and,
  coalesce,
  col,
  contains,
  div,
  eq,
  type Expr,
  isIn,
  keyValue,
  listHas,
  listSum,
  lit,
  lookup,
  NULL,
  notNull,
  when,
  zonedMonth,
} from "../mapping/ast";
import type { RawColumn, SourceMapping } from "../mapping/types";
import { gcpResourceType } from "./resource-type";
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

const s = (name: string): RawColumn => ({ type: "string", names: [name] });
const d = (name: string): RawColumn => ({ type: "decimal", names: [name] });
const nested = (name: string): RawColumn => ({ type: "nested", names: [name] });
const must = (type: RawColumn["type"], name: string): RawColumn => ({
  type,
  names: [name],
  required: true,
  notNull: true,
});

/** Google bills in Pacific time: invoice.month names a month that starts at midnight America/Los_Angeles. */
const BILLING_TIME_ZONE = "America/Los_Angeles";
const CUD_RESOURCE = ["COMMITTED_USAGE_DISCOUNT"];
const CUD_SPEND = ["COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE"];

const costType = col("cost_type");
const credits = col("credits");
const commitmentFee = and(eq(costType, "regular"), contains(col("sku_description"), "commitment"));
const isUsage = eq(costType, "regular");
const thirdParty = contains(coalesce(col("transaction_type"), lit("")), "third_party");

const chargeCategory: Expr = when(
  [
    [commitmentFee, lit("Purchase")],
    [isUsage, lit("Usage")],
    [eq(costType, "tax"), lit("Tax")],
  ],
  lit("Adjustment"),
);

const usageOrPurchase = isIn(chargeCategory, ["Usage", "Purchase"]);
/** Prices are quantities of pricing units; taxes, adjustments and rounding have neither. */
const pricingQuantity = when([[usageOrPurchase, col("usage_amount_in_pricing_units")]]);
const listCost = coalesce(col("cost_at_list"), col("cost"));
const listUnitPrice = unitPriceOf(listCost, pricingQuantity);
const contractedUnitPrice = unitPriceOf(col("cost"), pricingQuantity);
// Credits (sustained use, committed use, promotions) are negative amounts on the same row.
const effectiveCost = add(col("cost"), listSum(credits, "amount"));
/** A tax is not a SKU's charge, whatever SKU its row names. */
const skuId = unlessTax(eq(costType, "tax"), col("sku_id"));

/** GCP BigQuery billing export (standard or detailed resource-level) -> FOCUS (1.2 and 1.3). */
export const gcpBilling: SourceMapping = {
  format: "gcp-billing",
  provider: "gcp",
  raw: {
    billing_account_id: must("string", "billing_account_id"),
    service_description: must("string", "service.description"),
    sku_id: s("sku.id"),
    sku_description: s("sku.description"),
    usage_start_time: must("timestamp", "usage_start_time"),
    usage_end_time: must("timestamp", "usage_end_time"),
    project_id: s("project.id"),
    project_name: s("project.name"),
    project_labels: nested("project.labels"),
    labels: nested("labels"),
    tags: nested("tags"),
    location_region: s("location.region"),
    location_location: s("location.location"),
    location_zone: s("location.zone"),
    resource_name: s("resource.name"),
    resource_global_name: s("resource.global_name"),
    cost: must("decimal", "cost"),
    currency: must("string", "currency"),
    currency_conversion_rate: d("currency_conversion_rate"),
    usage_amount: d("usage.amount"),
    usage_unit: s("usage.unit"),
    usage_amount_in_pricing_units: d("usage.amount_in_pricing_units"),
    usage_pricing_unit: s("usage.pricing_unit"),
    credits: nested("credits"),
    invoice_month: must("string", "invoice.month"),
    cost_type: { type: "string", names: ["cost_type"], required: true },
    cost_at_list: d("cost_at_list"),
    transaction_type: s("transaction_type"),
    seller_name: s("seller_name"),
  },
  serviceKey: col("service_description"),
  regionKey: coalesce(col("location_region"), col("location_location")),
  // usage.amount counts the base unit, usage.amount_in_pricing_units the pricing unit.
  units: { pricing: col("usage_pricing_unit"), consumed: col("usage_unit") },
  focus: {
    ...NOT_ALLOCATED,
    AvailabilityZone: col("location_zone"),
    BilledCost: col("cost"),
    BillingAccountId: col("billing_account_id"),
    // The export has no name for the account: the tenant names it (NULL for an account it does not).
    BillingAccountName: lookup("billingAccount", "name"),
    BillingAccountType: lit("Billing Account"),
    BillingCurrency: col("currency"),
    BillingPeriodEnd: zonedMonth(col("invoice_month"), BILLING_TIME_ZONE, 1),
    BillingPeriodStart: zonedMonth(col("invoice_month"), BILLING_TIME_ZONE, 0),
    CapacityReservationId: NULL,
    CapacityReservationStatus: NULL,
    ChargeCategory: chargeCategory,
    ChargeClass: when([[eq(costType, "adjustment"), lit("Correction")]]),
    ChargeDescription: col("sku_description"),
    ChargeFrequency: when(
      [
        [commitmentFee, lit("Recurring")],
        [isUsage, lit("Usage-Based")],
      ],
      lit("One-Time"),
    ),
    ChargePeriodEnd: col("usage_end_time"),
    ChargePeriodStart: col("usage_start_time"),
    // The commitment a CUD credit draws on is named only inside credits[] (its id), which the
    // mapping language cannot pick out yet: without a CommitmentDiscountId, FOCUS wants the other
    // commitment columns NULL too. PricingCategory still says Committed.
    CommitmentDiscountCategory: NULL,
    CommitmentDiscountId: NULL,
    CommitmentDiscountName: NULL,
    CommitmentDiscountQuantity: NULL,
    CommitmentDiscountStatus: NULL,
    CommitmentDiscountType: NULL,
    CommitmentDiscountUnit: NULL,
    ConsumedQuantity: when([[eq(chargeCategory, "Usage"), consumedQuantityIn(col("usage_amount"))]]),
    ConsumedUnit: when([[eq(chargeCategory, "Usage"), consumedUnitIn(col("usage_unit"))]]),
    ContractedCost: col("cost"),
    ContractedUnitPrice: contractedUnitPrice,
    EffectiveCost: effectiveCost,
    InvoiceId: NULL,
    InvoiceIssuerName: when([[thirdParty, coalesce(col("seller_name"), lit("Google"))]], lit("Google")),
    ListCost: listCost,
    ListUnitPrice: listUnitPrice,
    PricingCategory: when([
      [and(isUsage, listHas(credits, "type", [...CUD_RESOURCE, ...CUD_SPEND])), lit("Committed")],
      [isIn(chargeCategory, ["Usage", "Purchase"]), lit("Standard")],
    ]),
    // The export states costs and prices (price.effective_price) in the billing currency.
    ...pricingCurrencyColumns(col("currency"), {
      billingCurrency: col("currency"),
      effectiveCost,
      listUnitPrice,
      contractedUnitPrice,
    }),
    PricingQuantity: pricingQuantity,
    PricingUnit: pricingUnitOf(pricingQuantity, pricingUnitIn(col("usage_pricing_unit"))),
    ProviderName: lit("Google Cloud"),
    ...providerParties({
      provider: lit("Google Cloud"),
      marketplace: thirdParty,
      seller: coalesce(col("seller_name"), lit("Google Cloud Marketplace")),
      resourceId: coalesce(col("resource_global_name"), col("resource_name")),
    }),
    PublisherName: when(
      [[thirdParty, coalesce(col("seller_name"), lit("Google Cloud Marketplace"))]],
      lit("Google Cloud"),
    ),
    ...regionColumns(coalesce(col("location_region"), col("location_location"))),
    ResourceId: coalesce(col("resource_global_name"), col("resource_name")),
    ResourceName: col("resource_name"),
    ResourceType: gcpResourceType(
      col("resource_global_name"),
      coalesce(col("resource_global_name"), col("resource_name")),
      col("service_description"),
    ),
    ...serviceColumns(col("service_description")),
    SkuId: skuId,
    SkuMeter: skuMeter(skuId, col("sku_description")),
    SkuPriceDetails: NULL,
    // Google prices a SKU per billing account and names no price of its own: the SKU identifies it.
    // Adjustments, credits and rounding lines name a SKU but price nothing (no quantity, no rate).
    SkuPriceId: when([[usageOrPurchase, skuId]]),
    SubAccountId: col("project_id"),
    SubAccountName: col("project_name"),
    SubAccountType: when([[notNull(col("project_id")), lit("Project")]]),
    // Most specific wins: project labels, then resource tags, then the resource's own labels.
    Tags: keyValue(
      { expr: col("project_labels"), form: "entries" },
      { expr: col("tags"), form: "entries" },
      { expr: col("labels"), form: "entries" },
    ),
  },
  // currency_conversion_rate is billing-currency units per USD.
  providerRate: div(lit(1), col("currency_conversion_rate")),
  extensions: extensionColumns("gcp-billing", "gcp"),
  reconcile: { currency: col("currency"), sourceCost: col("cost"), outputCost: billedOutputCost },
};
