import type { FormatId } from "../mapping/types";

/**
 * FOCUS applicability criteria (provider capabilities) that do NOT hold for the data Costline
 * makes from a source format, each with why. Every other criterion of the requirements model is
 * declared when the output is validated, so the rules that depend on it are checked.
 * A criterion belongs here only when the provider truly lacks the capability; a value an export
 * merely omits is a conformance gap, not a missing capability.
 */
export const UNSUPPORTED_CAPABILITIES: Readonly<Record<FormatId, Readonly<Record<string, string>>>> = {
  // A FOCUS file of any data generator: what its provider can do is not known here, so every rule is judged.
  focus: {},
  "aws-cur2": {
    VIRTUAL_CURRENCY_SUPPORTED: "prices are in national currencies",
  },
  "aws-cur": {
    VIRTUAL_CURRENCY_SUPPORTED: "prices are in national currencies",
  },
  "aws-focus": {
    VIRTUAL_CURRENCY_SUPPORTED: "prices are in national currencies",
  },
  "gcp-billing": {
    VIRTUAL_CURRENCY_SUPPORTED: "prices are in national currencies",
  },
  "azure-cost-details": {
    VIRTUAL_CURRENCY_SUPPORTED: "prices are in national currencies",
  },
  "azure-focus": {
    VIRTUAL_CURRENCY_SUPPORTED: "prices are in national currencies",
  },
  opencost: {
    PUBLIC_PRICE_LIST_SUPPORTED: "OpenCost publishes no price list; it prices nodes, not SKUs",
    NEGOTIATED_PRICING_SUPPORTED: "allocations carry no negotiated prices",
    COMMITMENT_DISCOUNT_SUPPORTED: "Kubernetes has no commitment discounts of its own",
    CAPACITY_RESERVATION_SUPPORTED: "Kubernetes has no capacity reservations of its own",
    MULTIPLE_BILLING_ACCOUNT_TYPES_SUPPORTED: "the billing account is the cluster, of one kind",
    PRICING_BILLING_CURRENCY_DIFFERENCES_SUPPORTED: "OpenCost prices and reports in one configured currency",
    VIRTUAL_CURRENCY_SUPPORTED: "prices are in national currencies",
  },
};

/** The applicability criteria to declare when validating output made from `format`. */
export function applicabilityFor(format: FormatId, known: readonly string[]): string[] {
  return known.filter((c) => !(c in UNSUPPORTED_CAPABILITIES[format]));
}
