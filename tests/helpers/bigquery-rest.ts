import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { BigQuery } from "@google-cloud/bigquery";
import { OAuth2Client } from "google-auth-library";
import nock from "nock";
import { openEngine, queryRows, sqlPath } from "../../runtime/engine/duckdb";
import { BigQueryRunner } from "../../runtime/jobs/gcp/bigquery";
import { Logger } from "../../runtime/jobs/shared/log";
import { outputColumns } from "../../runtime/schema/output";

export const PROJECT = "acme-billing";
export const TABLE = "`acme-billing.costline_acme_normalized.focus_cost`";
export const RUNS = "`acme-billing.costline_acme_normalized.costline_runs`";

/** The output schema's BigQuery types, as the normalized table declares them (normalized-dataset.ts). */
const BQ_TYPE = {
  string: "STRING",
  decimal: "BIGNUMERIC",
  datetime: "TIMESTAMP",
  date: "DATE",
  json: "JSON",
} as const;

/** The sample's normalized rows as BigQuery's REST API sends them: every value text, timestamps in epoch microseconds. */
export async function restRows(files: string[]): Promise<unknown[][]> {
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    const cols = outputColumns().map((c) =>
      c.type === "datetime" ? `CAST(epoch_us("${c.name}") AS VARCHAR)` : `CAST("${c.name}" AS VARCHAR)`,
    );
    const rows = await queryRows<Record<string, string | null>>(
      engine.connection,
      `SELECT ${cols.map((c, i) => `${c} AS c${i}`).join(", ")} FROM read_parquet([${files.map(sqlPath).join(", ")}])`,
    );
    return rows.map((r) => outputColumns().map((_, i) => r[`c${i}`] ?? null));
  } finally {
    engine.close();
  }
}

/** BigQuery's jobs API, answering the collect's three statements from the given rows. */
export function fakeBigQuery(datasets: Record<string, FakeDataset>) {
  // Nothing leaves the machine; the emulators on loopback (s3rver, azurite) still answer.
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  const results = new Map<
    string,
    {
      fields: { name: string; type: string }[];
      rows: unknown[][];
      error?: { reason: string; message: string };
    }
  >();
  const base = `/bigquery/v2/projects/${PROJECT}`;
  const answer = (sql: string) => {
    const name = Object.keys(datasets).find((d) => sql.includes(`.${d}.`));
    assert.ok(name, `no dataset of ${Object.keys(datasets).join(", ")} in ${sql}`);
    const { rows, runs, error } = datasets[name]!;
    if (sql.includes("SELECT DISTINCT"))
      return { fields: [{ name: "period", type: "STRING" }], rows: [["2025-03"]] };
    if (sql.includes("TO_JSON_STRING(record)"))
      return { fields: [{ name: "record", type: "STRING" }], rows: runs.map((r) => [JSON.stringify(r)]) };
    assert.match(sql, /WHERE FORMAT_TIMESTAMP\('%Y-%m', BillingPeriodStart\) = '2025-03'/);
    const fields = outputColumns().map((c) => ({ name: c.name, type: BQ_TYPE[c.type] }));
    return error ? { fields, rows: [], error: { reason: "accessDenied", message: error } } : { fields, rows };
  };
  nock("https://bigquery.googleapis.com")
    .persist()
    .post(`${base}/jobs`)
    .query(true)
    .reply((_uri, body) => {
      const b = body as {
        configuration: { query: { query: string } };
        jobReference: { jobId: string; location: string };
      };
      results.set(b.jobReference.jobId, answer(b.configuration.query.query));
      return [200, { jobReference: { projectId: PROJECT, ...b.jobReference }, status: { state: "RUNNING" } }];
    })
    .get(new RegExp(`${base}/jobs/[^/?]+`))
    .query(true)
    .reply((uri) => {
      const id = decodeURIComponent(/\/jobs\/([^/?]+)/.exec(uri)![1]!);
      const error = results.get(id)?.error;
      return [
        200,
        {
          jobReference: { projectId: PROJECT, jobId: id, location: "EU" },
          status: error ? { state: "DONE", errorResult: error, errors: [error] } : { state: "DONE" },
          statistics: { totalBytesProcessed: "1" },
        },
      ];
    })
    .get(new RegExp(`${base}/queries/[^/?]+`))
    .query(true)
    .reply((uri) => {
      const id = decodeURIComponent(/\/queries\/([^/?]+)/.exec(uri)![1]!);
      const r = results.get(id)!;
      return [
        200,
        {
          jobReference: { projectId: PROJECT, jobId: id, location: "EU" },
          jobComplete: true,
          schema: { fields: r.fields.map((f) => ({ ...f, mode: "NULLABLE" })) },
          rows: r.rows.map((row) => ({ f: row.map((v) => ({ v })) })),
          totalRows: `${r.rows.length}`,
        },
      ];
    });
}

/** A tenant's normalized dataset as the fake holds it: its rows (REST form), run records, or a denial of its rows. */
export interface FakeDataset {
  rows: unknown[][];
  runs: unknown[];
  error?: string;
}

export function runner(jobPrefix = "costline_collect") {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "test-access-token", expiry_date: Date.now() + 3_600_000 });
  const bq = new BigQuery({ projectId: PROJECT, authClient: auth, autoRetry: false });
  return new BigQueryRunner(bq, {
    location: "EU",
    jobPrefix,
    log: new Logger({ format: "json", stream: new PassThrough() }),
    sleep: async () => {},
    pollMs: { first: 1, max: 1 },
  });
}
