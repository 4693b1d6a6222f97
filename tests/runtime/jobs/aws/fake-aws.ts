import { PassThrough } from "node:stream";
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import {
  CreatePartitionCommand,
  GetPartitionCommand,
  GetTableCommand,
  GlueClient,
  type Table,
  UpdatePartitionCommand,
} from "@aws-sdk/client-glue";
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { exportGlueColumns, normalizedColumns } from "../../../../components/aws/catalog";
import { cur2Columns } from "../../../../components/aws/export-tables";
import { Logger } from "../../../../runtime/jobs/shared/log";
import { Redactor } from "../../../../runtime/jobs/shared/redact";
import { awsSecretsManagerSource } from "../../../../runtime/jobs/shared/secret-stores";
import { SecretLoader } from "../../../../runtime/jobs/shared/secrets";

export const BUCKET = "costline-acme-111111111111-eu-west-1";
export const DATA = "exports/cur2/costline-acme-cur2/data/";
export const META = "exports/cur2/costline-acme-cur2/metadata/";
export const SECRET_VALUE = "ext-0123456789abcdef";

export const ENV = {
  COSTLINE_TENANT_ID: "acme",
  COSTLINE_REPORTING_CURRENCY: "USD",
  COSTLINE_BUCKET: BUCKET,
  COSTLINE_CUR2_DATA_PREFIX: DATA,
  COSTLINE_FOCUS_DATA_PREFIX: "",
  COSTLINE_NORMALIZED_PREFIX: "normalized/",
  COSTLINE_GLUE_DATABASE: "costline_acme",
  COSTLINE_GLUE_TABLES: JSON.stringify({ cur2: "cur2", normalized: "normalized" }),
  COSTLINE_ATHENA_WORKGROUP: "costline-acme",
  COSTLINE_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:111111111111:secret:tenant-acme-aws-111111111111",
  COSTLINE_METRIC_NAMESPACE: "Costline",
};

const storage = (location: string) => ({
  Location: location,
  InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  SerdeInfo: { SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
});

/** How the fake Athena answers one kind of statement. */
export type Outcome = { fail?: { message: string; retryable?: boolean }; throttle?: number };

/**
 * An in-memory account: S3 objects, Glue partitions and Athena queries over them, behind the real
 * SDK clients mocked with aws-sdk-client-mock. What readers of the normalized table see is the
 * row count stored with the files at the partition's location.
 */
export class FakeAws {
  readonly objects = new Map<string, { modified: Date; rows?: number }>();
  readonly partitions = new Map<string, { location: string; parameters: Record<string, string> }>();
  readonly queries: { id: string; sql: string }[] = [];
  /** Rows per file and currency the accounting query reports, per period. */
  accounting = new Map<string, { read: number; quarantined: number; expected: number }>();
  /** Rows an UNLOAD writes (default: the expected rows); lets a test simulate an export changing mid-run. */
  unloadRows?: number;
  outcomes: Record<"accounting" | "unload" | "count" | "view", Outcome> = {
    accounting: {},
    unload: {},
    count: {},
    view: {},
  };
  projection = false;
  readonly athena = mockClient(AthenaClient);
  readonly glue = mockClient(GlueClient);
  readonly s3 = mockClient(S3Client);
  readonly secrets = mockClient(SecretsManagerClient);
  private readonly states = new Map<string, { state: string; error?: Outcome["fail"]; rows: string[][] }>();
  private readonly logText: string[] = [];
  readonly metricLines: string[] = [];

  constructor() {
    this.s3.on(ListObjectsV2Command).callsFake((input) => {
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(input.Prefix ?? "")).sort();
      return {
        Contents: keys.map((Key) => ({ Key, LastModified: this.objects.get(Key)!.modified })),
        IsTruncated: false,
      };
    });
    this.s3.on(DeleteObjectsCommand).callsFake((input) => {
      for (const o of input.Delete?.Objects ?? []) this.objects.delete(o.Key!);
      return {};
    });
    this.s3.on(PutObjectCommand).callsFake((input) => {
      this.objects.set(input.Key!, { modified: new Date() });
      this.putBodies.set(input.Key!, String(input.Body));
      return {};
    });
    this.secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET_VALUE });
    this.glue.on(GetTableCommand).callsFake((input) => ({ Table: this.table(input.Name!) }));
    this.glue.on(GetPartitionCommand).callsFake((input) => {
      const p = this.partitions.get(input.PartitionValues![0]!);
      if (!p) throw Object.assign(new Error("partition not found"), { name: "EntityNotFoundException" });
      return {
        Partition: {
          Values: input.PartitionValues,
          StorageDescriptor: storage(p.location),
          Parameters: p.parameters,
        },
      };
    });
    const put = (input: {
      PartitionInput?: {
        Values?: string[];
        StorageDescriptor?: { Location?: string };
        Parameters?: Record<string, string>;
      };
    }) => {
      const i = input.PartitionInput!;
      this.partitions.set(i.Values![0]!, {
        location: i.StorageDescriptor!.Location!,
        parameters: i.Parameters ?? {},
      });
      return {};
    };
    this.glue.on(CreatePartitionCommand).callsFake(put);
    this.glue.on(UpdatePartitionCommand).callsFake(put);
    this.athena.on(StartQueryExecutionCommand).callsFake((input) => this.start(input.QueryString!));
    this.athena.on(GetQueryExecutionCommand).callsFake((input) => {
      const q = this.states.get(input.QueryExecutionId!)!;
      return {
        QueryExecution: {
          QueryExecutionId: input.QueryExecutionId,
          Status: {
            State: q.state,
            StateChangeReason: q.error?.message,
            AthenaError: q.error
              ? { ErrorCategory: 2, Retryable: q.error.retryable ?? false, ErrorMessage: q.error.message }
              : undefined,
          },
          Statistics: {
            DataScannedInBytes: 1000 + this.queries.findIndex((x) => x.id === input.QueryExecutionId),
          },
        },
      };
    });
    this.athena.on(GetQueryResultsCommand).callsFake((input) => ({
      ResultSet: {
        Rows: this.states
          .get(input.QueryExecutionId!)!
          .rows.map((r) => ({ Data: r.map((VarCharValue) => ({ VarCharValue })) })),
      },
    }));
    this.athena.on(StopQueryExecutionCommand).resolves({});
  }

  readonly putBodies = new Map<string, string>();

  private table(name: string): Table {
    const normalized = name === "normalized";
    return {
      Name: name,
      DatabaseName: ENV.COSTLINE_GLUE_DATABASE,
      Parameters:
        this.projection && normalized ? { "projection.enabled": "true" } : { classification: "parquet" },
      PartitionKeys: [{ Name: "billing_period", Type: "string" }],
      StorageDescriptor: {
        ...storage(`s3://${BUCKET}/${normalized ? "normalized/" : DATA}`),
        Columns: (normalized
          ? normalizedColumns("1.2")
          : exportGlueColumns(
              cur2Columns({ granularity: "DAILY", splitCostAllocation: false, capacityReservations: false }),
            )
        ).map((c) => ({ Name: c.name, Type: c.type })),
      },
    };
  }

  private throttled = new Map<string, number>();

  private start(sql: string) {
    if (sql.includes('AS "checked"')) return this.answerCheck(sql);
    const kind = sql.startsWith("UNLOAD")
      ? "unload"
      : sql.startsWith("CREATE OR REPLACE VIEW")
        ? "view"
        : sql.includes("AS rows_read")
          ? "accounting"
          : "count";
    const quarantine = kind === "unload" && sql.includes("/_costline/quarantine/");
    const outcome = this.outcomes[kind];
    const seen = this.throttled.get(kind) ?? 0;
    if (outcome.throttle && seen < outcome.throttle) {
      this.throttled.set(kind, seen + 1);
      throw Object.assign(new Error("Rate exceeded"), {
        name: "TooManyRequestsException",
        $metadata: { httpStatusCode: 400 },
      });
    }
    const id = `q-${this.queries.length + 1}`;
    this.queries.push({ id, sql });
    const period = /billing_period"? = '(\d{4}-\d{2})'/.exec(sql)?.[1] ?? "";
    let rows: string[][] = [];
    if (outcome.fail) {
      this.states.set(id, { state: "FAILED", error: outcome.fail, rows });
      if (kind === "unload") this.writeUnload(sql, 3); // a failed UNLOAD may leave part of its files
      return { QueryExecutionId: id };
    }
    const counts = this.accounting.get(period) ?? { read: 0, quarantined: 0, expected: 0 };
    if (kind === "accounting") {
      rows = [
        [
          "file",
          "currency",
          "rows_read",
          "rows_quarantined",
          "rows_expected",
          "source_cost",
          "quarantined_cost",
          "rows_without_cost",
        ],
        [
          `s3://${BUCKET}/${DATA}BILLING_PERIOD=${period}/a.parquet`,
          "USD",
          `${counts.read}`,
          `${counts.quarantined}`,
          `${counts.expected}`,
          "10",
          "0",
          "0",
        ],
      ];
    } else if (quarantine) {
      this.writeUnload(sql, counts.quarantined);
    } else if (kind === "unload") {
      this.writeUnload(sql, this.unloadRows ?? counts.expected);
    } else {
      const location = this.partitions.get(period)?.location ?? "";
      const key = location.replace(`s3://${BUCKET}/`, "");
      const visible = [...this.objects]
        .filter(([k]) => k.startsWith(key))
        .reduce((n, [, o]) => n + (o.rows ?? 0), 0);
      rows = [["n"], [`${visible}`]];
    }
    this.states.set(id, { state: "SUCCEEDED", rows });
    return { QueryExecutionId: id };
  }

  /** The checks' queries read a table the fake does not hold: they see no rows. */
  private answerCheck(sql: string) {
    const id = `q-${this.queries.length + 1}`;
    this.queries.push({ id, sql });
    this.states.set(id, {
      state: "SUCCEEDED",
      rows: [["n"], ...(sql.startsWith("SELECT count(*) AS n FROM") ? [["0"]] : [])],
    });
    return { QueryExecutionId: id };
  }

  private writeUnload(sql: string, rows: number) {
    const to = /TO 's3:\/\/[^/]+\/([^']+)'/.exec(sql)![1]!;
    this.objects.set(`${to}part-00000.snappy.parquet`, { modified: new Date(), rows });
  }

  /** Export files of a billing period, delivered at `modified`. */
  deliver(period: string, modified: string) {
    this.objects.set(`${DATA}BILLING_PERIOD=${period}/costline-acme-cur2-00001.snappy.parquet`, {
      modified: new Date(modified),
    });
    this.objects.set(`${META}BILLING_PERIOD=${period}/costline-acme-cur2-Manifest.json`, {
      modified: new Date(modified),
    });
  }

  /** A period normalized before, with its files and partition. */
  normalizedBefore(period: string, runId: string, rows: number, sourceModified: string) {
    const key = `normalized/billing_period=${period}/run=${runId}/`;
    this.objects.set(`${key}part-00000.snappy.parquet`, { modified: new Date(sourceModified), rows });
    this.partitions.set(period, {
      location: `s3://${BUCKET}/${key}`,
      parameters: {
        "costline.run_id": runId,
        "costline.source_last_modified": sourceModified,
        "costline.rows": `${rows}`,
      },
    });
  }

  /** Rows readers of the normalized table see for a period. */
  visibleRows(period: string): number | undefined {
    const p = this.partitions.get(period);
    if (!p) return undefined;
    const key = p.location.replace(`s3://${BUCKET}/`, "");
    return [...this.objects].filter(([k]) => k.startsWith(key)).reduce((n, [, o]) => n + (o.rows ?? 0), 0);
  }

  deps() {
    const redactor = new Redactor();
    const stream = new PassThrough();
    stream.on("data", (d) => this.logText.push(String(d)));
    const metrics = new PassThrough();
    metrics.on("data", (d) => this.metricLines.push(...String(d).trim().split("\n")));
    return {
      athena: new AthenaClient({ region: "eu-west-1" }),
      glue: new GlueClient({ region: "eu-west-1" }),
      s3: new S3Client({ region: "eu-west-1" }),
      secrets: new SecretLoader({
        sources: [awsSecretsManagerSource(new SecretsManagerClient({ region: "eu-west-1" }))],
        redactor,
      }),
      log: new Logger({ format: "json", stream, redactor }),
      metrics,
      sleep: async () => {},
      runId: "run-2",
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

  restore() {
    for (const m of [this.athena, this.glue, this.s3, this.secrets]) m.restore();
  }
}
