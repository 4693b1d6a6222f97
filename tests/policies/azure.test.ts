import { azureCases } from "./azure.cases";
import { describeCases } from "./harness";

describeCases("Azure policies", azureCases);
