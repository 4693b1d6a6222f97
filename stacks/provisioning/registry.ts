import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { TenantConfig } from "../../components/tenant/config";
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
  const unknown = only.filter((id) => !entries.some((e) => e.tenantId === id));
  if (unknown.length > 0) {
    throw new Error(
      `no tenant ${unknown.map((u) => `"${u}"`).join(", ")} in ${dir}; known: ${entries.map((e) => e.tenantId).join(", ") || "none"}`,
    );
  }
  return only.length > 0 ? entries.filter((e) => only.includes(e.tenantId)) : entries;
}
