import type { TenantConfig } from "../../components/tenant/config";
import type { RegistryEntry } from "./registry";
import type { ChangeCounts, StackResult, TenantWorkspace } from "./workspace";

export type Operation = "plan" | "up" | "destroy";

/** The outcome for one tenant, as the summary table shows it. */
export interface TenantOutcome {
  tenantId: string;
  file: string;
  status: "succeeded" | "failed";
  changes: ChangeCounts;
  durationMs: number;
  outputs: Record<string, unknown>;
  error?: string;
}

export interface RunOptions {
  /** How many tenants run at once (1 or more). */
  concurrency: number;
  /** Secret config values for a tenant (e.g. kubeconfigs), never printed. */
  secretsFor?: (tenant: TenantConfig) => Record<string, string>;
  /** Called as each tenant finishes, for progress output. */
  onDone?: (outcome: TenantOutcome) => void;
  now?: () => number;
}

/** Runs one operation over many tenants with bounded concurrency; one failure never stops the others. */
export async function runTenants(
  operation: Operation,
  entries: readonly RegistryEntry[],
  workspace: TenantWorkspace,
  options: RunOptions,
): Promise<TenantOutcome[]> {
  const now = options.now ?? Date.now;
  return eachBounded(entries, options.concurrency, async (entry) => {
    const started = now();
    const base = { tenantId: entry.tenantId, file: entry.file };
    let outcome: TenantOutcome;
    try {
      if (!entry.config) throw new Error(entry.error);
      const stack = await workspace.open(entry.config, options.secretsFor?.(entry.config) ?? {});
      const result: StackResult =
        operation === "plan"
          ? await stack.preview()
          : operation === "up"
            ? await stack.up()
            : await stack.destroy();
      outcome = {
        ...base,
        status: "succeeded",
        changes: result.changes,
        outputs: result.outputs,
        durationMs: now() - started,
      };
    } catch (e) {
      outcome = {
        ...base,
        status: "failed",
        changes: {},
        outputs: {},
        durationMs: now() - started,
        error: (e as Error).message,
      };
    }
    options.onDone?.(outcome);
    return outcome;
  });
}

/**
 * Runs `work` over every item, at most `concurrency` at once, and returns the results in item
 * order. `work` must not throw: each item's failure is its own result, so one never stops the others.
 */
export async function eachBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`--concurrency must be a whole number of at least 1, not ${concurrency}`);
  }
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** "+2 ~1 -0" style counts; "no changes" when nothing but `same`. */
export function describeChanges(changes: ChangeCounts): string {
  const parts = [
    ["create", "+"],
    ["update", "~"],
    ["replace", "+-"],
    ["delete", "-"],
  ]
    .filter(([op]) => (changes[op] ?? 0) > 0)
    .map(([op, sign]) => `${sign}${changes[op]} ${op}`);
  return parts.length > 0 ? parts.join(", ") : "no changes";
}

/** The per-tenant summary table; each failed tenant's full error follows the table. */
export function renderSummary(operation: Operation, outcomes: readonly TenantOutcome[]): string {
  const rows = outcomes.map((o) => [
    o.tenantId,
    o.status,
    o.status === "succeeded" ? describeChanges(o.changes) : "-",
    `${(o.durationMs / 1000).toFixed(1)}s`,
    Object.keys(o.outputs).join(", ") || "-",
    o.error ? firstLine(o.error) : "",
  ]);
  const header = ["tenant", "status", "changes", "duration", "outputs", "error"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const failed = outcomes.filter((o) => o.status === "failed");
  const details = failed.flatMap((o) => [
    "",
    `${o.tenantId}:`,
    ...(o.error ?? "").split("\n").map((l) => `  ${l.trim()}`),
  ]);
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    ...details,
    "",
    `${operation}: ${outcomes.length - failed.length} succeeded, ${failed.length} failed`,
  ].join("\n");
}

/** The first line of an error, cut to fit a table cell. */
function firstLine(error: string): string {
  const [first, ...rest] = error.split("\n").filter((l) => l.trim());
  const cell = first.length > 80 ? `${first.slice(0, 77)}...` : first;
  return rest.length > 0 ? `${cell} (+${rest.length} more below)` : cell;
}
