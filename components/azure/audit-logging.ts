import * as monitor from "@pulumi/azure-native/monitor";
import type { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { AUDIT_LOG_CATEGORIES } from "./layout";

export interface AzureAuditLoggingArgs {
  /** The host subscription's provider. */
  provider: Provider;
  /** The Key Vault that holds the connection secret. */
  vaultId: pulumi.Input<string>;
  /** The cost data storage account. */
  storageAccountId: pulumi.Input<string>;
  /** The Log Analytics workspace the logs go to; its retention is the tenant's audit retention. */
  workspaceId: pulumi.Input<string>;
  /** Name of both diagnostic settings (unique per resource). */
  settingName: string;
}

/** Sends the vault's audit events and the blob service's read, write and delete logs to the workspace. */
export class AzureAuditLogging extends pulumi.ComponentResource {
  constructor(name: string, args: AzureAuditLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:AuditLogging", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const targets: [keyof typeof AUDIT_LOG_CATEGORIES, pulumi.Input<string>][] = [
      ["vault", args.vaultId],
      ["blob", pulumi.interpolate`${args.storageAccountId}/blobServices/default`],
    ];
    for (const [target, resourceUri] of targets) {
      new monitor.DiagnosticSetting(
        `${name}-${target}`,
        {
          name: args.settingName,
          resourceUri,
          workspaceId: args.workspaceId,
          logs: AUDIT_LOG_CATEGORIES[target].map((category) => ({ category, enabled: true })),
        },
        child,
      );
    }
    this.registerOutputs({});
  }
}
