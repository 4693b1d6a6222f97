import { coalesce, col, div, eq, lit, when } from "../mapping/ast";
import type { SourceMapping } from "../mapping/types";
import { billedOutputCost, extensionColumns, focusPassthrough, focusRawColumns } from "./common";

/** Azure Cost Management `FocusCost` export -> FOCUS 1.2. */
export const azureFocus: SourceMapping = {
  format: "azure-focus",
  provider: "azure",
  raw: focusRawColumns({
    x_SkuMeterCategory: { type: "string" },
    x_BillingExchangeRate: { type: "decimal" },
  }),
  serviceKey: coalesce(col("x_SkuMeterCategory"), col("ServiceName")),
  regionKey: col("RegionId"),
  focus: focusPassthrough({}),
  // x_BillingExchangeRate converts the pricing currency (USD) to the billing currency.
  providerRate: when([[eq(col("PricingCurrency"), "USD"), div(lit(1), col("x_BillingExchangeRate"))]]),
  extensions: extensionColumns("azure-focus", "azure"),
  reconcile: {
    currency: col("BillingCurrency"),
    sourceCost: col("BilledCost"),
    outputCost: billedOutputCost,
  },
};
