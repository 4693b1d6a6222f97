import type { FormatId, SourceMapping } from "../mapping/types";
import type { OutputVersion } from "../schema/output";
import { awsCur } from "./aws-cur";
import { awsCur2 } from "./aws-cur2";
import { awsFocus } from "./aws-focus";
import { azureCostDetails } from "./azure-cost-details";
import { azureFocus } from "./azure-focus";
import { focus, focusFileNotes } from "./focus";
import { gcpBilling } from "./gcp-billing";
import { opencost } from "./opencost";

/** The one mapping of each source format. */
export const MAPPINGS: Record<FormatId, SourceMapping> = {
  focus,
  "aws-cur2": awsCur2,
  "aws-cur": awsCur,
  "aws-focus": awsFocus,
  "gcp-billing": gcpBilling,
  "azure-cost-details": azureCostDetails,
  "azure-focus": azureFocus,
  opencost,
};

/**
 * What the summary says of a file of a format from its column names alone, before any row is read
 * (a FOCUS file: the version it is, what it lacks). Code, so kept beside the mappings, not in them.
 */
export const FILE_NOTES: Partial<
  Record<FormatId, (columns: readonly string[], output: OutputVersion) => string[]>
> = {
  focus: focusFileNotes,
  "aws-focus": focusFileNotes,
  "azure-focus": focusFileNotes,
};
