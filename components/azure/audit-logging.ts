import * as monitor from "@pulumi/azure-native/monitor";
import type { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { AUDIT_LOG_CATEGORIES } from "../../policies/lib/azure-audit";

export interface AzureAuditLoggingArgs {
  /** The host subscription's provider. */
  provider: Provider;
  /** The Key Vault that holds the connection secret. */
  vaultId: pulumi.Input<string>;
  /** The cost data storage account. */
  storageAccountId: pulumi.Input<string>;
  /** The Functions host's storage account: it holds the app package and the host's keys. */
  hostStorageAccountId: pulumi.Input<string>;
  /** The Log Analytics workspace the logs go to; its retention is the tenant's audit retention. */
  workspaceId: pulumi.Input<string>;
  /** Name of both diagnostic settings (unique per resource). */
  settingName: string;
}

/** Sends the vault's audit events and both accounts' blob reads, writes and deletes to the workspace. */
export class AzureAuditLogging extends pulumi.ComponentResource {
  constructor(name: string, args: AzureAuditLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:AuditLogging", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const blobService = (account: pulumi.Input<string>) =>
      pulumi.interpolate`${account}/blobServices/default`;
    const targets: [string, keyof typeof AUDIT_LOG_CATEGORIES, pulumi.Input<string>][] = [
      ["vault", "vault", args.vaultId],
      ["blob", "blob", blobService(args.storageAccountId)],
      ["host-blob", "blob", blobService(args.hostStorageAccountId)],
    ];
    for (const [suffix, kind, resourceUri] of targets) {
      new monitor.DiagnosticSetting(
        `${name}-${suffix}`,
        {
          name: args.settingName,
          resourceUri,
          workspaceId: args.workspaceId,
          logs: AUDIT_LOG_CATEGORIES[kind].map((category) => ({ category, enabled: true })),
        },
        child,
      );
    }
    this.registerOutputs({});
  }
}
