/**
 * Deterministic stand-ins for what a cloud provider would compute during `pulumi up`: ARNs,
 * self links, principal ids. They only have to be stable and shaped like the real thing, so that
 * components which interpolate them (policies naming an ARN, role assignments naming a principal)
 * produce the same inputs they would in a real deployment.
 */
import { shortHash } from "../../components/core/naming";

/** The account, project and subscription ids the offline plan pretends to be in. */
export const FAKE = {
  awsAccountId: "000000000000",
  awsRegion: "us-east-1",
  gcpProjectNumber: "000000000000",
} as const;

type State = Record<string, unknown>;

/** Computed outputs for a registered resource: its inputs plus the attributes others read. */
export function fakeState(type: string, name: string, inputs: State): State {
  const [pkg, module] = type.split(":");
  const guid = (salt: string) => {
    const h = shortHash(`${type}::${name}::${salt}`, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  };
  const state: State = { ...inputs };
  if (pkg === "aws") {
    const physical = String(inputs.name ?? inputs.bucket ?? name);
    const service = module.split("/")[0];
    state.arn ??=
      service === "s3"
        ? `arn:aws:s3:::${physical}`
        : service === "iam"
          ? `arn:aws:iam::${FAKE.awsAccountId}:role/${physical}`
          : `arn:aws:${service}:${FAKE.awsRegion}:${FAKE.awsAccountId}:${awsResourcePath(type, physical, guid)}`;
    if (type === "aws:kms/key:Key") state.keyId ??= guid("key");
    if (type === "aws:sqs/queue:Queue") {
      state.url ??= `https://sqs.${FAKE.awsRegion}.amazonaws.com/${FAKE.awsAccountId}/${physical}`;
    }
    state.bucket ??=
      type === "aws:s3/bucket:Bucket" || type === "aws:s3/bucketV2:BucketV2" ? physical : undefined;
    state.name ??= physical;
  }
  if (pkg === "gcp") {
    const pool = `projects/${FAKE.gcpProjectNumber}/locations/global/workloadIdentityPools/${inputs.workloadIdentityPoolId}`;
    if (type === "gcp:iam/workloadIdentityPool:WorkloadIdentityPool") state.name ??= pool;
    if (type === "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider") {
      state.name ??= `${pool}/providers/${inputs.workloadIdentityPoolProviderId}`;
    }
    if (type === "gcp:cloudfunctionsv2/function:Function") {
      const serviceConfig = (inputs.serviceConfig ?? {}) as State;
      state.serviceConfig = {
        ...serviceConfig,
        uri: `https://${inputs.name}-${shortHash(name, 10)}.a.run.app`,
      };
    }
    state.name ??= name;
    state.email ??=
      type === "gcp:serviceaccount/account:Account"
        ? `${inputs.accountId}@${inputs.project ?? "project"}.iam.gserviceaccount.com`
        : undefined;
    state.member ??= state.email ? `serviceAccount:${state.email}` : undefined;
  }
  if (type === "random:index/randomPassword:RandomPassword") {
    state.result ??= shortHash(`${type}::${name}::result`, 64).slice(0, Number(inputs.length ?? 32));
  }
  if (pkg === "azure-native") {
    state.name ??= name;
    state.principalId ??= guid("principal");
    state.clientId ??= guid("client");
    state.tenantId ??= guid("tenant");
    Object.assign(state, azureComputed(type, inputs, guid));
  }
  return state;
}

/** Azure outputs that components interpolate: endpoints, URIs, ARM deployment outputs. */
function azureComputed(type: string, inputs: State, guid: (salt: string) => string): State {
  const props = (inputs.properties ?? {}) as State;
  switch (type) {
    case "azure-native:storage:StorageAccount":
      return { primaryEndpoints: { blob: `https://${inputs.accountName}.blob.core.windows.net/` } };
    case "azure-native:keyvault:Vault":
      return { properties: { ...props, vaultUri: `https://${inputs.vaultName}.vault.azure.net/` } };
    case "azure-native:applicationinsights:Component":
      return {
        connectionString: `InstrumentationKey=${guid("ikey")};IngestionEndpoint=https://offline.in.applicationinsights.azure.com/`,
      };
    case "azure-native:authorization:PolicyAssignment":
      return { identity: { ...(inputs.identity as State), principalId: guid("principal") } };
    case "azure-native:resources:DeploymentAtScope":
    case "azure-native:resources:DeploymentAtTenantScope": {
      const declared = ((props.template as State | undefined)?.outputs ?? {}) as Record<string, State>;
      const outputs = Object.fromEntries(
        Object.entries(declared).map(([key, o]) => [key, { type: o.type, value: guid(`output-${key}`) }]),
      );
      return { properties: { ...props, outputs } };
    }
    default:
      return {};
  }
}

/** The resource part of an AWS ARN, shaped like the real one for the types whose ARNs policies name. */
function awsResourcePath(type: string, physical: string, guid: (salt: string) => string): string {
  switch (type) {
    case "aws:kms/key:Key":
      return `key/${guid("key")}`;
    case "aws:secretsmanager/secret:Secret":
      return `secret:${physical}-${guid("suffix").slice(0, 6)}`;
    case "aws:lambda/function:Function":
      return `function:${physical}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `log-group:${physical}`;
    default:
      return physical;
  }
}

/** Results for the provider functions our components call; anything else is an error worth seeing. */
export function fakeInvoke(token: string, inputs: State): State {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: FAKE.awsAccountId,
        arn: `arn:aws:iam::${FAKE.awsAccountId}:user/offline`,
        userId: "offline",
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    case "aws:index/getRegion:getRegion":
      return { name: inputs.name ?? FAKE.awsRegion, region: inputs.region ?? FAKE.awsRegion };
    case "aws:organizations/getOrganization:getOrganization":
      return {
        id: "o-offline0000",
        masterAccountId: FAKE.awsAccountId,
        roots: [
          {
            id: "r-0ff1",
            arn: `arn:aws:organizations::${FAKE.awsAccountId}:root/o-offline0000/r-0ff1`,
            name: "Root",
            policyTypes: [],
          },
        ],
      };
    case "gcp:organizations/getProject:getProject":
      return { number: FAKE.gcpProjectNumber, projectId: inputs.projectId };
    default:
      throw new Error(`the offline plan has no fake result for ${token}; add one in stacks/plan/fakes.ts`);
  }
}
