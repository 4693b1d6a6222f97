import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  azureExportManifest,
  azureManifestNote,
  statedDatasets,
} from "../../../runtime/sources/azure-export-manifest";
import { tempDir } from "../normalize/helpers";

/** A manifest as a Cost Management export run writes it beside its parts (fields we do not read included). */
const MANIFEST = {
  manifestVersion: "2024-04-01",
  byteCount: 2048,
  blobCount: 2,
  dataRowCount: 40,
  exportConfig: {
    exportName: "acme-amortized",
    resourceId:
      "/providers/Microsoft.Billing/billingAccounts/87654321/providers/Microsoft.CostManagement/exports/acme-amortized",
    dataVersion: "2021-10-01",
    apiVersion: "2023-07-01-preview",
    type: "AmortizedCost",
    timeFrame: "MonthToDate",
    granularity: "Daily",
  },
  deliveryConfig: {
    partitionData: true,
    dataOverwriteBehavior: "OverwritePreviousReport",
    fileFormat: "Csv",
  },
  runInfo: {
    executionType: "Scheduled",
    submittedTime: "2025-03-20T06:01:02Z",
    runId: "5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
    startDate: "2025-03-01T00:00:00",
    endDate: "2025-03-19T00:00:00",
  },
  blobs: [
    {
      blobName: "costs/acme-amortized/20250301-20250331/5d6e7f80/part_0_0001.csv",
      byteCount: 1024,
      dataRowCount: 20,
    },
    {
      blobName: "costs/acme-amortized/20250301-20250331/5d6e7f80/part_1_0001.csv",
      byteCount: 1024,
      dataRowCount: 20,
    },
  ],
};

describe("Azure Cost Management export manifests", () => {
  it("reads a manifest (with a byte-order mark) and says what it is", () => {
    const dir = tempDir();
    const path = join(dir, "manifest.json");
    writeFileSync(path, `\uFEFF${JSON.stringify(MANIFEST, null, 2)}`);
    const manifest = azureExportManifest(path, "json")!;
    assert.equal(manifest.exportConfig.type, "AmortizedCost");
    assert.equal(
      azureManifestNote(manifest),
      "skipped: the manifest of a Cost Management AmortizedCost export run (its 2 data file(s) and settings; no line items)",
    );
  });

  it("leaves any other JSON alone, and names a broken manifest", () => {
    const dir = tempDir();
    const other = join(dir, "allocation.json");
    writeFileSync(other, JSON.stringify({ code: 200, data: [{ blobs: 1 }] }));
    assert.equal(azureExportManifest(other, "json"), undefined);
    assert.equal(azureExportManifest(join(dir, "part.csv"), "csv"), undefined);
    const broken = join(dir, "manifest.json");
    writeFileSync(broken, JSON.stringify({ ...MANIFEST, runInfo: undefined }));
    assert.throws(
      () => azureExportManifest(broken, "json"),
      /manifest\.json: a Cost Management export manifest without runInfo/,
    );
    writeFileSync(broken, `${JSON.stringify(MANIFEST).slice(0, 200)}`);
    assert.throws(
      () => azureExportManifest(broken, "json"),
      /manifest\.json: a Cost Management export manifest that is not JSON/,
    );
  });

  it("states the dataset of the parts beside it, not of files elsewhere or unlisted", () => {
    const stated = statedDatasets([{ path: "/data/run/manifest.json", manifest: MANIFEST }]);
    assert.equal(stated.get("/data/run/part_0_0001.csv"), "AmortizedCost");
    assert.equal(stated.get("/data/run/part_1_0001.csv"), "AmortizedCost");
    assert.equal(stated.get("/data/run/part_2_0001.csv"), undefined);
    assert.equal(stated.get("/data/other/part_0_0001.csv"), undefined);
  });
});
