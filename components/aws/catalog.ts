import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type OutputVersion, outputColumns, sqlType } from "../../runtime/schema/output";
import type { Cur2Options, ExportColumn } from "./export-tables";
import { cur2Columns, focusColumns } from "./export-tables";
import { type ExportLayout, PARTITION_COLUMN } from "./layout";

/** Glue table names inside the tenant database. */
export const TABLES = { cur2: "cur2", focus: "focus", normalized: "normalized" } as const;

/** A Glue column; names are lowercase because Glue and Athena fold them (and a mixed-case name drifts). */
export interface GlueColumn {
  name: string;
  type: string;
  comment?: string;
}

/**
 * The Glue (Hive DDL) type of an output column, derived from its Trino type in the output schema so
 * that the table follows any change there. Hive has no JSON type: JSON columns are strings.
 */
export function hiveType(trinoType: string): string {
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/i.exec(trinoType);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  const simple: Record<string, string> = {
    VARCHAR: "string",
    JSON: "string",
    DATE: "date",
    DOUBLE: "double",
    BIGINT: "bigint",
    BOOLEAN: "boolean",
  };
  if (/^TIMESTAMP(\(\d+\))?$/i.test(trinoType)) return "timestamp";
  const mapped = simple[trinoType.toUpperCase()];
  if (!mapped) throw new Error(`no Glue type for Trino type ${trinoType}; add it to hiveType`);
  return mapped;
}

/** The normalized table's columns: every output column of the version, in schema order. */
export function normalizedColumns(version: OutputVersion): GlueColumn[] {
  return outputColumns(version).map((c) => ({
    name: c.name.toLowerCase(),
    type: hiveType(sqlType(c.type, "trino")),
    comment: c.description ? `${c.name}: ${c.description}` : c.name,
  }));
}

/** Export columns as Glue columns. */
export const exportGlueColumns = (columns: readonly ExportColumn[]): GlueColumn[] =>
  columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type, comment: c.name }));

/** Guards the tables against a Parquet writer and reader that disagree on a column name. */
function assertUniqueNames(table: string, columns: GlueColumn[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name) || c.name === PARTITION_COLUMN) {
      throw new Error(`table ${table} has the column "${c.name}" twice (names are case-insensitive)`);
    }
    seen.add(c.name);
  }
}

/** Athena workgroup settings. */
export interface WorkgroupSettings {
  /** Largest scan a single query may make, in bytes (at least 10 MB). Default 100 GB. */
  bytesScannedCutoffPerQuery?: number;
}

export const DEFAULT_BYTES_SCANNED_CUTOFF = 100 * 1024 ** 3;

export interface CostCatalogArgs {
  /** The management account (owner of the results bucket). */
  accountId: string;
  /** The bucket layout the tables point into. */
  layout: ExportLayout;
  /** Glue database name. */
  databaseName: string;
  /** Athena workgroup name. */
  workgroupName: string;
  /** The bucket key, used for query results. */
  keyArn: pulumi.Input<string>;
  /** Which raw export tables to declare. */
  includeCur2: boolean;
  includeFocus: boolean;
  /** CUR 2.0 options, which decide the CUR table's columns. */
  cur2: Cur2Options;
  /** The FOCUS version of the normalized table (the tenant's focusVersion). */
  focusVersion: OutputVersion;
  /** Workgroup settings; defaults apply. */
  workgroup?: WorkgroupSettings;
  /** The provider for the tenant's region. */
  provider: aws.Provider;
}

/**
 * The Glue database with tables over the raw exports and the normalized output, and the Athena
 * workgroup everything queries through.
 *
 * The raw export tables use partition projection, not a crawler: the layout is fixed (one
 * `YYYY-MM` folder a billing period), so Athena computes the partitions from the table properties.
 * New months are queryable the moment they land, nothing has to run or be paid for, no role needs
 * Glue write rights for the raw tables, and the schema stays the one declared here instead of
 * whatever a crawler infers from the first file.
 *
 * The normalized table is the exception: its partitions are registered by the job, because a
 * rerun of a period must switch readers to the new files in one step (the job writes a period
 * under a fresh `run=` folder, then moves the partition's location). With projection, Athena would
 * read every folder under the period and show old and new rows together.
 */
export class CostCatalog extends pulumi.ComponentResource {
  /** The Glue database name. */
  readonly databaseName: pulumi.Output<string>;
  /** The workgroup name. */
  readonly workgroupName: pulumi.Output<string>;
  /** Table names by kind. */
  readonly tableNames: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: CostCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:aws:CostCatalog", name, {}, opts);
    const cutoff = args.workgroup?.bytesScannedCutoffPerQuery ?? DEFAULT_BYTES_SCANNED_CUTOFF;
    if (!Number.isInteger(cutoff) || cutoff < 10 * 1024 ** 2) {
      throw new Error(
        `bytesScannedCutoffPerQuery is ${cutoff}; Athena needs a whole number of at least 10485760 (10 MB)`,
      );
    }
    const child = { parent: this, provider: args.provider };
    const { layout } = args;
    const s3 = (prefix: string) => `s3://${layout.bucket}/${prefix}`;

    const database = new aws.glue.CatalogDatabase(
      `${name}-database`,
      { name: args.databaseName, description: "Costline: AWS billing exports and normalized FOCUS data" },
      child,
    );
    const table = (
      kind: keyof typeof TABLES,
      description: string,
      location: string,
      /** The partition folder name under `location`, for projected tables; registered partitions when omitted. */
      projectedFolder: string | undefined,
      columns: GlueColumn[],
    ) => {
      assertUniqueNames(TABLES[kind], columns);
      return new aws.glue.CatalogTable(
        `${name}-${kind}`,
        {
          databaseName: database.name,
          name: TABLES[kind],
          description,
          tableType: "EXTERNAL_TABLE",
          parameters: {
            classification: "parquet",
            EXTERNAL: "TRUE",
            ...(projectedFolder && {
              "projection.enabled": "true",
              [`projection.${PARTITION_COLUMN}.type`]: "date",
              [`projection.${PARTITION_COLUMN}.format`]: "yyyy-MM",
              [`projection.${PARTITION_COLUMN}.range`]: "NOW-3YEARS,NOW",
              [`projection.${PARTITION_COLUMN}.interval`]: "1",
              [`projection.${PARTITION_COLUMN}.interval.unit`]: "MONTHS",
              "storage.location.template": `${location}${projectedFolder}=\${${PARTITION_COLUMN}}/`,
            }),
          },
          partitionKeys: [{ name: PARTITION_COLUMN, type: "string", comment: "billing period, YYYY-MM" }],
          storageDescriptor: {
            location,
            inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            serDeInfo: {
              serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            },
            columns,
          },
        },
        child,
      );
    };
    const tableNames: Record<string, string> = {};
    if (args.includeCur2) {
      table(
        "cur2",
        "CUR 2.0 as delivered by AWS Data Exports",
        s3(layout.cur2.dataPrefix),
        "BILLING_PERIOD",
        exportGlueColumns(cur2Columns(args.cur2)),
      );
      tableNames.cur2 = TABLES.cur2;
    }
    if (args.includeFocus) {
      table(
        "focus",
        "FOCUS 1.2 with AWS columns as delivered by AWS Data Exports",
        s3(layout.focus.dataPrefix),
        "BILLING_PERIOD",
        exportGlueColumns(focusColumns()),
      );
      tableNames.focus = TABLES.focus;
    }
    table(
      "normalized",
      `Costline normalized output: FOCUS ${args.focusVersion} plus x_ columns`,
      s3(layout.normalizedPrefix),
      undefined,
      normalizedColumns(args.focusVersion),
    );
    tableNames.normalized = TABLES.normalized;

    const workgroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: args.workgroupName,
        description: "Costline: queries over the tenant's billing data",
        state: "ENABLED",
        forceDestroy: false,
        configuration: {
          // Clients cannot override the result location, encryption or scan limit.
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: cutoff,
          engineVersion: { selectedEngineVersion: "Athena engine version 3" },
          resultConfiguration: {
            outputLocation: s3(layout.resultsPrefix),
            expectedBucketOwner: args.accountId,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.keyArn },
          },
        },
      },
      child,
    );

    this.databaseName = database.name;
    this.workgroupName = workgroup.name;
    this.tableNames = pulumi.output(tableNames);
    this.registerOutputs({
      databaseName: this.databaseName,
      workgroupName: this.workgroupName,
      tableNames: this.tableNames,
    });
  }
}
