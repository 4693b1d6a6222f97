import assert from "node:assert/strict";
import { ADDED_IN, focusVersionOf, PREVIEW_NAMES } from "../../../runtime/mappings/focus-versions";
import { focusColumns } from "../../../runtime/schema/output";

const V1_2 = focusColumns().map((c) => c.name);
const without = (columns: string[], drop: readonly string[]) => columns.filter((c) => !drop.includes(c));
const V1_1 = without(V1_2, ADDED_IN["1.2"]!);
const V1_0 = without(V1_1, ADDED_IN["1.1"]!);
const PREVIEW = V1_0.map((c) => PREVIEW_NAMES[c] ?? c);

describe("FOCUS versions of a file's columns", () => {
  it("tells each version by the columns it added or the names it used", () => {
    assert.equal(V1_2.length, 57, "FOCUS 1.2 has 57 columns");
    assert.equal(V1_0.length, 43, "FOCUS 1.0 had 43");
    const table: [string, string[]][] = [
      ["1.0-preview", PREVIEW],
      ["1.0", V1_0],
      ["1.1", V1_1],
      ["1.2", V1_2],
      ["1.3", [...V1_2, "ServiceProviderName", "HostProviderName"]],
      // Column names are matched as a reader matches them: in any case.
      ["1.2", V1_2.map((c) => c.toLowerCase())],
      // A provider's x_ columns say nothing of the version.
      ["1.0", [...V1_0, "x_ServiceCode"]],
    ];
    for (const [version, columns] of table) assert.equal(focusVersionOf(columns), version, columns.join(","));
  });

  it("a file with both a preview name and its 1.0 name is not a preview file", () => {
    assert.equal(focusVersionOf([...V1_0, "Provider"]), "1.0");
  });
});
