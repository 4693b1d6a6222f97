import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GcpJobSettings } from "./job-contract";
import { childOptions } from "./options";

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
  settings: pulumi.Input<GcpJobSettings>;
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
