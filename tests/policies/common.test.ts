import { commonCases } from "./common.cases";
import { describeCases } from "./harness";

describeCases("All-cloud policies", commonCases);
