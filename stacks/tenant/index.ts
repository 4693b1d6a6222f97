import * as pulumi from "@pulumi/pulumi";
import { parseTenantConfig } from "../../components/tenant/config";
import { tenantProgram } from "./program";

// Entry point of `pulumi up`: the stack's one structured config value `costline:tenant` is the
// tenant; optional `costline:kubeconfigs` (secret) maps cluster names to kubeconfig contents.
const config = new pulumi.Config("costline");
const tenant = parseTenantConfig(
  config.requireObject<unknown>("tenant"),
  `stack ${pulumi.getStack()} config costline:tenant`,
);
const kubeconfigs = config.getSecretObject<Record<string, string>>("kubeconfigs");

export = tenantProgram(
  tenant,
  kubeconfigs
    ? Object.fromEntries(
        (tenant.kubernetes?.clusters ?? []).map((c) => [c.name, kubeconfigs.apply((k) => k[c.name] ?? "")]),
      )
    : {},
);
