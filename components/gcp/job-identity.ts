import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";

export interface GcpJobIdentityArgs {
  /** The tenant's GCP provider. */
  provider: gcp.Provider;
  /** The project of the service account, datasets and secret. */
  projectId: string;
  /** Service account id of the job. */
  accountId: string;
  /** The billing export dataset, which the job only reads. */
  exportDatasetId: pulumi.Input<string>;
  /** The normalized dataset, the only one the job writes. */
  normalizedDatasetId: pulumi.Input<string>;
  /** The connection secret, the only secret the job reads. */
  secretId: pulumi.Input<string>;
}

/**
 * The identity the normalization job runs as, with exactly what it needs: read the export, write
 * the normalized dataset, run query jobs, read its own secret. Every grant is on the narrowest
 * resource that carries it; only `bigquery.jobUser` exists at project level alone.
 */
export class GcpJobIdentity extends pulumi.ComponentResource {
  /** The job service account's email. */
  readonly email: pulumi.Output<string>;

  constructor(name: string, args: GcpJobIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:JobIdentity", name, {}, opts);
    const child = childOptions(this, args.provider, opts);
    const account = new gcp.serviceaccount.Account(
      `${name}-account`,
      {
        project: args.projectId,
        accountId: args.accountId,
        displayName: "Costline normalization job",
        description: "Runs the Costline normalization function; reads the billing export, writes FOCUS rows",
      },
      child,
    );
    const member = account.member;
    new gcp.bigquery.DatasetIamMember(
      `${name}-export-reader`,
      {
        project: args.projectId,
        datasetId: args.exportDatasetId,
        role: "roles/bigquery.dataViewer",
        member,
      },
      child,
    );
    new gcp.bigquery.DatasetIamMember(
      `${name}-normalized-writer`,
      {
        project: args.projectId,
        datasetId: args.normalizedDatasetId,
        role: "roles/bigquery.dataEditor",
        member,
      },
      child,
    );
    new gcp.projects.IAMMember(
      `${name}-query-jobs`,
      { project: args.projectId, role: "roles/bigquery.jobUser", member },
      child,
    );
    new gcp.secretmanager.SecretIamMember(
      `${name}-secret-reader`,
      {
        project: args.projectId,
        secretId: args.secretId,
        role: "roles/secretmanager.secretAccessor",
        member,
      },
      child,
    );
    this.email = account.email;
    this.registerOutputs({ email: this.email });
  }
}
