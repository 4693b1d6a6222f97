import {
  addDays,
  and,
  cast,
  coalesce,
  col,
  concat,
  contains,
  div,
  eq,
  type Expr,
  gt,
  isIn,
  isNull,
  keyValue,
  lit,
  lower,
  mul,
  NULL,
  normKey,
  not,
  notNull,
  or,
  out,
  regexExtract,
  sub,
  when,
} from "../mapping/ast";
import type { RawColumn, SourceMapping } from "../mapping/types";
import {
  AZURE_DEFENDER_METERS,
  AZURE_SERVICE_BY_CONSUMED_SERVICE,
  AZURE_SERVICE_BY_RESERVATION_PRODUCT,
  AZURE_SERVICE_BY_RESOURCE_TYPE,
} from "../taxonomy/services";
import { normalizeKey } from "../taxonomy/key";
import { azureArmType, azureResourceType } from "./resource-type";
import {
  consumedQuantityIn,
  consumedUnitIn,
  extensionColumns,
  NOT_ALLOCATED,
  providerParties,
  pricingCurrencyColumns,
  pricingUnitIn,
  regionColumns,
  serviceColumns,
  skuMeter,
  unitPriceOf,
  unlessTax,
} from "./common";

/** A value of a lower-case table, or NULL. */
const lookupIn = (key: Expr, table: Readonly<Record<string, string>>): Expr =>
  when(Object.entries(table).map(([k, v]) => [eq(key, k), lit(v)]));

/**
 * The service key (a MeterCategory of the taxonomy): a Defender meter names its own service,
 * whatever resource it protects; otherwise the resource type and ConsumedService name it, as in
 * Microsoft's FocusCost, so that both exports of one account name services alike; then the
 * meter category; a reservation purchase by the service its product is for; other purchases (savings plans, Marketplace) leave MeterCategory empty and their
 * product names the service.
 */
const armType = azureArmType(col("resource_id"));
const serviceKey = coalesce(
  when([
    [isIn(normKey(col("meter_category")), AZURE_DEFENDER_METERS.map(normalizeKey)), col("meter_category")],
  ]),
  lookupIn(armType, AZURE_SERVICE_BY_RESOURCE_TYPE),
  // ConsumedService only where the id states no type: a type the table leaves to the meter
  // (a managed instance) is not named by its broader provider (Microsoft.Sql).
  when([[isNull(armType), lookupIn(lower(col("consumed_service")), AZURE_SERVICE_BY_CONSUMED_SERVICE)]]),
  col("meter_category"),
  lookupIn(lower(regexExtract(col("product_name"), "^([^,]+),")), AZURE_SERVICE_BY_RESERVATION_PRODUCT),
  col("product_name"),
);

/** A raw column under its EA and MCA spellings (matched case-insensitively). */
const c = (type: RawColumn["type"], ...names: string[]): RawColumn => ({ type, names });
const must = (type: RawColumn["type"], ...names: string[]): RawColumn => ({
  type,
  names,
  required: true,
  notNull: true,
});

const chargeType = col("charge_type");
const pricingModel = col("pricing_model");
const COMMITMENT_MODELS = ["Reservation", "SavingsPlan"];
const commitmentUsage = and(
  isIn(pricingModel, COMMITMENT_MODELS),
  isIn(chargeType, ["Usage", "UnusedReservation", "UnusedSavingsPlan"]),
);
const commitmentPurchase = and(
  isIn(chargeType, ["Purchase", "Refund"]),
  or(isIn(pricingModel, COMMITMENT_MODELS), notNull(col("benefit_id")), notNull(col("reservation_id"))),
);
const commitmentRow = or(commitmentUsage, commitmentPurchase);
/** Savings plans are billing benefits (spend commitments); reservations are capacity (usage commitments). */
const spendCommitment = or(
  contains(coalesce(col("benefit_id"), lit("")), "/microsoft.billingbenefits/"),
  eq(pricingModel, "SavingsPlan"),
);

const cost = col("cost");
/** A tax has no SKU, price or pricing quantity, whatever quantity (often 1) and prices its row states. */
const tax = eq(chargeType, "Tax");
const chargeCategory: Expr = when(
  [
    [isIn(chargeType, ["Usage", "UnusedReservation", "UnusedSavingsPlan"]), lit("Usage")],
    [isIn(chargeType, ["Purchase", "Refund"]), lit("Purchase")],
    [tax, lit("Tax")],
    [eq(chargeType, "Credit"), lit("Credit")],
  ],
  lit("Adjustment"),
);

const unused = isIn(chargeType, ["UnusedReservation", "UnusedSavingsPlan"]);
const quantity = col("quantity");
/** A refund gives back what a purchase bought: its quantity counts against it, its prices stay non-negative. */
const pricingQuantity = unlessTax(tax, when([[eq(chargeType, "Refund"), sub(lit(0), quantity)]], quantity));
const contractedCost = when([[tax, cost]], coalesce(mul(col("unit_price"), quantity), cost));
const statedListCost = coalesce(col("payg_cost"), mul(col("payg_price"), quantity));
/**
 * EA states PayGPrice 0 on reservation purchases and reservation-covered usage: no list price, not
 * a free list price. Microsoft's FinOps toolkit then takes ContractedCost as ListCost (its
 * `MissingListCost` repair), so list is never below contracted and such rows show no savings.
 */
const listCostMissing = and(
  not(tax),
  or(isNull(statedListCost), eq(statedListCost, lit(0))),
  gt(contractedCost, lit(0)),
);
const listCost = when(
  [
    [tax, cost],
    [listCostMissing, contractedCost],
  ],
  coalesce(statedListCost, cost),
);
const contractedUnitPrice = unlessTax(
  tax,
  coalesce(unitPriceOf(contractedCost, pricingQuantity), col("unit_price")),
);
const listUnitPrice = unlessTax(tax, coalesce(unitPriceOf(listCost, pricingQuantity), col("payg_price")));
// On amortized data the purchase is spread over the usage it covers.
const effectiveCost = when([[and(commitmentPurchase, col("amortized")), lit(0)]], cost);
const currency = col("currency");
/** EA prices in the enrollment's billing currency and states no pricing currency. */
const pricingCurrency = coalesce(col("pricing_currency"), currency);
const skuId = unlessTax(tax, coalesce(col("product_id"), col("part_number")));
/** Charges that use or buy a commitment; a refund's quantity is optional and left out. */
const commitmentCharge = and(
  commitmentRow,
  isIn(chargeCategory, ["Usage", "Purchase"]),
  not(eq(chargeType, "Refund")),
);

/**
 * Azure Cost Management cost details (ActualCost and AmortizedCost, EA and MCA column sets) -> FOCUS (1.2 and 1.3).
 * The file's dataset is a fact: it is amortized when commitment usage carries cost or unused
 * commitment rows appear (actual cost data has neither).
 */
export const azureCostDetails: SourceMapping = {
  format: "azure-cost-details",
  provider: "azure",
  raw: {
    billing_account_id: must("string", "BillingAccountId"),
    billing_account_name: c("string", "BillingAccountName"),
    billing_profile_id: c("string", "BillingProfileId"),
    subscription_id: c("string", "SubscriptionId", "SubscriptionGuid"),
    subscription_name: c("string", "SubscriptionName"),
    resource_group: c("string", "ResourceGroup", "ResourceGroupName"),
    resource_location: c("string", "ResourceLocation"),
    date: must("timestamp", "Date", "UsageDateTime"),
    billing_period_start: must("timestamp", "BillingPeriodStartDate"),
    billing_period_end: must("timestamp", "BillingPeriodEndDate"),
    product_name: c("string", "ProductName", "Product"),
    product_id: c("string", "ProductId"),
    part_number: c("string", "PartNumber"),
    meter_category: { type: "string", names: ["MeterCategory"], required: true },
    consumed_service: c("string", "ConsumedService"),
    meter_id: c("string", "MeterId"),
    meter_name: c("string", "MeterName"),
    unit_of_measure: c("string", "UnitOfMeasure"),
    quantity: c("decimal", "Quantity"),
    unit_price: c("decimal", "UnitPrice"),
    payg_price: c("decimal", "PayGPrice"),
    cost: must("decimal", "CostInBillingCurrency", "Cost", "PreTaxCost"),
    payg_cost: c("decimal", "PaygCostInBillingCurrency"),
    currency: must("string", "BillingCurrencyCode", "BillingCurrency", "Currency"),
    pricing_currency: c("string", "PricingCurrencyCode", "PricingCurrency"),
    exchange_rate: c("decimal", "ExchangeRatePricingToBilling"),
    resource_id: c("string", "ResourceId", "InstanceId"),
    resource_name: c("string", "ResourceName"),
    tags: c("object", "Tags"),
    reservation_id: c("string", "ReservationId"),
    reservation_name: c("string", "ReservationName"),
    publisher_name: c("string", "PublisherName"),
    publisher_type: c("string", "PublisherType"),
    charge_type: must("string", "ChargeType"),
    frequency: c("string", "Frequency"),
    pricing_model: c("string", "PricingModel"),
    availability_zone: c("string", "AvailabilityZone"),
    benefit_id: c("string", "benefitId"),
    benefit_name: c("string", "benefitName"),
    invoice_id: c("string", "InvoiceId"),
  },
  facts: {
    amortized: or(
      isIn(chargeType, ["UnusedReservation", "UnusedSavingsPlan"]),
      and(isIn(pricingModel, COMMITMENT_MODELS), eq(chargeType, "Usage"), gt(cost, lit(0))),
    ),
    // Microsoft leaves commitment purchases and refunds out of AmortizedCost: only ActualCost has them.
    actualCost: commitmentPurchase,
    listCostDerived: listCostMissing,
  },
  factNotes: {
    amortized: {
      whenFalse:
        "actual-cost data: commitment purchases keep their price as EffectiveCost and the usage they cover costs 0, where FOCUS amortizes them (EffectiveCost-C-005-C); export AmortizedCost or FocusCost for amortized EffectiveCost",
    },
    listCostDerived: {
      whenTrue:
        "rows without a list price (PayGPrice 0 or missing, as EA writes on reservation purchases and covered usage): ListCost and ListUnitPrice are their ContractedCost and ContractedUnitPrice, so they show no savings against list",
    },
  },
  datasets: {
    whole: {
      name: "AmortizedCost",
      fact: "amortized",
      note: "AmortizedCost data has no commitment purchases or refunds (Microsoft leaves them out), so its BilledCost lacks them: normalize the ActualCost export of the same scope and month with it (the two are read as one dataset), or export FocusCost",
    },
    partial: { name: "ActualCost", fact: "actualCost" },
    adds: commitmentPurchase,
    // One scope's month: an EA enrollment, or an MCA billing account's profile.
    key: concat(
      lit("billing account "),
      col("billing_account_id"),
      coalesce(concat(lit(" profile "), col("billing_profile_id")), lit("")),
      lit(", period "),
      cast(cast(col("billing_period_start"), "date"), "string"),
    ),
    // Beside the amortized usage, a purchase's cost is spread over that usage: EffectiveCost 0.
    pairedFacts: { amortized: true },
  },
  serviceKey,
  regionKey: col("resource_location"),
  units: { pricing: col("unit_of_measure") },
  focus: {
    ...NOT_ALLOCATED,
    AvailabilityZone: col("availability_zone"),
    // Commitment-covered usage was paid by the purchase: billed 0 (its cost, if any, is amortized).
    BilledCost: when([[commitmentUsage, lit(0)]], cost),
    BillingAccountId: col("billing_account_id"),
    BillingAccountName: col("billing_account_name"),
    // The EA enrollment or MCA billing account (not a billing profile, which FocusCost uses).
    BillingAccountType: lit("Billing Account"),
    BillingCurrency: currency,
    // Cost Management states inclusive end dates; FOCUS period ends are exclusive.
    BillingPeriodEnd: addDays(col("billing_period_end"), 1),
    BillingPeriodStart: col("billing_period_start"),
    CapacityReservationId: NULL,
    CapacityReservationStatus: NULL,
    ChargeCategory: chargeCategory,
    ChargeClass: when([[eq(chargeType, "Refund"), lit("Correction")]]),
    ChargeDescription: coalesce(col("product_name"), col("meter_name")),
    ChargeFrequency: when(
      [
        [eq(col("frequency"), "UsageBased"), lit("Usage-Based")],
        [eq(col("frequency"), "Recurring"), lit("Recurring")],
        [eq(col("frequency"), "OneTime"), lit("One-Time")],
        [eq(chargeCategory, "Usage"), lit("Usage-Based")],
      ],
      lit("One-Time"),
    ),
    ChargePeriodEnd: addDays(col("date"), 1),
    ChargePeriodStart: col("date"),
    CommitmentDiscountCategory: when([
      [commitmentRow, when([[spendCommitment, lit("Spend")]], lit("Usage"))],
    ]),
    CommitmentDiscountId: when([[commitmentRow, coalesce(col("benefit_id"), col("reservation_id"))]]),
    CommitmentDiscountName: when([[commitmentRow, coalesce(col("benefit_name"), col("reservation_name"))]]),
    // A reservation commits to its unit (hours of a size), stated as the row's quantity; a savings
    // plan to an hourly spend: what amortized usage consumed of it, or what the purchase bought.
    // Actual-cost data does not say how much of a savings plan the covered usage consumed.
    CommitmentDiscountQuantity: when([
      [and(commitmentCharge, spendCommitment, eq(chargeCategory, "Purchase")), cost],
      [and(commitmentCharge, spendCommitment), when([[col("amortized"), cost]])],
      [commitmentCharge, pricingQuantity],
    ]),
    CommitmentDiscountStatus: when([
      [and(commitmentUsage, isIn(chargeType, ["UnusedReservation", "UnusedSavingsPlan"])), lit("Unused")],
      [commitmentUsage, lit("Used")],
    ]),
    CommitmentDiscountType: when([
      [commitmentRow, when([[spendCommitment, lit("Savings Plan")]], lit("Reservation"))],
    ]),
    CommitmentDiscountUnit: when([
      [and(commitmentCharge, spendCommitment, eq(chargeCategory, "Purchase")), pricingCurrency],
      [and(commitmentCharge, spendCommitment), when([[col("amortized"), pricingCurrency]])],
      [commitmentCharge, pricingUnitIn(col("unit_of_measure"))],
    ]),
    // Unused commitment is not consumption (FOCUS: ConsumedQuantity NULL when Unused). Quantity
    // counts blocks of UnitOfMeasure ("10K"): consumption counts the things ("Units").
    ConsumedQuantity: when([[and(eq(chargeCategory, "Usage"), not(unused)), consumedQuantityIn(quantity)]]),
    ConsumedUnit: when([
      [and(eq(chargeCategory, "Usage"), not(unused)), consumedUnitIn(col("unit_of_measure"))],
    ]),
    ContractedCost: contractedCost,
    ContractedUnitPrice: contractedUnitPrice,
    EffectiveCost: effectiveCost,
    InvoiceId: col("invoice_id"),
    InvoiceIssuerName: lit("Microsoft"),
    ListCost: listCost,
    ListUnitPrice: listUnitPrice,
    PricingCategory: when([
      [or(commitmentUsage, commitmentPurchase), lit("Committed")],
      [and(eq(chargeCategory, "Usage"), eq(pricingModel, "Spot")), lit("Dynamic")],
      [isIn(chargeCategory, ["Usage", "Purchase"]), lit("Standard")],
    ]),
    ...pricingCurrencyColumns(pricingCurrency, {
      billingCurrency: currency,
      effectiveCost,
      listUnitPrice,
      contractedUnitPrice,
    }),
    PricingQuantity: pricingQuantity,
    // Quantity and UnitPrice count and price blocks of UnitOfMeasure: the unit is the block's.
    PricingUnit: unlessTax(tax, pricingUnitIn(col("unit_of_measure"))),
    ProviderName: lit("Microsoft"),
    ...providerParties({
      provider: lit("Microsoft"),
      marketplace: eq(lower(coalesce(col("publisher_type"), lit(""))), "marketplace"),
      seller: col("publisher_name"),
      resourceId: col("resource_id"),
    }),
    PublisherName: coalesce(col("publisher_name"), lit("Microsoft")),
    ...regionColumns(normKey(col("resource_location"))),
    ResourceId: col("resource_id"),
    ResourceName: col("resource_name"),
    ResourceType: azureResourceType(col("resource_id"), coalesce(col("meter_category"), col("product_name"))),
    // The key's resource-type and ConsumedService entries are all taxonomy keys: a service the
    // taxonomy lacks was keyed by the meter or the product, whose name it keeps.
    ...serviceColumns(coalesce(col("meter_category"), col("product_name"))),
    SkuId: skuId,
    SkuMeter: skuMeter(skuId, col("meter_name")),
    SkuPriceDetails: NULL,
    // A product's price is its meter's rate: one meter may price several products (on demand and
    // reserved), so the price is named by both. Purchases without a meter are priced by product.
    SkuPriceId: unlessTax(
      tax,
      when([[notNull(col("meter_id")), concat(skuId, lit("_"), col("meter_id"))]], skuId),
    ),
    SubAccountId: col("subscription_id"),
    SubAccountName: col("subscription_name"),
    SubAccountType: when([[notNull(col("subscription_id")), lit("Subscription")]]),
    Tags: keyValue({ expr: col("tags"), form: "json" }),
  },
  // ExchangeRatePricingToBilling converts the pricing currency (USD for Azure prices) to the billing currency.
  providerRate: when([[eq(col("pricing_currency"), "USD"), div(lit(1), col("exchange_rate"))]]),
  extensions: extensionColumns("azure-cost-details", "azure"),
  reconcile: {
    currency: col("currency"),
    sourceCost: cost,
    // Commitment usage rows carry their (amortized) cost in EffectiveCost; every other row in BilledCost.
    outputCost: when(
      [
        [
          and(eq(out("ChargeCategory"), "Usage"), notNull(out("CommitmentDiscountStatus"))),
          out("EffectiveCost"),
        ],
      ],
      out("BilledCost"),
    ),
  },
};
