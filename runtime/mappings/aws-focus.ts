import { coalesce, col } from "../mapping/ast";
import type { SourceMapping } from "../mapping/types";
import { billedOutputCost, extensionColumns, focusPassthrough, focusRawColumns } from "./common";

/** AWS Data Exports `FOCUS_1_2_AWS` -> FOCUS 1.2 (already FOCUS; Costline adds the taxonomy and `x_` columns). */
export const awsFocus: SourceMapping = {
  format: "aws-focus",
  provider: "aws",
  raw: focusRawColumns({ x_ServiceCode: { type: "string" }, x_UsageType: { type: "string" } }),
  // The service code is CUR's line_item_product_code, the taxonomy's AWS key.
  serviceKey: coalesce(col("x_ServiceCode"), col("ServiceName")),
  regionKey: col("RegionId"),
  focus: focusPassthrough({}),
  extensions: extensionColumns("aws-focus", "aws"),
  reconcile: {
    currency: col("BillingCurrency"),
    sourceCost: col("BilledCost"),
    outputCost: billedOutputCost,
  },
};
