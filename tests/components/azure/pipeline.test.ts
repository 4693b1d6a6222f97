import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { exportTemplate } from "../../../components/azure/export-template";
import { AzureCostPipeline } from "../../../components/azure/pipeline";
import { EXPORT_GRANT_CONDITION } from "../../../components/azure/policy";
import { BUILTIN_ROLES, FORBIDDEN_ROLES } from "../../../components/azure/roles";
import { azureTags } from "../../../policies/lib/tags";
import type { TenantConfig } from "../../../components/tenant/config";
import { fakeId } from "../../../stacks/plan/mock-run";
import { type Recorded, type RecordedResource, record } from "../../helpers/pulumi";
import { exampleTenant } from "../../helpers/tenants";

type Obj = Record<string, unknown>;
const T = {
  account: "azure-native:storage:StorageAccount",
  container: "azure-native:storage:BlobContainer",
  lifecycle: "azure-native:storage:ManagementPolicy",
  deployment: "azure-native:resources:DeploymentAtScope",
  tenantDeployment: "azure-native:resources:DeploymentAtTenantScope",
  role: "azure-native:authorization:RoleAssignment",
  roleDef: "azure-native:authorization:RoleDefinition",
  policyDef: "azure-native:authorization:PolicyDefinitionAtManagementGroup",
  assignment: "azure-native:authorization:PolicyAssignment",
  remediation: "azure-native:policyinsights:RemediationAtManagementGroup",
  vault: "azure-native:keyvault:Vault",
  secret: "azure-native:keyvault:Secret",
  app: "azure-native:web:WebApp",
  plan: "azure-native:web:AppServicePlan",
  insights: "azure-native:applicationinsights:Component",
  workspace: "azure-native:operationalinsights:Workspace",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  vnet: "azure-native:network:VirtualNetwork",
  endpoint: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  zone: "azure-native:privatedns:PrivateZone",
  zoneLink: "azure-native:privatedns:VirtualNetworkLink",
  diagnostics: "azure-native:monitor:DiagnosticSetting",
};

function run(tenant: TenantConfig, extra: { keyVaultPublicNetworkAccess?: boolean } = {}): Promise<Recorded> {
  const azure = tenant.azure;
  if (!azure) throw new Error("the test tenant needs an azure section");
  return record(() => {
    const provider = new Provider("azure", {
      tenantId: azure.directoryTenantId,
      subscriptionId: azure.hostSubscriptionId,
      location: azure.location,
    });
    new AzureCostPipeline("acme", {
      provider,
      tenant,
      azure,
      jobPackage: new pulumi.asset.AssetArchive({ "host.json": new pulumi.asset.StringAsset("{}") }),
      ...extra,
    });
  });
}

/** The cost data storage account (the other one is the Functions host's). */
function dataAccount(r: Recorded): RecordedResource {
  const data = r.ofType(T.account).find((a) => String(a.inputs.accountName).endsWith("data"));
  assert.ok(data, "no data storage account");
  return data;
}
const roleGuid = (r: RecordedResource) => String(r.inputs.roleDefinitionId).split("/").pop();
/** The job's custom export-runner role (its id is the RoleDefinition's, a fake under mocks). */
const isRunnerRole = (r: RecordedResource) =>
  String(roleGuid(r)).startsWith("acme-job-identity-export-runner-");
const withRole = (rec: Recorded, guid: string) => rec.ofType(T.role).filter((r) => roleGuid(r) === guid);

describe("AzureCostPipeline (example tenant)", () => {
  let rec: Recorded;
  let tenant: TenantConfig;
  before(async () => {
    tenant = exampleTenant();
    rec = await run(tenant);
  });

  it("hardens the cost data storage account", () => {
    const data = dataAccount(rec);
    assert.deepEqual(
      {
        kind: data.inputs.kind,
        sku: data.inputs.sku,
        https: data.inputs.enableHttpsTrafficOnly,
        tls: data.inputs.minimumTlsVersion,
        publicBlob: data.inputs.allowBlobPublicAccess,
        sharedKey: data.inputs.allowSharedKeyAccess,
        infra: (data.inputs.encryption as Obj).requireInfrastructureEncryption,
      },
      {
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        https: true,
        tls: "TLS1_2",
        publicBlob: false,
        sharedKey: false,
        infra: true,
      },
    );
    assert.match(String(data.inputs.accountName), /^[a-z0-9]{3,24}$/);
    const containers = rec.ofType(T.container).map((c) => [c.inputs.containerName, c.inputs.publicAccess]);
    assert.deepEqual(
      containers.filter(([n]) => n !== "deployment"),
      [
        ["exports", "None"],
        ["normalized", "None"],
      ],
    );
  });

  it("moves exports to cool after 30 days and archive after 180", () => {
    const rule = ((rec.one(T.lifecycle).inputs.policy as Obj).rules as Obj[])[0];
    const definition = rule.definition as Obj;
    assert.deepEqual(definition.filters, { blobTypes: ["blockBlob"], prefixMatch: ["exports/"] });
    assert.deepEqual((definition.actions as Obj).baseBlob, {
      tierToCool: { daysAfterModificationGreaterThan: 30 },
      tierToArchive: { daysAfterModificationGreaterThan: 180 },
    });
  });

  it("deploys one FocusCost export per subscription at its subscription scope", () => {
    const deployments = rec.ofType(T.deployment);
    assert.deepEqual(
      deployments.map((d) => d.inputs.scope),
      tenant.azure?.subscriptionIds.map((id) => `/subscriptions/${id}`),
    );
    for (const d of deployments) {
      const props = d.inputs.properties as Obj;
      assert.equal(props.mode, "Incremental");
      assert.deepEqual(props.template, exportTemplate("subscription", false));
      const params = props.parameters as Record<string, { value: unknown }>;
      assert.equal(params.dataset.value, "FocusCost");
      assert.equal(params.exportName.value, "costline-acme-focuscost");
      assert.equal(params.container.value, "exports");
      assert.equal(params.identityLocation.value, "westeurope");
      assert.match(String(params.storageAccountId.value), /^acme-storage-account-/);
    }
    assert.equal(rec.ofType(T.tenantDeployment).length, 0);
  });

  it("lets each export identity write to the exports container only", () => {
    const writers = rec.ofType(T.role).filter((r) => r.name.startsWith("acme-exports-"));
    assert.equal(writers.length, 2);
    for (const w of writers) {
      assert.equal(roleGuid(w), BUILTIN_ROLES.storageBlobDataContributor);
      assert.match(String(w.inputs.scope), /\/blobServices\/default\/containers\/exports$/);
    }
  });

  it("grants the job exactly reader on exports, contributor on normalized, Cost Management Reader and the export runner on the scopes", () => {
    const identity = rec.one(T.identity);
    const principal = rec.ofType(T.role).filter((r) => r.name.startsWith("acme-job-identity-"));
    const summary = principal.map((r) => [
      isRunnerRole(r) ? "export-runner" : roleGuid(r),
      String(r.inputs.scope).replace(/^.*\/containers\//, "container:"),
    ]);
    const azure = tenant.azure;
    assert.ok(azure && identity);
    const sorted = (rows: unknown[][]) => rows.map((r) => r.join(" @ ")).sort();
    assert.deepEqual(
      sorted(summary),
      sorted([
        [BUILTIN_ROLES.storageBlobDataReader, "container:exports"],
        [BUILTIN_ROLES.storageBlobDataContributor, "container:normalized"],
        ...azure.subscriptionIds.map((id) => [BUILTIN_ROLES.costManagementReader, `/subscriptions/${id}`]),
        [BUILTIN_ROLES.costManagementReader, "/providers/Microsoft.Management/managementGroups/acme-root"],
        ...azure.subscriptionIds.map((id) => ["export-runner", `/subscriptions/${id}`]),
        ["export-runner", "/providers/Microsoft.Management/managementGroups/acme-root"],
      ]),
    );
  });

  it("defines the export runner as read and run on exports only, assignable only at its own scope", () => {
    const runners = rec
      .ofType(T.roleDef)
      .filter((r) => r.name.startsWith("acme-job-identity-export-runner-"));
    assert.equal(runners.length, 3, "one per subscription and one for the management group");
    for (const r of runners) {
      const [permissions] = r.inputs.permissions as { actions: string[]; dataActions: string[] }[];
      assert.deepEqual(permissions.actions, [
        "Microsoft.CostManagement/exports/read",
        "Microsoft.CostManagement/exports/action",
        "Microsoft.CostManagement/exports/run/action",
      ]);
      assert.deepEqual(permissions.dataActions, []);
      assert.ok(
        !permissions.actions.some((a) => /write|delete|\*/.test(a)),
        "cannot change or delete exports",
      );
      assert.deepEqual(r.inputs.assignableScopes, [r.inputs.scope]);
    }
  });

  it("gives no identity Owner, Contributor or User Access Administrator, and the job nothing else at subscription scope", () => {
    const forbidden = new Set<string>(Object.values(FORBIDDEN_ROLES));
    for (const r of rec.ofType(T.role))
      assert.ok(!forbidden.has(String(roleGuid(r))), `${r.name} holds a broad role`);
    const atSubscription = rec
      .ofType(T.role)
      .filter((r) => /^\/subscriptions\/[^/]+$/.test(String(r.inputs.scope)));
    assert.ok(atSubscription.length > 0);
    for (const r of atSubscription) {
      assert.ok(
        roleGuid(r) === BUILTIN_ROLES.costManagementReader || isRunnerRole(r),
        `${r.name} holds ${roleGuid(r)}`,
      );
    }
    const jobWrites = rec
      .ofType(T.role)
      .filter(
        (r) =>
          r.name.startsWith("acme-job-identity-") && roleGuid(r) === BUILTIN_ROLES.storageBlobDataContributor,
      );
    assert.deepEqual(
      jobWrites.map((r) => String(r.inputs.scope).split("/").pop()),
      ["normalized"],
      "the job may write the normalized container only",
    );
  });

  it("names every role assignment with a GUID and marks its principal a service principal", () => {
    for (const r of rec.ofType(T.role)) {
      assert.equal(r.inputs.principalType, "ServicePrincipal", r.name);
      assert.match(
        String(r.inputs.roleAssignmentName),
        /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/,
        r.name,
      );
    }
    const names = rec.ofType(T.role).map((r) => r.inputs.roleAssignmentName);
    assert.equal(new Set(names).size, names.length);
  });

  it("defines a deployIfNotExists policy on subscriptions that deploys the export and its grant", () => {
    const def = rec.one(T.policyDef);
    assert.equal(def.inputs.managementGroupId, "acme-root");
    assert.equal(def.inputs.mode, "All");
    const rule = def.inputs.policyRule as { if: Obj; then: { effect: string; details: Obj } };
    assert.deepEqual(rule.if, { field: "type", equals: "Microsoft.Resources/subscriptions" });
    assert.equal(rule.then.effect, "[parameters('effect')]");
    const d = rule.then.details as {
      type: string;
      name: string;
      existenceScope: string;
      deploymentScope: string;
      existenceCondition: Obj;
      roleDefinitionIds: string[];
      deployment: { location: string; properties: { template: Obj; parameters: Obj } };
    };
    assert.equal(d.type, "Microsoft.CostManagement/exports");
    assert.equal(d.name, "costline-acme-focuscost");
    assert.equal(d.existenceScope, "Subscription");
    assert.equal(d.deploymentScope, "Subscription");
    assert.deepEqual(d.existenceCondition, {
      allOf: [
        { field: "name", equals: "costline-acme-focuscost" },
        { field: "identity.type", equals: "SystemAssigned" },
      ],
    });
    assert.deepEqual(d.deployment.properties.template, exportTemplate("subscription", true));
    assert.equal(d.deployment.location, "[parameters('identityLocation')]");
    assert.equal(d.roleDefinitionIds.length, 1);
    const params = def.inputs.parameters as Record<string, Obj>;
    assert.equal(params.effect.defaultValue, "DeployIfNotExists");
  });

  it("assigns the policy with a managed identity and only the rights its deployment needs", () => {
    const assignment = rec.one(T.assignment);
    assert.equal(assignment.inputs.scope, "/providers/Microsoft.Management/managementGroups/acme-root");
    assert.deepEqual(assignment.inputs.identity, { type: "SystemAssigned" });
    assert.ok(String(assignment.inputs.policyAssignmentName).length <= 24);
    const policyGrants = rec.ofType(T.role).filter((r) => r.name.startsWith("acme-export-policy-"));
    assert.equal(policyGrants.length, 3);
    const roles = rec.ofType(T.roleDef);
    const actions = (r: RecordedResource) =>
      ((r.inputs.permissions as Obj[])[0].actions as string[]).slice().sort();
    const deployer = roles.find((r) => r.name === "acme-export-policy-deployer-role");
    assert.ok(deployer);
    assert.deepEqual(deployer.inputs.assignableScopes, [
      "/providers/Microsoft.Management/managementGroups/acme-root",
    ]);
    assert.ok(
      actions(deployer).every(
        (a) =>
          a.startsWith("Microsoft.CostManagement/exports/") ||
          a.startsWith("Microsoft.Resources/deployments/"),
      ),
    );
    assert.ok(!actions(deployer).some((a) => a.includes("*") || a.startsWith("Microsoft.Authorization/")));
    const conditioned = policyGrants.find(
      (r) => roleGuid(r) === BUILTIN_ROLES.roleBasedAccessControlAdministrator,
    );
    assert.ok(conditioned, "the policy needs a way to let new exports write");
    assert.match(String(conditioned.inputs.scope), /\/containers\/exports$/);
    assert.equal(conditioned.inputs.condition, EXPORT_GRANT_CONDITION);
    assert.equal(conditioned.inputs.conditionVersion, "2.0");
    assert.ok(EXPORT_GRANT_CONDITION.includes(BUILTIN_ROLES.storageBlobDataContributor));
    const remediation = rec.one(T.remediation);
    assert.equal(remediation.inputs.resourceDiscoveryMode, "ExistingNonCompliant");
    assert.equal(remediation.inputs.managementGroupId, "acme-root");
  });

  it("keeps the connection secret in an RBAC, purge-protected, private Key Vault readable by the job only", () => {
    const props = rec.one(T.vault).inputs.properties as Obj;
    assert.deepEqual(
      {
        rbac: props.enableRbacAuthorization,
        purge: props.enablePurgeProtection,
        softDelete: props.enableSoftDelete,
        network: props.publicNetworkAccess,
        acl: (props.networkAcls as Obj).defaultAction,
        policies: props.accessPolicies,
      },
      { rbac: true, purge: true, softDelete: true, network: "Disabled", acl: "Deny", policies: undefined },
    );
    const secret = rec.one(T.secret);
    assert.equal(secret.inputs.secretName, "tenant-acme-azure-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d");
    assert.ok(
      JSON.stringify(secret.inputs.properties).includes("[secret]"),
      "the secret value must stay a Pulumi secret",
    );
    assert.ok(
      !JSON.stringify(secret.inputs).includes("jobClientId"),
      "no plain connection document in inputs",
    );
    const readers = withRole(rec, BUILTIN_ROLES.keyVaultSecretsUser);
    assert.equal(readers.length, 1, "exactly one principal may read secrets");
    assert.match(
      String(readers[0].inputs.scope),
      /\/secrets\/tenant-acme-azure-0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d$/,
    );
    assert.ok(readers[0].name.startsWith("acme-vault-"));
  });

  it("reaches the private vault through the job's own network: a private endpoint and its DNS zone", () => {
    const vnet = rec.one(T.vnet);
    assert.deepEqual((vnet.inputs.addressSpace as Obj).addressPrefixes, ["10.231.0.0/24"]);
    const [job, endpoints] = vnet.inputs.subnets as Obj[];
    assert.deepEqual(
      [job.name, job.addressPrefix, (job.delegations as Obj[]).map((d) => d.serviceName)],
      ["job", "10.231.0.0/25", ["Microsoft.App/environments"]],
    );
    assert.deepEqual(
      [endpoints.name, endpoints.addressPrefix, endpoints.privateEndpointNetworkPolicies],
      ["private-endpoints", "10.231.0.128/27", "Disabled"],
    );
    const vnetName = rec.one(T.vnet).name;
    const endpoint = rec.one(T.endpoint);
    const [connection] = endpoint.inputs.privateLinkServiceConnections as Obj[];
    assert.match(String(connection.privateLinkServiceId), /^acme-vault-vault-/, "the tenant's vault");
    assert.deepEqual(connection.groupIds, ["vault"]);
    assert.match(
      String((endpoint.inputs.subnet as Obj).id),
      new RegExp(`^${vnetName}-\\w+/subnets/private-endpoints$`),
    );
    const zone = rec.one(T.zone);
    assert.equal(zone.inputs.privateZoneName, "privatelink.vaultcore.azure.net");
    const link = rec.one(T.zoneLink);
    assert.deepEqual(
      [link.inputs.registrationEnabled, String((link.inputs.virtualNetwork as Obj).id).startsWith(vnetName)],
      [false, true],
    );
    const [config] = rec.one(T.zoneGroup).inputs.privateDnsZoneConfigs as Obj[];
    assert.ok(String(config.privateDnsZoneId).startsWith(zone.name));
    // Outbound only: the app integrates with the delegated subnet and still takes no inbound traffic.
    const app = rec.one(T.app);
    assert.match(String(app.inputs.virtualNetworkSubnetId), new RegExp(`^${vnetName}-\\w+/subnets/job$`));
    assert.equal(app.inputs.publicNetworkAccess, "Disabled");
  });

  it("admits only the job's subnet and trusted Azure services (the exports) to the cost data account", () => {
    const data = dataAccount(rec);
    const rules = data.inputs.networkRuleSet as Obj;
    const vnetName = rec.one(T.vnet).name;
    assert.deepEqual([rules.defaultAction, rules.bypass, rules.ipRules], ["Deny", "AzureServices", []]);
    const [subnetRule, ...others] = rules.virtualNetworkRules as Obj[];
    assert.equal(others.length, 0);
    assert.match(String(subnetRule.virtualNetworkResourceId), new RegExp(`^${vnetName}-\\w+/subnets/job$`));
    const [job] = rec.one(T.vnet).inputs.subnets as Obj[];
    assert.deepEqual(job.serviceEndpoints, [{ service: "Microsoft.Storage", locations: ["westeurope"] }]);
  });

  it("runs the job on Flex Consumption with the tenant schedule as NCRONTAB and identity-based storage", () => {
    assert.deepEqual(rec.one(T.plan).inputs.sku, { name: "FC1", tier: "FlexConsumption" });
    const app = rec.one(T.app);
    const settings = Object.fromEntries(
      ((app.inputs.siteConfig as Obj).appSettings as { name: string; value: unknown }[]).map((s) => [
        s.name,
        s.value,
      ]),
    );
    assert.equal(settings.COSTLINE_SCHEDULE, "0 0 6 * * *");
    assert.equal(settings.AzureWebJobsStorage__credential, "managedidentity");
    assert.equal(settings.COSTLINE_SOURCE_FORMAT, "azure-focus");
    assert.equal(settings.COSTLINE_EXPORT_NAME, "costline-acme-focuscost");
    assert.deepEqual(
      JSON.parse(String(settings.COSTLINE_EXPORT_SCOPES)),
      tenant.azure?.subscriptionIds.map((id) => `/subscriptions/${id}`),
    );
    assert.equal(settings.COSTLINE_EXPORT_URL, "https://costlineacmedata.blob.core.windows.net/exports");
    assert.deepEqual(
      JSON.parse(String(settings.COSTLINE_CHECKS)),
      tenant.checks,
      "the tenant's checks settings",
    );
    const checks = JSON.parse(String(settings.COSTLINE_CHECKS));
    assert.deepEqual(checks.requiredTags.tags, ["team", "env", "cost_center"]);
    assert.deepEqual(checks.tagAliases, { cost_center: ["cost-center"] });
    assert.ok(!Object.keys(settings).some((k) => k === "AzureWebJobsStorage"), "no connection string");
    assert.equal((app.inputs.identity as Obj).type, "UserAssigned");
    const deployment = ((app.inputs.functionAppConfig as Obj).deployment as Obj).storage as Obj;
    assert.equal((deployment.authentication as Obj).type, "UserAssignedIdentity");
    assert.equal(app.inputs.httpsOnly, true);
    const insights = rec.one(T.insights);
    assert.equal(insights.inputs.disableLocalAuth, true);
    assert.equal(insights.inputs.retentionInDays, 30);
  });

  it("sends the vault's audit events and both accounts' blob reads, writes and deletes to a workspace kept 400 days", async () => {
    const workspace = rec.one(T.workspace);
    assert.equal(workspace.inputs.retentionInDays, 400);
    const settings = rec.ofType(T.diagnostics);
    const by = (name: string) => settings.find((x) => x.name === name)?.inputs ?? assert.fail(`no ${name}`);
    assert.equal(settings.length, 3);
    const vault = by("acme-audit-vault");
    const blob = by("acme-audit-blob");
    const hostBlob = by("acme-audit-host-blob");
    assert.deepEqual(vault.logs, [{ category: "AuditEvent", enabled: true }]);
    for (const setting of [blob, hostBlob]) {
      assert.deepEqual(setting.logs, [
        { category: "StorageRead", enabled: true },
        { category: "StorageWrite", enabled: true },
        { category: "StorageDelete", enabled: true },
      ]);
    }
    const id = (r: RecordedResource) => fakeId(r.type, r.name);
    assert.equal(vault.resourceUri, id(rec.one(T.vault)));
    assert.equal(blob.resourceUri, `${id(rec.one(T.account, "acme-storage-account"))}/blobServices/default`);
    assert.equal(
      hostBlob.resourceUri,
      `${id(rec.one(T.account, "acme-job-host-storage"))}/blobServices/default`,
    );
    for (const setting of [vault, blob, hostBlob]) {
      assert.equal(setting.workspaceId, id(workspace));
      assert.equal(setting.name, "costline-acme-audit");
    }
  });

  it("tags every taggable resource with the tenant tags and gives every resource the explicit provider", () => {
    const expected = azureTags(tenant.tenantId, tenant.tags);
    const taggable = taggableTypes(rec.resources.map((r) => r.type));
    let checked = 0;
    for (const r of rec.resources.filter((x) => taggable.has(x.type))) {
      assert.deepEqual(r.inputs.tags, expected, `${r.type} ${r.name}`);
      checked++;
    }
    assert.ok(checked >= 10, `only ${checked} taggable resources`);
    for (const r of rec.resources.filter((x) => x.custom && x.type.startsWith("azure-native:"))) {
      assert.match(String(r.provider), /pulumi:providers:azure-native::azure::/, `${r.type} ${r.name}`);
    }
  });

  it("parents everything under components named after the pipeline", () => {
    const components = rec.resources.filter((r) => r.type.startsWith("costline:azure:")).map((r) => r.type);
    assert.deepEqual(components.sort(), [
      "costline:azure:AuditLogging",
      "costline:azure:CostExports",
      "costline:azure:CostPipeline",
      "costline:azure:CostStorage",
      "costline:azure:CostVault",
      "costline:azure:ExportPolicy",
      "costline:azure:JobIdentity",
      "costline:azure:JobNetwork",
      "costline:azure:NormalizationJob",
    ]);
    for (const r of rec.resources.filter((x) => x.type.startsWith("azure-native:"))) {
      assert.ok(r.name.startsWith("acme-"), r.name);
    }
  });
});

describe("AzureCostPipeline (variants)", () => {
  const base = exampleTenant();
  const variant = (azure: Partial<NonNullable<TenantConfig["azure"]>>): TenantConfig => {
    if (!base.azure) throw new Error("example tenant lost its azure section");
    return { ...base, azure: { ...base.azure, ...azure } };
  };

  it("tells the job the tenant's FOCUS version in its app settings", async () => {
    const setting = async (tenant: TenantConfig) => {
      const app = (await run(tenant)).one(T.app);
      const settings = (app.inputs.siteConfig as Obj).appSettings as { name: string; value: unknown }[];
      return settings.find((x) => x.name === "COSTLINE_FOCUS_VERSION")?.value;
    };
    assert.equal(await setting(base), "1.2");
    assert.equal(await setting({ ...base, focusVersion: "1.3" }), "1.3");
  });

  it("lets the platform principal read the normalized container only, when the tenant names one", async () => {
    const platform = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    const reads = (rec: Recorded) => rec.ofType(T.role).filter((r) => r.inputs.principalId === platform);
    assert.deepEqual(reads(await run(base)), []);
    const granted = reads(await run(variant({ platformPrincipalId: platform })));
    assert.deepEqual(
      granted.map((r) => [roleGuid(r), String(r.inputs.scope).replace(/^.*\/containers\//, "container:")]),
      [[BUILTIN_ROLES.storageBlobDataReader, "container:normalized"]],
    );
  });

  it("exports once at the billing scope instead of per subscription, without a policy", async () => {
    const billingScope = "/providers/Microsoft.Billing/billingAccounts/1234/billingProfiles/AB12";
    const rec = await run(
      variant({ managementGroupId: undefined, billingScope, exportDataset: "AmortizedCost" }),
    );
    assert.equal(rec.ofType(T.deployment).length, 0);
    const d = rec.one(T.tenantDeployment);
    const props = d.inputs.properties as { template: Obj; parameters: Record<string, { value: unknown }> };
    assert.deepEqual(props.template, exportTemplate("billingScope", false));
    assert.equal(props.parameters.billingScope.value, billingScope);
    assert.equal(props.parameters.dataset.value, "AmortizedCost");
    assert.equal(rec.ofType(T.policyDef).length, 0);
    assert.equal(rec.ofType(T.assignment).length, 0);
  });

  it("refuses a billing scope and a management group together", async () => {
    await assert.rejects(
      run(variant({ billingScope: "/providers/Microsoft.Billing/billingAccounts/1234" })),
      /billingScope and azure.managementGroupId both export the same costs/,
    );
  });

  it("refuses a subscription listed twice", async () => {
    const id = base.azure?.subscriptionIds[0] ?? "";
    await assert.rejects(run(variant({ subscriptionIds: [id, id.toUpperCase()] })), /listed twice/);
  });

  it("opens the vault's public endpoint only when asked, and then builds no network for it", async () => {
    const rec = await run(base, { keyVaultPublicNetworkAccess: true });
    assert.equal((rec.one(T.vault).inputs.properties as Obj).publicNetworkAccess, "Enabled");
    assert.deepEqual([rec.ofType(T.vnet).length, rec.ofType(T.endpoint).length], [0, 0]);
    assert.equal(rec.one(T.app).inputs.virtualNetworkSubnetId, undefined);
    const data = dataAccount(rec);
    assert.equal(
      (data.inputs.networkRuleSet as Obj).defaultAction,
      "Allow",
      "no subnet to admit: identity alone",
    );
  });

  it("admits the tenant's listed public addresses to the cost data account, as Storage's IP rules take them", async () => {
    const rec = await run(variant({ storageAllowedIpRanges: ["203.0.113.0/28", "198.51.100.7/32"] }));
    const data = dataAccount(rec);
    assert.deepEqual((data.inputs.networkRuleSet as Obj).ipRules, [
      { iPAddressOrRange: "203.0.113.0/28", action: "Allow" },
      { iPAddressOrRange: "198.51.100.7", action: "Allow" },
    ]);
  });

  it("carves the job's subnets from the tenant's address space, and refuses one with host bits", async () => {
    const rec = await run(variant({ jobAddressSpace: "172.20.0.0/16" }));
    const subnets = rec.one(T.vnet).inputs.subnets as Obj[];
    assert.deepEqual(
      subnets.map((s) => s.addressPrefix),
      ["172.20.0.0/25", "172.20.0.128/27"],
    );
    await assert.rejects(
      run(variant({ jobAddressSpace: "172.20.1.0/16" })),
      /host bits set; its network address is 172.20.0.0\/16/,
    );
  });
});

/** Resource types whose SDK args accept tags, read from the pinned SDK's declarations. */
function taggableTypes(types: string[]): Set<string> {
  const sdk = join(__dirname, "..", "..", "..", "node_modules", "@pulumi", "azure-native");
  const out = new Set<string>();
  for (const type of new Set(types)) {
    const [pkg, module, resource] = type.split(":");
    if (pkg !== "azure-native") continue;
    const file = join(sdk, module, `${resource[0].toLowerCase()}${resource.slice(1)}.d.ts`);
    const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(readFileSync(file, "utf8"))?.[1] ?? "";
    if (/\n {4}tags\?:/.test(args)) out.add(type);
  }
  return out;
}
