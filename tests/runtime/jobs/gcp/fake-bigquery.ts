import { PassThrough } from "node:stream";
import { BigQuery } from "@google-cloud/bigquery";
import { OAuth2Client } from "google-auth-library";
import nock from "nock";
import { BigQueryRunner } from "../../../../runtime/jobs/gcp/bigquery";
import { Logger } from "../../../../runtime/jobs/shared/log";
import { Redactor } from "../../../../runtime/jobs/shared/redact";
import { gcpSecretManagerSource } from "../../../../runtime/jobs/shared/secret-stores";
import { SecretLoader } from "../../../../runtime/jobs/shared/secrets";

export const PROJECT = "acme-billing";
export const SETTINGS = {
  tenantId: "acme",
  provider: "gcp",
  projectId: PROJECT,
  billingExport: {
    datasetId: "costline_acme_billing_export",
    location: "EU",
    billingAccountIds: ["0A1B2C-3D4E5F-6A7B8C"],
    exportTypes: ["standard", "detailed"],
    expectedTables: [
      "gcp_billing_export_v1_0A1B2C_3D4E5F_6A7B8C",
      "gcp_billing_export_resource_v1_0A1B2C_3D4E5F_6A7B8C",
    ],
  },
  normalized: { datasetId: "costline_acme_normalized", tableId: "focus_cost" },
  reportingCurrency: "USD",
};
/** When the export last wrote a changed month's rows. */
export const EXPORTED_AT = "2026-11-24T05:00:00.000Z";

export const ENV = {
  tenantId: "acme",
  secretProject: PROJECT,
  secretId: "tenant-acme-gcp-acme-billing",
  billingAccountNames: { "0A1B2C-3D4E5F-6A7B8C": "ACME Production" },
};

const f = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  mode: "NULLABLE",
  ...extra,
});
const record = (name: string, fields: unknown[], repeated = false) => ({
  name,
  type: "RECORD",
  mode: repeated ? "REPEATED" : "NULLABLE",
  fields,
});
const kv = [f("key", "STRING"), f("value", "STRING")];

/** The billing export's schema, as tables.get returns it. */
export const EXPORT_SCHEMA = [
  f("billing_account_id", "STRING"),
  record("service", [f("id", "STRING"), f("description", "STRING")]),
  record("sku", [f("id", "STRING"), f("description", "STRING")]),
  f("usage_start_time", "TIMESTAMP"),
  f("usage_end_time", "TIMESTAMP"),
  record("project", [
    f("id", "STRING"),
    f("number", "STRING"),
    f("name", "STRING"),
    record("labels", kv, true),
  ]),
  record("labels", kv, true),
  record("tags", [...kv, f("inherited", "BOOLEAN"), f("namespace", "STRING")], true),
  record("location", [
    f("location", "STRING"),
    f("country", "STRING"),
    f("region", "STRING"),
    f("zone", "STRING"),
  ]),
  record("resource", [f("name", "STRING"), f("global_name", "STRING")]),
  f("export_time", "TIMESTAMP"),
  f("cost", "FLOAT"),
  f("currency", "STRING"),
  f("currency_conversion_rate", "FLOAT"),
  record("usage", [
    f("amount", "FLOAT"),
    f("unit", "STRING"),
    f("amount_in_pricing_units", "FLOAT"),
    f("pricing_unit", "STRING"),
  ]),
  record(
    "credits",
    [
      f("name", "STRING"),
      f("amount", "FLOAT"),
      f("full_name", "STRING"),
      f("id", "STRING"),
      f("type", "STRING"),
    ],
    true,
  ),
  record("invoice", [f("month", "STRING")]),
  f("cost_type", "STRING"),
  f("cost_at_list", "FLOAT"),
  f("transaction_type", "STRING"),
  f("seller_name", "STRING"),
];

export interface FakeJob {
  id: string;
  sql: string;
  dryRun: boolean;
}

/**
 * BigQuery's REST API (https://bigquery.googleapis.com) answered by nock from an in-memory
 * project: the export tables that exist, the normalized rows per month, and the jobs sent. A
 * script job applies its month's rows only when it succeeds, as a committed transaction does.
 */
export class FakeBigQuery {
  /** The settings secret's content, as the GCP component writes it. */
  settings: Record<string, unknown> = SETTINGS;
  exportTables = [...SETTINGS.billingExport.expectedTables];
  normalizedTables = ["focus_cost"];
  /** Normalized rows per month, as readers see them. */
  readonly months = new Map<string, number>();
  /** Invoice months with rows exported since the given run start (answers the "changed months" query). */
  changedMonths: string[] = [];
  lastRunStart?: string;
  /** Rows the export holds per invoice month (what the accounting query counts). */
  exportRows = new Map<string, { read: number; quarantined: number }>();
  /** A script failure to return for the next N script jobs. */
  scriptFailure?: { reason: string; message: string; times: number };
  throttleInserts = 0;
  readonly jobs: FakeJob[] = [];
  private readonly done = new Map<
    string,
    {
      rows: unknown[][];
      fields: { name: string; type: string }[];
      error?: { reason: string; message: string };
    }
  >();
  private readonly logText: string[] = [];

  constructor() {
    nock.disableNetConnect();
    const base = `/bigquery/v2/projects/${PROJECT}`;
    nock("https://bigquery.googleapis.com")
      .persist()
      .get(`${base}/datasets/${SETTINGS.billingExport.datasetId}/tables`)
      .query(true)
      .reply(200, () => this.tableList(SETTINGS.billingExport.datasetId, this.exportTables))
      .get(`${base}/datasets/${SETTINGS.normalized.datasetId}/tables`)
      .query(true)
      .reply(200, () => this.tableList(SETTINGS.normalized.datasetId, this.normalizedTables))
      .get(new RegExp(`${base}/datasets/${SETTINGS.billingExport.datasetId}/tables/[^/?]+$`))
      .query(true)
      .reply(200, () => ({ schema: { fields: EXPORT_SCHEMA }, timePartitioning: { type: "DAY" } }))
      .post(`${base}/jobs`)
      .query(true)
      .reply((_uri, body) =>
        this.insert(
          body as {
            configuration: { dryRun?: boolean; query: { query: string } };
            jobReference: { jobId: string; location: string };
          },
        ),
      )
      .get(new RegExp(`${base}/jobs/[^/?]+`))
      .query(true)
      .reply((uri) => {
        const id = decodeURIComponent(/\/jobs\/([^/?]+)/.exec(uri)![1]!);
        const job = this.done.get(id)!;
        return [
          200,
          {
            jobReference: { projectId: PROJECT, jobId: id, location: "EU" },
            status: job.error
              ? { state: "DONE", errorResult: job.error, errors: [job.error] }
              : { state: "DONE" },
            statistics: { totalBytesProcessed: "2048", query: { totalBytesProcessed: "2048" } },
          },
        ];
      })
      .get(new RegExp(`${base}/queries/[^/?]+`))
      .query(true)
      .reply((uri) => {
        const id = decodeURIComponent(/\/queries\/([^/?]+)/.exec(uri)![1]!);
        const job = this.done.get(id)!;
        return [
          200,
          {
            jobReference: { projectId: PROJECT, jobId: id, location: "EU" },
            jobComplete: true,
            schema: { fields: job.fields },
            rows: job.rows.map((r) => ({ f: r.map((v) => ({ v })) })),
            totalRows: `${job.rows.length}`,
          },
        ];
      });
  }

  private tableList(dataset: string, ids: string[]) {
    return {
      kind: "bigquery#tableList",
      tables: ids.map((tableId) => ({
        id: `${PROJECT}:${dataset}.${tableId}`,
        tableReference: { projectId: PROJECT, datasetId: dataset, tableId },
      })),
    };
  }

  private insert(body: {
    configuration: { dryRun?: boolean; query: { query: string } };
    jobReference: { jobId: string; location: string };
  }) {
    const sql = body.configuration.query.query;
    const dryRun = body.configuration.dryRun === true;
    if (!dryRun && this.throttleInserts > 0) {
      this.throttleInserts--;
      return [
        429,
        {
          error: {
            code: 429,
            message: "Exceeded rate limits",
            errors: [{ reason: "rateLimitExceeded", message: "Exceeded rate limits" }],
          },
        },
      ];
    }
    const id = body.jobReference.jobId ?? `dry_${this.jobs.length}`;
    this.jobs.push({ id, sql, dryRun });
    const reference = { projectId: PROJECT, jobId: id, location: body.jobReference.location };
    if (dryRun)
      return [
        200,
        {
          jobReference: reference,
          status: { state: "DONE" },
          statistics: { totalBytesProcessed: "1099511627776" },
        },
      ];
    this.done.set(id, this.execute(sql));
    return [200, { jobReference: reference, status: { state: "RUNNING" } }];
  }

  private execute(sql: string) {
    const str = (name: string) => ({ name, type: "STRING" });
    const int = (name: string) => ({ name, type: "INTEGER" });
    if (sql.includes("AS since FROM")) return { fields: [str("since")], rows: [[this.lastRunStart ?? null]] };
    if (sql.includes("AS exported FROM"))
      return {
        fields: [str("month"), { name: "exported", type: "TIMESTAMP" }],
        // Epoch microseconds, as the API sends timestamps to a client that asks for int64 ones.
        rows: this.changedMonths.map((m) => [m, String(Date.parse(EXPORTED_AT) * 1000)]),
      };
    if (sql.includes("AS rows_read")) {
      const month = /invoice\.month = '(\d{6})'/.exec(sql)![1]!;
      const c = this.exportRows.get(month) ?? { read: 0, quarantined: 0 };
      return {
        fields: [
          str("file"),
          str("currency"),
          int("rows_read"),
          int("rows_quarantined"),
          int("rows_expected"),
          str("source_cost"),
          str("quarantined_cost"),
          int("rows_without_cost"),
        ],
        rows: c.read
          ? [["t", "EUR", `${c.read}`, `${c.quarantined}`, `${c.read - c.quarantined}`, "1", "0", "0"]]
          : [],
      };
    }
    if (sql.startsWith("BEGIN\n")) {
      if (this.scriptFailure && this.scriptFailure.times > 0) {
        this.scriptFailure.times--;
        return {
          fields: [],
          rows: [],
          error: { reason: this.scriptFailure.reason, message: this.scriptFailure.message },
        };
      }
      const period = /'(\d{4}-\d{2})'/.exec(sql)![1]!;
      const expected = Number(/@@row_count != (\d+)/.exec(sql)![1]);
      this.months.set(period, expected);
      return { fields: [], rows: [] };
    }
    return { fields: [], rows: [] };
  }

  runner() {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: "test-access-token", expiry_date: Date.now() + 3_600_000 });
    const stream = new PassThrough();
    stream.on("data", (d) => this.logText.push(String(d)));
    const redactor = new Redactor();
    const log = new Logger({ format: "json", stream, redactor });
    const bq = new BigQuery({ projectId: PROJECT, authClient: auth, autoRetry: false });
    const secretClient = {
      accessSecretVersion: async (request: { name: string }) => {
        if (request.name !== `projects/${PROJECT}/secrets/${ENV.secretId}/versions/latest`)
          throw Object.assign(new Error("not found"), { code: 5 });
        return [{ payload: { data: Buffer.from(JSON.stringify(this.settings)) } }] as [
          { payload: { data: Buffer } },
        ];
      },
    };
    return {
      bigquery: new BigQueryRunner(bq, {
        location: "EU",
        jobPrefix: "costline_acme_run",
        log,
        sleep: async () => {},
        pollMs: { first: 1, max: 1 },
      }),
      secrets: new SecretLoader({ sources: [gcpSecretManagerSource(secretClient, PROJECT)] }),
      log,
    };
  }

  logs(): Record<string, unknown>[] {
    return this.logText
      .join("")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }

  done_() {
    nock.cleanAll();
    nock.enableNetConnect();
  }
}
