import type { DuckDBConnection } from "@duckdb/node-api";
import type { FormatId } from "../mapping/types";
import { type FileKind, InputError } from "./files";
import { describe, jsonShape, readerSql } from "./read";

/** Column-name signatures of the tabular formats, checked in order; all names of a rule must be present. */
const SIGNATURES: { format: FormatId; all: string[]; why: string }[] = [
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
  {
    format: "gcp-billing",
    all: ["billing_account_id", "invoice.month", "service.description"],
    why: "BigQuery billing export fields, flattened (service.description, ...)",
  },
  {
    format: "gcp-billing",
    all: ["billing_account_id", "invoice_month", "service_description"],
    why: "BigQuery billing export fields, flattened (service_description, ...)",
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
      `cannot detect the format of ${path} (columns: ${shown}${names.size > 12 ? ", ..." : ""}); pass --format with one of aws-cur2, aws-focus, gcp-billing, azure-cost-details, azure-focus, opencost`,
    );
  }
  return { format: match.format, why: match.why };
}
