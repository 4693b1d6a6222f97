import type { TenantConfig } from "../../components/tenant/config";
import type { Claim } from "../provisioning/registry";
import type { RecordedResource } from "./mock-run";
import { planTenant } from "./offline-plan";

/**
 * The input that holds each resource type's physical name, for the types whose names live in a
 * namespace two tenants can share (an account, a subscription, a directory, a cluster, or the
 * world). Names scoped under a resource that is itself named here (a Glue table in its database,
 * a Key Vault secret aside) are left out: they cannot collide unless their parent does.
 */
const NAME_INPUT: Record<string, string> = {
  "aws:s3/bucket:Bucket": "bucket",
  "aws:kms/alias:Alias": "name",
  "aws:glue/catalogDatabase:CatalogDatabase": "name",
  "aws:athena/workgroup:Workgroup": "name",
  "aws:iam/role:Role": "name",
  "aws:secretsmanager/secret:Secret": "name",
  "aws:sqs/queue:Queue": "name",
  "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
  "aws:cloudwatch/logGroup:LogGroup": "name",
  "aws:lambda/function:Function": "name",
  "aws:scheduler/schedule:Schedule": "name",
  "aws:cloudformation/stackSet:StackSet": "name",
  "aws:bcmdata/export:Export": "export.name",
  "gcp:bigquery/dataset:Dataset": "datasetId",
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": "workloadIdentityPoolId",
  "gcp:serviceaccount/account:Account": "accountId",
  "gcp:secretmanager/secret:Secret": "secretId",
  "gcp:artifactregistry/repository:Repository": "repositoryId",
  "gcp:storage/bucket:Bucket": "name",
  "gcp:cloudfunctionsv2/function:Function": "name",
  "gcp:cloudscheduler/job:Job": "name",
  "azure-native:resources:ResourceGroup": "resourceGroupName",
  "azure-native:storage:StorageAccount": "accountName",
  "azure-native:keyvault:Vault": "vaultName",
  // A Key Vault secret's name is the tenant's secret path (`tenantSecretPath`), kept apart too.
  "azure-native:keyvault:Secret": "secretName",
  "azure-native:authorization:RoleDefinition": "roleName",
  "azure-native:authorization:PolicyDefinitionAtManagementGroup": "policyDefinitionName",
  "azure-native:authorization:PolicyAssignment": "policyAssignmentName",
  "azure-native:policyinsights:RemediationAtManagementGroup": "remediationName",
  "azure-native:resources:DeploymentAtScope": "deploymentName",
  "azure-native:managedidentity:UserAssignedIdentity": "resourceName",
  "azure-native:network:VirtualNetwork": "virtualNetworkName",
  "azure-native:network:PrivateEndpoint": "privateEndpointName",
  "azure-native:operationalinsights:Workspace": "workspaceName",
  "azure-native:applicationinsights:Component": "resourceName",
  "azure-native:web:AppServicePlan": "name",
  "azure-native:web:WebApp": "name",
  "kubernetes:helm.sh/v4:Chart": "name",
};

/** One physical name a plan creates: `kind` is the resource type (and namespace), `name` the name. */
export interface PhysicalName {
  kind: string;
  name: string;
  urn: string;
}

/**
 * The physical names the recorded resources create. Kubernetes objects are named by
 * `metadata.name`, a namespaced one as `namespace/name`; every other type by its input in
 * `NAME_INPUT`. A name still unknown (an output of another resource) is skipped.
 */
export function physicalNames(resources: readonly RecordedResource[]): PhysicalName[] {
  const out: PhysicalName[] = [];
  for (const r of resources) {
    const name = nameOf(r);
    if (typeof name === "string" && name.length > 0) out.push({ kind: r.type, name, urn: r.urn });
  }
  return out;
}

function nameOf(r: RecordedResource): unknown {
  const field = NAME_INPUT[r.type];
  if (field) return field.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], r.inputs);
  if (!r.type.startsWith("kubernetes:")) return undefined;
  const metadata = r.inputs.metadata as { name?: unknown; namespace?: unknown } | undefined;
  if (typeof metadata?.name !== "string") return undefined;
  return typeof metadata.namespace === "string" ? `${metadata.namespace}/${metadata.name}` : metadata.name;
}

/**
 * The physical names a tenant's offline plan creates, as registry claims. Names are compared
 * across accounts and projects (stricter than most providers); Kubernetes names are left to the
 * namespace claim (`configClaims`), since objects of two tenants in distinct namespaces never meet.
 */
export async function planNameClaims(tenant: TenantConfig): Promise<Claim[]> {
  const { recorded } = await planTenant(tenant);
  return physicalNames(recorded)
    .filter((n) => !n.kind.startsWith("kubernetes:"))
    .map((n) => ({
      what: `${n.kind} name`,
      key: n.name,
      fix: "change the tenantId or the config value the name is made of (account, project, region)",
    }));
}
