import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GcpConfig } from "../tenant/config";
import { childOptions } from "./options";

export type GcpPlatformIdentity = GcpConfig["platformIdentity"];

/** How the pool's provider recognises the platform, and the IAM member that is exactly the platform. */
export interface PlatformTrust {
  /** Claims of the external token mapped to Google attributes. */
  attributeMapping: Record<string, string>;
  /** CEL condition the provider enforces on every exchange: only the platform identity passes. */
  attributeCondition: string;
  /** The provider's `aws` or `oidc` block. */
  source: Pick<gcp.iam.WorkloadIdentityPoolProviderArgs, "aws" | "oidc">;
  /** The IAM member for the platform alone, inside the pool with this resource name. */
  member(poolName: string): string;
}

// Google's documented mapping: an assumed-role session ARN becomes the role's stable
// arn:aws:sts::{account}:assumed-role/{role}, independent of the session name.
const AWS_ROLE_ATTRIBUTE =
  "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn";

// Lists and searches resource metadata and IAM policies; it reads no data and no secret value.
const ASSET_VIEWER = "roles/cloudasset.viewer";

/** google.subject may hold at most 127 bytes. */
const MAX_SUBJECT_BYTES = 127;

const POOL_NAME = /^projects\/[0-9]+\/locations\/global\/workloadIdentityPools\/[a-z0-9-]+$/;

/** A CEL string literal; JSON's escapes are valid CEL escapes. */
const celString = (value: string) => JSON.stringify(value);

/** The trust for the tenant's configured platform identity. */
export function platformTrust(identity: GcpPlatformIdentity): PlatformTrust {
  const inPool = (poolName: string, path: string) => {
    if (!POOL_NAME.test(poolName)) {
      throw new Error(
        `expected a workload identity pool resource name projects/NUMBER/locations/global/workloadIdentityPools/ID, got "${poolName}"`,
      );
    }
    return `//iam.googleapis.com/${poolName}/${path}`;
  };
  if (identity.kind === "aws") {
    const role = `arn:aws:sts::${identity.accountId}:assumed-role/${identity.roleName}`;
    return {
      attributeMapping: { "google.subject": "assertion.arn", "attribute.aws_role": AWS_ROLE_ATTRIBUTE },
      attributeCondition: `attribute.aws_role == ${celString(role)}`,
      source: { aws: { accountId: identity.accountId } },
      member: (poolName) => `principalSet:${inPool(poolName, `attribute.aws_role/${role}`)}`,
    };
  }
  if (Buffer.byteLength(identity.subject, "utf8") > MAX_SUBJECT_BYTES) {
    throw new Error(
      `gcp.platformIdentity.subject is longer than the ${MAX_SUBJECT_BYTES} bytes google.subject can hold; use a shorter sub claim`,
    );
  }
  return {
    attributeMapping: { "google.subject": "assertion.sub" },
    attributeCondition: `assertion.sub == ${celString(identity.subject)}`,
    source: { oidc: { issuerUri: identity.issuerUri, allowedAudiences: [identity.audience] } },
    member: (poolName) => `principal:${inPool(poolName, `subject/${identity.subject}`)}`,
  };
}

export interface GcpPlatformAccessArgs {
  /** The tenant's GCP provider. */
  provider: gcp.Provider;
  /** The project of the pool and the reader service account. */
  projectId: string;
  /** Workload identity pool id (4-32, lowercase, not starting with "gcp-"). */
  poolId: string;
  /** Provider id inside the pool. */
  providerId: string;
  /** Service account id of the reader the platform impersonates. */
  readerAccountId: string;
  /** The platform identity admitted, and nothing else. */
  identity: GcpPlatformIdentity;
  /** The datasets the platform may read, by a short name used in resource names (e.g. `export`). */
  readableDatasets: Record<string, pulumi.Input<string>>;
  /** Cloud Asset Inventory read for the reader, on the project or the named organization; none when omitted. */
  assetInventory?: GcpConfig["assetInventory"];
}

/**
 * Keyless access for the platform: a workload identity pool whose single provider admits only
 * the configured identity, which may impersonate one reader service account that can read the
 * given datasets and run query jobs. No service account key exists.
 */
export class GcpPlatformAccess extends pulumi.ComponentResource {
  /** Email of the reader service account the platform impersonates. */
  readonly readerEmail: pulumi.Output<string>;
  /** The pool's resource name. */
  readonly poolName: pulumi.Output<string>;
  /** The audience the platform requests STS tokens for: `//iam.googleapis.com/{provider name}`. */
  readonly audience: pulumi.Output<string>;
  /** The IAM member that is the platform identity. */
  readonly platformMember: pulumi.Output<string>;

  constructor(name: string, args: GcpPlatformAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:PlatformAccess", name, {}, opts);
    const child = childOptions(this, args.provider, opts);
    const trust = platformTrust(args.identity);
    const pool = new gcp.iam.WorkloadIdentityPool(
      `${name}-pool`,
      {
        project: args.projectId,
        workloadIdentityPoolId: args.poolId,
        displayName: "Costline platform",
        description: "Keyless access for the Costline platform",
      },
      child,
    );
    const provider = new gcp.iam.WorkloadIdentityPoolProvider(
      `${name}-provider`,
      {
        project: args.projectId,
        workloadIdentityPoolId: pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: args.providerId,
        displayName: `Costline platform (${args.identity.kind})`,
        attributeMapping: trust.attributeMapping,
        attributeCondition: trust.attributeCondition,
        ...trust.source,
      },
      child,
    );
    const reader = new gcp.serviceaccount.Account(
      `${name}-reader`,
      {
        project: args.projectId,
        accountId: args.readerAccountId,
        displayName: "Costline platform reader",
        description: "Impersonated by the Costline platform through workload identity; reads cost data only",
      },
      child,
    );
    const platformMember = pool.name.apply(trust.member);
    new gcp.serviceaccount.IAMMember(
      `${name}-reader-wif`,
      {
        serviceAccountId: pulumi.interpolate`projects/${args.projectId}/serviceAccounts/${reader.email}`,
        role: "roles/iam.workloadIdentityUser",
        member: platformMember,
      },
      child,
    );
    for (const [key, datasetId] of Object.entries(args.readableDatasets)) {
      new gcp.bigquery.DatasetIamMember(
        `${name}-reader-${key}`,
        { project: args.projectId, datasetId, role: "roles/bigquery.dataViewer", member: reader.member },
        child,
      );
    }
    new gcp.projects.IAMMember(
      `${name}-reader-jobs`,
      { project: args.projectId, role: "roles/bigquery.jobUser", member: reader.member },
      child,
    );
    const assets = args.assetInventory;
    if (assets?.organizationId !== undefined) {
      new gcp.organizations.IAMMember(
        `${name}-reader-assets`,
        { orgId: assets.organizationId, role: ASSET_VIEWER, member: reader.member },
        child,
      );
    } else if (assets) {
      new gcp.projects.IAMMember(
        `${name}-reader-assets`,
        { project: args.projectId, role: ASSET_VIEWER, member: reader.member },
        child,
      );
    }
    this.readerEmail = reader.email;
    this.poolName = pool.name;
    this.audience = pulumi.interpolate`//iam.googleapis.com/${provider.name}`;
    this.platformMember = platformMember;
    this.registerOutputs({
      readerEmail: this.readerEmail,
      poolName: this.poolName,
      audience: this.audience,
      platformMember: this.platformMember,
    });
  }
}
