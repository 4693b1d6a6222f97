import { coalesce, col, div, eq, lit, when } from "../mapping/ast";
import type { SourceMapping } from "../mapping/types";
import { focusSource } from "./focus";

/** Azure Cost Management `FocusCost` export: a FOCUS file with Azure's `x_` columns. */
export const azureFocus: SourceMapping = focusSource({
  format: "azure-focus",
  provider: "azure",
  extra: { x_SkuMeterCategory: { type: "string" }, x_BillingExchangeRate: { type: "decimal" } },
  serviceKey: coalesce(col("x_SkuMeterCategory"), col("ServiceName")),
  // x_BillingExchangeRate converts the pricing currency (USD) to the billing currency.
  providerRate: when([[eq(col("PricingCurrency"), "USD"), div(lit(1), col("x_BillingExchangeRate"))]]),
});
