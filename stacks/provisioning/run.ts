import type { TenantConfig } from "../../components/tenant/config";
import type { RegistryEntry } from "./registry";
import type { ChangeCounts, StackPolicyViolation, StackResult, TenantWorkspace } from "./workspace";

export type Operation = "plan" | "up" | "destroy";

/** The outcome for one tenant, as the summary table shows it. */
export interface TenantOutcome {
  tenantId: string;
  file: string;
  status: "succeeded" | "failed";
  changes: ChangeCounts;
  durationMs: number;
  outputs: Record<string, unknown>;
  /** What the policy pack reported on the tenant's stack, advisory violations included. */
  policyViolations: StackPolicyViolation[];
  error?: string;
}

export interface RunOptions {
  /** How many tenants run at once (1 or more). */
  concurrency: number;
  /** Secret config values for a tenant (e.g. kubeconfigs), never printed. */
  secretsFor?: (tenant: TenantConfig) => Record<string, string>;
  /** Called as each tenant finishes, for progress output. */
  onDone?: (outcome: TenantOutcome) => void;
  /** Each line of a tenant's engine output while its operation runs. */
  onProgress?: (tenantId: string, line: string) => void;
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
      const onProgress = options.onProgress;
      const hooks = onProgress ? { progress: (line: string) => onProgress(entry.tenantId, line) } : {};
      const result: StackResult =
        operation === "plan"
          ? await stack.preview(hooks)
          : operation === "up"
            ? await stack.up(hooks)
            : await stack.destroy(hooks);
      outcome = {
        ...base,
        status: "succeeded",
        changes: result.changes,
        outputs: result.outputs,
        policyViolations: result.policyViolations,
        durationMs: now() - started,
      };
    } catch (e) {
      outcome = {
        ...base,
        status: "failed",
        changes: {},
        outputs: {},
        policyViolations: [],
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
  // Advisory violations do not fail a tenant, so they are listed here or nowhere.
  const advisories = outcomes.flatMap((o) =>
    o.policyViolations
      .filter((v) => v.level === "advisory")
      .map(
        (v) => `  ${o.tenantId}: ${v.policy}: ${v.message}${v.urn ? ` (${v.urn.split("::").pop()})` : ""}`,
      ),
  );
  const details = failed.flatMap((o) => [
    "",
    `${o.tenantId}:`,
    ...(o.error ?? "").split("\n").map((l) => `  ${l.trim()}`),
  ]);
  return [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    ...(advisories.length ? ["", `advisory policy violations (${advisories.length}):`, ...advisories] : []),
    ...details,
    "",
    `${operation}: ${outcomes.length - failed.length} succeeded, ${failed.length} failed`,
  ].join("\n");
}

/**
 * The summary as Markdown, for a pull request comment or a job summary: a table of tenants, the
 * policy violations by tenant, and each failure's error in full. Cells are escaped, so an error
 * or a message cannot break the table.
 */
export function renderMarkdown(
  operation: Operation,
  outcomes: readonly TenantOutcome[],
  mode: string,
): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const failed = outcomes.filter((o) => o.status === "failed");
  const violations = outcomes.flatMap((o) =>
    o.policyViolations.map(
      (v) => `| ${cell(o.tenantId)} | ${v.level} | \`${cell(v.policy)}\` | ${cell(v.message)} |`,
    ),
  );
  return [
    `### costline tenants ${operation}: ${outcomes.length - failed.length} succeeded, ${failed.length} failed`,
    "",
    mode === "offline" ? "_Offline plan (no Pulumi CLI): every resource is shown as a create._\n" : "",
    "| tenant | status | changes | duration |",
    "|---|---|---|---|",
    ...outcomes.map(
      (o) =>
        `| ${cell(o.tenantId)} | ${o.status} | ${o.status === "succeeded" ? describeChanges(o.changes) : "-"} | ${(o.durationMs / 1000).toFixed(1)}s |`,
    ),
    ...(violations.length
      ? [
          "",
          `#### Policy violations (${violations.length})`,
          "",
          "| tenant | level | policy | message |",
          "|---|---|---|---|",
          ...violations,
        ]
      : []),
    ...failed.flatMap((o) => ["", `#### ${o.tenantId} failed`, "", "```", o.error ?? "", "```"]),
    "",
  ]
    .filter((l, i, all) => !(l === "" && all[i - 1] === ""))
    .join("\n");
}

/** The first line of an error, cut to fit a table cell. */
function firstLine(error: string): string {
  const [first, ...rest] = error.split("\n").filter((l) => l.trim());
  const cell = first.length > 80 ? `${first.slice(0, 77)}...` : first;
  return rest.length > 0 ? `${cell} (+${rest.length} more below)` : cell;
}
