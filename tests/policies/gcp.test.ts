import { gcpCases } from "./gcp.cases";
import { describeCases } from "./harness";

describeCases("GCP policies", gcpCases);
