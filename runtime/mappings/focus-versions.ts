/**
 * How FOCUS files of each version differ from the FOCUS version that Costline writes,
 * as data: the columns each version added, the names FOCUS 1.0 gave to 1.0-preview's columns, and
 * the 1.0-preview enumeration values that 1.0 replaced. The `focus` mapping reads every version
 * through these tables; nothing else in it depends on the version.
 *
 * Facts: FOCUS 1.0 (June 2024) renamed the preview's Provider, Publisher, InvoiceIssuer, Region,
 * UsageQuantity and UsageUnit, replaced its ChargeSubcategory with ChargeClass and
 * CommitmentDiscountStatus, and its PricingCategory values On-Demand and Commitment-Based with
 * Standard and Committed (Oracle's FOCUS cost reports still use the preview's names); 1.1 added
 * seven columns, 1.2 seven more (57 in all); 1.3 added ServiceProviderName, HostProviderName, the
 * Allocated* columns and ContractApplied, and kept ProviderName and PublisherName.
 */

import { FOCUS_1_2 } from "../schema/focus-1.2";
import { FOCUS_1_3 } from "../schema/focus-1.3";

export const FOCUS_VERSIONS = ["1.0-preview", "1.0", "1.1", "1.2", "1.3"] as const;
export type FocusVersion = (typeof FOCUS_VERSIONS)[number];

/** The columns a version added over the one before it: one of them present makes a file at least that version. */
export const ADDED_IN: Readonly<Partial<Record<FocusVersion, readonly string[]>>> = {
  "1.1": [
    "CapacityReservationId",
    "CapacityReservationStatus",
    "CommitmentDiscountQuantity",
    "CommitmentDiscountUnit",
    "ServiceSubcategory",
    "SkuMeter",
    "SkuPriceDetails",
  ],
  "1.2": [
    "BillingAccountType",
    "SubAccountType",
    "InvoiceId",
    "PricingCurrency",
    "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost",
    "PricingCurrencyListUnitPrice",
  ],
  // The versions Costline writes have a schema module each: what 1.3 added is what they differ by.
  "1.3": FOCUS_1_3.map(([name]) => name).filter((name) => !FOCUS_1_2.some(([old]) => old === name)),
};

/** FOCUS 1.0-preview's names of columns that 1.0 renamed: 1.2 name -> preview name. */
export const PREVIEW_NAMES: Readonly<Record<string, string>> = {
  ProviderName: "Provider",
  PublisherName: "Publisher",
  InvoiceIssuerName: "InvoiceIssuer",
  RegionId: "Region",
  ConsumedQuantity: "UsageQuantity",
  ConsumedUnit: "UsageUnit",
};

/**
 * Enumeration values of 1.0-preview that 1.0 replaced, by column, lower case -> 1.2 value. Other
 * values are matched to their FOCUS spelling regardless of case, `-` and spaces (Google's FOCUS
 * view writes some in lower case).
 */
export const PREVIEW_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  PricingCategory: { "on-demand": "Standard", ondemand: "Standard", "commitment-based": "Committed" },
};

/** FOCUS 1.0-preview's ChargeSubcategory values that 1.0 carries in CommitmentDiscountStatus. */
export const PREVIEW_COMMITMENT_STATUS: Readonly<Record<string, string>> = {
  "Used Commitment": "Used",
  "Unused Commitment": "Unused",
};

/** The FOCUS version a file's columns say it is. */
export function focusVersionOf(columns: readonly string[]): FocusVersion {
  const has = new Set(columns.map((c) => c.toLowerCase()));
  const preview = Object.entries(PREVIEW_NAMES).some(
    ([name, old]) => has.has(old.toLowerCase()) && !has.has(name.toLowerCase()),
  );
  if (preview) return "1.0-preview";
  const added = (Object.entries(ADDED_IN) as [FocusVersion, readonly string[]][]).filter(([, names]) =>
    names.some((n) => has.has(n.toLowerCase())),
  );
  return added.length ? added[added.length - 1]![0] : "1.0";
}
