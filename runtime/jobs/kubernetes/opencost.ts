import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withRetry } from "../shared/retry";

const DAY_MS = 86_400_000;

/** UTC midnight of the day `time` falls in. */
export const utcDay = (time: Date) => new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);

/**
 * The days to fetch: every closed UTC day after the last one fetched, up to yesterday, at most
 * `maxDays` (OpenCost keeps limited history; a first run backfills that much).
 */
export function closedDaysToFetch(now: Date, lastFetchedDay: string | undefined, maxDays = 14): Date[] {
  const today = utcDay(now).getTime();
  const earliest = today - maxDays * DAY_MS;
  const after = lastFetchedDay ? Date.parse(`${lastFetchedDay}T00:00:00Z`) + DAY_MS : earliest;
  if (Number.isNaN(after))
    throw new Error(`the saved last fetched day "${lastFetchedDay}" is not a date (YYYY-MM-DD)`);
  const days: Date[] = [];
  for (let t = Math.max(after, earliest); t < today; t += DAY_MS) days.push(new Date(t));
  return days;
}

export interface OpenCostSource {
  /** Base URL of the OpenCost API, e.g. http://opencost.costline.svc:9003 */
  baseUrl: string;
  fetch?: typeof fetch;
}

/**
 * Fetches one closed day of allocations, one step a day, idle and unallocated cost kept as rows
 * of their own, and saves the response as OpenCost JSON for the `opencost` reader.
 */
export async function fetchAllocationDay(
  source: OpenCostSource,
  day: Date,
  dir: string,
): Promise<{ file: string; allocations: number }> {
  const start = utcDay(day);
  const end = new Date(start.getTime() + DAY_MS);
  const url = new URL("/allocation", source.baseUrl);
  url.search = new URLSearchParams({
    window: `${start.toISOString().slice(0, 19)}Z,${end.toISOString().slice(0, 19)}Z`,
    aggregate: "cluster,namespace,controllerKind,controller,pod,container",
    step: "1d",
    accumulate: "false",
    includeIdle: "true",
    shareIdle: "false",
  }).toString();
  const doFetch = source.fetch ?? fetch;
  const body = await withRetry(async () => {
    const response = await doFetch(url);
    if (!response.ok) {
      const error = Object.assign(
        new Error(`OpenCost ${url.pathname} answered ${response.status} ${response.statusText}`),
        {
          status: response.status,
          response: { status: response.status, headers: response.headers },
        },
      );
      throw error;
    }
    return (await response.json()) as { code?: number; data?: unknown; message?: string };
  });
  if (body.code !== 200 || !Array.isArray(body.data)) {
    throw new Error(
      `OpenCost answered code ${body.code ?? "?"}${body.message ? `: ${body.message}` : ""}; expected {"code":200,"data":[...]}`,
    );
  }
  const allocations = (body.data as Array<Record<string, unknown> | null>).reduce(
    (n, step) => n + Object.keys(step ?? {}).length,
    0,
  );
  const file = join(dir, `opencost-${start.toISOString().slice(0, 10)}.json`);
  await writeFile(file, JSON.stringify(body));
  return { file, allocations };
}
