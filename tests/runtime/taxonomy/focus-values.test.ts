import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  CAPACITY_RESERVATION_STATUSES,
  CHARGE_CATEGORIES,
  CHARGE_FREQUENCIES,
  COMMITMENT_DISCOUNT_CATEGORIES,
  COMMITMENT_DISCOUNT_STATUSES,
  PRICING_CATEGORIES,
  SERVICE_CATEGORIES,
  SERVICE_SUBCATEGORIES,
} from "../../../runtime/taxonomy/focus-values";
import { referenceModel } from "../../../runtime/validate/derive";

interface Check {
  CheckFunction: string;
  ColumnName?: string;
  Value?: unknown;
  Items?: Check[];
}
interface Rule {
  ValidationCriteria: { MustSatisfy: string; Requirement: Check };
}

const model = JSON.parse(readFileSync(referenceModel("1.2"), "utf8")) as { ModelRules: Record<string, Rule> };

/** The values an "allowed values" rule of the requirements model accepts for `column`. */
function allowed(ruleId: string, column: string): string[] {
  const rule = model.ModelRules[ruleId];
  assert.ok(rule, `rule ${ruleId} is in the requirements model`);
  assert.match(rule.ValidationCriteria.MustSatisfy, /allowed values/);
  return (rule.ValidationCriteria.Requirement.Items ?? []).map((item) => {
    assert.equal(item.ColumnName, column);
    return item.Value as string;
  });
}

describe("FOCUS 1.2 allowed values", () => {
  it("has the 19 service categories of the requirements model, in its order", () => {
    assert.equal(SERVICE_CATEGORIES.length, 19);
    assert.deepEqual([...SERVICE_CATEGORIES], allowed("ServiceCategory-C-003-M", "ServiceCategory"));
  });

  it("has exactly the model's subcategories, each under its one parent category", () => {
    const pairs = (
      model.ModelRules["ServiceSubcategory-C-004-M"].ValidationCriteria.Requirement.Items ?? []
    ).map((pair) => {
      const get = (column: string) => pair.Items?.find((i) => i.ColumnName === column)?.Value as string;
      return [get("ServiceCategory"), get("ServiceSubcategory")].join(" / ");
    });
    const ours = Object.entries(SERVICE_SUBCATEGORIES).flatMap(([category, subs]) =>
      subs.map((sub) => `${category} / ${sub}`),
    );
    assert.deepEqual([...ours].sort(), [...pairs].sort());
    assert.deepEqual(Object.keys(SERVICE_SUBCATEGORIES).sort(), [...SERVICE_CATEGORIES].sort());
    const flat = ours.map((pair) => pair.split(" / ")[1]);
    assert.equal(new Set(flat).size, flat.length, "no subcategory has two parents");
  });

  it("has the model's charge, pricing, commitment and capacity reservation enumerations", () => {
    assert.deepEqual(
      [...CHARGE_CATEGORIES].sort(),
      allowed("ChargeCategory-C-003-M", "ChargeCategory").sort(),
    );
    assert.deepEqual(
      [...CHARGE_FREQUENCIES].sort(),
      allowed("ChargeFrequency-C-003-M", "ChargeFrequency").sort(),
    );
    assert.deepEqual(
      [...PRICING_CATEGORIES].sort(),
      allowed("PricingCategory-C-007-M", "PricingCategory").sort(),
    );
    assert.deepEqual(
      [...COMMITMENT_DISCOUNT_CATEGORIES].sort(),
      allowed("CommitmentDiscountCategory-C-005-M", "CommitmentDiscountCategory").sort(),
    );
    assert.deepEqual(
      [...CAPACITY_RESERVATION_STATUSES].sort(),
      allowed("CapacityReservationStatus-C-006-M", "CapacityReservationStatus").sort(),
    );
  });

  it("follows the column text for CommitmentDiscountStatus where the model lists lifecycle states", () => {
    // If a later model fixes this rule, this test says so and the comment in focus-values.ts can go.
    assert.deepEqual(allowed("CommitmentDiscountStatus-C-005-M", "CommitmentDiscountStatus").sort(), [
      "Active",
      "Expired",
      "Pending",
    ]);
    assert.deepEqual([...COMMITMENT_DISCOUNT_STATUSES], ["Used", "Unused"]);
  });
});
