import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { openEngine } from "../../../runtime/engine/duckdb";
import { detectFormat } from "../../../runtime/sources/detect";
import { fileKind, InputError, listInputFiles } from "../../../runtime/sources/files";
import { FIXTURES, SAMPLES, tempDir } from "../normalize/helpers";

describe("format detection and input files", () => {
  const cases: [string, string][] = [
    ["aws-cur2/cur2-2025-03.csv", "aws-cur2"],
    ["aws-focus/focus-1-2-aws-2025-03.csv", "aws-focus"],
    ["gcp-billing/gcp_billing_export_v1_2025-03.ndjson", "gcp-billing"],
    ["azure-cost-details/ea-actualcost-2025-03.csv", "azure-cost-details"],
    ["azure-cost-details/mca-actualcost-2025-03.csv", "azure-cost-details"],
    ["azure-focus/focuscost-2025-03.csv", "azure-focus"],
    ["opencost/allocation-namespace-1d-2025-03-01_03.json", "opencost"],
  ];
  for (const [file, format] of cases) {
    it(`detects ${format} from ${file}`, async () => {
      const engine = await openEngine({ memoryLimit: "128MB" });
      try {
        const path = join(SAMPLES, file);
        const detected = await detectFormat(engine.connection, path, fileKind(path)!);
        assert.equal(detected.format, format);
        assert.ok(detected.why.length > 0);
      } finally {
        engine.close();
      }
    });
  }

  const gcp: [string, RegExp][] = [
    ["flattened-dotted.csv", /^BigQuery billing export fields, flattened \(service\.description/],
    ["flattened-underscored.ndjson", /^BigQuery billing export fields, flattened \(service_description/],
    ["export.ndjson", /^BigQuery billing export fields$/],
  ];
  for (const [file, why] of gcp) {
    it(`detects gcp-billing from ${file}, saying whether it is flattened`, async () => {
      const engine = await openEngine({ memoryLimit: "128MB" });
      try {
        const path = join(FIXTURES, "gcp-billing", file);
        const detected = await detectFormat(engine.connection, path, fileKind(path)!);
        assert.equal(detected.format, "gcp-billing");
        assert.match(detected.why, why);
      } finally {
        engine.close();
      }
    });
  }

  it("names the columns and the fix when no format matches", async () => {
    const file = join(tempDir(), "other.csv");
    writeFileSync(file, "a,b\n1,2\n");
    const engine = await openEngine({ memoryLimit: "128MB" });
    try {
      await assert.rejects(detectFormat(engine.connection, file, "csv"), (e: unknown) => {
        return (
          e instanceof InputError && /columns: a, b\); pass --format with one of aws-cur2/.test(e.message)
        );
      });
    } finally {
      engine.close();
    }
  });

  it("walks folders for data files, skips hidden entries, refuses unknown files and missing paths", () => {
    const files = listInputFiles([join(FIXTURES, "azure-cost-details")]).map((f) => [
      f.path.split("/").pop(),
      f.kind,
    ]);
    assert.deepEqual(files, [
      ["ea-amortizedcost.csv", "csv"],
      ["mca-actualcost.csv", "csv"],
    ]);
    const dir = tempDir();
    writeFileSync(join(dir, "notes.txt"), "x");
    assert.throws(
      () => listInputFiles([dir]),
      /no data files \(.parquet, .csv, .csv.gz, .json, .ndjson\) under/,
    );
    assert.throws(() => listInputFiles([join(dir, "notes.txt")]), /unsupported file type/);
    assert.throws(() => listInputFiles(["/nope"]), /input not found: \/nope/);
  });
});
