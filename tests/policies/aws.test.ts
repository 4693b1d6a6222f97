import { awsCases } from "./aws.cases";
import { describeCases } from "./harness";

describeCases("AWS policies", awsCases);
