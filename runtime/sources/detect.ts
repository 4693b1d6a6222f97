import type { DuckDBConnection } from "@duckdb/node-api";
import { FORMAT_IDS, type FormatId } from "../mapping/types";
import { MAPPINGS } from "../mappings";
import { type FileKind, InputError } from "./files";
import { describe, jsonShape, readerSql, resolveColumns } from "./read";
import { UNSUPPORTED_FILES } from "./unsupported";

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
  // Any other FOCUS file, of any version: the columns every FOCUS version has had.
  {
    format: "focus",
    all: ["billedcost", "chargeperiodstart"],
    why: "FOCUS columns without a provider's x_ columns",
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
  if (match) return { format: match.format, why: match.why };
  const known = UNSUPPORTED_FILES.find((u) => u.all.every((n) => names.has(n)));
  if (known) throw new InputError(`${path} is ${known.what}: ${known.instead}`);
  const shown = [...names].slice(0, 12).join(", ");
  const seen = `cannot detect the format of ${path} (columns: ${shown}${names.size > 12 ? ", ..." : ""})`;
  // Suggested only where the flag would work: formats finding every column they require.
  const fitting = FORMAT_IDS.filter((f) => {
    const required = Object.values(MAPPINGS[f].raw).some((c) => c.required);
    return required && resolveColumns(MAPPINGS[f], columns).missing.length === 0;
  });
  throw new InputError(
    fitting.length
      ? `${seen}; it has the columns ${fitting.join(" and ")} require${fitting.length === 1 ? "s" : ""}: pass --format ${fitting.length === 1 ? fitting[0] : `with one of ${fitting.join(", ")}`} if it is such an export`
      : `${seen}; no source format reads it (none finds the columns it requires); Costline reads ${FORMAT_IDS.join(", ")}`,
  );
}
