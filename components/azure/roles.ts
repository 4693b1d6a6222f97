import * as authorization from "@pulumi/azure-native/authorization";
import type { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../core/naming";

/**
 * The built-in Azure roles Costline assigns, by their well-known definition GUIDs (the same in
 * every Azure tenant). One table, so that a test can say which roles exist at all.
 */
export const BUILTIN_ROLES = {
  /** Read and list blobs. */
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  /** Read, write and delete blobs. */
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** Full blob access including leases and ACLs; what the Functions host needs on its own storage. */
  storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
  /** Read cost data and exports. */
  costManagementReader: "72fafb9e-0641-4937-9268-a91bfd8191a3",
  /** Read secret contents. */
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  /** Send telemetry to Application Insights with Entra ID authentication. */
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  /** Create and delete role assignments only; always given here with an ABAC condition. */
  roleBasedAccessControlAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
} as const;

export type BuiltinRole = keyof typeof BUILTIN_ROLES;

/** Roles no Costline identity may hold; tests assert their absence. */
export const FORBIDDEN_ROLES = {
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
} as const;

/** The tenant-level id of a built-in role, valid at every scope (management group, subscription, resource). */
export function builtinRoleId(role: BuiltinRole): string {
  return `/providers/Microsoft.Authorization/roleDefinitions/${BUILTIN_ROLES[role]}`;
}

/**
 * A GUID derived from its parts (case-insensitive, as ARM ids are). Role assignment and role
 * definition names must be GUIDs; deriving them from scope, role and principal keeps them stable
 * across runs, so a re-run updates instead of colliding with "RoleAssignmentExists".
 */
export function stableGuid(...parts: string[]): string {
  const h = shortHash(parts.map((p) => p.toLowerCase()).join("|"), 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** One grant: who gets which role where. */
export interface Grant {
  /** Full ARM id of the scope (container, secret, subscription, management group...). */
  scope: pulumi.Input<string>;
  /** Full role definition id; `builtinRoleId(...)` for built-ins. */
  roleDefinitionId: pulumi.Input<string>;
  /** Object id of the principal. */
  principalId: pulumi.Input<string>;
  /** Why the principal needs it; shown in the portal. */
  description: string;
  /** ABAC condition (version 2.0) that narrows the grant. */
  condition?: string;
}

/**
 * Assigns a role to a managed identity (principalType ServicePrincipal, which also avoids the
 * replication race where a brand-new identity is not yet visible to Entra ID lookups).
 */
export function grantRole(
  name: string,
  grant: Grant,
  opts: { parent: pulumi.Resource; provider: Provider; dependsOn?: pulumi.Input<pulumi.Resource>[] },
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    name,
    {
      scope: grant.scope,
      roleDefinitionId: grant.roleDefinitionId,
      principalId: grant.principalId,
      principalType: "ServicePrincipal",
      description: grant.description,
      roleAssignmentName: pulumi
        .all([grant.scope, grant.roleDefinitionId, grant.principalId])
        .apply(([s, r, p]) => stableGuid(s, r, p)),
      ...(grant.condition ? { condition: grant.condition, conditionVersion: "2.0" } : {}),
    },
    opts,
  );
}

export interface CustomRoleSpec {
  scope: pulumi.Output<string>;
  roleName: string;
  description: string;
  actions: string[];
  child: { parent: pulumi.Resource; provider: Provider };
}

/** A custom role assignable only at its own scope; its GUID is derived from scope and name so re-runs match. */
export function customRole(name: string, spec: CustomRoleSpec): authorization.RoleDefinition {
  return new authorization.RoleDefinition(
    name,
    {
      scope: spec.scope,
      roleDefinitionId: spec.scope.apply((s) => stableGuid(s, spec.roleName)),
      roleName: spec.roleName,
      description: spec.description,
      roleType: "CustomRole",
      permissions: [{ actions: spec.actions, notActions: [], dataActions: [], notDataActions: [] }],
      assignableScopes: [spec.scope],
    },
    spec.child,
  );
}
