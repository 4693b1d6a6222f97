import { withRetry } from "../shared/retry";

/** The calls of `@azure/arm-costmanagement`'s `exports` operations the job makes. */
export interface ExportsApi {
  get(
    scope: string,
    exportName: string,
  ): Promise<{
    format?: string;
    definition?: { type?: string; timeframe?: string };
    deliveryInfo?: { destination?: { resourceId?: string; container?: string; rootFolderPath?: string } };
  }>;
  getExecutionHistory(
    scope: string,
    exportName: string,
  ): Promise<{
    value?: Array<{ status?: string; processingEndTime?: Date; submittedTime?: Date; runSettings?: unknown }>;
  }>;
  execute(scope: string, exportName: string): Promise<void>;
}

export interface ExportExpectation {
  scope: string;
  exportName: string;
  /** Dataset the export must produce (e.g. FocusCost). */
  dataset: string;
  /** Container it must deliver to. */
  container: string;
  /** Older than this, the data is stale and a run is triggered. */
  maxAgeHours: number;
}

export interface ExportHealth {
  scope: string;
  exportName: string;
  problems: string[];
  lastSuccess?: string;
  triggered: boolean;
}

/**
 * Checks that an export is defined as deployed (dataset, destination) and ran successfully
 * recently; when its data is stale, asks Cost Management to run it now.
 */
export async function checkExport(
  api: ExportsApi,
  want: ExportExpectation,
  now = new Date(),
): Promise<ExportHealth> {
  const health: ExportHealth = {
    scope: want.scope,
    exportName: want.exportName,
    problems: [],
    triggered: false,
  };
  let definition: Awaited<ReturnType<ExportsApi["get"]>>;
  try {
    definition = await withRetry(() => api.get(want.scope, want.exportName));
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    health.problems.push(
      status === 404
        ? `export ${want.exportName} does not exist at ${want.scope}; run pulumi up (or let the Azure Policy remediation deploy it)`
        : status === 403
          ? `the job identity may not read exports at ${want.scope}; grant it Cost Management Reader there`
          : `reading export ${want.exportName} failed: ${(e as Error).message}`,
    );
    return health;
  }
  const type = definition.definition?.type;
  if (type?.toLowerCase() !== want.dataset.toLowerCase()) {
    health.problems.push(
      `export ${want.exportName} produces ${type ?? "an unknown dataset"}, not ${want.dataset}; it was changed outside Pulumi`,
    );
  }
  const container = definition.deliveryInfo?.destination?.container;
  if (container !== want.container) {
    health.problems.push(
      `export ${want.exportName} delivers to container ${container ?? "(none)"}, not ${want.container}`,
    );
  }
  const history = (await withRetry(() => api.getExecutionHistory(want.scope, want.exportName))).value ?? [];
  const successes = history
    .filter((r) => r.status?.toLowerCase() === "completed")
    .map((r) => r.processingEndTime ?? r.submittedTime)
    .filter((d): d is Date => d instanceof Date)
    .sort((a, b) => b.getTime() - a.getTime());
  health.lastSuccess = successes[0]?.toISOString();
  const ageHours = successes[0]
    ? (now.getTime() - successes[0].getTime()) / 3_600_000
    : Number.POSITIVE_INFINITY;
  const failed = history.filter((r) => r.status?.toLowerCase() === "failed").length;
  if (failed > 0 && !successes[0])
    health.problems.push(`export ${want.exportName} has ${failed} failed run(s) and no successful one`);
  if (ageHours > want.maxAgeHours) {
    await withRetry(() => api.execute(want.scope, want.exportName));
    health.triggered = true;
    health.problems.push(
      successes[0]
        ? `export ${want.exportName} last succeeded ${Math.round(ageHours)} h ago (over ${want.maxAgeHours} h); a run was triggered`
        : `export ${want.exportName} has never succeeded; a run was triggered`,
    );
  }
  return health;
}
