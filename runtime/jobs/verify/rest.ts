import type { AuditCheck } from "./types";

/** A REST answer as JSON, whatever its status: the audit checks judge a 403 or 404 themselves. */
export interface RestAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** One call of a JSON REST API (Google APIs, Azure Resource Manager) as the caller. */
export type RestCall = (url: string, request?: { method: "POST"; body: unknown }) => Promise<RestAnswer>;

/** REST calls with a bearer token from the caller's credentials. */
export function bearerRest(accessToken: () => Promise<string>, fetchImpl: typeof fetch = fetch): RestCall {
  return async (url, request) => {
    const response = await fetchImpl(url, {
      method: request?.method ?? "GET",
      headers: {
        authorization: `Bearer ${await accessToken()}`,
        ...(request ? { "content-type": "application/json" } : {}),
      },
      body: request ? JSON.stringify(request.body) : undefined,
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, body };
  };
}

/** The status and the service's own words of a failed answer (Google's and ARM's error shapes alike). */
export function failure(answer: RestAnswer): string {
  const error = (answer.body.error ?? answer.body) as { code?: unknown; status?: unknown; message?: unknown };
  const code = typeof error.status === "string" ? error.status : error.code;
  return `${answer.status}${code ? ` ${code}` : ""}: ${typeof error.message === "string" ? error.message : "no message"}`;
}

/**
 * A read whose 403 or 404 is a finding about the audit settings; any other failure (an outage,
 * a bad request) says nothing about them and stops verify with the service's words.
 */
export async function readSetting(
  rest: RestCall,
  url: string,
  request?: { method: "POST"; body: unknown },
): Promise<RestAnswer> {
  const answer = await rest(url, request);
  if (![200, 403, 404].includes(answer.status)) throw new Error(`${url} answered ${failure(answer)}`);
  return answer;
}

/** The check a refused (403) or missing (404) read fails with: the service's words, and the way past it. */
export function unreadable(
  setting: string,
  answer: RestAnswer,
  fixes: { absent: string; denied: string },
): AuditCheck {
  const absent = answer.status === 404;
  return {
    setting,
    ok: false,
    found: absent ? `absent (${failure(answer)})` : failure(answer),
    fix: absent ? fixes.absent : fixes.denied,
  };
}
