import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import type { Logger } from "../shared/log";
import { type RetryOptions, withRetry } from "../shared/retry";

/** The one method of the Athena client the job uses (the real client, or a mock in tests). */
export interface AthenaClientLike {
  send(command: unknown): Promise<unknown>;
}

export interface QueryOutcome {
  queryId: string;
  bytesScanned: number;
  /** Result rows (header removed) as text, for SELECTs; empty for UNLOAD. */
  rows: Record<string, string | null>[];
}

export class AthenaQueryError extends Error {
  constructor(
    message: string,
    readonly queryId: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface AthenaRunnerOptions {
  workgroup: string;
  database: string;
  log: Logger;
  /** Retries of the API calls (throttling: TooManyRequestsException). */
  retry?: RetryOptions;
  /** Attempts of a whole query that failed for a reason Athena marks retryable. Default 2. */
  queryAttempts?: number;
  /** Poll intervals: first and longest, in ms. */
  pollMs?: { first: number; max: number };
  /** Epoch ms after which a running query is stopped (the Lambda's own deadline, less a margin). */
  deadline?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Runs Athena queries to completion: start, poll with backoff, fetch results, stop at the deadline. */
export class AthenaRunner {
  constructor(
    private readonly client: AthenaClientLike,
    private readonly options: AthenaRunnerOptions,
  ) {}

  private call<T>(command: unknown): Promise<T> {
    return withRetry(() => this.client.send(command) as Promise<T>, {
      ...this.options.retry,
      sleep: this.options.sleep ?? this.options.retry?.sleep,
      onRetry: ({ attempt, delayMs, error }) =>
        this.options.log.warn("athena call throttled or failed; retrying", {
          attempt,
          delayMs,
          error: (error as Error).name,
        }),
    });
  }

  /**
   * Runs one statement; `results` fetches its rows (SELECT). `beforeRetry` runs before a query
   * that failed retryably is started again (an UNLOAD needs its location emptied first).
   */
  async run(
    sql: string,
    what: string,
    opts: { results?: boolean; beforeRetry?: () => Promise<void> } = {},
  ): Promise<QueryOutcome> {
    const attempts = this.options.queryAttempts ?? 2;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(sql, what, opts.results ?? false);
      } catch (e) {
        if (!(e instanceof AthenaQueryError) || !e.retryable || attempt >= attempts) throw e;
        this.options.log.warn("athena query failed with a retryable error; running it again", {
          what,
          queryId: e.queryId,
          attempt,
        });
        await opts.beforeRetry?.();
      }
    }
  }

  private async runOnce(sql: string, what: string, withResults: boolean): Promise<QueryOutcome> {
    const { QueryExecutionId: queryId } = await this.call<{ QueryExecutionId?: string }>(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.options.workgroup,
        QueryExecutionContext: { Catalog: "AwsDataCatalog", Database: this.options.database },
      }),
    );
    if (!queryId) throw new Error(`Athena returned no query id for ${what}`);
    this.options.log.info("athena query started", { what, queryId });
    const execution = await this.wait(queryId, what);
    const bytesScanned = execution.Statistics?.DataScannedInBytes ?? 0;
    const rows = withResults ? await this.results(queryId) : [];
    this.options.log.info("athena query succeeded", { what, queryId, bytesScanned, rows: rows.length });
    return { queryId, bytesScanned, rows };
  }

  private async wait(queryId: string, what: string): Promise<QueryExecution> {
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const now = this.options.now ?? Date.now;
    const poll = this.options.pollMs ?? { first: 500, max: 10_000 };
    for (let delay = poll.first; ; delay = Math.min(poll.max, delay * 2)) {
      const { QueryExecution: execution } = await this.call<{ QueryExecution?: QueryExecution }>(
        new GetQueryExecutionCommand({ QueryExecutionId: queryId }),
      );
      const state = execution?.Status?.State;
      if (state === "SUCCEEDED") return execution!;
      if (state === "FAILED" || state === "CANCELLED") {
        const error = execution?.Status?.AthenaError;
        const reason = execution?.Status?.StateChangeReason ?? error?.ErrorMessage ?? "no reason given";
        throw new AthenaQueryError(
          `Athena query ${queryId} (${what}) ${state}: ${reason}`,
          queryId,
          error?.Retryable === true,
        );
      }
      const deadline = this.options.deadline?.();
      if (deadline !== undefined && now() + delay > deadline) {
        await this.call(new StopQueryExecutionCommand({ QueryExecutionId: queryId }));
        throw new AthenaQueryError(
          `Athena query ${queryId} (${what}) was stopped: the run ran out of time`,
          queryId,
          false,
        );
      }
      await sleep(delay);
    }
  }

  private async results(queryId: string): Promise<Record<string, string | null>[]> {
    const rows: Record<string, string | null>[] = [];
    let header: string[] | undefined;
    let token: string | undefined;
    do {
      const page = await this.call<{
        ResultSet?: { Rows?: { Data?: { VarCharValue?: string }[] }[] };
        NextToken?: string;
      }>(new GetQueryResultsCommand({ QueryExecutionId: queryId, NextToken: token }));
      for (const row of page.ResultSet?.Rows ?? []) {
        const values = (row.Data ?? []).map((v) => v.VarCharValue ?? null);
        if (!header) header = values.map((v) => v ?? "");
        else rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null])));
      }
      token = page.NextToken;
    } while (token);
    return rows;
  }
}
