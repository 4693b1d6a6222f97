import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "./options";

/**
 * The Google APIs the pipeline uses, and why. BigQuery Data Transfer is a prerequisite of the
 * billing export itself; IAM Credentials and STS carry the platform's keyless token exchange;
 * Cloud Build and Artifact Registry build the function; Cloud Run serves it.
 */
export const REQUIRED_APIS = [
  "bigquery.googleapis.com",
  "bigquerydatatransfer.googleapis.com",
  "iam.googleapis.com",
  "iamcredentials.googleapis.com",
  "sts.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "secretmanager.googleapis.com",
  "storage.googleapis.com",
  "cloudfunctions.googleapis.com",
  "run.googleapis.com",
  "cloudbuild.googleapis.com",
  "artifactregistry.googleapis.com",
  "cloudscheduler.googleapis.com",
  "logging.googleapis.com",
] as const;

/** Cloud Asset Inventory, enabled only when the tenant lets the platform read asset metadata. */
export const ASSET_INVENTORY_API = "cloudasset.googleapis.com";

export interface GcpProjectApisArgs {
  /** The tenant's GCP provider. */
  provider: gcp.Provider;
  /** The project to enable the APIs in. */
  projectId: string;
  /** Whether to enable Cloud Asset Inventory as well (the tenant's `gcp.assetInventory`). */
  assetInventory?: boolean;
}

/** Enables the APIs the pipeline needs; everything else in the project depends on this component. */
export class GcpProjectApis extends pulumi.ComponentResource {
  /** The enabled API names. */
  readonly services: pulumi.Output<string[]>;

  constructor(name: string, args: GcpProjectApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:ProjectApis", name, {}, opts);
    const apis = [...REQUIRED_APIS, ...(args.assetInventory ? [ASSET_INVENTORY_API] : [])];
    const enabled = apis.map(
      (service) =>
        new gcp.projects.Service(
          `${name}-${service.split(".")[0]}`,
          // Other workloads in the tenant's project may use the same APIs: removing the pipeline
          // must not switch them off.
          { project: args.projectId, service, disableOnDestroy: false },
          childOptions(this, args.provider, opts),
        ),
    );
    this.services = pulumi.all(enabled.map((s) => s.service));
    this.registerOutputs({ services: this.services });
  }
}
