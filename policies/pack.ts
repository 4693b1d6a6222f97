import { awsPolicies } from "./aws";
import { azurePolicies } from "./azure";
import { commonPolicies } from "./common";
import { gcpPolicies } from "./gcp";
import { kubernetesPolicies } from "./kubernetes";
import type { CostlinePolicy } from "./policy";

/**
 * Every policy of the Costline pack, as a plain array: `policies/index.ts` serves it to the Pulumi
 * CLI, and tests and `costline plan` run it in-process (constructing a PolicyPack starts a server).
 */
export const costlinePolicies: CostlinePolicy[] = [
  ...awsPolicies,
  ...gcpPolicies,
  ...azurePolicies,
  ...kubernetesPolicies,
  ...commonPolicies,
];
