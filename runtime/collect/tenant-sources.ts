import { connectorRoleName, exportLayout } from "../../components/aws/layout";
import { CONTAINERS, costStorageAccountName } from "../../components/azure/layout";
import { NORMALIZED_TABLE_ID, normalizedDatasetId, RUNS_TABLE } from "../../components/gcp/job-contract";
import { sinkLocation, type TenantConfig } from "../../components/tenant/config";
import { bigQueryTable } from "../warehouse/statements";
import type { Cloud } from "./source";

/** Where one of a tenant's sources is read: a URL as `costline collect --source` takes it. */
export interface PlannedSource {
  cloud: Cloud;
  id: string;
  url: string;
  /** An S3 sink's or bucket's region (the SDK needs it and the URL does not say it). */
  region?: string;
  /** AWS: the layout the job writes (its run folders and records), not a published store's pointers. */
  runFolders?: { normalizedPrefix: string };
  /** AWS: the connector role to assume, with the tenant's external id from this environment variable. */
  assumeRole?: { roleArn: string; externalIdVariable: string };
  /** What the reading identity needs there, said when a read is denied. */
  deniedHint: string;
  /** GCP: the normalized table and its run records, queried in the dataset's location. */
  bigQuery?: { projectId: string; location: string; normalized: string; runs: string };
}

/** The environment variable `costline collect` reads a tenant's AWS external id from. */
export const externalIdVariable = (tenantId: string) =>
  `COSTLINE_AWS_EXTERNAL_ID_${tenantId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

/** `--source TENANT:CLOUD=URL`: read that tenant's cloud from URL instead of where its stack writes. */
export interface SourceOverride {
  tenant: string;
  cloud: Cloud;
  url: string;
}

export interface TenantPlan {
  tenant: string;
  sources: PlannedSource[];
  /** The tenant's clouds that this collect cannot read, each with why and what to do instead. */
  notCollected: string[];
}

const CLOUDS: readonly Cloud[] = ["aws", "gcp", "azure", "kubernetes"];

/** Parses `TENANT:CLOUD=URL`; undefined names what is wrong. */
export function parseSourceOverride(text: string): SourceOverride | string {
  const m = /^([^:=]+):([^=]+)=(.+)$/.exec(text);
  if (!m) return `--source takes TENANT:CLOUD=URL (e.g. acme:kubernetes=file:///mnt/sink), not "${text}"`;
  const cloud = m[2] as Cloud;
  if (!CLOUDS.includes(cloud))
    return `--source ${text}: the cloud is one of ${CLOUDS.join(", ")}, not "${m[2]}"`;
  return { tenant: m[1]!, cloud, url: m[3]! };
}

/**
 * Where the tenant's stack has each job publish (the AWS job's run folders in the export bucket,
 * read as the connector role; the GCP job's BigQuery table; the Azure job's normalized container;
 * each cluster's object-store sink), less what an override replaces. A volume sink cannot be
 * reached from outside its cluster: it is named, not skipped quietly.
 */
export function tenantSources(config: TenantConfig, overrides: readonly SourceOverride[]): TenantPlan {
  const mine = overrides.filter((o) => o.tenant === config.tenantId);
  const overridden = new Set(mine.map((o) => o.cloud));
  const sources: PlannedSource[] = mine.map((o, i) => ({
    cloud: o.cloud,
    id: mine.filter((x) => x.cloud === o.cloud).length > 1 ? `${o.cloud}.${i}` : o.cloud,
    url: o.url,
    // Without its query: a URL given by hand may carry a token (an Azure SAS), and hints are printed.
    deniedHint: `the identity collect runs as needs to list and read ${o.url.replace(/[?#].*$/, "")}`,
  }));
  const notCollected: string[] = [];
  if (config.azure && !overridden.has("azure")) {
    const account = costStorageAccountName(config.tenantId);
    sources.push({
      cloud: "azure",
      id: "azure",
      url: `https://${account}.blob.core.windows.net/${CONTAINERS.normalized}`,
      deniedHint: config.azure.platformPrincipalId
        ? `run collect as the platform principal ${config.azure.platformPrincipalId} (DefaultAzureCredential): the stack grants it Storage Blob Data Reader on the ${CONTAINERS.normalized} container of storage account ${account}`
        : `set azure.platformPrincipalId in tenant ${config.tenantId}'s file and run pulumi up: the stack then grants that principal Storage Blob Data Reader on the ${CONTAINERS.normalized} container of storage account ${account}, which today only the job may read`,
    });
  }
  if (config.kubernetes && !overridden.has("kubernetes")) {
    for (const cluster of config.kubernetes.clusters) {
      const url = sinkLocation(cluster.sink);
      const region = cluster.sink.kind === "s3" ? { region: cluster.sink.region } : {};
      const deniedHint = `the identity collect runs as needs to list and read ${url} (cluster ${cluster.name}'s sink; the stack grants only the cluster's job)`;
      if (url)
        sources.push({ cloud: "kubernetes", id: `kubernetes.${cluster.name}`, url, deniedHint, ...region });
      else
        notCollected.push(
          `kubernetes cluster ${cluster.name} writes to a volume inside the cluster: copy it out and pass --source ${config.tenantId}:kubernetes=file:///path/of/the/copy`,
        );
    }
  }
  if (config.aws && !overridden.has("aws")) {
    const { managementAccountId: account, region } = config.aws;
    const layout = exportLayout(config.tenantId, account, region);
    sources.push({
      cloud: "aws",
      id: "aws",
      url: `s3://${layout.bucket}`,
      region,
      runFolders: { normalizedPrefix: layout.normalizedPrefix },
      deniedHint: `the connector role reads s3://${layout.bucket}/${layout.normalizedPrefix} (the connectorPolicy of components/aws/policies.ts: run pulumi up for tenant ${config.tenantId} to restore it), and whoever runs collect must be the platform principal its trust names, to sts:AssumeRole it`,
      assumeRole: {
        roleArn: `arn:aws:iam::${account}:role/${connectorRoleName(config.tenantId)}`,
        externalIdVariable: externalIdVariable(config.tenantId),
      },
    });
  }
  if (config.gcp && !overridden.has("gcp")) {
    const { projectId, datasetLocation } = config.gcp;
    const dataset = normalizedDatasetId(config.tenantId);
    sources.push({
      cloud: "gcp",
      id: "gcp",
      url: `bigquery://${projectId}/${dataset}`,
      deniedHint: `run collect as the platform's reader service account (gcloud auth application-default login --impersonate-service-account=...): the GCP stack grants it roles/bigquery.dataViewer on ${dataset} and roles/bigquery.jobUser on ${projectId} (components/gcp/platform-access.ts)`,
      bigQuery: {
        projectId,
        location: datasetLocation,
        normalized: bigQueryTable(projectId, dataset, NORMALIZED_TABLE_ID),
        runs: bigQueryTable(projectId, dataset, RUNS_TABLE),
      },
    });
  }
  return { tenant: config.tenantId, sources, notCollected };
}
