import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { type OutputColumn, type OutputVersion, outputColumns, sqlType } from "../../runtime/schema/output";
import { childOptions } from "./options";

/** One field of a BigQuery table schema, as the BigQuery API takes it. */
export interface BigQueryField {
  name: string;
  type: string;
  mode: "NULLABLE" | "REQUIRED" | "REPEATED";
  description: string;
}

/** The day partition column and the clustering columns (tenant, provider, service). */
export const PARTITION_COLUMN = "x_ChargeDate";
export const CLUSTERING_COLUMNS = ["x_TenantId", "x_Provider", "ServiceName"] as const;

/**
 * The normalized table's schema, derived from the runtime's output schema so that the warehouse
 * and the job can never disagree. Every column is NULLABLE: FOCUS allows null in several of its
 * mandatory columns (ChargeClass, for one), and the job's validator, not the table, enforces the rules.
 */
export function bigQueryOutputSchema(
  version: OutputVersion,
  columns: readonly OutputColumn[] = outputColumns(version),
): BigQueryField[] {
  return columns.map((c) => ({
    name: c.name,
    type: sqlType(c.type, "bigquery"),
    mode: "NULLABLE",
    description: c.description ?? `FOCUS ${version} ${c.name} (${c.level})`,
  }));
}

export interface GcpNormalizedDatasetArgs {
  /** The tenant's GCP provider. */
  provider: gcp.Provider;
  /** The project that holds the dataset. */
  projectId: string;
  /** BigQuery dataset id (letters, digits, underscores). */
  datasetId: string;
  /** BigQuery table id of the normalized cost table. */
  tableId: string;
  /** BigQuery location: the same as the billing export, so that queries never move data out of it. */
  location: string;
  /** Customer-managed key for the dataset and table; Google-managed when omitted. */
  kmsKeyName?: string;
  /** Labels for the dataset and table, from the tenant tags. */
  labels: Record<string, string>;
  /** The FOCUS version of the table's columns (the tenant's focusVersion). */
  focusVersion: OutputVersion;
}

/** The dataset and table the normalization job writes FOCUS rows to, partitioned by day. */
export class GcpNormalizedDataset extends pulumi.ComponentResource {
  /** The dataset's id. */
  readonly datasetId: pulumi.Output<string>;
  /** The table's id. */
  readonly tableId: pulumi.Output<string>;

  constructor(name: string, args: GcpNormalizedDatasetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:NormalizedDataset", name, {}, opts);
    const child = childOptions(this, args.provider, opts);
    const encryption = args.kmsKeyName ? { kmsKeyName: args.kmsKeyName } : undefined;
    const columns = new Set(outputColumns(args.focusVersion).map((c) => c.name));
    for (const column of [PARTITION_COLUMN, ...CLUSTERING_COLUMNS]) {
      if (!columns.has(column)) {
        throw new Error(
          `the normalized table partitions or clusters on ${column}, which runtime/schema/output.ts no longer has; update normalized-dataset.ts`,
        );
      }
    }
    const dataset = new gcp.bigquery.Dataset(
      `${name}-dataset`,
      {
        project: args.projectId,
        datasetId: args.datasetId,
        location: args.location,
        description: `FOCUS ${args.focusVersion} cost rows normalized by Costline`,
        defaultEncryptionConfiguration: encryption,
        deleteContentsOnDestroy: false,
        deletionPolicy: "PREVENT",
        labels: args.labels,
      },
      child,
    );
    const table = new gcp.bigquery.Table(
      `${name}-table`,
      {
        project: args.projectId,
        datasetId: dataset.datasetId,
        tableId: args.tableId,
        description: `FOCUS ${args.focusVersion} columns, then Costline's x_ columns; one partition per charge day`,
        schema: JSON.stringify(bigQueryOutputSchema(args.focusVersion)),
        timePartitioning: { type: "DAY", field: PARTITION_COLUMN },
        clusterings: [...CLUSTERING_COLUMNS],
        encryptionConfiguration: encryption,
        deletionProtection: true,
        labels: args.labels,
      },
      child,
    );
    this.datasetId = dataset.datasetId;
    this.tableId = table.tableId;
    this.registerOutputs({ datasetId: this.datasetId, tableId: this.tableId });
  }
}
