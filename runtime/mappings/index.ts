import type { FormatId, SourceMapping } from "../mapping/types";
import { awsCur } from "./aws-cur";
import { awsCur2 } from "./aws-cur2";
import { awsFocus } from "./aws-focus";
import { azureCostDetails } from "./azure-cost-details";
import { azureFocus } from "./azure-focus";
import { gcpBilling } from "./gcp-billing";
import { opencost } from "./opencost";

/** The one mapping of each source format. */
export const MAPPINGS: Record<FormatId, SourceMapping> = {
  "aws-cur2": awsCur2,
  "aws-cur": awsCur,
  "aws-focus": awsFocus,
  "gcp-billing": gcpBilling,
  "azure-cost-details": azureCostDetails,
  "azure-focus": azureFocus,
  opencost,
};
