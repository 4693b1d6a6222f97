import { type PolicyCase, resource } from "./harness";

const ACCOUNT = "azure-native:storage:StorageAccount";
const secure = {
  location: "westeurope",
  kind: "StorageV2",
  sku: { name: "Standard_ZRS" },
  enableHttpsTrafficOnly: true,
  minimumTlsVersion: "TLS1_2",
  allowBlobPublicAccess: false,
  allowSharedKeyAccess: false,
  isLocalUserEnabled: false,
};
const account = (extra: Record<string, unknown> = {}) =>
  resource(ACCOUNT, "exports", { ...secure, ...extra });
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const assignment = (name: string, roleGuid: string, principalType = "ServicePrincipal") =>
  resource(ROLE_ASSIGNMENT, name, {
    principalId: "11111111-2222-3333-4444-555555555555",
    principalType,
    roleDefinitionId: `/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
    scope: "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
  });
const vault = (properties: Record<string, unknown>) =>
  resource("azure-native:keyvault:Vault", "kv", {
    location: "westeurope",
    properties: {
      tenantId: "7f3c1e2a-4b5d-4c6e-8f90-a1b2c3d4e5f6",
      sku: { family: "A", name: "standard" },
      ...properties,
    },
  });
const webApp = (extra: Record<string, unknown>) =>
  resource("azure-native:web:WebApp", "job", { location: "westeurope", kind: "functionapp", ...extra });
const COST_READER = "72fafb9e-0641-4937-9268-a91bfd8191a3";
const RBAC_ADMIN = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
const BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const USER_ACCESS_ADMIN = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
/** Role Based Access Control Administrator, its new assignments pinned to the roles in `guids`. */
const delegation = (guids: string) => ({
  ...assignment("delegate", RBAC_ADMIN),
  inputs: {
    ...assignment("delegate", RBAC_ADMIN).inputs,
    condition: `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals ${guids}))`,
    conditionVersion: "2.0",
  },
});
const blobService = (deleteRetentionPolicy: unknown, containerDeleteRetentionPolicy: unknown) =>
  resource("azure-native:storage:BlobServiceProperties", "blob-service", {
    accountName: "exports",
    blobServicesName: "default",
    deleteRetentionPolicy,
    containerDeleteRetentionPolicy,
  });
const kvSecret = (properties: unknown) =>
  resource("azure-native:keyvault:Secret", "connection", {
    vaultName: "costline-acme",
    secretName: "tenant-acme-azure",
    properties,
  });
const roleDefinition = (actions: string[]) =>
  resource("azure-native:authorization:RoleDefinition", "custom-role", {
    roleName: "Costline test",
    assignableScopes: ["/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"],
    permissions: [{ actions, dataActions: [], notActions: [], notDataActions: [] }],
  });

export const azureCases: PolicyCase[] = [
  {
    policy: "azure-storage-https-only",
    what: "a storage account allowing HTTP",
    compliant: [account()],
    violating: [account({ enableHttpsTrafficOnly: false })],
    message: /does not set enableHttpsTrafficOnly: true/,
  },
  {
    policy: "azure-minimum-tls",
    what: "a storage account accepting TLS 1.0",
    compliant: [account(), webApp({ siteConfig: { minTlsVersion: "1.2" } })],
    violating: [account({ minimumTlsVersion: "TLS1_0" })],
    message: /minimum TLS version is TLS1_0, below TLS1_2/,
  },
  {
    policy: "azure-minimum-tls",
    what: "a web app below a configured TLS 1.3 minimum",
    config: { "azure-minimum-tls": { minimumTlsVersion: "TLS1_3" } },
    compliant: [webApp({ siteConfig: { minTlsVersion: "1.3" } })],
    violating: [webApp({ siteConfig: { minTlsVersion: "1.2" } })],
    message: /minimum TLS version is 1\.2, below TLS1_3/,
  },
  {
    policy: "azure-storage-no-public-blob-access",
    what: "anonymous blob access left allowed",
    compliant: [
      account(),
      resource("azure-native:storage:BlobContainer", "exports-c", { publicAccess: "None" }),
    ],
    violating: [account({ allowBlobPublicAccess: true })],
    message: /does not set allowBlobPublicAccess: false/,
  },
  {
    policy: "azure-storage-no-public-blob-access",
    what: "a public container",
    compliant: [resource("azure-native:storage:BlobContainer", "exports-c", {})],
    violating: [resource("azure-native:storage:BlobContainer", "exports-c", { publicAccess: "Container" })],
    message: /allows anonymous access \(publicAccess: Container\)/,
  },
  {
    policy: "azure-storage-encryption",
    what: "blob encryption switched off",
    compliant: [
      account({
        encryption: {
          keySource: "Microsoft.Storage",
          requireInfrastructureEncryption: true,
          services: { blob: { enabled: true } },
        },
      }),
    ],
    violating: [
      account({ encryption: { keySource: "Microsoft.Storage", services: { blob: { enabled: false } } } }),
    ],
    message: /encryption is disabled for blob/,
  },
  {
    policy: "azure-storage-encryption",
    what: "a customer-managed key required by config",
    config: { "azure-storage-encryption": { requireCustomerManagedKey: true } },
    compliant: [
      account({
        encryption: {
          keySource: "Microsoft.Keyvault",
          requireInfrastructureEncryption: true,
          keyVaultProperties: { keyName: "k", keyVaultUri: "https://kv.vault.azure.net/" },
        },
      }),
    ],
    violating: [account()],
    message: /not encrypted with a customer-managed key/,
  },
  {
    policy: "azure-storage-no-shared-key",
    what: "account keys left enabled",
    compliant: [account()],
    violating: [account({ allowSharedKeyAccess: true })],
    message: /does not set allowSharedKeyAccess: false/,
  },
  {
    policy: "azure-no-privileged-role-assignments",
    what: "Contributor for a job identity",
    compliant: [
      assignment("job-cost-reader", COST_READER),
      assignment("admin-owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Group"),
    ],
    violating: [assignment("job-contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c")],
    message:
      /assigns the privileged role b24988ac-6180-42a0-ab88-20f7382dd24c to principal 11111111-2222-3333-4444-555555555555/,
  },
  {
    policy: "azure-no-privileged-role-assignments",
    what: "role-assignment delegation without a condition (with one, it is constrained)",
    compliant: [
      {
        ...assignment("delegate", RBAC_ADMIN),
        inputs: {
          ...assignment("delegate", RBAC_ADMIN).inputs,
          condition: `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${BLOB_CONTRIBUTOR}}))`,
          conditionVersion: "2.0",
        },
      },
    ],
    violating: [assignment("delegate", RBAC_ADMIN)],
    message: /assigns the privileged role f58310d9-a9f6-439a-9e8d-f62e7b41a168/,
  },
  {
    policy: "azure-keyvault-purge-protection",
    what: "a vault without purge protection",
    compliant: [vault({ enablePurgeProtection: true, enableRbacAuthorization: true })],
    violating: [vault({ enableSoftDelete: false, enableRbacAuthorization: true })],
    message: /does not set enablePurgeProtection: true/,
  },
  {
    policy: "azure-keyvault-rbac",
    what: "a vault with access policies",
    compliant: [vault({ enablePurgeProtection: true, enableRbacAuthorization: true })],
    violating: [
      vault({
        enablePurgeProtection: true,
        accessPolicies: [{ objectId: "o", tenantId: "t", permissions: { secrets: ["get"] } }],
      }),
    ],
    message: /grants access through access policies/,
  },
  {
    policy: "azure-webapp-https-only",
    what: "a function app reachable over HTTP",
    compliant: [webApp({ httpsOnly: true, siteConfig: { ftpsState: "Disabled", http20Enabled: true } })],
    violating: [webApp({ siteConfig: { ftpsState: "AllAllowed" } })],
    message: /does not set httpsOnly: true/,
  },
  {
    policy: "azure-webapp-https-only",
    what: "plain FTP allowed",
    compliant: [webApp({ httpsOnly: true, siteConfig: { ftpsState: "FtpsOnly", http20Enabled: true } })],
    violating: [webApp({ httpsOnly: true, siteConfig: { ftpsState: "AllAllowed", http20Enabled: true } })],
    message: /allows plain FTP/,
  },
  {
    policy: "azure-webapp-https-only",
    what: "HTTP/1.1 only",
    compliant: [webApp({ httpsOnly: true, siteConfig: { http20Enabled: true } })],
    violating: [webApp({ httpsOnly: true, siteConfig: { http20Enabled: false } })],
    message: /does not set siteConfig\.http20Enabled: true/,
  },
  {
    policy: "azure-app-no-plaintext-secrets",
    what: "a storage connection string in app settings",
    compliant: [
      webApp({
        siteConfig: {
          appSettings: [
            {
              name: "STORAGE_CONNECTION_STRING",
              value: "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/s)",
            },
            { name: "FUNCTIONS_WORKER_RUNTIME", value: "node" },
            { name: "AzureWebJobsStorage__credential", value: "managedidentity" },
            {
              name: "APPLICATIONINSIGHTS_CONNECTION_STRING",
              value:
                "InstrumentationKey=be0ccb2f-e6e8-3858-424b-3954c32b5de9;IngestionEndpoint=https://westeurope.in.applicationinsights.azure.com/",
            },
          ],
        },
      }),
    ],
    violating: [
      webApp({
        siteConfig: {
          appSettings: [
            {
              name: "STORAGE",
              value:
                "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abcdefghijklmnopqrstuvwxyz0123456789==",
            },
          ],
        },
      }),
    ],
    message: /STORAGE \(its value looks like an Azure storage account key\)/,
  },
  {
    policy: "azure-app-no-plaintext-secrets",
    what: "a client secret in a container app job's env",
    compliant: [
      resource("azure-native:app:Job", "job", {
        location: "westeurope",
        template: {
          containers: [
            { name: "job", image: "i", env: [{ name: "CLIENT_SECRET", secretRef: "client-secret" }] },
          ],
        },
      }),
    ],
    violating: [
      resource("azure-native:app:Job", "job", {
        location: "westeurope",
        template: {
          containers: [{ name: "job", image: "i", env: [{ name: "CLIENT_SECRET", value: "abc~123" }] }],
        },
      }),
    ],
    message: /CLIENT_SECRET \(its name says secret and its value is a literal\)/,
  },
  {
    policy: "azure-log-retention",
    what: "a workspace without retention",
    compliant: [
      resource("azure-native:operationalinsights:Workspace", "logs", {
        location: "westeurope",
        retentionInDays: 90,
      }),
    ],
    violating: [resource("azure-native:operationalinsights:Workspace", "logs", { location: "westeurope" })],
    message: /does not set retentionInDays/,
  },
  {
    policy: "azure-keyvault-purge-protection",
    what: "a vault declared without properties is judged, not a crash",
    compliant: [
      resource("azure-native:keyvault:Vault", "bare", {
        properties: { enablePurgeProtection: true, enableRbacAuthorization: true },
      }),
    ],
    violating: [resource("azure-native:keyvault:Vault", "bare", { vaultName: "bare" })],
    message: /does not set enablePurgeProtection/,
  },
  {
    policy: "azure-storage-encryption",
    what: "an account without infrastructure encryption",
    compliant: [
      account({ encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true } }),
    ],
    violating: [account({ encryption: { keySource: "Microsoft.Storage" } })],
    message: /does not set encryption\.requireInfrastructureEncryption: true/,
  },
  {
    policy: "azure-storage-no-shared-key",
    what: "SFTP/SMB local users left enabled",
    compliant: [account()],
    violating: [account({ isLocalUserEnabled: true })],
    message: /does not set isLocalUserEnabled: false/,
  },
  {
    policy: "azure-no-privileged-role-assignments",
    what: "a delegation whose condition lets it assign Owner",
    compliant: [delegation(`{${BLOB_CONTRIBUTOR}}`)],
    violating: [delegation(`{${BLOB_CONTRIBUTOR}, ${OWNER}}`)],
    message:
      /delegation condition that lets it assign the privileged role 8e3af657-a8ff-443c-a75c-2fe8c4bcb635/,
  },
  {
    policy: "azure-no-privileged-role-assignments",
    what: "a condition that pins only which assignments may be deleted",
    compliant: [delegation(`{${BLOB_CONTRIBUTOR}}`)],
    violating: [
      {
        ...assignment("delegate", USER_ACCESS_ADMIN),
        inputs: {
          ...assignment("delegate", USER_ACCESS_ADMIN).inputs,
          condition: `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${BLOB_CONTRIBUTOR}}))`,
          conditionVersion: "2.0",
        },
      },
    ],
    message: /assigns the privileged role 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9/,
  },
  {
    policy: "azure-storage-network-deny",
    what: "an account open to every network",
    compliant: [
      account({
        publicNetworkAccess: "Disabled",
        networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
      }),
    ],
    violating: [account({ networkRuleSet: { defaultAction: "Allow", bypass: "AzureServices" } })],
    message: /network rules allow every network \(defaultAction Allow\)/,
  },
  {
    policy: "azure-storage-network-deny",
    what: "deny without the trusted-services bypass, and public access left on",
    compliant: [account({ publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Deny" } })],
    violating: [account({ networkRuleSet: { defaultAction: "Deny", bypass: "None" } })],
    message: /do not let trusted Azure services/,
  },
  {
    policy: "azure-storage-soft-delete",
    what: "an account without blob service settings",
    compliant: [account(), blobService({ enabled: true, days: 7 }, { enabled: true, days: 7 })],
    violating: [account()],
    message: /storage account "exports" has no blob service settings/,
  },
  {
    policy: "azure-storage-soft-delete",
    what: "container soft delete off, and blob retention shorter than configured",
    config: { "azure-storage-soft-delete": { minimumDays: 14 } },
    on: "blob-service",
    compliant: [account(), blobService({ enabled: true, days: 14 }, { enabled: true, days: 30 })],
    violating: [account(), blobService({ enabled: true, days: 7 }, { enabled: false })],
    message: /keeps deleted items 7 days \(deleteRetentionPolicy\); keep them at least 14/,
  },
  {
    policy: "azure-storage-soft-delete",
    what: "container soft delete switched off",
    on: "blob-service",
    compliant: [account(), blobService({ enabled: true }, { enabled: true })],
    violating: [account(), blobService({ enabled: true }, { enabled: false })],
    message: /does not turn on containerDeleteRetentionPolicy/,
  },
  {
    policy: "azure-storage-no-cross-tenant-replication",
    what: "cross-tenant replication left at its default",
    compliant: [account({ allowCrossTenantReplication: false })],
    violating: [account()],
    message: /does not set allowCrossTenantReplication: false/,
  },
  {
    policy: "azure-keyvault-network-deny",
    what: "a vault reachable from public networks",
    compliant: [
      vault({
        enablePurgeProtection: true,
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
      }),
    ],
    violating: [vault({ enablePurgeProtection: true, networkAcls: { defaultAction: "Allow" } })],
    message: /do not set defaultAction: "Deny"/,
  },
  {
    policy: "azure-keyvault-network-deny",
    what: "a vault denying by default but with public network access on",
    compliant: [vault({ publicNetworkAccess: "Disabled", networkAcls: { defaultAction: "Deny" } })],
    violating: [vault({ publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny" } })],
    message: /does not set publicNetworkAccess: "Disabled"/,
  },
  {
    policy: "azure-keyvault-secret-attributes",
    what: "a secret without expiry or content type",
    compliant: [
      kvSecret({ value: "v", contentType: "application/json", attributes: { expires: 1798761600 } }),
      // Properties the plan hides (the value makes them a secret) are not judged.
      kvSecret("[secret]"),
    ],
    violating: [kvSecret({ value: "v" })],
    message: /secret "tenant-acme-azure" has no expiry date \(attributes\.expires\)/,
  },
  {
    policy: "azure-keyvault-secret-attributes",
    what: "a secret with an expiry but no content type",
    compliant: [kvSecret({ value: "v", contentType: "text/plain", attributes: { expires: 1798761600 } })],
    violating: [kvSecret({ value: "v", attributes: { expires: 1798761600 } })],
    message: /secret "tenant-acme-azure" has no contentType/,
  },
  {
    policy: "azure-no-wildcard-role-definitions",
    what: "a custom role granting every action",
    compliant: [
      roleDefinition([
        "Microsoft.CostManagement/exports/read",
        "Microsoft.CostManagement/exports/run/action",
      ]),
    ],
    violating: [roleDefinition(["*"])],
    message: /role "Costline test" grants the wildcard action \*/,
  },
  {
    policy: "azure-no-wildcard-role-definitions",
    what: "a whole provider's actions, and role-assignment writes",
    compliant: [roleDefinition(["Microsoft.Resources/deployments/write"])],
    violating: [roleDefinition(["Microsoft.Storage/*", "Microsoft.Authorization/roleAssignments/write"])],
    message: /grants Microsoft\.Authorization\/roleAssignments\/write, which can make its holder Owner/,
  },
  {
    policy: "azure-no-wildcard-role-definitions",
    what: "role definition writes (custom role creation)",
    compliant: [roleDefinition(["Microsoft.Authorization/roleDefinitions/read"])],
    violating: [roleDefinition(["Microsoft.Authorization/roleDefinitions/write"])],
    message: /grants Microsoft\.Authorization\/roleDefinitions\/write/,
  },
  {
    policy: "azure-webapp-no-public-network",
    what: "a function app on public networks",
    compliant: [
      webApp({
        publicNetworkAccess: "Disabled",
        siteConfig: { cors: { allowedOrigins: ["https://portal.azure.com"] } },
      }),
    ],
    violating: [webApp({ siteConfig: { minTlsVersion: "1.2" } })],
    message: /does not set publicNetworkAccess: "Disabled"/,
  },
  {
    policy: "azure-webapp-no-public-network",
    what: "wildcard CORS and remote debugging on an otherwise private app",
    compliant: [webApp({ publicNetworkAccess: "Disabled" })],
    violating: [
      webApp({
        publicNetworkAccess: "Disabled",
        siteConfig: { cors: { allowedOrigins: ["*"] }, remoteDebuggingEnabled: true },
      }),
    ],
    message: /allows every CORS origin/,
  },
  {
    policy: "azure-webapp-no-public-network",
    what: "remote debugging on",
    compliant: [webApp({ publicNetworkAccess: "Disabled", siteConfig: { remoteDebuggingEnabled: false } })],
    violating: [webApp({ publicNetworkAccess: "Disabled", siteConfig: { remoteDebuggingEnabled: true } })],
    message: /has remote debugging on/,
  },
  {
    policy: "azure-webapp-managed-identity",
    what: "a function app without a managed identity",
    compliant: [
      webApp({ identity: { type: "UserAssigned", userAssignedIdentities: ["/subscriptions/s/id"] } }),
    ],
    violating: [webApp({ identity: { type: "None" } })],
    message: /the app has no managed identity/,
  },
  {
    policy: "azure-storage-network-deny",
    what: "an account denying by default but open to public networks",
    compliant: [account({ publicNetworkAccess: "Disabled", networkRuleSet: { defaultAction: "Deny" } })],
    violating: [account({ publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Deny" } })],
    message: /does not set publicNetworkAccess: "Disabled"/,
  },
  {
    policy: "azure-keyvault-purge-protection",
    what: "a vault with soft delete turned off",
    compliant: [vault({ enablePurgeProtection: true, enableSoftDelete: true })],
    violating: [vault({ enablePurgeProtection: true, enableSoftDelete: false })],
    message: /turns soft delete off/,
  },
  ...auditLoggingCases(),
];

/** The tenant's vault and cost account, their diagnostic settings and the workspace; each case changes one thing. */
function auditLoggingCases(): PolicyCase[] {
  const RG = "/subscriptions/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d/resourceGroups/costline-acme";
  const vault = resource("azure-native:keyvault:Vault", "vault", { vaultName: "costline-acme-kv" });
  const data = account({ accountName: "costlineacmedata" });
  const workspace = (retentionInDays: number) =>
    resource("azure-native:operationalinsights:Workspace", "logs", {
      workspaceName: "costline-acme-logs",
      retentionInDays,
    });
  const workspaceId = `${RG}/providers/Microsoft.OperationalInsights/workspaces/costline-acme-logs`;
  const setting = (
    name: string,
    resourceUri: string,
    logs: Record<string, unknown>[],
    dependsOn = [] as ReturnType<typeof resource>[],
  ) =>
    resource(
      "azure-native:monitor:DiagnosticSetting",
      name,
      { name: "costline-acme-audit", resourceUri, workspaceId, logs },
      { dependsOn },
    );
  const blobLogs = ["StorageRead", "StorageWrite", "StorageDelete"].map((category) => ({
    category,
    enabled: true,
  }));
  // Ids are ARM's, in the upper case ARM may answer with; ARM compares them case-insensitively.
  const vaultAudit = setting("vault-audit", `${RG}/providers/Microsoft.KeyVault/vaults/COSTLINE-ACME-KV`, [
    { category: "AuditEvent", enabled: true },
  ]);
  const blobAudit = setting(
    "blob-audit",
    `${RG}/providers/Microsoft.Storage/storageAccounts/costlineacmedata/blobServices/default`,
    blobLogs,
  );
  const config = { "azure-audit-logging": { minimumRetentionDays: 400 } };
  return [
    {
      policy: "azure-audit-logging",
      what: "a Key Vault without a diagnostic setting",
      config,
      compliant: [vault, vaultAudit, workspace(400)],
      violating: [vault, workspace(400)],
      message: /Key Vault "costline-acme-kv" sends no AuditEvent logs/,
    },
    {
      policy: "azure-audit-logging",
      what: "a vault's setting by the audit category group, disabled",
      config,
      compliant: [
        vault,
        setting("vault-audit", `${RG}/providers/Microsoft.KeyVault/vaults/costline-acme-kv`, [
          { categoryGroup: "audit", enabled: true },
        ]),
        workspace(400),
      ],
      violating: [
        vault,
        setting("vault-audit", `${RG}/providers/Microsoft.KeyVault/vaults/costline-acme-kv`, [
          { categoryGroup: "audit", enabled: false },
        ]),
        workspace(400),
      ],
      message: /sends no AuditEvent logs/,
      on: "vault",
    },
    {
      policy: "azure-audit-logging",
      what: "a setting on the account itself, which carries only metrics, not on its blob service",
      config,
      compliant: [
        data,
        setting("blob-audit", "exports-id/blobServices/default", blobLogs, [data]),
        workspace(400),
      ],
      violating: [
        data,
        setting(
          "account-audit",
          `${RG}/providers/Microsoft.Storage/storageAccounts/costlineacmedata`,
          blobLogs,
        ),
        workspace(400),
      ],
      message:
        /storage account "costlineacmedata"'s blob service sends no StorageRead, StorageWrite, StorageDelete logs/,
      on: "exports",
    },
    {
      policy: "azure-audit-logging",
      what: "blob logs without reads (the audit group leaves StorageRead out)",
      config,
      compliant: [data, blobAudit, workspace(400)],
      violating: [
        data,
        setting(
          "blob-audit",
          `${RG}/providers/Microsoft.Storage/storageAccounts/costlineacmedata/blobServices/default`,
          [{ categoryGroup: "audit", enabled: true }],
        ),
        workspace(400),
      ],
      message: /sends no StorageRead, StorageWrite, StorageDelete logs/,
      on: "exports",
    },
    {
      policy: "azure-audit-logging",
      what: "audit logs sent to a workspace that keeps them too briefly",
      config,
      compliant: [vault, data, vaultAudit, blobAudit, workspace(400)],
      violating: [vault, data, vaultAudit, blobAudit, workspace(90)],
      message: /go to workspace "costline-acme-logs", which keeps them 90 days; keep them at least 400/,
      on: "vault-audit",
    },
  ];
}
