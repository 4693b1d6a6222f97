import type { BigQuery, Job } from "@google-cloud/bigquery";
import type { WarehouseColumn } from "../../warehouse/source";
import type { Logger } from "../shared/log";
import { isTransient, withRetry } from "../shared/retry";

interface SchemaField {
  name: string;
  type: string;
  mode?: string;
  fields?: SchemaField[];
}

const toColumn = (f: SchemaField): WarehouseColumn => ({
  name: f.name,
  type: f.type,
  repeated: f.mode === "REPEATED" || undefined,
  fields: f.fields?.map(toColumn),
});

export interface TableInfo {
  columns: WarehouseColumn[];
  /** Ingestion-time partitioned (the billing export): queries can prune on `_PARTITIONTIME`. */
  ingestionPartitioned: boolean;
}

export interface QueryResult {
  jobId: string;
  bytesProcessed: number;
  rows: Record<string, unknown>[];
}

interface ErrorReason {
  reason?: string;
  message?: string;
}

/** Throttling and transient backend faults, as BigQuery reports them in an error or a job's status. */
export const isBigQueryRetryable = (e: unknown) =>
  isTransient(e) ||
  ((e as { errors?: ErrorReason[] }).errors ?? []).some((r) =>
    ["rateLimitExceeded", "backendError", "internalError", "jobRateLimitExceeded"].includes(r.reason ?? ""),
  );

export class BigQueryJobError extends Error {
  constructor(
    message: string,
    readonly jobId: string,
    readonly errors: ErrorReason[],
  ) {
    super(message);
  }
}

export interface BigQueryRunnerOptions {
  /** The location of the datasets (the billing export's). */
  location: string;
  /** Prefix of job ids, so that a run's jobs are found together. */
  jobPrefix: string;
  log: Logger;
  /** Whole-job attempts when a job fails retryably (concurrent DML, rate limits). Default 3. */
  jobAttempts?: number;
  pollMs?: { first: number; max: number };
  sleep?: (ms: number) => Promise<void>;
}

/** BigQuery calls of the GCP job over `@google-cloud/bigquery`, with retries and polling. */
export class BigQueryRunner {
  private jobs = 0;

  constructor(
    private readonly bq: BigQuery,
    private readonly options: BigQueryRunnerOptions,
  ) {}

  private retry<T>(work: () => Promise<T>): Promise<T> {
    return withRetry(work, {
      retryable: isBigQueryRetryable,
      sleep: this.options.sleep,
      onRetry: ({ attempt, delayMs, error }) =>
        this.options.log.warn("bigquery call throttled or failed; retrying", {
          attempt,
          delayMs,
          error: (error as Error).message,
        }),
    });
  }

  async tableIds(dataset: string): Promise<string[]> {
    const [tables] = await this.retry(() => this.bq.dataset(dataset).getTables({ autoPaginate: true }));
    return tables.map((t) => t.id!).filter(Boolean);
  }

  async table(dataset: string, table: string): Promise<TableInfo> {
    const [metadata] = await this.retry(() => this.bq.dataset(dataset).table(table).getMetadata());
    const m = metadata as { schema?: { fields?: SchemaField[] }; timePartitioning?: { field?: string } };
    return {
      columns: (m.schema?.fields ?? []).map(toColumn),
      ingestionPartitioned: m.timePartitioning !== undefined && !m.timePartitioning.field,
    };
  }

  /** The bytes a statement would process (a dry run costs nothing). */
  async dryRun(sql: string): Promise<number> {
    const [, response] = await this.retry(() =>
      this.bq.createQueryJob({
        query: sql,
        location: this.options.location,
        dryRun: true,
        useLegacySql: false,
      }),
    );
    return Number(
      (response as { statistics?: { totalBytesProcessed?: string } }).statistics?.totalBytesProcessed ?? 0,
    );
  }

  /** Runs a statement or script to completion; `results` fetches its rows. */
  async run(sql: string, what: string, results = false): Promise<QueryResult> {
    const attempts = this.options.jobAttempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(sql, what, results);
      } catch (e) {
        if (!(e instanceof BigQueryJobError) || !isBigQueryRetryable(e) || attempt >= attempts) throw e;
        this.options.log.warn("bigquery job failed retryably; running it again", {
          what,
          jobId: e.jobId,
          attempt,
        });
      }
    }
  }

  private async runOnce(sql: string, what: string, results: boolean): Promise<QueryResult> {
    const jobId = `${this.options.jobPrefix}_${++this.jobs}`;
    const [job] = await this.retry(() =>
      this.bq.createQueryJob({ query: sql, location: this.options.location, jobId, useLegacySql: false }),
    );
    this.options.log.info("bigquery job started", { what, jobId });
    const metadata = await this.wait(job, what);
    const bytesProcessed = Number(
      metadata.statistics?.query?.totalBytesProcessed ?? metadata.statistics?.totalBytesProcessed ?? 0,
    );
    const rows = results
      ? ((await this.retry(() => job.getQueryResults({ autoPaginate: true })))[0] as Record<
          string,
          unknown
        >[])
      : [];
    this.options.log.info("bigquery job succeeded", { what, jobId, bytesProcessed });
    return { jobId, bytesProcessed, rows };
  }

  private async wait(job: Job, what: string) {
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const poll = this.options.pollMs ?? { first: 500, max: 10_000 };
    for (let delay = poll.first; ; delay = Math.min(poll.max, delay * 2)) {
      const [metadata] = await this.retry(() => job.getMetadata());
      const m = metadata as {
        status?: { state?: string; errorResult?: ErrorReason; errors?: ErrorReason[] };
        statistics?: { totalBytesProcessed?: string; query?: { totalBytesProcessed?: string } };
      };
      if (m.status?.state === "DONE") {
        if (m.status.errorResult) {
          const errors = m.status.errors ?? [m.status.errorResult];
          throw new BigQueryJobError(
            `BigQuery job ${job.id} (${what}) failed: ${m.status.errorResult.message}`,
            job.id!,
            errors,
          );
        }
        return m;
      }
      await sleep(delay);
    }
  }
}
