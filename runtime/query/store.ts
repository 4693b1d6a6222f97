import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { type StoreSummary, unfinishedPublication } from "../normalize/store";

/** The store cannot be read: the message names the folder and what to run or pass instead. */
export class StoreError extends Error {}

/** How one cloud's connection of a tenant stood at the collect run (`costline collect`). */
export const ConnectionHealth = z.object({
  cloud: z.enum(["aws", "gcp", "azure", "kubernetes"]),
  /** Which of the tenant's sources of that cloud (`kubernetes.<cluster>`), when it has several. */
  source: z.string().optional(),
  status: z.enum(["connected", "stale", "failing"]),
  lastSuccessfulRun: z.string().nullable(),
  /** ISO time of the newest charge. */
  dataFreshness: z.string().nullable(),
  problem: z.string().nullable(),
});
export type ConnectionHealth = z.infer<typeof ConnectionHealth>;

/** `collect.json` of a multi-tenant folder. */
export const CollectRecord = z.object({
  collectedAt: z.string(),
  tenants: z.array(z.object({ tenant: z.string(), clouds: z.array(ConnectionHealth) })),
});
export type CollectRecord = z.infer<typeof CollectRecord>;

/** One normalize store: a folder `costline normalize --out` wrote, or a tenant's of a collect folder. */
export interface TenantStore {
  /** The tenant's folder name in a collect folder; absent for a single store. */
  tenant?: string;
  dir: string;
  /** The store's normalized files, by output format. */
  files: { parquet: string[]; csv: string[] };
  summary?: StoreSummary;
}

/**
 * What `query` and `report` read: one normalize store (`DIR/focus`, `DIR/summary.json`), or a
 * collect folder (`DIR/collect.json`, `DIR/tenants/<tenant>/` each a normalize store).
 */
export interface StoreLayout {
  root: string;
  stores: TenantStore[];
  /** Set for a collect folder. */
  collect?: CollectRecord;
}

const TENANTS = "tenants";
const COLLECT = "collect.json";

function filesUnder(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(`.${extension}`))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function readJson<T>(path: string, schema: z.ZodType<T> | undefined, what: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new StoreError(`${path} is not readable JSON (${(e as Error).message}); ${what}`);
  }
  if (!schema) return parsed as T;
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new StoreError(`${path}: ${issue.path.join(".") || "(top)"}: ${issue.message}; ${what}`);
  }
  return result.data;
}

function tenantStore(dir: string, tenant?: string): TenantStore {
  const unfinished = unfinishedPublication(dir);
  if (unfinished) throw new StoreError(unfinished);
  const focus = join(dir, "focus");
  const summaryPath = join(dir, "summary.json");
  return {
    ...(tenant === undefined ? {} : { tenant }),
    dir,
    files: { parquet: filesUnder(focus, "parquet"), csv: filesUnder(focus, "csv") },
    summary: existsSync(summaryPath)
      ? readJson<StoreSummary>(summaryPath, undefined, "it is written by costline normalize: normalize again")
      : undefined,
  };
}

/** Reads the layout of `root`; a missing folder or one without normalized rows is a StoreError. */
export function readLayout(root: string): StoreLayout {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new StoreError(
      `${root} is not a folder: pass --input DIR, a folder written by costline normalize --out DIR or costline collect --out DIR`,
    );
  }
  const tenantsDir = join(root, TENANTS);
  const isCollect =
    existsSync(join(root, COLLECT)) || (existsSync(tenantsDir) && !existsSync(join(root, "focus")));
  const layout: StoreLayout = isCollect
    ? {
        root,
        collect: existsSync(join(root, COLLECT))
          ? readJson(join(root, COLLECT), CollectRecord, "it is written by costline collect: collect again")
          : undefined,
        stores: existsSync(tenantsDir)
          ? readdirSync(tenantsDir, { withFileTypes: true })
              .filter((e) => e.isDirectory())
              .map((e) => tenantStore(join(tenantsDir, e.name), e.name))
              .sort((a, b) => a.tenant!.localeCompare(b.tenant!))
          : [],
      }
    : { root, stores: [tenantStore(root)] };
  if (!layout.stores.some((s) => s.files.parquet.length + s.files.csv.length > 0)) {
    throw new StoreError(
      isCollect
        ? `${root} is a collect folder without normalized data (no files under ${join(root, TENANTS, "<tenant>", "focus")}): run costline collect --out ${root} first`
        : `${root} holds no normalized data (no files under ${join(root, "focus")}): run costline normalize --input PATH... --out ${root} first`,
    );
  }
  return layout;
}
