import type { DuckDBConnection } from "@duckdb/node-api";
import { FORMAT_IDS, type FormatId } from "../mapping/types";
import { type FileKind, InputError } from "./files";
import { describe, jsonShape, readerSql } from "./read";

/** Column-name signatures of the tabular formats, checked in order; all names of a rule must be present. */
const SIGNATURES: { format: FormatId; all: string[]; why: string }[] = [
  { format: "aws-cur", all: ["lineitem/lineitemtype", "bill/payeraccountid"], why: "legacy CUR CSV headers" },
  // CUR 2.0 has product attributes in its `product` map, never as product_product_name.
  {
    format: "aws-cur",
    all: ["line_item_line_item_type", "bill_payer_account_id", "product_product_name"],
    why: "legacy CUR Athena columns, a product_* column per attribute",
  },
  {
    format: "aws-cur2",
    all: ["line_item_line_item_type", "bill_payer_account_id"],
    why: "CUR 2.0 line_item_* columns",
  },
  { format: "aws-focus", all: ["billedcost", "x_servicecode"], why: "FOCUS columns with AWS x_ServiceCode" },
  {
    format: "azure-focus",
    all: ["billedcost", "x_skumetercategory"],
    why: "FOCUS columns with Azure x_SkuMeterCategory",
  },
  {
    format: "azure-focus",
    all: ["billedcost", "x_billingprofileid"],
    why: "FOCUS columns with Azure x_BillingProfileId",
  },
  {
    format: "azure-cost-details",
    all: ["metercategory", "chargetype"],
    why: "Cost Management MeterCategory/ChargeType",
  },
  {
    format: "gcp-billing",
    all: ["billing_account_id", "invoice", "service"],
    why: "BigQuery billing export fields",
  },
];

/** Picks the source format of a file from its columns (or JSON shape), with the reason. */
export async function detectFormat(
  connection: DuckDBConnection,
  path: string,
  kind: FileKind,
): Promise<{ format: FormatId; why: string }> {
  if (kind === "json") {
    const shape = jsonShape(path);
    if (shape === "opencost")
      return { format: "opencost", why: "an OpenCost /allocation response (code, data)" };
    if (shape === "other") {
      throw new InputError(
        `cannot detect the format of ${path}: a JSON document that is neither NDJSON billing rows nor an OpenCost /allocation response`,
      );
    }
  }
  const columns = await describe(connection, readerSql(path, kind, "auto"));
  const names = new Set(columns.map((c) => c.name.replace(/^\uFEFF/, "").toLowerCase()));
  const match = SIGNATURES.find((s) => s.all.every((n) => names.has(n)));
  if (!match) {
    const shown = [...names].slice(0, 12).join(", ");
    throw new InputError(
      `cannot detect the format of ${path} (columns: ${shown}${names.size > 12 ? ", ..." : ""}); pass --format with one of ${FORMAT_IDS.join(", ")}`,
    );
  }
  return { format: match.format, why: match.why };
}
