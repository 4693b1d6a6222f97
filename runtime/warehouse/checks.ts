import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { ChecksConfig } from "../checks/config";
import type { z } from "zod";
import type { ConnectionRecord } from "../checks/connection";
import { evaluatePolicies } from "../checks/evaluate";
import { anomalies } from "../checks/policies/anomalies";
import type { CheckData, Finding, FocusRows } from "../checks/types";
import type { Dialect } from "../mapping/dialect";
import { duckdb } from "../mapping/duckdb";
import { type OutputColumn, type OutputVersion, outputColumns, sqlType } from "../schema/output";
import { type BillingPeriod, shiftPeriod } from "./period";

/** What the checks of a warehouse run get: the periods just written and a way to query them. */
export interface WarehouseChecksInput {
  tenantId: string;
  /** The engine's dialect: Trino for Athena, BigQuery's for BigQuery. */
  dialect: Dialect;
  /** The normalized table, quoted for the engine. */
  table: string;
  /** The periods this run wrote. */
  periods: BillingPeriod[];
  /** The FOCUS version the table holds; 1.2 when absent. */
  focusVersion?: OutputVersion;
  /**
   * A predicate on the table selecting this tenant's rows of the given billing periods, with the
   * partition predicates that prune the scan to them.
   */
  periodFilter(periods: readonly BillingPeriod[]): string;
  /** What the job knows of the export's delivery and its credentials. */
  connection?: ConnectionRecord;
  now: Date;
  /** Runs a read-only query in the warehouse and returns its rows as text values. */
  query(sql: string): Promise<Record<string, string | null>[]>;
}

/** The checks step of a warehouse job: policy findings over the periods it wrote. */
export type WarehouseChecks = (input: WarehouseChecksInput) => Promise<Finding[]>;

/** Rows per kind of charge, and in all, that the FOCUS validator gets from a warehouse. */
export const SAMPLE = { perKind: 50, max: 2000 } as const;
/** What makes a kind of charge: the columns most FOCUS rules are conditioned on. */
const KINDS = ["ChargeCategory", "ChargeClass", "CommitmentDiscountStatus", "ServiceCategory"];

/**
 * The months the checks read: the periods written and, before the earliest, as many months as
 * the anomaly baseline reaches back (each day of the lookback is judged against the days before it).
 */
export function checkedPeriods(periods: readonly BillingPeriod[], checks: ChecksConfig): BillingPeriod[] {
  const sorted = [...periods].sort();
  if (!sorted.length) return [];
  const baseline = (checks as unknown as Record<string, unknown>)[anomalies.configKey] as z.output<
    typeof anomalies.config
  > & { enabled: boolean };
  const reach = baseline.enabled ? baseline.baselineDays + baseline.lookbackDays : 0;
  const months = Math.ceil(reach / 28);
  const all = new Set(sorted);
  for (let m = 1; m <= months; m++) all.add(shiftPeriod(sorted[0]!, -m));
  return [...all].sort();
}

/**
 * The rows copied into an in-memory DuckDB for the FOCUS validator: the latest `SAMPLE.perKind`
 * rows of each kind of charge, so that rare kinds (purchases, credits, refunds, corrections, unused
 * commitments), where most rules bite, are never crowded out by usage. The copy is typed with the
 * output schema, so the validator's type rules judge the warehouse's types.
 */
async function sampleIntoDuckDB(
  d: Dialect,
  relation: string,
  query: WarehouseChecksInput["query"],
  OUTPUT_COLUMNS: readonly OutputColumn[],
): Promise<{ instance: DuckDBInstance; rows: FocusRows }> {
  const columns = OUTPUT_COLUMNS.map((c) => d.ident(c.name)).join(", ");
  const rank = d.ident("costline_rank");
  const [count] = await query(`SELECT count(*) AS n FROM ${relation}`);
  const sample = await query(
    `SELECT ${columns} FROM (SELECT *, row_number() OVER (PARTITION BY ${KINDS.map(d.ident).join(", ")} ORDER BY ${d.ident("ChargePeriodStart")} DESC, ${d.ident("BilledCost")} DESC) AS ${rank} FROM ${relation}) AS ranked` +
      ` WHERE ${rank} <= ${SAMPLE.perKind} ORDER BY ${KINDS.map(d.ident).join(", ")}, ${rank} LIMIT ${SAMPLE.max}`,
  );
  // DuckDB loads only when a warehouse run gets this far.
  const { DuckDBInstance } = require("@duckdb/node-api") as typeof import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const conn: DuckDBConnection = await instance.connect();
  const table = duckdb.ident("normalized");
  await conn.run(
    `CREATE TABLE ${table} (${OUTPUT_COLUMNS.map((c) => `${duckdb.ident(c.name)} ${sqlType(c.type, "duckdb")}`).join(", ")})`,
  );
  // Glue folds column names to lower case, so results are matched without regard to case.
  const value = (row: Record<string, string | null>, name: string) => {
    const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
    const v = key === undefined ? null : row[key];
    return v === null || v === undefined ? "NULL" : duckdb.string(v);
  };
  for (let i = 0; i < sample.length; i += 500) {
    const values = sample
      .slice(i, i + 500)
      .map((row) => `(${OUTPUT_COLUMNS.map((c) => value(row, c.name)).join(", ")})`);
    await conn.run(`INSERT INTO ${table} VALUES ${values.join(", ")}`);
  }
  const described = await conn.runAndReadAll(`DESCRIBE ${table}`);
  const types = new Map(
    described.getRowObjectsJson().map((r) => [String(r.column_name), String(r.column_type)] as const),
  );
  return {
    instance,
    rows: {
      conn,
      dataset: {
        relation: table,
        source: "warehouse sample",
        format: "parquet",
        columns: types,
        rows: sample.length,
      },
      sample: {
        rows: sample.length,
        of: Number(count?.n ?? 0),
        method: `the latest ${SAMPLE.perKind} rows of each charge category, class, commitment status and service category, at most ${SAMPLE.max}`,
      },
    },
  };
}

/**
 * The tenant's policies, run where the data lives: each policy's SQL goes through the engine's
 * dialect (the seam the mappings compile through) over the periods written and the months their
 * baselines need, and only aggregates leave the warehouse, except the FOCUS validator's sample.
 */
export function warehouseChecks(checks: ChecksConfig): WarehouseChecks {
  return async (input) => {
    const d = input.dialect;
    const relation = `(SELECT * FROM ${input.table} WHERE ${input.periodFilter(checkedPeriods(input.periods, checks))}) AS ${d.ident("checked")}`;
    let copied: DuckDBInstance | undefined;
    const data: CheckData = {
      dialect: d,
      relation,
      columns: new Map(outputColumns(input.focusVersion).map((c) => [c.name, sqlType(c.type, d.name)])),
      rows: input.query,
      focusRows: async () => {
        const { instance, rows } = await sampleIntoDuckDB(
          d,
          relation,
          input.query,
          outputColumns(input.focusVersion),
        );
        copied = instance;
        return rows;
      },
    };
    try {
      return await evaluatePolicies(data, checks, input.connection, input.now);
    } finally {
      copied?.closeSync();
    }
  };
}
