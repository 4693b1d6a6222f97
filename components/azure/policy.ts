import * as authorization from "@pulumi/azure-native/authorization";
import * as policyinsights from "@pulumi/azure-native/policyinsights";
import type { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../core/naming";
import { type ExportDataset, EXPORT_DATASETS, exportTemplate } from "./export-template";
import { BUILTIN_ROLES, builtinRoleId, customRole, grantRole } from "./roles";

export interface AzureExportPolicyArgs {
  /** The explicit azure-native provider; every resource here names its scope itself. */
  provider: Provider;
  /** Tenant id, for names. */
  tenantId: string;
  /** The management group whose subscriptions all get the export. */
  managementGroupId: string;
  /** The export's name, the same one the direct exports use (the existence check matches it). */
  exportName: string;
  /** Dataset the policy deploys. */
  dataset: ExportDataset;
  /** Region of the assignment's identity and of the exports' identities. */
  location: string;
  /** ARM id of the storage account the exports deliver to. */
  storageAccountId: pulumi.Input<string>;
  /** Container the exports write to. */
  container: string;
  /** ARM id of that container. */
  containerId: pulumi.Input<string>;
  /** ARM id of the resource group holding the storage account (the nested grant deploys there). */
  resourceGroupId: pulumi.Input<string>;
}

/** What the policy's managed identity may do in every subscription of the management group. */
export const EXPORT_DEPLOYER_ACTIONS = [
  "Microsoft.CostManagement/exports/read",
  "Microsoft.CostManagement/exports/write",
  "Microsoft.Resources/deployments/read",
  "Microsoft.Resources/deployments/write",
  "Microsoft.Resources/deployments/validate/action",
  "Microsoft.Resources/deployments/operationstatuses/read",
];

/** What it may do in the storage resource group: run the nested deployment, nothing else. */
export const GRANT_DEPLOYER_ACTIONS = [
  "Microsoft.Resources/deployments/read",
  "Microsoft.Resources/deployments/write",
  "Microsoft.Resources/deployments/validate/action",
  "Microsoft.Resources/deployments/operationstatuses/read",
];

/**
 * The ABAC condition on the policy identity's role-assignment right: it may create or delete
 * only Storage Blob Data Contributor assignments, only for service principals (export identities).
 */
export const EXPORT_GRANT_CONDITION = [
  "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR",
  ` (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${BUILTIN_ROLES.storageBlobDataContributor}}`,
  " AND @Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))",
  " AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR",
  ` (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${BUILTIN_ROLES.storageBlobDataContributor}}))`,
].join("");

/** The policy rule: every subscription must have the export; if not, deploy it (and its storage grant). */
export function exportPolicyRule(exportName: string, deployerRoleId: string): Record<string, unknown> {
  return {
    if: { field: "type", equals: "Microsoft.Resources/subscriptions" },
    // biome-ignore lint/suspicious/noThenProperty: Azure Policy's rule grammar is if/then; the value is an object, never a thenable function.
    then: {
      effect: "[parameters('effect')]",
      details: {
        type: "Microsoft.CostManagement/exports",
        name: exportName,
        existenceScope: "Subscription",
        deploymentScope: "Subscription",
        // An export of that name that writes with its own managed identity counts; a legacy
        // key-based one does not and is redeployed.
        existenceCondition: {
          allOf: [
            { field: "name", equals: exportName },
            { field: "identity.type", equals: "SystemAssigned" },
          ],
        },
        roleDefinitionIds: [deployerRoleId],
        deployment: {
          location: "[parameters('identityLocation')]",
          properties: {
            mode: "incremental",
            template: exportTemplate("subscription", true),
            parameters: {
              exportName: { value: exportName },
              dataset: { value: "[parameters('dataset')]" },
              storageAccountId: { value: "[parameters('storageAccountId')]" },
              container: { value: "[parameters('container')]" },
              identityLocation: { value: "[parameters('identityLocation')]" },
            },
          },
        },
      },
    },
  };
}

/**
 * Self-healing multi-subscription export: a deployIfNotExists policy at the management group
 * that deploys the export into every subscription that lacks it, assigned with a system-assigned
 * identity that holds only the rights that deployment needs, and a remediation task for the
 * subscriptions that exist already.
 */
export class AzureExportPolicy extends pulumi.ComponentResource {
  /** ARM id of the policy definition. */
  readonly policyDefinitionId: pulumi.Output<string>;
  /** ARM id of the policy assignment. */
  readonly policyAssignmentId: pulumi.Output<string>;
  /** Object id of the assignment's managed identity. */
  readonly principalId: pulumi.Output<string>;

  constructor(name: string, args: AzureExportPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:azure:ExportPolicy", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const mgScope = `/providers/Microsoft.Management/managementGroups/${args.managementGroupId}`;

    const deployerRole = customRole(`${name}-deployer-role`, {
      scope: pulumi.output(mgScope),
      roleName: `Costline cost export deployer (${args.tenantId})`,
      description: "Deploys Costline's Cost Management export into a subscription; nothing else.",
      actions: EXPORT_DEPLOYER_ACTIONS,
      child,
    });
    const grantDeployerRole = customRole(`${name}-grant-deployer-role`, {
      scope: pulumi.output(args.resourceGroupId),
      roleName: `Costline export grant deployer (${args.tenantId})`,
      description: "Runs the nested deployment that lets a new export write to the exports container.",
      actions: GRANT_DEPLOYER_ACTIONS,
      child,
    });

    const exportName = args.exportName;
    const definition = new authorization.PolicyDefinitionAtManagementGroup(
      `${name}-definition`,
      {
        managementGroupId: args.managementGroupId,
        policyDefinitionName: physicalName("azure", "costline", args.tenantId, "cost-export"),
        displayName: `Costline: daily cost export in every subscription (${args.tenantId})`,
        description:
          "Deploys the Costline Cost Management export (Parquet, daily, managed identity) into each subscription that lacks it.",
        policyType: "Custom",
        mode: "All",
        metadata: { category: "Cost Management", version: "1.0.0" },
        parameters: {
          effect: {
            type: "String",
            allowedValues: ["DeployIfNotExists", "AuditIfNotExists", "Disabled"],
            defaultValue: "DeployIfNotExists",
          },
          dataset: { type: "String", allowedValues: [...EXPORT_DATASETS] },
          storageAccountId: { type: "String" },
          container: { type: "String" },
          identityLocation: { type: "String" },
        },
        policyRule: deployerRole.id.apply((roleId) => exportPolicyRule(exportName, roleId)),
      },
      child,
    );

    const assignment = new authorization.PolicyAssignment(
      `${name}-assignment`,
      {
        scope: mgScope,
        // Assignment names at management group scope allow 24 characters, letters, digits and
        // hyphens: the Key Vault name rule.
        policyAssignmentName: physicalName("azureKeyVault", "costline", args.tenantId, "export"),
        policyDefinitionId: definition.id,
        displayName: `Costline cost export (${args.tenantId})`,
        description: "Keeps the Costline cost export present in every subscription of this management group.",
        enforcementMode: "Default",
        identity: { type: "SystemAssigned" },
        location: args.location,
        parameters: {
          effect: { value: "DeployIfNotExists" },
          dataset: { value: args.dataset },
          storageAccountId: { value: args.storageAccountId },
          container: { value: args.container },
          identityLocation: { value: args.location },
        },
        nonComplianceMessages: [
          { message: `Subscriptions here must export cost to Costline (export "${exportName}").` },
        ],
      },
      child,
    );
    const principalId = assignment.identity.apply((i) => {
      if (!i?.principalId) throw new Error("the policy assignment has no managed identity principal id");
      return i.principalId;
    });

    const grants = [
      grantRole(
        `${name}-deploys-exports`,
        {
          scope: mgScope,
          roleDefinitionId: deployerRole.id,
          principalId,
          description: "Lets the Costline export policy deploy the export into each subscription",
        },
        child,
      ),
      grantRole(
        `${name}-deploys-grant`,
        {
          scope: args.resourceGroupId,
          roleDefinitionId: grantDeployerRole.id,
          principalId,
          description: "Lets the Costline export policy run its storage-grant deployment",
        },
        child,
      ),
      grantRole(
        `${name}-grants-export-writer`,
        {
          scope: args.containerId,
          roleDefinitionId: builtinRoleId("roleBasedAccessControlAdministrator"),
          principalId,
          description:
            "Lets the Costline export policy give new exports write access to the exports container only",
          condition: EXPORT_GRANT_CONDITION,
        },
        child,
      ),
    ];

    // Remediates subscriptions that already exist; new ones are deployed on their next evaluation.
    new policyinsights.RemediationAtManagementGroup(
      `${name}-remediation`,
      {
        managementGroupId: args.managementGroupId,
        managementGroupsNamespace: "Microsoft.Management",
        remediationName: physicalName("azure", "costline", args.tenantId, "export-remediation"),
        policyAssignmentId: assignment.id,
        resourceDiscoveryMode: "ExistingNonCompliant",
        failureThreshold: { percentage: 0.1 },
      },
      { ...child, dependsOn: grants },
    );

    this.policyDefinitionId = definition.id;
    this.policyAssignmentId = assignment.id;
    this.principalId = principalId;
    this.registerOutputs({
      policyDefinitionId: this.policyDefinitionId,
      policyAssignmentId: this.policyAssignmentId,
      principalId: this.principalId,
    });
  }
}
