import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FOCUS_COLUMNS, OUTPUT_COLUMNS } from "../../../runtime/schema/output";
import { REFERENCE_MODEL } from "../../../runtime/validate/derive";

interface Rule {
  Reference: string;
  EntityType: string;
  ValidationCriteria: { Requirement: { CheckFunction?: string } };
}

describe("output schema", () => {
  const rules: Record<string, Rule> = JSON.parse(readFileSync(REFERENCE_MODEL, "utf8")).ModelRules;
  const columnRules = Object.entries(rules).filter(
    ([id, r]) => r.EntityType === "Column" && /-C-000-/.test(id),
  );

  it("has every FOCUS 1.2 column of the requirements model, at the model's feature level", () => {
    const expected = columnRules
      .map(([id, r]) => [r.Reference, { M: "mandatory", C: "conditional", O: "optional" }[id.slice(-1)]])
      .sort();
    assert.deepEqual(FOCUS_COLUMNS.map((c) => [c.name, c.level]).sort(), expected);
  });

  it("lists FOCUS columns in specification (alphabetical) order, then the x_ columns", () => {
    const names = FOCUS_COLUMNS.map((c) => c.name);
    assert.deepEqual(names, [...names].sort());
    assert.ok(OUTPUT_COLUMNS.slice(FOCUS_COLUMNS.length).every((c) => c.name.startsWith("x_")));
  });

  it("types columns as the model's Type* rules say", () => {
    const typeOf = { TypeString: "string", TypeDecimal: "decimal", TypeDateTime: "datetime" } as Record<
      string,
      string
    >;
    for (const [, r] of Object.entries(rules)) {
      const fn = r.ValidationCriteria?.Requirement?.CheckFunction ?? "";
      if (!(fn in typeOf) || r.EntityType !== "Column") continue;
      const col = FOCUS_COLUMNS.find((c) => c.name === r.Reference);
      assert.equal(col?.type, typeOf[fn], r.Reference);
    }
  });
});
