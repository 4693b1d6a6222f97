/**
 * Corrections to the FOCUS requirements models, applied by `derive.ts`. Each one is a rule
 * whose machine encoding contradicts its own requirement text (`MustSatisfy`) or the FOCUS
 * specification, so that running it as encoded would fail conformant data or pass broken data.
 * Most of 1.2's mistakes are still in model 1.3.0.1, whose Cost and Usage rules are 1.2's ids
 * prefixed `CAU-`; an erratum names the versions whose model it corrects.
 * Each records the encoding it expects to find: if the model changes, derivation stops and
 * asks for the erratum to be reviewed instead of silently patching a different rule.
 */

type Raw = Record<string, unknown>;

export interface Erratum {
  /** The rule's id in FOCUS 1.2 (in 1.3, with `CAU-` before it). */
  rule: string;
  /** The model versions that encode the rule so. */
  versions: readonly ("1.2" | "1.3")[];
  field: "Requirement" | "Condition";
  /** The model's encoding, exactly as expected. */
  found: Raw;
  /** The encoding used instead, in the model's own form. */
  use: Raw;
  /** Why, in one sentence (carried into the rules file and the reports). */
  reason: string;
}

const value = (column: string, v: string | number | null): Raw => ({
  CheckFunction: "CheckValue",
  ColumnName: column,
  Value: v,
});
const notValue = (column: string, v: string | number | null): Raw => ({
  CheckFunction: "CheckNotValue",
  ColumnName: column,
  Value: v,
});
const and = (...items: Raw[]): Raw => ({ CheckFunction: "AND", Items: items });
const oneOf = (column: string, values: string[]): Raw => ({
  CheckFunction: "OR",
  Items: values.map((v) => value(column, v)),
});

const invoiceUnknown =
  "its condition (whether the charge is associated with an issued or provisional invoice) is not in the data, so it cannot be checked statically";

export const ERRATA: readonly Erratum[] = [
  {
    rule: "InvoiceId-C-004-C",
    versions: ["1.2"],
    field: "Requirement",
    found: value("InvoiceId", null),
    use: {},
    reason: invoiceUnknown,
  },
  {
    rule: "InvoiceId-C-005-C",
    versions: ["1.2"],
    field: "Requirement",
    found: notValue("InvoiceId", null),
    use: {},
    reason: invoiceUnknown,
  },
  {
    rule: "CommitmentDiscountStatus-C-003-C",
    versions: ["1.2", "1.3"],
    field: "Requirement",
    found: notValue("CommitmentDiscountStatus", null),
    use: value("CommitmentDiscountStatus", null),
    reason: 'the text says "MUST be null" but the model encodes "not null"',
  },
  {
    rule: "CommitmentDiscountStatus-C-004-C",
    versions: ["1.2", "1.3"],
    field: "Condition",
    found: value("CommitmentDiscountId", null),
    use: and(notValue("CommitmentDiscountId", null), value("ChargeCategory", "Usage")),
    reason:
      'the text says "when CommitmentDiscountId is not null and ChargeCategory is Usage" but the model encodes "when CommitmentDiscountId is null"',
  },
  {
    rule: "CommitmentDiscountStatus-C-005-M",
    versions: ["1.2", "1.3"],
    field: "Requirement",
    found: oneOf("CommitmentDiscountStatus", ["Active", "Expired", "Pending"]),
    use: oneOf("CommitmentDiscountStatus", ["Used", "Unused"]),
    reason: 'FOCUS 1.2 allows "Used" and "Unused"; the model lists Active, Expired and Pending',
  },
  {
    rule: "ConsumedQuantity-C-006-C",
    versions: ["1.2", "1.3"],
    field: "Condition",
    found: value("ChargeClass", "Correction"),
    use: notValue("ChargeClass", "Correction"),
    reason: 'the text says "when ChargeClass is not Correction" but the model encodes "is Correction"',
  },
  {
    rule: "CommitmentDiscountQuantity-C-010-C",
    versions: ["1.2"],
    field: "Condition",
    found: value("ChargeCategory", null),
    use: value("ChargeCategory", "Purchase"),
    reason: 'the text says "when ChargeCategory is Purchase" but the model encodes "is null"',
  },
  {
    rule: "Tags-C-003-C",
    versions: ["1.2", "1.3"],
    field: "Condition",
    found: value("Tags", null),
    use: notValue("Tags", null),
    reason: 'the text says "when Tags is not null" but the model encodes "is null"',
  },
  {
    rule: "CapacityReservationStatus-C-003-C",
    versions: ["1.2", "1.3"],
    field: "Condition",
    found: { AND: value("CapacityReservationId", null) },
    use: value("CapacityReservationId", null),
    reason: "the condition is malformed (an AND key without CheckFunction or Items)",
  },
  {
    rule: "CapacityReservationStatus-C-004-C",
    versions: ["1.2", "1.3"],
    field: "Condition",
    found: { AND: [notValue("CapacityReservationId", null), value("ChargeCategory", "Usage")] },
    use: and(notValue("CapacityReservationId", null), value("ChargeCategory", "Usage")),
    reason: "the condition is malformed (an AND key without CheckFunction or Items)",
  },
  {
    rule: "ResourceId-C-006-C",
    versions: ["1.2", "1.3"],
    field: "Condition",
    found: { CheckFunction: "CheckNotValue", CheckCondition: "ResourceId", Value: null },
    use: notValue("ResourceId", null),
    reason: "the condition names its column under CheckCondition instead of ColumnName",
  },
  {
    rule: "ResourceType-C-005-C",
    versions: ["1.2", "1.3"],
    field: "Condition",
    found: { CheckFunction: "CheckNotValue", CheckCondition: "ResourceId", Value: null },
    use: notValue("ResourceId", null),
    reason: "the condition names its column under CheckCondition instead of ColumnName",
  },
  {
    rule: "BilledCost-C-005-C",
    versions: ["1.2"],
    field: "Requirement",
    found: value("BilledCost", 0),
    use: {},
    reason:
      'the model takes ProviderName <> InvoiceIssuerName as "a third party received the payment", but they also differ when the issuer is the provider\'s legal entity ("AWS" and "Amazon Web Services, Inc.") or a reseller invoices; who received the payment is not in the data',
  },
  {
    rule: "PricingCurrencyEffectiveCost-C-004-M",
    versions: ["1.2", "1.3"],
    field: "Requirement",
    found: {
      CheckFunction: "CheckGreaterOrEqualThanValue",
      ColumnName: "PricingCurrencyListUnitPrice",
      Value: 0,
    },
    use: { CheckFunction: "CheckDecimalValue", ColumnName: "PricingCurrencyEffectiveCost" },
    reason:
      'the text says "PricingCurrencyEffectiveCost MUST be a valid decimal value" but the model checks PricingCurrencyListUnitPrice >= 0',
  },
  {
    rule: "EffectiveCost-C-005-C",
    versions: ["1.2", "1.3"],
    field: "Condition",
    found: value("ChargeCategory", "Purchase"),
    use: and(value("ChargeCategory", "Purchase"), notValue("CommitmentDiscountId", null)),
    reason:
      "the text limits the rule to purchases that cover future eligible charges; commitment discount purchases are the ones the data identifies, so other purchases (one-time fees, marketplace) are not held to EffectiveCost 0",
  },
  {
    rule: "PricingCurrencyContractedUnitPrice-C-012-C",
    versions: ["1.3"],
    field: "Condition",
    found: value("SkuPriceId", null),
    use: notValue("SkuPriceId", null),
    reason: 'the text says "when SkuPriceId is not null" but the model encodes "is null"',
  },
];

/** The id a rule of `erratum` has in a version's model. */
export const erratumRuleId = (erratum: Erratum, version: string) =>
  version === "1.2" ? erratum.rule : `CAU-${erratum.rule}`;
