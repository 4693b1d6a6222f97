/**
 * Retries with exponential backoff and full jitter for throttling and transient faults, honouring
 * a server's Retry-After, and bounded in attempts and in the longest single wait. Anything that is
 * not transient fails at once: retrying a permission error only delays the message the user needs.
 */

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** First backoff ceiling; doubles each attempt. */
  baseMs?: number;
  /** No single wait is longer, Retry-After included. */
  maxDelayMs?: number;
  /** Decides which errors are worth another attempt; defaults to `isTransient`. */
  retryable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log it. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

interface ErrorShape {
  name?: string;
  code?: string | number;
  status?: number;
  statusCode?: number;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
  response?: {
    status?: number;
    statusCode?: number;
    headers?: Record<string, unknown> | { get(name: string): unknown };
  };
  headers?: Record<string, unknown>;
}

const THROTTLING =
  /throttl|too ?many ?requests|rate ?exceeded|slow ?down|request ?limit|RequestLimitExceeded|ProvisionedThroughputExceeded|TooManyRequests/i;
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "EPIPE",
  "ServiceUnavailable",
  "InternalError",
]);

function statusOf(e: ErrorShape): number | undefined {
  return (
    e.$metadata?.httpStatusCode ?? e.statusCode ?? e.status ?? e.response?.status ?? e.response?.statusCode
  );
}

/** Throttling (429, SDK throttling errors) and server-side faults (5xx, resets, timeouts). */
export function isTransient(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as ErrorShape;
  if (e.$retryable) return true;
  const status = statusOf(e);
  if (status === 429 || status === 408 || (status !== undefined && status >= 500 && status !== 501))
    return true;
  if (typeof e.code === "string" && TRANSIENT_CODES.has(e.code)) return true;
  return THROTTLING.test(`${e.name ?? ""} ${e.code ?? ""} ${(error as Error).message ?? ""}`);
}

/** The wait a server asked for, in ms, from a Retry-After header (seconds or an HTTP date). */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (!error || typeof error !== "object") return undefined;
  const e = error as ErrorShape;
  const headers = e.response?.headers ?? e.headers;
  if (!headers) return undefined;
  const raw =
    typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get(n: string): unknown }).get("retry-after")
      : ((headers as Record<string, unknown>)["retry-after"] ??
        (headers as Record<string, unknown>)["Retry-After"]);
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Runs `work` until it succeeds, a non-retryable error occurs, or the attempts run out. */
export async function withRetry<T>(
  work: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseMs ?? 200;
  const max = options.maxDelayMs ?? 20_000;
  const retryable = options.retryable ?? isTransient;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryable(error)) throw error;
      const jittered = Math.floor(random() * Math.min(max, base * 2 ** (attempt - 1)));
      const asked = retryAfterMs(error, options.now?.() ?? Date.now());
      const delayMs = Math.min(max, asked === undefined ? jittered : Math.max(asked, jittered));
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
