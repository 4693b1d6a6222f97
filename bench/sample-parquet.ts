/**
 * Parquet forms of the bundled text samples, written on the fly (Parquet is binary, so none is
 * committed). The Parquet is typed the way the providers write it: CUR 2.0 with MAP columns for
 * `resource_tags` / `product` / `cost_category`, TIMESTAMP dates and DOUBLE amounts; the GCP
 * export with its nested STRUCT/LIST columns and TIMESTAMP times. Casts are strict: a sample value
 * that does not fit its Parquet type is an error, not a NULL.
 */

import { DuckDBInstance } from "@duckdb/node-api";

/** CUR 2.0 columns that are maps in Parquet and JSON text in CSV. */
export const CUR2_MAP_COLUMNS: readonly string[] = ["resource_tags", "product", "cost_category", "discount"];

// CUR 2.0 numeric columns all end like this (costs, rates, amounts, fees, commitments, units).
const CUR2_NUMERIC =
  /(_cost|_rate|_amount|_factor|_fee|_for_usage|_for_billing_period|_to_date|_used_commitment|_quantity|_units|_per_reservation|_number_of_reservations|_upfront_value)$/;
const CUR2_TIMESTAMP = /(_date|_time)$/;

/** Writes the CUR 2.0 CSV `csvFile` as Parquet with CUR's column types. */
export async function cur2CsvToParquet(csvFile: string, parquetFile: string): Promise<void> {
  await withConnection(async (run) => {
    const columns = await run(
      `SELECT * FROM read_csv(${sqlString(csvFile)}, header = true, all_varchar = true) LIMIT 0`,
    );
    const select = columns.map((name) => `${cur2Cast(name)} AS ${sqlIdent(name)}`).join(",\n  ");
    await run(
      `COPY (SELECT ${select} FROM read_csv(${sqlString(csvFile)}, header = true, all_varchar = true))
       TO ${sqlString(parquetFile)} (FORMAT parquet)`,
    );
  });
}

function cur2Cast(name: string): string {
  const col = sqlIdent(name);
  if (CUR2_MAP_COLUMNS.includes(name)) return `CAST(CAST(${col} AS JSON) AS MAP(VARCHAR, VARCHAR))`;
  // Numeric first: savings_plan_total_commitment_to_date is an amount despite its name.
  if (CUR2_NUMERIC.test(name)) return `CAST(${col} AS DOUBLE)`;
  if (CUR2_TIMESTAMP.test(name)) return `CAST(strptime(${col}, '%Y-%m-%dT%H:%M:%SZ') AS TIMESTAMP)`;
  return col;
}

/** The timestamp columns of the GCP billing export, written as `YYYY-MM-DD HH:MM:SS UTC` in NDJSON. */
export const GCP_TIMESTAMP_COLUMNS: readonly string[] = ["usage_start_time", "usage_end_time", "export_time"];

const KEY_VALUES = "STRUCT(key VARCHAR, value VARCHAR)[]";

/**
 * BigQuery types of the columns whose shape JSON inference cannot always see (an all-empty list or
 * an all-null struct in a small file would come out as JSON), so every file gets the same schema.
 */
export const GCP_COLUMN_TYPES: Readonly<Record<string, string>> = {
  labels: KEY_VALUES,
  system_labels: KEY_VALUES,
  tags: "STRUCT(key VARCHAR, value VARCHAR, inherited BOOLEAN, namespace VARCHAR)[]",
  credits: "STRUCT(name VARCHAR, amount DOUBLE, full_name VARCHAR, id VARCHAR, type VARCHAR)[]",
  adjustment_info: "STRUCT(id VARCHAR, description VARCHAR, mode VARCHAR, type VARCHAR)",
  location: "STRUCT(location VARCHAR, country VARCHAR, region VARCHAR, zone VARCHAR)",
  usage: "STRUCT(amount DOUBLE, unit VARCHAR, amount_in_pricing_units DOUBLE, pricing_unit VARCHAR)",
  price:
    "STRUCT(effective_price DOUBLE, tier_start_amount DOUBLE, unit VARCHAR, pricing_unit_quantity DOUBLE)",
  cost: "DOUBLE",
  cost_at_list: "DOUBLE",
  currency_conversion_rate: "DOUBLE",
};

/** Writes the GCP billing NDJSON `ndjsonFile` as Parquet with the nested BigQuery schema. */
export async function gcpNdjsonToParquet(ndjsonFile: string, parquetFile: string): Promise<void> {
  await withConnection(async (run) => {
    const source = `read_json(${sqlString(ndjsonFile)}, format = 'newline_delimited', timestampformat = 'none',
                               dateformat = 'none')`;
    const columns = await run(`SELECT * FROM ${source} LIMIT 0`);
    const replace = columns.flatMap((name) => {
      const col = sqlIdent(name);
      if (GCP_TIMESTAMP_COLUMNS.includes(name))
        return [`strptime(${col}, '%Y-%m-%d %H:%M:%S UTC') AS ${col}`];
      const type = GCP_COLUMN_TYPES[name];
      return type ? [`CAST(${col} AS ${type}) AS ${col}`] : [];
    });
    await run(
      `COPY (SELECT * REPLACE (${replace.join(", ")}) FROM ${source}) TO ${sqlString(parquetFile)} (FORMAT parquet)`,
    );
  });
}

type Run = (sql: string) => Promise<string[]>;

async function withConnection(work: (run: Run) => Promise<void>): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await work(async (sql) => (await connection.runAndReadAll(sql)).columnNames());
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
