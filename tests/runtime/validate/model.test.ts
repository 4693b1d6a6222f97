import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  CARRIED_MODEL,
  deriveFromFile,
  deriveRules,
  ModelShapeError,
  REFERENCE_MODEL,
} from "../../../runtime/validate/derive";
import { ERRATA } from "../../../runtime/validate/errata";
import { focusRules } from "../../../runtime/validate/model";

describe("validate: the carried FOCUS requirements model", () => {
  it("equals what derive.ts makes of the reference model (re-run it when the reference changes)", () => {
    assert.ok(existsSync(REFERENCE_MODEL), `the reference model is expected at ${REFERENCE_MODEL}`);
    const carried = JSON.parse(readFileSync(CARRIED_MODEL, "utf8"));
    assert.deepEqual(carried, deriveFromFile(REFERENCE_MODEL), "run: npx tsx runtime/validate/derive.ts");
  });

  it("states the carried reference model's provenance with its true checksum", () => {
    const note = readFileSync(join(dirname(REFERENCE_MODEL), "README.md"), "utf8");
    const row = note.split("\n").find((line) => line.startsWith(`| \`${basename(REFERENCE_MODEL)}\``));
    assert.ok(row, `model/source/README.md has a row for ${basename(REFERENCE_MODEL)}`);
    const sha256 = createHash("sha256").update(readFileSync(REFERENCE_MODEL)).digest("hex");
    assert.ok(row.includes(`\`${sha256}\``), `the row states sha256 ${sha256}`);
    assert.equal(focusRules().source.sha256, sha256, "the carried rules were derived from this file");
  });

  it("carries all 621 rules, 420 of them static, and every criterion", () => {
    const m = focusRules();
    const rules = Object.values(m.rules);
    assert.equal(rules.length, 621);
    assert.equal(rules.filter((r) => r.type === "Static").length, 420);
    assert.equal(Object.keys(m.applicabilityCriteria).length, 18);
    assert.equal(m.source.focusVersion, "1.2");
  });

  it("applies each erratum and marks the rule with the reason", () => {
    const m = focusRules();
    for (const e of ERRATA) assert.ok(m.rules[e.rule].erratum?.includes(e.reason), e.rule);
    assert.deepEqual(m.rules["CommitmentDiscountStatus-C-005-M"].requirement, {
      fn: "OR",
      items: ["Used", "Unused"].map((value) => ({
        fn: "CheckValue",
        column: "CommitmentDiscountStatus",
        value,
      })),
    });
  });

  it("stops when the model no longer has the encoding an erratum corrects", () => {
    const raw = JSON.parse(readFileSync(REFERENCE_MODEL, "utf8"));
    raw.ModelRules["Tags-C-003-C"].ValidationCriteria.Condition = {
      CheckFunction: "CheckNotValue",
      ColumnName: "Tags",
      Value: null,
    };
    assert.throws(
      () => deriveRules(raw, "", "x.json"),
      (e: Error) => e instanceof ModelShapeError && /Tags-C-003-C/.test(e.message),
    );
  });
});
