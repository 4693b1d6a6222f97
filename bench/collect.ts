/**
 * `npm run bench -- --formats collect [--tenants N]`: `collect` of N synthetic tenants (100 by
 * default) with 4 clouds each, every cloud a published store (publish.ts's layout) in a local
 * folder, one tenant's cloud slow (each read waits) and one failing midway. Reported against a
 * baseline measured in the same run: a plain copy of the same files, one after another. What it
 * shows: with bounded concurrency the slow cloud holds one slot, the failing one fails alone, and
 * the run's time stays near the copy's rather than adding the slow cloud's wait to every tenant.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collect } from "../runtime/collect/run";
import { type CloudSource, pointerStoreSource } from "../runtime/collect/source";
import { localStore } from "../runtime/jobs/stores/local";
import { publishPeriod } from "../runtime/jobs/stores/publish";
import type { ObjectStore } from "../runtime/jobs/stores/store";
import { normalize } from "../runtime/normalize/run";

const CLOUDS = ["aws", "gcp", "azure", "kubernetes"] as const;
const SAMPLE = join(
  __dirname,
  "..",
  "examples",
  "exports",
  "opencost",
  "allocation-namespace-1d-2025-03-01_03.json",
);
/** How long each read of the slow cloud waits. */
const SLOW_READ_MS = 200;

export interface CollectBench {
  tenants: number;
  sources: number;
  baselineSeconds: number;
  collectSeconds: number;
  ratio: number;
  concurrency: number;
  failing: string[];
  slowCollected: boolean;
}

function slowed(store: ObjectStore): ObjectStore {
  return {
    ...store,
    get: async (key) => new Promise((r) => setTimeout(() => r(store.get(key)), SLOW_READ_MS)),
  };
}

function failingAfterFirst(store: ObjectStore): ObjectStore {
  let reads = 0;
  return {
    ...store,
    get: async (key) => {
      if (++reads > 1) throw new Error("connection reset by peer");
      return store.get(key);
    },
  };
}

export async function benchCollect(tenants: number, concurrency = 4): Promise<CollectBench> {
  const dir = mkdtempSync(join(tmpdir(), "costline-bench-collect-"));
  try {
    const normalized = join(dir, "normalized");
    await normalize({ inputs: [SAMPLE], out: normalized, tenantId: "bench" });
    const files = readdirSync(join(normalized, "focus"), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".parquet"))
      .map((f) => join(normalized, "focus", f));
    const stores: { tenant: string; cloud: (typeof CLOUDS)[number]; root: string }[] = [];
    for (let t = 0; t < tenants; t++) {
      for (const cloud of CLOUDS) {
        const root = join(dir, "clouds", `t${t}`, cloud);
        const store = localStore(root);
        await publishPeriod(
          store,
          { root: "focus", provider: cloud, billingPeriod: "2025-03", runId: "r1" },
          files,
        );
        await store.put(
          "_runs/r1/run.json",
          JSON.stringify({ runId: "r1", status: "succeeded", finishedAt: new Date().toISOString() }),
        );
        stores.push({ tenant: `t${t}`, cloud, root });
      }
    }
    // Baseline: the same stores copied one after another, without pointers, health or staging.
    let started = process.hrtime.bigint();
    for (const s of stores) cpSync(s.root, join(dir, "copy", s.tenant, s.cloud), { recursive: true });
    const baselineSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const slowTenant = "t0";
    const failingTenant = `t${Math.min(1, tenants - 1)}`;
    const sourceOf = (s: (typeof stores)[number]): CloudSource => {
      let store = localStore(s.root);
      if (s.tenant === slowTenant && s.cloud === "aws") store = slowed(store);
      if (s.tenant === failingTenant && s.cloud === "gcp") store = failingAfterFirst(store);
      return pointerStoreSource(s.cloud, store);
    };
    started = process.hrtime.bigint();
    const record = await collect({
      out: join(dir, "collected"),
      concurrency,
      tenants: Array.from({ length: tenants }, (_, t) => ({
        tenant: `t${t}`,
        sources: stores.filter((s) => s.tenant === `t${t}`).map(sourceOf),
      })),
    });
    const collectSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      tenants,
      sources: stores.length,
      baselineSeconds,
      collectSeconds,
      ratio: collectSeconds / baselineSeconds,
      concurrency,
      failing: record.tenants.flatMap((t) =>
        t.clouds.filter((c) => c.status === "failing").map((c) => `${t.tenant}/${c.cloud}`),
      ),
      slowCollected: record.tenants
        .find((t) => t.tenant === slowTenant)!
        .clouds.every((c) => c.status === "connected"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
