import { FOCUS_1_2, NULL_WITHOUT_SKU_PRICE_1_2 } from "./focus-1.2";
import type { ColumnLevel, ColumnType } from "./output";

/**
 * What FOCUS 1.3 (ratified December 2025) added to 1.2's Cost and Usage columns: the seller and
 * the host of a charge (both mandatory; ProviderName and PublisherName are deprecated but still
 * mandatory), the split cost allocation columns (when the data generator splits costs) and the
 * contract commitments applied to a charge. 65 columns in all.
 */
const ADDED: readonly (readonly [string, ColumnType, ColumnLevel])[] = [
  ["AllocatedMethodDetails", "json", "conditional"],
  ["AllocatedMethodId", "string", "conditional"],
  ["AllocatedResourceId", "string", "conditional"],
  ["AllocatedResourceName", "string", "conditional"],
  ["AllocatedTags", "json", "conditional"],
  ["ContractApplied", "json", "conditional"],
  ["HostProviderName", "string", "mandatory"],
  ["ServiceProviderName", "string", "mandatory"],
];

/** Columns whose feature level 1.3 changed: a charge without a price has no pricing category. */
const LEVELS: Readonly<Record<string, ColumnLevel>> = { PricingCategory: "conditional" };

/** The Cost and Usage columns of FOCUS 1.3, in the specification's (alphabetical) order. */
export const FOCUS_1_3: readonly (readonly [string, ColumnType, ColumnLevel])[] = [...FOCUS_1_2, ...ADDED]
  .map(([name, type, level]) => [name, type, LEVELS[name] ?? level] as const)
  .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Columns that 1.3 wants NULL on a row without a SkuPriceId, beyond 1.2's: a charge without a
 * price has no pricing category, quantities or unit prices (PricingCategory-C-012-C,
 * PricingQuantity-C-011-C, ListUnitPrice-C-012-C, ContractedUnitPrice-C-014-C, the PricingCurrency
 * unit prices' C-011-C, ConsumedQuantity-C-009-C, CommitmentDiscountQuantity-C-016-C), and the
 * units of those quantities with them (PricingUnit-C-005-C, ConsumedUnit, CommitmentDiscountUnit).
 */
export const NULL_WITHOUT_SKU_PRICE_1_3: readonly string[] = [
  ...NULL_WITHOUT_SKU_PRICE_1_2,
  "PricingCategory",
  "PricingQuantity",
  "PricingUnit",
  "ListUnitPrice",
  "ContractedUnitPrice",
  "PricingCurrencyListUnitPrice",
  "PricingCurrencyContractedUnitPrice",
  "ConsumedQuantity",
  "ConsumedUnit",
  "CommitmentDiscountQuantity",
  "CommitmentDiscountUnit",
];

/**
 * FOCUS 1.3's Contract Commitment dataset: one row per commitment of a contract, in the
 * specification's order, every column mandatory (its nullability depends on the category). Its
 * figures are the contract's terms, not charges.
 */
export const CONTRACT_COMMITMENT_1_3: readonly (readonly [string, ColumnType, ColumnLevel])[] = [
  ["BillingCurrency", "string", "mandatory"],
  ["ContractCommitmentCategory", "string", "mandatory"],
  ["ContractCommitmentCost", "decimal", "mandatory"],
  ["ContractCommitmentDescription", "string", "mandatory"],
  ["ContractCommitmentId", "string", "mandatory"],
  ["ContractCommitmentPeriodEnd", "datetime", "mandatory"],
  ["ContractCommitmentPeriodStart", "datetime", "mandatory"],
  ["ContractCommitmentQuantity", "decimal", "mandatory"],
  ["ContractCommitmentType", "string", "mandatory"],
  ["ContractCommitmentUnit", "string", "mandatory"],
  ["ContractId", "string", "mandatory"],
  ["ContractPeriodEnd", "datetime", "mandatory"],
  ["ContractPeriodStart", "datetime", "mandatory"],
];
