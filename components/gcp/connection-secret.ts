import * as gcp from "@pulumi/gcp";
import type { OutputVersion } from "../../runtime/schema/output";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";

/**
 * What the GCP normalization job reads from its secret at start. Access is keyless, so nothing in
 * it is a credential; it lives in Secret Manager so that every cloud's job finds its settings the
 * same way, at the tenant secret path.
 */
export interface GcpConnectionSettings {
  tenantId: string;
  provider: "gcp";
  projectId: string;
  /** The billing export dataset and the tables the job expects in it. */
  billingExport: {
    datasetId: string;
    location: string;
    billingAccountIds: string[];
    exportTypes: string[];
    expectedTables: string[];
  };
  /** Where the job writes FOCUS rows. */
  normalized: { datasetId: string; tableId: string };
  reportingCurrency: string;
  /** The FOCUS version of the normalized table. */
  focusVersion: OutputVersion;
}

export interface GcpConnectionSecretArgs {
  /** The tenant's GCP provider. */
  provider: gcp.Provider;
  /** The project of the secret. */
  projectId: string;
  /** Secret id: the tenant secret path `tenant-{tenantId}-gcp-{projectId}`. */
  secretId: string;
  /** Regions the secret is replicated to; all inside the tenant's residency. */
  replicaLocations: string[];
  /** The settings stored as the secret's value. */
  settings: pulumi.Input<GcpConnectionSettings>;
  /** Labels for the secret, from the tenant tags. */
  labels: Record<string, string>;
}

/** The tenant's connection settings in Secret Manager, replicated only inside the residency. */
export class GcpConnectionSecret extends pulumi.ComponentResource {
  /** The secret id. */
  readonly secretId: pulumi.Output<string>;
  /** The latest version's resource name, for the job's environment. */
  readonly latestVersionName: pulumi.Output<string>;

  constructor(name: string, args: GcpConnectionSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:ConnectionSecret", name, {}, opts);
    if (args.replicaLocations.length === 0) {
      throw new Error(
        `secret ${args.secretId} needs at least one replica location inside the tenant's residency`,
      );
    }
    const child = childOptions(this, args.provider, opts);
    const secret = new gcp.secretmanager.Secret(
      `${name}-secret`,
      {
        project: args.projectId,
        secretId: args.secretId,
        // Automatic replication may place copies anywhere; user-managed keeps them where residency allows.
        replication: { userManaged: { replicas: args.replicaLocations.map((location) => ({ location })) } },
        labels: args.labels,
      },
      child,
    );
    new gcp.secretmanager.SecretVersion(
      `${name}-settings`,
      {
        secret: pulumi.interpolate`projects/${args.projectId}/secrets/${secret.secretId}`,
        secretData: pulumi.secret(pulumi.output(args.settings).apply((s) => JSON.stringify(s))),
      },
      child,
    );
    this.secretId = secret.secretId;
    this.latestVersionName = pulumi.interpolate`projects/${args.projectId}/secrets/${secret.secretId}/versions/latest`;
    this.registerOutputs({ secretId: this.secretId, latestVersionName: this.latestVersionName });
  }
}
