import { describeCases } from "./harness";
import { kubernetesCases } from "./kubernetes.cases";

describeCases("Kubernetes policies", kubernetesCases);
