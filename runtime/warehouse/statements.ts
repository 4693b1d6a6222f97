import type { Rate } from "../currency/rates";
import { bigquery } from "../mapping/bigquery";
import { type CompiledPipeline, compilePipeline, forVersion } from "../mapping/compile";
import type { Dialect } from "../mapping/dialect";
import { trino } from "../mapping/trino";
import type { SourceMapping } from "../mapping/types";
import type { Provider } from "../taxonomy/services";
import { DEFAULT_OUTPUT_VERSION, type OutputVersion, outputColumns } from "../schema/output";
import type { BillingAccountNames } from "../taxonomy/billing-account-names";
import { inlineBillingAccountNames, inlineRates, inlineTaxonomy } from "./inline";
import { assertPeriod, type BillingPeriod } from "./period";
import { type SourceTable, sourceRelation } from "./source";

/** What one period's normalization in the warehouse reads and is keyed by. */
export interface PeriodInput {
  mapping: SourceMapping;
  tenantId: string;
  /** The tenant's reporting currency (ISO 4217); USD when absent. */
  reportingCurrency?: string;
  /** The FOCUS version the tenant's table holds; 1.2 when absent. */
  focusVersion?: OutputVersion;
  period: BillingPeriod;
  /** The export tables, each with its period filter. */
  tables: readonly SourceTable[];
  /** Daily USD rates given to the job (none: USD is 1, else the export's own rate where it has one). */
  rates?: readonly Rate[];
  /** Display names of billing accounts given to the job (none: BillingAccountName stays NULL where the export has none). */
  billingAccountNames?: BillingAccountNames;
}

/**
 * The one provider of a mapping the warehouse runs: the jobs normalize a provider's own export,
 * whose rows they replace by provider and period.
 */
export function ownProvider(mapping: SourceMapping): Provider {
  if (typeof mapping.provider !== "string") {
    throw new Error(
      `${mapping.format} reads its provider from each row; the warehouse jobs read one provider's own export`,
    );
  }
  return mapping.provider;
}

/** The compiled mapping over the warehouse relation (the same compiler and mapping as DuckDB's). */
export function compilePeriod(d: Dialect, input: PeriodInput): CompiledPipeline {
  assertPeriod(input.period);
  // Only the raw columns the version's output reads (see forVersion).
  const read = forVersion(input.mapping, input.focusVersion ?? DEFAULT_OUTPUT_VERSION);
  const source = sourceRelation(read, d, input.tables);
  return compilePipeline(input.mapping, d, {
    relation: source.relation,
    textColumns: source.textColumns,
    absentColumns: source.absentColumns,
    tenantId: input.tenantId,
    reportingCurrency: input.reportingCurrency,
    focusVersion: input.focusVersion,
    tables: {
      ...inlineTaxonomy(d, ownProvider(input.mapping)),
      rates: inlineRates(d, input.rates ?? [], input.period),
      billingAccounts: inlineBillingAccountNames(d, input.billingAccountNames ?? {}),
    },
  });
}

/** The output columns as the Glue table names them: Glue and Athena fold names to lower case. */
const glueSelect = (version: OutputVersion | undefined) =>
  outputColumns(version)
    .map((c) => `o.${trino.ident(c.name)} AS ${trino.ident(c.name.toLowerCase())}`)
    .join(", ");

/** An `s3://` location; quotes or spaces in it would break out of the statement's string. */
function assertLocation(location: string): string {
  if (!/^s3:\/\/[a-z0-9.-]{3,63}\/[\w./=-]*\/$/.test(location)) {
    throw new Error(`"${location}" is not an s3:// folder location ending in "/"`);
  }
  return location;
}

/** The Athena statements that normalize one period. */
export interface AthenaPeriodStatements {
  /** Writes the period's Parquet files to a fresh, empty location (never the one readers see). */
  unload: string;
  /** The SELECT inside `unload`, for validation. */
  select: string;
  /** Rows read, quarantined and expected per file and currency (see CompiledPipeline.accounting). */
  accounting: string;
  /** Writes the period's quarantined rows (file, row, reason, raw values) as Parquet to a fresh location. */
  quarantineTo(location: string): string;
}

/**
 * UNLOAD, not CTAS or INSERT: it writes Parquet to a location of our choosing and touches no Glue
 * table, so a failed run leaves nothing in the catalog, and the job role needs no Glue write
 * rights beyond switching the one partition.
 */
export function athenaPeriodStatements(input: PeriodInput, location: string): AthenaPeriodStatements {
  const compiled = compilePeriod(trino, input);
  const select = `SELECT ${glueSelect(input.focusVersion)} FROM (${compiled.output}) AS o`;
  const unloadTo = (query: string, to: string) =>
    `UNLOAD (${query}) TO ${trino.string(assertLocation(to))} WITH (format = 'PARQUET', compression = 'SNAPPY')`;
  return {
    unload: unloadTo(select, location),
    select,
    accounting: compiled.accounting,
    quarantineTo: (to) => unloadTo(compiled.quarantine, to),
  };
}

/** A BigQuery table reference `project.dataset.table`, quoted. */
export function bigQueryTable(project: string, dataset: string, table: string): string {
  for (const [what, value] of [
    ["project", project],
    ["dataset", dataset],
    ["table", table],
  ]) {
    if (!/^[A-Za-z0-9_.:-]+$/.test(value!))
      throw new Error(`BigQuery ${what} id "${value}" has characters an id cannot have`);
  }
  return bigquery.ident(`${project}.${dataset}.${table}`);
}

/** The BigQuery statements that replace one period of one tenant and provider. */
export interface BigQueryPeriodStatements {
  /** Removes the period's rows (a statement of its own for the dry run). */
  delete: string;
  /** Inserts the period's normalized rows. */
  insert: string;
  /**
   * Delete and insert in one transaction, which is rolled back whole on any error, including an
   * insert of other than `expectedRows` rows (the export changed since they were counted).
   */
  script(expectedRows: number): string;
  accounting: string;
  /**
   * Appends the period's quarantined rows to the quarantine table `table` (created when absent),
   * stamped with the run, so that every row the run did not write is kept with its reason.
   */
  quarantine(table: string, runId: string): string;
}

/** The quarantine table's columns: which run set which source row aside, why, and its raw values. */
const QUARANTINE_COLUMNS =
  "tenant_id STRING, run_id STRING, billing_period STRING, source_format STRING, source_file STRING, row_number INT64, reason STRING, raw_row STRING";

export function bigQueryPeriodStatements(input: PeriodInput, target: string): BigQueryPeriodStatements {
  const compiled = compilePeriod(bigquery, input);
  const d = bigquery;
  const columns = outputColumns(input.focusVersion)
    .map((c) => d.ident(c.name))
    .join(", ");
  const period =
    `${d.ident("x_TenantId")} = ${d.string(input.tenantId)} AND ${d.ident("x_Provider")} = ${d.string(ownProvider(input.mapping))}` +
    ` AND ${d.monthKey(d.ident("BillingPeriodStart"))} = ${d.string(input.period)}`;
  const del = `DELETE FROM ${target} WHERE ${period}`;
  const insert = `INSERT INTO ${target} (${columns}) SELECT ${columns} FROM (${compiled.output}) AS o`;
  const script = (expectedRows: number) => {
    if (!Number.isSafeInteger(expectedRows) || expectedRows < 0)
      throw new Error(`expected rows must be a count, not ${expectedRows}`);
    return [
      "BEGIN",
      "  BEGIN TRANSACTION;",
      `  ${del};`,
      `  ${insert};`,
      `  IF @@row_count != ${expectedRows} THEN`,
      `    RAISE USING MESSAGE = CONCAT('inserted ', CAST(@@row_count AS STRING), ' rows, not the ${expectedRows} counted: the export changed during the run');`,
      "  END IF;",
      "  COMMIT TRANSACTION;",
      "EXCEPTION WHEN ERROR THEN",
      "  ROLLBACK TRANSACTION;",
      "  RAISE USING MESSAGE = @@error.message;",
      "END;",
    ].join("\n");
  };
  const quarantine = (table: string, runId: string) =>
    `CREATE TABLE IF NOT EXISTS ${table} (${QUARANTINE_COLUMNS});\n` +
    `INSERT INTO ${table} (tenant_id, run_id, billing_period, source_format, source_file, row_number, reason, raw_row)` +
    ` SELECT ${d.string(input.tenantId)}, ${d.string(runId)}, ${d.string(input.period)}, q.source_format, q.source_file, q.row_number, q.reason, q.raw_row FROM (${compiled.quarantine}) AS q;`;
  return { delete: del, insert, script, accounting: compiled.accounting, quarantine };
}
