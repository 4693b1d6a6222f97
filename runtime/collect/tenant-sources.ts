import { CONTAINERS, costStorageAccountName } from "../../components/azure/storage";
import { sinkLocation, type TenantConfig } from "../../components/tenant/config";
import type { Cloud } from "./source";

/** Where one of a tenant's sources is read: a URL as `costline collect --source` takes it. */
export interface PlannedSource {
  cloud: Cloud;
  id: string;
  url: string;
  /** An S3 sink's region (the SDK needs it and the URL does not say it). */
  region?: string;
}

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
 * Where the tenant's stack has each job publish (the Azure job's normalized container, each
 * cluster's object-store sink), less what an override replaces. AWS and GCP jobs write into
 * Athena and BigQuery tables, which collect does not read yet: they are named, not skipped quietly.
 */
export function tenantSources(config: TenantConfig, overrides: readonly SourceOverride[]): TenantPlan {
  const mine = overrides.filter((o) => o.tenant === config.tenantId);
  const overridden = new Set(mine.map((o) => o.cloud));
  const sources: PlannedSource[] = mine.map((o, i) => ({
    cloud: o.cloud,
    id: mine.filter((x) => x.cloud === o.cloud).length > 1 ? `${o.cloud}.${i}` : o.cloud,
    url: o.url,
  }));
  const notCollected: string[] = [];
  if (config.azure && !overridden.has("azure")) {
    sources.push({
      cloud: "azure",
      id: "azure",
      url: `https://${costStorageAccountName(config.tenantId)}.blob.core.windows.net/${CONTAINERS.normalized}`,
    });
  }
  if (config.kubernetes && !overridden.has("kubernetes")) {
    for (const cluster of config.kubernetes.clusters) {
      const url = sinkLocation(cluster.sink);
      const region = cluster.sink.kind === "s3" ? { region: cluster.sink.region } : {};
      if (url) sources.push({ cloud: "kubernetes", id: `kubernetes.${cluster.name}`, url, ...region });
      else
        notCollected.push(
          `kubernetes cluster ${cluster.name} writes to a volume inside the cluster: copy it out and pass --source ${config.tenantId}:kubernetes=file:///path/of/the/copy`,
        );
    }
  }
  for (const cloud of ["aws", "gcp"] as const) {
    if (config[cloud] && !overridden.has(cloud)) {
      notCollected.push(
        `${cloud}: the job writes into ${cloud === "aws" ? "Athena (Glue)" : "BigQuery"} tables, which collect does not read yet; query them there (costline query --views-for ${cloud === "aws" ? "athena" : "bigquery"})`,
      );
    }
  }
  return { tenant: config.tenantId, sources, notCollected };
}
