/**
 * The BigQuery billing export schema (standard and detailed tables), as DuckDB reads NDJSON
 * exported from it. Every scalar leaf is read as text so that a malformed value reaches the
 * mapping's checks (and quarantine) instead of failing the whole file; fields a table lacks are NULL.
 */
const KV = "STRUCT(key VARCHAR, value VARCHAR)[]";

const columns: Record<string, string> = {
  billing_account_id: "VARCHAR",
  service: "STRUCT(id VARCHAR, description VARCHAR)",
  sku: "STRUCT(id VARCHAR, description VARCHAR)",
  usage_start_time: "VARCHAR",
  usage_end_time: "VARCHAR",
  project: `STRUCT(id VARCHAR, number VARCHAR, name VARCHAR, labels ${KV}, ancestry_numbers VARCHAR)`,
  labels: KV,
  system_labels: KV,
  location: "STRUCT(location VARCHAR, country VARCHAR, region VARCHAR, zone VARCHAR)",
  tags: "STRUCT(key VARCHAR, value VARCHAR, inherited VARCHAR, namespace VARCHAR)[]",
  resource: "STRUCT(name VARCHAR, global_name VARCHAR)",
  export_time: "VARCHAR",
  cost: "VARCHAR",
  currency: "VARCHAR",
  currency_conversion_rate: "VARCHAR",
  usage: "STRUCT(amount VARCHAR, unit VARCHAR, amount_in_pricing_units VARCHAR, pricing_unit VARCHAR)",
  credits: "STRUCT(name VARCHAR, amount VARCHAR, full_name VARCHAR, id VARCHAR, type VARCHAR)[]",
  invoice: "STRUCT(month VARCHAR, publisher_type VARCHAR)",
  cost_type: "VARCHAR",
  adjustment_info: "STRUCT(id VARCHAR, description VARCHAR, mode VARCHAR, type VARCHAR)",
  price:
    "STRUCT(effective_price VARCHAR, tier_start_amount VARCHAR, unit VARCHAR, pricing_unit_quantity VARCHAR)",
  cost_at_list: "VARCHAR",
  transaction_type: "VARCHAR",
  seller_name: "VARCHAR",
  subscription: "STRUCT(instance_id VARCHAR)",
};

/** The `columns` argument of DuckDB's `read_json` for the export. */
export const GCP_JSON_COLUMNS = `{${Object.entries(columns)
  .map(([name, type]) => `${name}: '${type}'`)
  .join(", ")}}`;
