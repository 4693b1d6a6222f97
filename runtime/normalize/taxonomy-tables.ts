import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "../engine/duckdb";
import { sqlType } from "../schema/output";
import {
  BILLING_ACCOUNT_NAME_COLUMNS,
  type BillingAccountNames,
  billingAccountNameRows,
} from "../taxonomy/billing-account-names";
import { normalizeKey } from "../taxonomy/key";
import { REGIONS } from "../taxonomy/regions";
import { SERVICES, serviceJoinKeys } from "../taxonomy/services";
import { UNIT_COLUMNS, unitRows } from "../taxonomy/units";

const value = (v: string | null) => (v === null ? "NULL" : sqlString(v));

/** A taxonomy entry with a missing field would join as a silent NULL: refuse it by name instead. */
function assertComplete(kind: string, entry: object, fields: string[]) {
  const record = entry as Record<string, unknown>;
  const missing = fields.filter((f) => typeof record[f] !== "string");
  if (missing.length)
    throw new Error(`${kind} taxonomy entry ${JSON.stringify(entry)} lacks ${missing.join(", ")}`);
}

/** Loads the service, region and units tables, keyed by (provider, normalized key). */
export async function loadTaxonomy(
  connection: DuckDBConnection,
  names: { services: string; regions: string; units: string },
) {
  for (const s of SERVICES)
    assertComplete("service", s, ["provider", "key", "serviceName", "category", "subcategory", "family"]);
  for (const r of REGIONS) assertComplete("region", r, ["provider", "id", "name", "geo"]);
  const services = serviceJoinKeys();
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${names.services} (provider VARCHAR, key VARCHAR, "serviceName" VARCHAR, category VARCHAR, subcategory VARCHAR, family VARCHAR)`,
  );
  await connection.run(
    `INSERT INTO ${names.services} VALUES ${services
      .map(({ key, service: s }) =>
        [s.provider, key, s.serviceName, s.category, s.subcategory, s.family].map(value).join(", "),
      )
      .map((row) => `(${row})`)
      .join(", ")}`,
  );
  const regions = new Map(REGIONS.map((r) => [`${r.provider}|${normalizeKey(r.id)}`, r]));
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${names.regions} (provider VARCHAR, id VARCHAR, name VARCHAR, geo VARCHAR, country VARCHAR)`,
  );
  await connection.run(
    `INSERT INTO ${names.regions} VALUES ${[...regions.values()]
      .map((r) => `(${[r.provider, normalizeKey(r.id), r.name, r.geo, r.country].map(value).join(", ")})`)
      .join(", ")}`,
  );
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${names.units} (provider VARCHAR, key VARCHAR, ${UNIT_COLUMNS.map((c) => `${c} ${c === "block" ? sqlType("decimal", "duckdb") : "VARCHAR"}`).join(", ")})`,
  );
  await connection.run(
    `INSERT INTO ${names.units} VALUES ${unitRows()
      .map((u) => `(${[u.provider, u.key, ...u.values].map(value).join(", ")})`)
      .join(", ")}`,
  );
}

/** Loads the billing account names given to the run as a table `(id, name)`, empty when none are. */
export async function loadBillingAccountNames(
  connection: DuckDBConnection,
  table: string,
  names: BillingAccountNames,
) {
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE ${table} (${BILLING_ACCOUNT_NAME_COLUMNS.map((c) => `${c} VARCHAR`).join(", ")})`,
  );
  const rows = billingAccountNameRows(names);
  if (rows.length) {
    await connection.run(
      `INSERT INTO ${table} VALUES ${rows.map((r) => `(${r.map(value).join(", ")})`).join(", ")}`,
    );
  }
}
