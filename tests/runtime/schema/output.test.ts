import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  focusColumns as focusColumnsOf,
  nullWithoutSkuPrice,
  OUTPUT_VERSIONS,
  outputColumns as outputColumnsOf,
} from "../../../runtime/schema/output";
import { referenceModel } from "../../../runtime/validate/derive";

interface Rule {
  Reference: string;
  EntityType: string;
  DatasetId?: string;
  Status?: string;
  ValidationCriteria: {
    Requirement: { CheckFunction?: string; ColumnName?: string };
    Condition?: { CheckFunction?: string; ColumnName?: string; Value?: unknown };
  };
}

for (const version of OUTPUT_VERSIONS)
  describe(`output schema, FOCUS ${version}`, () => {
    const rules: Record<string, Rule> = Object.fromEntries(
      Object.entries<Rule>(JSON.parse(readFileSync(referenceModel(version), "utf8")).ModelRules).filter(
        ([, r]) => (r.DatasetId ?? "CostAndUsage") === "CostAndUsage",
      ),
    );
    const columnRules = Object.entries(rules).filter(
      ([id, r]) => r.EntityType === "Column" && /-C-000-/.test(id),
    );
    const focusColumns = () => focusColumnsOf(version);
    const outputColumns = () => outputColumnsOf(version);

    it("has every Cost and Usage column of the requirements model, at the model's feature level", () => {
      const expected = columnRules
        .map(([id, r]) => [r.Reference, { M: "mandatory", C: "conditional", O: "optional" }[id.slice(-1)]])
        .sort();
      assert.deepEqual(
        focusColumns()
          .map((c) => [c.name, c.level])
          .sort(),
        expected,
      );
    });

    it("lists FOCUS columns in specification (alphabetical) order, then the x_ columns", () => {
      const names = focusColumns().map((c) => c.name);
      assert.deepEqual(names, [...names].sort());
      assert.ok(
        outputColumns()
          .slice(focusColumns().length)
          .every((c) => c.name.startsWith("x_")),
      );
    });

    it("types columns as the model's Type* rules say", () => {
      const typeOf = { TypeString: "string", TypeDecimal: "decimal", TypeDateTime: "datetime" } as Record<
        string,
        string
      >;
      for (const [, r] of Object.entries(rules)) {
        const fn = r.ValidationCriteria?.Requirement?.CheckFunction ?? "";
        if (!(fn in typeOf) || r.EntityType !== "Column") continue;
        const col = focusColumns().find((c) => c.name === r.Reference);
        // FOCUS 1.3's JSON columns are strings holding JSON (JsonObjectFormat), as Tags are in 1.2.
        const type = col?.type === "json" && fn === "TypeString" ? "string" : col?.type;
        assert.equal(type, typeOf[fn], r.Reference);
      }
    });

    it("nulls, without a SkuPriceId, exactly the columns the model wants null when SkuPriceId is null", () => {
      const nulled = Object.values(rules)
        .filter(
          (r) =>
            r.Status !== "Removed" &&
            r.ValidationCriteria.Requirement?.CheckFunction === "CheckValue" &&
            r.ValidationCriteria.Condition?.CheckFunction === "CheckValue" &&
            r.ValidationCriteria.Condition.ColumnName === "SkuPriceId" &&
            r.ValidationCriteria.Condition.Value === null,
        )
        .map((r) => r.Reference);
      // The units go with their quantities (PricingUnit-C-005-C and the like), which the model conditions on the quantity.
      const units = ["PricingUnit", "ConsumedUnit", "CommitmentDiscountUnit"];
      assert.deepEqual(
        [...nullWithoutSkuPrice(version)].filter((c) => !units.includes(c)).sort(),
        [...new Set(nulled)].sort(),
      );
    });
  });
