import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { jobIdentityName } from "./layout";
import { type AzurePlacement, childOptions } from "./placement";
import { builtinRoleId, customRole, grantRole } from "./roles";

export interface AzureJobIdentityArgs extends AzurePlacement {
  /** Tenant id, for the identity's name. */
  tenantId: string;
  /** ARM id of the exports container: the job may only read it. */
  exportContainerId: pulumi.Input<string>;
  /** ARM id of the normalized container: the only place the job may write. */
  normalizedContainerId: pulumi.Input<string>;
  /** Scopes (subscriptions, management group) whose cost data the job may read through Cost Management. */
  costScopes: string[];
}

/**
 * What the job may do to an export beyond reading: run it when its data is stale. Cost Management
 * Reader cannot (running is an action), and Cost Management Contributor could also rewrite or
 * delete exports, so the job gets a custom role with the run actions alone.
 */
export const EXPORT_RUNNER_ACTIONS = [
  "Microsoft.CostManagement/exports/read",
  "Microsoft.CostManagement/exports/action",
  "Microsoft.CostManagement/exports/run/action",
];

/**
 * The normalization job's user-assigned identity and its data grants: Storage Blob Data Reader on
 * the exports container, Storage Blob Data Contributor on the normalized container only, and
 * Cost Management Reader and the export-runner role on the cost scopes. Nothing at subscription
 * scope can change resources.
 */
export class AzureJobIdentity extends pulumi.ComponentResource {
  /** ARM id of the identity (for `identity.userAssignedIdentities`). */
  readonly id: pulumi.Output<string>;
  /** Object id of its service principal (for role assignments). */
  readonly principalId: pulumi.Output<string>;
  /** Client id (what the job passes to DefaultAzureCredential as AZURE_CLIENT_ID). */
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: AzureJobIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:JobIdentity", name, {}, opts);
    const child = childOptions(this, args.provider);
    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      {
        resourceName: jobIdentityName(args.tenantId),
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        tags: args.tags,
      },
      child,
    );
    const principalId = identity.principalId;
    grantRole(
      `${name}-reads-exports`,
      {
        scope: args.exportContainerId,
        roleDefinitionId: builtinRoleId("storageBlobDataReader"),
        principalId,
        description: "Lets the Costline job read the cost exports",
      },
      child,
    );
    grantRole(
      `${name}-writes-normalized`,
      {
        scope: args.normalizedContainerId,
        roleDefinitionId: builtinRoleId("storageBlobDataContributor"),
        principalId,
        description: "Lets the Costline job write normalized FOCUS output",
      },
      child,
    );
    const scopes = [...new Set(args.costScopes)];
    scopes.forEach((scope) => {
      grantRole(
        `${name}-cost-reader-${scopeKey(scope)}`,
        {
          scope,
          roleDefinitionId: builtinRoleId("costManagementReader"),
          principalId,
          description: "Lets the Costline job check export runs and cost data",
        },
        child,
      );
      const runner = customRole(`${name}-export-runner-${scopeKey(scope)}`, {
        scope: pulumi.output(scope),
        roleName: `Costline export runner (${args.tenantId}, ${scopeKey(scope)})`,
        description: "Runs a stale Cost Management export; cannot change or delete exports.",
        actions: EXPORT_RUNNER_ACTIONS,
        child,
      });
      grantRole(
        `${name}-export-runner-grant-${scopeKey(scope)}`,
        {
          scope,
          roleDefinitionId: runner.id,
          principalId,
          description: "Lets the Costline job trigger a run of a stale export",
        },
        child,
      );
    });
    this.id = identity.id;
    this.principalId = principalId;
    this.clientId = identity.clientId;
    this.registerOutputs({ id: this.id, principalId: this.principalId, clientId: this.clientId });
  }
}

/** A short, readable logical-name part for a scope id (the subscription GUID or the management group). */
function scopeKey(scope: string): string {
  return scope.split("/").filter(Boolean).pop() ?? scope;
}
