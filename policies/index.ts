// The pack's entry point for the Pulumi CLI (`pulumi preview --policy-pack policies`). Constructing a
// PolicyPack starts the analyzer's gRPC server, so nothing else imports this file: tests and
// `costline plan` run the same policies from ./pack in-process.
import { PolicyPack } from "@pulumi/policy";
import { costlinePolicies } from "./pack";

new PolicyPack("costline", {
  description:
    "Costline: encryption, public access, transport, least privilege, secrets, operations, pod security, tags and data residency for cost pipelines on AWS, GCP, Azure and Kubernetes.",
  policies: costlinePolicies,
});
