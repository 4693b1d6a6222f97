import { readdirSync } from "node:fs";
import { join } from "node:path";
import { sinkLocation, type TenantConfig } from "../../components/tenant/config";
import { loadTenantFile } from "../tenant/load";

/** One tenant file of the registry: its config, or why it could not be read. */
export type RegistryEntry =
  | { file: string; tenantId: string; config: TenantConfig; error?: undefined }
  | { file: string; tenantId: string; config?: undefined; error: string };

/**
 * Reads the tenant registry (`tenants/*.yaml`). An invalid file does not hide the others: it
 * comes back as an entry with its error, so a run reports it and carries on.
 */
export function readRegistry(dir: string, only: readonly string[] = []): RegistryEntry[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  } catch {
    throw new Error(`tenant registry ${dir} does not exist; create it or pass --registry DIR`);
  }
  const entries: RegistryEntry[] = files.sort().map((f) => {
    const file = join(dir, f);
    const fallbackId = f.replace(/\.ya?ml$/, "");
    try {
      const config = loadTenantFile(file);
      return { file, tenantId: config.tenantId, config };
    } catch (e) {
      return { file, tenantId: fallbackId, error: (e as Error).message };
    }
  });
  const seen = new Map<string, string>();
  for (const [i, e] of entries.entries()) {
    const first = seen.get(e.tenantId);
    if (first)
      entries[i] = {
        file: e.file,
        tenantId: e.tenantId,
        error: `tenantId "${e.tenantId}" is also used by ${first}; tenant ids must be unique`,
      };
    else seen.set(e.tenantId, e.file);
  }
  refuseShared(entries, configClaims);
  const unknown = only.filter((id) => !entries.some((e) => e.tenantId === id));
  if (unknown.length > 0) {
    throw new Error(
      `no tenant ${unknown.map((u) => `"${u}"`).join(", ")} in ${dir}; known: ${entries.map((e) => e.tenantId).join(", ") || "none"}`,
    );
  }
  return only.length > 0 ? entries.filter((e) => only.includes(e.tenantId)) : entries;
}

/** Something one tenant's resources hold that no other tenant's may: a sink, a namespace, a name. */
export interface Claim {
  /** What it is, for the message ("sink", "Kubernetes namespace", "aws:s3/bucket:Bucket name"). */
  what: string;
  /** The thing itself, qualified by where it lives (account, project, cluster). */
  key: string;
  /** How to part the two tenants. */
  fix: string;
}

/**
 * What a tenant's config alone claims: its clusters' namespaces and sinks. Secret paths are
 * physical names (`planNameClaims`): they embed the tenant id, so only the plan can make two meet.
 */
export function configClaims(t: TenantConfig): Claim[] {
  const claims: Claim[] = [];
  for (const cluster of t.kubernetes?.clusters ?? []) {
    // A cluster is known by its kubeconfig context; without one, by the name the tenant gives it.
    const clusterId = cluster.context ?? cluster.name;
    claims.push({
      what: "Kubernetes namespace",
      key: `"${cluster.namespace}" of cluster ${clusterId}`,
      fix: "set kubernetes.clusters[].namespace to a namespace of the tenant's own",
    });
    const at = sinkLocation(cluster.sink);
    if (at) claims.push({ what: "sink", key: at, fix: "give each tenant its own sink bucket or prefix" });
  }
  return claims;
}

/**
 * Turns every valid entry that claims what an earlier one claims into an error naming both
 * tenants and the shared thing: two tenants on one name, sink or namespace would overwrite,
 * read or destroy each other's resources.
 */
export function refuseShared(
  entries: RegistryEntry[],
  claimsOf: (config: TenantConfig, file: string) => Claim[],
) {
  const owners = new Map<string, RegistryEntry>();
  for (const [i, e] of entries.entries()) {
    if (!e.config) continue;
    const problems: string[] = [];
    const mine: string[] = [];
    for (const claim of claimsOf(e.config, e.file)) {
      const id = `${claim.what} ${claim.key}`;
      const owner = owners.get(id);
      if (owner && owner !== e)
        problems.push(
          `tenant "${e.tenantId}" (${e.file}) and tenant "${owner.tenantId}" (${owner.file}) share the ${claim.what} ${claim.key}; ${claim.fix}`,
        );
      else mine.push(id);
    }
    if (problems.length > 0) entries[i] = { file: e.file, tenantId: e.tenantId, error: problems.join("\n") };
    else for (const id of mine) owners.set(id, e);
  }
}

/**
 * `refuseShared` over claims that take time to compute (the physical names of each tenant's
 * offline plan); returns the entries with the tenants that share one made errors.
 */
export async function refuseSharedAsync(
  entries: RegistryEntry[],
  claimsOf: (config: TenantConfig) => Promise<Claim[]>,
): Promise<RegistryEntry[]> {
  const claims = new Map<string, Claim[]>();
  for (const e of entries) {
    // A tenant whose plan fails claims nothing here; its own plan run reports why.
    if (e.config) claims.set(e.file, await claimsOf(e.config).catch(() => []));
  }
  const out = [...entries];
  refuseShared(out, (_config, file) => claims.get(file) ?? []);
  return out;
}
