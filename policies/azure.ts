import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as containerinstance from "@pulumi/azure-native/containerinstance";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";
import { type PolicyResource, validateResourceOfType } from "@pulumi/policy";
import { AUDIT_CATEGORY_GROUPS, AUDIT_LOG_CATEGORIES } from "./lib/azure-audit";
import { AUDIT_RETENTION_SCHEMA, minimumRetentionDays } from "./lib/audit";
import { describePlaintextSecrets, plaintextSecrets } from "./lib/secret-values";
import { eachKnown, targetsOf } from "./lib/stack";
import {
  type CostlinePolicy,
  type CostlineResourcePolicy,
  list,
  record,
  resourcesOf,
  settingsOf,
  typeToken,
  stringList,
} from "./policy";

const TLS_ORDER = ["TLS1_0", "TLS1_1", "TLS1_2", "TLS1_3"];
const tlsRank = (v: unknown) =>
  TLS_ORDER.indexOf(String(v).toUpperCase().replace(/^(\d)/, "TLS$1").replace(".", "_"));

const STORAGE_TLS_SCHEMA = {
  properties: {
    minimumTlsVersion: {
      type: "string" as const,
      enum: ["TLS1_2", "TLS1_3"],
      default: "TLS1_2",
      description: "Lowest TLS version storage accounts and web apps may accept.",
    },
  },
};

const STORAGE_CMK_SCHEMA = {
  properties: {
    requireCustomerManagedKey: {
      type: "boolean" as const,
      default: false,
      description:
        "Require encryption with a customer-managed key in Key Vault (keySource Microsoft.Keyvault).",
    },
  },
};

// Built-in role definition GUIDs: Owner, Contributor, User Access Administrator, Role Based Access Control Administrator.
const PRIVILEGED_ROLES_SCHEMA = {
  properties: {
    forbiddenRoleDefinitionIds: stringList(
      [
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
      ],
      "Role definition GUIDs that no service principal (job identity) may be assigned.",
    ),
  },
};

// User Access Administrator and Role Based Access Control Administrator.
const ACCESS_ADMIN_ROLES = ["18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"];

/**
 * The role definition GUIDs a role-assignment condition lets new assignments carry
 * (`@Request[…RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {…}`), lower case; none when the
 * condition does not pin them (no condition, only deletions pinned, or a form that names no list).
 */
function delegableRoles(condition: unknown): string[] {
  if (typeof condition !== "string") return [];
  const pins = condition.matchAll(
    /@Request\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\]\s+ForAnyOfAnyValues:GuidEquals\s*\{([^}]*)\}/gi,
  );
  return [...pins].flatMap((m) =>
    m[1]
      .split(",")
      .map((g) => g.trim().toLowerCase())
      .filter(Boolean),
  );
}

// Actions that let a role grant roles or write role definitions: whoever holds it can make itself Owner.
const ESCALATING_ACTIONS =
  /^(\*|microsoft\.authorization\/(\*|\*\/write|roleassignments\/(\*|write)|roledefinitions\/(\*|write)|elevateaccess\/action))$/i;

const SOFT_DELETE_SCHEMA = {
  properties: {
    minimumDays: {
      type: "integer" as const,
      minimum: 1,
      default: 7,
      description: "Fewest days deleted blobs and containers stay recoverable.",
    },
  },
};

const WORKSPACE_RETENTION_SCHEMA = {
  properties: {
    minimumDays: {
      type: "integer" as const,
      minimum: 30,
      default: 30,
      description: "Shortest retention allowed.",
    },
    maximumDays: {
      type: "integer" as const,
      minimum: 30,
      default: 730,
      description: "Longest retention allowed.",
    },
  },
};

/** App settings of every shape Azure takes them in, as name/value pairs (secret references excluded). */
function appSettings(type: string, props: Record<string, unknown>): [string, unknown][] | undefined {
  const nameValues = (items: unknown, valueKey = "value") =>
    list(items).map((e) => [String(record(e).name), record(e)[valueKey]] as [string, unknown]);
  if (type === typeToken(web.WebApp)) return nameValues(record(props.siteConfig).appSettings);
  if (type === typeToken(web.WebAppApplicationSettings)) return Object.entries(record(props.properties));
  if (type === typeToken(app.ContainerApp) || type === typeToken(app.Job)) {
    // `secretRef` entries point into the app's secrets (which may themselves be Key Vault references).
    return list(record(props.template).containers).flatMap((c) => nameValues(record(c).env));
  }
  if (type === typeToken(containerinstance.ContainerGroup)) {
    // `secureValue` is the safe form; only `value` is plain.
    return list(props.containers).flatMap((c) => nameValues(record(c).environmentVariables));
  }
  return undefined;
}

const BLOB_SERVICE = "/blobServices/default";

/**
 * The resources among `candidates` that a diagnostic setting or its workspace reference names: by
 * the ARM id's last segments (`/vaults/NAME`, case-insensitive, as ARM compares), else by the
 * setting's dependency on exactly one of them (an id not known before deployment).
 */
function armTargets(
  setting: PolicyResource,
  prop: string,
  candidates: PolicyResource[],
  path: (c: PolicyResource) => string | undefined,
  suffix = "",
): PolicyResource[] {
  const value = setting.props[prop];
  const id = typeof value === "string" ? value.toLowerCase() : undefined;
  if (id !== undefined && !id.endsWith(suffix.toLowerCase())) return [];
  const byId = candidates.filter((c) => {
    const p = path(c);
    return id !== undefined && p !== undefined && id.endsWith(`${p}${suffix}`.toLowerCase());
  });
  return byId.length > 0 ? byId : targetsOf(setting, prop, candidates, () => []);
}

const named = (segment: string, key: string) => (r: PolicyResource) =>
  typeof r.props[key] === "string" ? `/${segment}/${r.props[key]}` : undefined;

/**
 * What must send which logs, as the stack sends them (components/azure/layout.ts, which `costline
 * verify` reads back too): a vault its AuditEvent, an account's blob service its reads, writes and
 * deletes, each in its own categories or a group that carries them all.
 */
const AUDITED_KINDS = [
  {
    cls: keyvault.Vault,
    path: named("vaults", "vaultName"),
    suffix: "",
    logs: "vault" as const,
    label: (r: PolicyResource) => `Key Vault "${r.props.vaultName ?? r.name}"`,
  },
  {
    cls: storage.StorageAccount,
    path: named("storageAccounts", "accountName"),
    suffix: BLOB_SERVICE,
    logs: "blob" as const,
    label: (r: PolicyResource) => `storage account "${r.props.accountName ?? r.name}"'s blob service`,
  },
];

/** The audit categories of `kind` a diagnostic setting sends: each its own, or all by a group that carries them. */
function loggedCategories(setting: PolicyResource, kind: keyof typeof AUDIT_LOG_CATEGORIES): Set<string> {
  const logged = new Set<string>();
  for (const raw of list(setting.props.logs)) {
    const log = record(raw);
    if (log.enabled !== true) continue;
    if (typeof log.category === "string") logged.add(log.category);
    if (AUDIT_CATEGORY_GROUPS[kind].includes(String(log.categoryGroup)))
      for (const c of AUDIT_LOG_CATEGORIES[kind]) logged.add(c);
  }
  return logged;
}

/** A policy that storage accounts set one input to one value. */
function storageSetting(
  policy: Pick<CostlineResourcePolicy, "name" | "description" | "enforcementLevel" | "severity">,
  key: "enableHttpsTrafficOnly" | "allowCrossTenantReplication",
  value: boolean,
): CostlineResourcePolicy {
  return {
    ...policy,
    remediationSteps: `Set ${key}: ${value}.`,
    validateResource: validateResourceOfType(storage.StorageAccount, (account, _args, report) => {
      if (account[key] !== value) report(`the storage account does not set ${key}: ${value}`);
    }),
  };
}

export const azurePolicies: CostlinePolicy[] = [
  storageSetting(
    {
      name: "azure-storage-https-only",
      description: "Storage accounts accept HTTPS traffic only.",
      enforcementLevel: "mandatory",
      severity: "high",
    },
    "enableHttpsTrafficOnly",
    true,
  ),
  {
    name: "azure-minimum-tls",
    description: "Storage accounts and web apps refuse TLS versions below the configured minimum.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Set minimumTlsVersion: "TLS1_2" on storage accounts and siteConfig.minTlsVersion: "1.2" on web apps.',
    configSchema: STORAGE_TLS_SCHEMA,
    validateResource: (args, report) => {
      const { minimumTlsVersion } = settingsOf<{ minimumTlsVersion: string }>(args, STORAGE_TLS_SCHEMA);
      const actual =
        args.type === typeToken(storage.StorageAccount)
          ? args.props.minimumTlsVersion
          : args.type === typeToken(web.WebApp)
            ? record(args.props.siteConfig).minTlsVersion
            : args.notApplicable("not a storage account or web app");
      if (actual === undefined)
        report(`no minimum TLS version is set; set it to ${minimumTlsVersion} or later`);
      else if (tlsRank(actual) < tlsRank(minimumTlsVersion)) {
        report(`the minimum TLS version is ${actual}, below ${minimumTlsVersion}`);
      }
    },
  },
  {
    name: "azure-storage-no-public-blob-access",
    description: "Storage accounts forbid anonymous blob access and no container is public.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      'Set allowBlobPublicAccess: false on the account and publicAccess: "None" on containers.',
    validateResource: (args, report) => {
      if (args.type === typeToken(storage.StorageAccount)) {
        if (args.props.allowBlobPublicAccess !== false)
          report("the storage account does not set allowBlobPublicAccess: false");
      } else if (args.type === typeToken(storage.BlobContainer)) {
        const access = args.props.publicAccess;
        if (access !== undefined && access !== "None")
          report(`the container allows anonymous access (publicAccess: ${access})`);
      } else {
        args.notApplicable("not a storage account or blob container");
      }
    },
  },
  {
    name: "azure-storage-encryption",
    description:
      "Storage account encryption is not switched off, adds infrastructure (double) encryption, and uses a customer-managed key when required.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Leave blob and file encryption enabled, set encryption.requireInfrastructureEncryption: true (a new account: it cannot be turned on later); when required, set encryption.keySource "Microsoft.Keyvault" with keyVaultProperties.',
    configSchema: STORAGE_CMK_SCHEMA,
    validateResource: validateResourceOfType(storage.StorageAccount, (account, args, report) => {
      const { requireCustomerManagedKey } = settingsOf<{ requireCustomerManagedKey: boolean }>(
        args,
        STORAGE_CMK_SCHEMA,
      );
      const services = record(account.encryption?.services);
      const disabled = ["blob", "file", "queue", "table"].filter(
        (s) => record(services[s]).enabled === false,
      );
      if (disabled.length > 0) report(`encryption is disabled for ${disabled.join(", ")}`);
      if (account.encryption?.requireInfrastructureEncryption !== true)
        report(
          "the account does not set encryption.requireInfrastructureEncryption: true (a second layer, chosen at creation)",
        );
      if (requireCustomerManagedKey && account.encryption?.keySource !== "Microsoft.Keyvault") {
        report(
          'the account is not encrypted with a customer-managed key (encryption.keySource "Microsoft.Keyvault")',
        );
      }
    }),
  },
  {
    name: "azure-storage-no-shared-key",
    description: "Storage accounts authorize with Entra ID only, not with account keys or local users.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Set allowSharedKeyAccess: false and isLocalUserEnabled: false, and grant identities data-plane roles (e.g. Storage Blob Data Reader).",
    validateResource: validateResourceOfType(storage.StorageAccount, (account, _args, report) => {
      if (account.allowSharedKeyAccess !== false)
        report("the storage account does not set allowSharedKeyAccess: false");
      if (account.isLocalUserEnabled !== false)
        report("the storage account does not set isLocalUserEnabled: false (SFTP and SMB local users)");
    }),
  },
  {
    name: "azure-no-privileged-role-assignments",
    description:
      "No service principal (a job's managed identity) is assigned Owner, Contributor or an access-administration role.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Assign a narrow role (Cost Management Reader, Storage Blob Data Contributor on one container).",
    configSchema: PRIVILEGED_ROLES_SCHEMA,
    validateResource: validateResourceOfType(authorization.RoleAssignment, (assignment, args, report) => {
      if (assignment.principalType !== undefined && assignment.principalType !== "ServicePrincipal") {
        args.notApplicable(`assigned to a ${assignment.principalType}, not a workload identity`);
      }
      const { forbiddenRoleDefinitionIds } = settingsOf<{ forbiddenRoleDefinitionIds: string[] }>(
        args,
        PRIVILEGED_ROLES_SCHEMA,
      );
      const guid = String(assignment.roleDefinitionId).split("/").pop()?.toLowerCase() ?? "";
      const forbidden = forbiddenRoleDefinitionIds.map((g) => g.toLowerCase());
      if (!forbidden.includes(guid)) return;
      // An access-administration role under a condition that pins which roles a new assignment may
      // carry is Azure's constrained delegation, narrower than the role alone: unless a pinned role
      // is itself privileged (Owner, User Access Administrator …), or the pin is on deletions only.
      const pinned = ACCESS_ADMIN_ROLES.includes(guid) ? delegableRoles(assignment.condition) : [];
      const privileged = pinned.filter((g) => forbidden.includes(g));
      if (pinned.length === 0)
        report(`assigns the privileged role ${guid} to principal ${assignment.principalId}`);
      else if (privileged.length > 0)
        report(
          `assigns ${guid} to principal ${assignment.principalId} with a delegation condition that lets it assign the privileged role ${privileged.join(", ")}`,
        );
    }),
  },
  {
    name: "azure-keyvault-purge-protection",
    description: "Key Vaults keep soft delete and purge protection on.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set properties.enablePurgeProtection: true and leave enableSoftDelete on.",
    validateResource: validateResourceOfType(keyvault.Vault, (vault, _args, report) => {
      // `properties` is required by the SDK's types, but a saved or foreign stack may lack it.
      const properties = record(vault.properties);
      if (properties.enablePurgeProtection !== true)
        report("the vault does not set enablePurgeProtection: true");
      if (properties.enableSoftDelete === false) report("the vault turns soft delete off");
    }),
  },
  {
    name: "azure-keyvault-rbac",
    description: "Key Vaults authorize with Azure RBAC, not with vault access policies.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      "Set properties.enableRbacAuthorization: true, drop accessPolicies, and assign Key Vault Secrets User per secret.",
    validateResource: validateResourceOfType(keyvault.Vault, (vault, _args, report) => {
      const properties = record(vault.properties);
      if (properties.enableRbacAuthorization !== true)
        report("the vault does not set enableRbacAuthorization: true");
      if (list(properties.accessPolicies).length > 0)
        report("the vault grants access through access policies");
    }),
  },
  {
    name: "azure-webapp-https-only",
    description: "Web and function apps accept HTTPS only (over HTTP/2) and do not allow plain FTP.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Set httpsOnly: true, siteConfig.http20Enabled: true and siteConfig.ftpsState: "Disabled".',
    validateResource: validateResourceOfType(web.WebApp, (site, _args, report) => {
      if (site.httpsOnly !== true) report("the app does not set httpsOnly: true");
      if (site.siteConfig?.ftpsState === "AllAllowed")
        report("the app allows plain FTP (ftpsState: AllAllowed)");
      if (site.siteConfig?.http20Enabled !== true)
        report("the app does not set siteConfig.http20Enabled: true");
    }),
  },
  {
    name: "azure-app-no-plaintext-secrets",
    description: "App settings and container environments hold Key Vault references, never secrets.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Store the value in Key Vault and use @Microsoft.KeyVault(SecretUri=…) (container apps: secretRef; container instances: secureValue).",
    validateResource: (args, report) => {
      const entries = appSettings(args.type, args.props) ?? args.notApplicable("no app settings");
      const found = plaintextSecrets(entries);
      if (found.length > 0)
        report(describePlaintextSecrets("the app settings", found, "Use Key Vault references instead."));
    },
  },
  {
    name: "azure-log-retention",
    description: "Log Analytics workspaces keep logs for a bounded, sufficient time.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set retentionInDays within the configured range.",
    configSchema: WORKSPACE_RETENTION_SCHEMA,
    validateResource: validateResourceOfType(operationalinsights.Workspace, (ws, args, report) => {
      const { minimumDays, maximumDays } = settingsOf<{ minimumDays: number; maximumDays: number }>(
        args,
        WORKSPACE_RETENTION_SCHEMA,
      );
      const days = ws.retentionInDays;
      if (days === undefined) report("the workspace does not set retentionInDays");
      else if (days < minimumDays || days > maximumDays) {
        report(`the workspace keeps logs ${days} days, outside ${minimumDays}-${maximumDays}`);
      }
    }),
  },
  {
    name: "azure-audit-logging",
    description:
      "Every Key Vault sends its AuditEvent logs, and every storage account's blob service its read, write and delete logs, to a Log Analytics workspace that keeps them at least the configured days.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      "Add an azure-native monitor.DiagnosticSetting on the vault (category AuditEvent, or the audit or allLogs group) and on each account's blobServices/default (StorageRead, StorageWrite, StorageDelete, or allLogs) with workspaceId, and set the workspace's retentionInDays to at least minimumRetentionDays.",
    configSchema: AUDIT_RETENTION_SCHEMA,
    validateStack: (args, report) => {
      const minimum = minimumRetentionDays(args);
      const ofType = (cls: Parameters<typeof typeToken>[0]) => resourcesOf(args.resources, cls);
      if (!AUDITED_KINDS.some((k) => ofType(k.cls).length > 0))
        args.notApplicable("no Key Vault or storage account");
      const settings = ofType(monitor.DiagnosticSetting);
      const workspaces = ofType(operationalinsights.Workspace);
      for (const kind of AUDITED_KINDS) {
        const candidates = ofType(kind.cls);
        for (const target of candidates) {
          const mine = settings.filter(
            (s) =>
              s.props.workspaceId !== undefined &&
              armTargets(s, "resourceUri", candidates, kind.path, kind.suffix).includes(target),
          );
          const label = kind.label(target);
          const logged = new Set(mine.flatMap((s) => [...loggedCategories(s, kind.logs)]));
          const missing = AUDIT_LOG_CATEGORIES[kind.logs].filter((c) => !logged.has(c));
          if (missing.length > 0) {
            report(`${label} sends no ${missing.join(", ")} logs to a Log Analytics workspace`, target.urn);
            continue;
          }
          for (const s of mine) {
            for (const ws of armTargets(s, "workspaceId", workspaces, named("workspaces", "workspaceName"))) {
              const days = typeof ws.props.retentionInDays === "number" ? ws.props.retentionInDays : 30;
              if (days < minimum)
                report(
                  `${label}'s audit logs go to workspace "${ws.props.workspaceName ?? ws.name}", which keeps them ${days} days; keep them at least ${minimum}`,
                  s.urn,
                );
            }
          }
        }
      }
    },
  },
  {
    name: "azure-storage-network-deny",
    description:
      "Storage accounts deny traffic by default (network rules defaultAction Deny, trusted Azure services bypassing) and disable public network access.",
    // Advisory: Costline's cost data account denies by default but keeps its public endpoint,
    // because Cost Management's exports deliver as a trusted service through it (which a disabled
    // public endpoint refuses too), and the Functions host's account accepts every network (the
    // stack does not route the host's own storage traffic through the app's network yet).
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps:
      'Set networkRuleSet { defaultAction: "Deny", bypass: "AzureServices" } with the job\'s subnet in virtualNetworkRules, publicNetworkAccess: "Disabled", and reach the account through a private endpoint.',
    validateResource: validateResourceOfType(storage.StorageAccount, (account, _args, report) => {
      const rules = record(account.networkRuleSet);
      if (rules.defaultAction !== "Deny")
        report(
          `the account's network rules allow every network (defaultAction ${rules.defaultAction ?? "Allow, the default"})`,
        );
      else if (!String(rules.bypass ?? "AzureServices").includes("AzureServices"))
        report(
          "the account's network rules do not let trusted Azure services (Cost Management exports) bypass them",
        );
      if (account.publicNetworkAccess !== "Disabled")
        report('the account does not set publicNetworkAccess: "Disabled"');
    }),
  },
  {
    name: "azure-storage-soft-delete",
    description:
      "Every storage account keeps deleted blobs and containers recoverable (blob service delete retention on, for at least the configured days).",
    // Advisory: the Functions host's own account has no blob service settings of its own yet.
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Add a storage.BlobServiceProperties (blobServicesName default) with deleteRetentionPolicy and containerDeleteRetentionPolicy { enabled: true, days }.",
    configSchema: SOFT_DELETE_SCHEMA,
    validateStack: (args, report) => {
      const { minimumDays } = settingsOf<{ minimumDays: number }>(args, SOFT_DELETE_SCHEMA);
      const accounts = resourcesOf(args.resources, storage.StorageAccount);
      if (accounts.length === 0) args.notApplicable("no storage account");
      const services = resourcesOf(args.resources, storage.BlobServiceProperties);
      eachKnown(accounts, (account) => {
        const label = `storage account "${account.props.accountName ?? account.name}"`;
        const mine = services.filter((s) =>
          targetsOf(s, "accountName", accounts, (c) => [c.props.accountName, c.name]).includes(account),
        );
        if (mine.length === 0)
          return report(
            `${label} has no blob service settings, so deleted blobs are gone at once`,
            account.urn,
          );
        for (const s of mine) {
          for (const key of ["deleteRetentionPolicy", "containerDeleteRetentionPolicy"]) {
            const policy = record(s.props[key]);
            const days = typeof policy.days === "number" ? policy.days : 7;
            if (policy.enabled !== true) report(`${label} does not turn on ${key}`, s.urn);
            else if (days < minimumDays)
              report(
                `${label} keeps deleted items ${days} days (${key}); keep them at least ${minimumDays}`,
                s.urn,
              );
          }
        }
      });
    },
  },
  storageSetting(
    {
      name: "azure-storage-no-cross-tenant-replication",
      description: "Storage accounts cannot replicate their objects to an account in another Entra tenant.",
      enforcementLevel: "mandatory",
      severity: "high",
    },
    "allowCrossTenantReplication",
    false,
  ),
  {
    name: "azure-keyvault-network-deny",
    description:
      "Key Vaults disable public network access and deny other networks by default (reached through a private endpoint).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Set properties.publicNetworkAccess: "Disabled" and properties.networkAcls { defaultAction: "Deny", bypass: "AzureServices" }; add a private endpoint in the job\'s network.',
    validateResource: validateResourceOfType(keyvault.Vault, (vault, _args, report) => {
      const properties = record(vault.properties);
      if (record(properties.networkAcls).defaultAction !== "Deny")
        report('the vault\'s networkAcls do not set defaultAction: "Deny"');
      if (properties.publicNetworkAccess !== "Disabled")
        report('the vault does not set publicNetworkAccess: "Disabled"');
    }),
  },
  {
    name: "azure-keyvault-secret-attributes",
    description: "Key Vault secrets carry an expiry date (attributes.expires) and a content type.",
    // Advisory: a vault refuses to return an expired secret, so an expiry needs the rotation that
    // renews it; Costline's credential-age check warns before rotation is due instead.
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps:
      "Set properties.attributes.expires (seconds since 1970) to the rotation date and properties.contentType; renew the expiry when the credential is rotated.",
    validateResource: validateResourceOfType(keyvault.Secret, (secret, args, report) => {
      // The properties carry the value: a plan that hides them ("[secret]") shows nothing to judge.
      if (typeof secret.properties !== "object")
        args.notApplicable("the secret's properties are not visible");
      const properties = record(secret.properties);
      if (record(properties.attributes).expires === undefined)
        report(`secret "${secret.secretName}" has no expiry date (attributes.expires)`);
      if (!properties.contentType) report(`secret "${secret.secretName}" has no contentType`);
    }),
  },
  {
    name: "azure-no-wildcard-role-definitions",
    description:
      "Custom role definitions grant no wildcard action (*, or a whole resource provider such as Microsoft.Storage/*) and no action that writes roles or role assignments.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "List the exact actions the identity needs (e.g. Microsoft.CostManagement/exports/read); assign built-in roles through a constrained delegation instead of granting Microsoft.Authorization writes.",
    validateResource: validateResourceOfType(authorization.RoleDefinition, (role, _args, report) => {
      for (const permission of list(role.permissions).map(record)) {
        const actions = [...list(permission.actions), ...list(permission.dataActions)].map(String);
        const wildcard = actions.filter((a) => a === "*" || /^[^/]+\/\*$/.test(a));
        const escalating = actions.filter((a) => ESCALATING_ACTIONS.test(a) && !wildcard.includes(a));
        if (wildcard.length > 0)
          report(`role "${role.roleName}" grants the wildcard action ${wildcard.join(", ")}`);
        if (escalating.length > 0)
          report(`role "${role.roleName}" grants ${escalating.join(", ")}, which can make its holder Owner`);
      }
    }),
  },
  {
    name: "azure-webapp-no-public-network",
    description:
      "Web and function apps are reached only privately: public network access disabled, no wildcard CORS origin, no remote debugging.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
      'Set publicNetworkAccess: "Disabled" (integrate the app with the job\'s subnet), list CORS origins by name, and leave siteConfig.remoteDebuggingEnabled false.',
    validateResource: validateResourceOfType(web.WebApp, (site, _args, report) => {
      const config = record(site.siteConfig);
      if (site.publicNetworkAccess !== "Disabled")
        report('the app does not set publicNetworkAccess: "Disabled"');
      if (list(record(config.cors).allowedOrigins).includes("*"))
        report("the app allows every CORS origin (*)");
      if (config.remoteDebuggingEnabled === true) report("the app has remote debugging on");
    }),
  },
  {
    name: "azure-webapp-managed-identity",
    description: "Web and function apps run with a managed identity, so they need no stored credential.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
      'Set identity { type: "UserAssigned", userAssignedIdentities: [the job identity] } (or SystemAssigned) and use it for storage, Key Vault and Cost Management.',
    validateResource: validateResourceOfType(web.WebApp, (site, _args, report) => {
      const type = String(record(site.identity).type ?? "None");
      if (type === "None") report("the app has no managed identity");
    }),
  },
];
