import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  carriedModel,
  deriveFromFile,
  deriveRules,
  ModelShapeError,
  referenceModel,
} from "../../../runtime/validate/derive";
import { ERRATA, erratumRuleId } from "../../../runtime/validate/errata";
import { focusRules } from "../../../runtime/validate/model";

const VERSIONS = ["1.2", "1.3"] as const;

describe("validate: the carried FOCUS requirements model", () => {
  for (const version of VERSIONS) {
    it(`${version}: equals what derive.ts makes of the reference model (re-run it when the reference changes)`, () => {
      assert.ok(
        existsSync(referenceModel(version)),
        `the reference model is expected at ${referenceModel(version)}`,
      );
      const carried = JSON.parse(readFileSync(carriedModel(version), "utf8"));
      assert.deepEqual(
        carried,
        deriveFromFile(referenceModel(version)),
        "run: npx tsx runtime/validate/derive.ts",
      );
    });

    it(`${version}: states the carried reference model's provenance with its true checksum`, () => {
      const note = readFileSync(join(dirname(referenceModel(version)), "README.md"), "utf8");
      const name = basename(referenceModel(version));
      const row = note.split("\n").find((line) => line.startsWith(`| \`${name}\``));
      assert.ok(row, `model/source/README.md has a row for ${name}`);
      const sha256 = createHash("sha256")
        .update(readFileSync(referenceModel(version)))
        .digest("hex");
      assert.ok(row.includes(`\`${sha256}\``), `the row states sha256 ${sha256}`);
      assert.equal(
        focusRules(version).source.sha256,
        sha256,
        "the carried rules were derived from this file",
      );
      assert.equal(focusRules(version).source.focusVersion, version);
    });

    it(`${version}: applies each erratum of its model and marks the rule with the reason`, () => {
      const m = focusRules(version);
      const errata = ERRATA.filter((e) => (e.versions as readonly string[]).includes(version));
      assert.ok(errata.length > 0);
      for (const e of errata) {
        const id = erratumRuleId(e, version);
        assert.ok(m.rules[id]?.erratum?.includes(e.reason), id);
      }
      const status =
        version === "1.2" ? "CommitmentDiscountStatus-C-005-M" : "CAU-CommitmentDiscountStatus-C-005-M";
      assert.deepEqual(m.rules[status]!.requirement, {
        fn: "OR",
        items: ["Used", "Unused"].map((value) => ({
          fn: "CheckValue",
          column: "CommitmentDiscountStatus",
          value,
        })),
      });
    });
  }

  it("1.3: carries all 933 rules of both datasets with their status, and the new check functions", () => {
    const m = focusRules("1.3");
    const rules = Object.values(m.rules);
    assert.equal(rules.length, 933);
    assert.equal(rules.filter((r) => r.type === "Static").length, 630);
    assert.equal(rules.filter((r) => r.status === "Removed").length, 17);
    assert.equal(rules.filter((r) => r.status === "Deprecated").length, 10);
    assert.equal(rules.filter((r) => r.dataset === "ContractCommitment").length, 96);
    assert.equal(rules.filter((r) => r.dataset === undefined).length, 114, "attributes belong to no dataset");
    assert.equal(Object.keys(m.applicabilityCriteria).length, 20);
    // A JSON path check as carried, and the one a validator cannot express row by row.
    assert.deepEqual(m.rules["CAU-AllocatedMethodDetailsObject-O-012-M"]!.requirement, {
      fn: "JSONCheckPathKeyExists",
      column: "AllocatedMethodDetails",
      path: "$.Elements[*].AllocatedRatio",
    });
    assert.deepEqual(m.rules["CAU-ContractAppliedObject-O-038-M"]!.requirement, {
      fn: "Unsupported",
      name: "JSONCheckPathDistinctParent",
    });
  });

  it("1.2: carries all 621 rules, 420 of them static, and every criterion", () => {
    const m = focusRules("1.2");
    const rules = Object.values(m.rules);
    assert.equal(rules.length, 621);
    assert.equal(rules.filter((r) => r.type === "Static").length, 420);
    assert.equal(Object.keys(m.applicabilityCriteria).length, 18);
    assert.equal(m.source.focusVersion, "1.2");
  });

  it("stops when the model no longer has the encoding an erratum corrects", () => {
    const raw = JSON.parse(readFileSync(referenceModel("1.2"), "utf8"));
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
