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
          : `arn:aws:${service}:${FAKE.awsRegion}:${FAKE.awsAccountId}:${physical}`;
    state.bucket ??=
      type === "aws:s3/bucket:Bucket" || type === "aws:s3/bucketV2:BucketV2" ? physical : undefined;
    state.name ??= physical;
  }
  if (pkg === "gcp") {
    state.name ??= name;
    state.email ??=
      type === "gcp:serviceaccount/account:Account"
        ? `${inputs.accountId}@${inputs.project ?? "project"}.iam.gserviceaccount.com`
        : undefined;
    state.member ??= state.email ? `serviceAccount:${state.email}` : undefined;
  }
  if (pkg === "azure-native") {
    state.name ??= name;
    state.principalId ??= guid("principal");
    state.clientId ??= guid("client");
    state.tenantId ??= guid("tenant");
  }
  return state;
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
    case "gcp:organizations/getProject:getProject":
      return { number: FAKE.gcpProjectNumber, projectId: inputs.projectId };
    default:
      throw new Error(`the offline plan has no fake result for ${token}; add one in stacks/plan/fakes.ts`);
  }
}
