import { coalesce, col } from "../mapping/ast";
import type { SourceMapping } from "../mapping/types";
import { focusSource } from "./focus";

/** AWS Data Exports `FOCUS_1_2_AWS`: a FOCUS file with AWS's `x_` columns. */
export const awsFocus: SourceMapping = focusSource({
  format: "aws-focus",
  provider: "aws",
  extra: { x_ServiceCode: { type: "string" }, x_UsageType: { type: "string" } },
  // The service code is CUR's line_item_product_code, the taxonomy's AWS key.
  serviceKey: coalesce(col("x_ServiceCode"), col("ServiceName")),
});
