/**
 * The BigQuery billing export schema (standard and detailed tables), as DuckDB reads NDJSON
 * exported from it. Every scalar leaf is read as text so that a malformed value reaches the
 * mapping's checks (and quarantine) instead of failing the whole file; fields a table lacks are NULL.
 */
/** A scalar, a RECORD (its fields) or a REPEATED RECORD of scalars (`list`). */
type Field = "VARCHAR" | { record: Record<string, Field> } | { list: Record<string, "VARCHAR"> };

const record = (fields: Record<string, Field>): Field => ({ record: fields });
const list = (fields: Record<string, "VARCHAR">): Field => ({ list: fields });
const KV = list({ key: "VARCHAR", value: "VARCHAR" });

const columns: Record<string, Field> = {
  billing_account_id: "VARCHAR",
  service: record({ id: "VARCHAR", description: "VARCHAR" }),
  sku: record({ id: "VARCHAR", description: "VARCHAR" }),
  usage_start_time: "VARCHAR",
  usage_end_time: "VARCHAR",
  project: record({
    id: "VARCHAR",
    number: "VARCHAR",
    name: "VARCHAR",
    labels: KV,
    ancestry_numbers: "VARCHAR",
  }),
  labels: KV,
  system_labels: KV,
  location: record({ location: "VARCHAR", country: "VARCHAR", region: "VARCHAR", zone: "VARCHAR" }),
  tags: list({ key: "VARCHAR", value: "VARCHAR", inherited: "VARCHAR", namespace: "VARCHAR" }),
  resource: record({ name: "VARCHAR", global_name: "VARCHAR" }),
  export_time: "VARCHAR",
  cost: "VARCHAR",
  currency: "VARCHAR",
  currency_conversion_rate: "VARCHAR",
  usage: record({
    amount: "VARCHAR",
    unit: "VARCHAR",
    amount_in_pricing_units: "VARCHAR",
    pricing_unit: "VARCHAR",
  }),
  credits: list({ name: "VARCHAR", amount: "VARCHAR", full_name: "VARCHAR", id: "VARCHAR", type: "VARCHAR" }),
  invoice: record({ month: "VARCHAR", publisher_type: "VARCHAR" }),
  cost_type: "VARCHAR",
  adjustment_info: record({ id: "VARCHAR", description: "VARCHAR", mode: "VARCHAR", type: "VARCHAR" }),
  price: record({
    effective_price: "VARCHAR",
    tier_start_amount: "VARCHAR",
    unit: "VARCHAR",
    pricing_unit_quantity: "VARCHAR",
  }),
  cost_at_list: "VARCHAR",
  transaction_type: "VARCHAR",
  seller_name: "VARCHAR",
  subscription: record({ instance_id: "VARCHAR" }),
};

const sqlType = (f: Field): string => {
  if (f === "VARCHAR") return f;
  const [fields, suffix] = "record" in f ? [f.record, ""] : [f.list, "[]"];
  return `STRUCT(${Object.entries(fields)
    .map(([n, t]) => `${n} ${sqlType(t)}`)
    .join(", ")})${suffix}`;
};

/** The `columns` argument of DuckDB's `read_json` for the export. */
export const GCP_JSON_COLUMNS = `{${Object.entries(columns)
  .map(([name, type]) => `${name}: '${sqlType(type)}'`)
  .join(", ")}}`;

/**
 * The export saved flattened (a query's results saved as CSV or JSON: BigQuery writes no nested or
 * repeated field to CSV, so the query names each record's field, `service.description` or
 * `service_description`, and a repeated record comes as its JSON text, `[{"key":"team","value":"a"}]`).
 * A record's fields and a list are found by either spelling of their path.
 */
const spellings = (path: string[]) => [...new Set([path.join("."), path.join("_")])];

/** True when a file's columns (lower case) are the export's, flattened. */
export function isFlattenedGcp(names: ReadonlySet<string>): boolean {
  return !names.has("service") && spellings(["service", "description"]).some((n) => names.has(n));
}

/** Every column of the flattened export, its paths in both spellings: what a flattened NDJSON file is read with. */
export function flattenedGcpNames(): string[] {
  const walk = (f: Field, path: string[]): string[] =>
    typeof f === "object" && "record" in f
      ? Object.entries(f.record).flatMap(([n, t]) => walk(t, [...path, n]))
      : spellings(path);
  return Object.entries(columns).flatMap(([n, t]) => walk(t, [n]));
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const str = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * The nested relation the gcp-billing mapping reads, over a flattened file's `reader`: a record is
 * built from its fields (one that has none of them is left out, as a nested file without it), a
 * list is parsed from its JSON text with the declared types, the other columns pass through. A list
 * whose text is not a JSON array of records sets `__problem`, for the row to be quarantined.
 * `names` maps the lower-case names of the reader's columns to their spelling.
 */
export function nestedGcpSql(reader: string, names: ReadonlyMap<string, string>): string {
  const used: string[] = [];
  const problems: string[] = [];
  /** The path's value as text: of the one spelling the file has, or the first non-NULL of both. */
  const column = (path: string[]) => {
    const found = spellings(path).flatMap((n) => names.get(n) ?? []);
    used.push(...found);
    const values = found.map((n) => `CAST(${ident(n)} AS VARCHAR)`);
    return values.length > 1 ? `COALESCE(${values.join(", ")})` : values[0];
  };
  const build = (f: Field, path: string[]): string | undefined => {
    if (f === "VARCHAR") return column(path);
    if ("record" in f) {
      const fields = Object.entries(f.record).map(([n, t]) => [n, build(t, [...path, n]), t] as const);
      if (fields.every(([, sql]) => sql === undefined)) return undefined;
      return `{${fields.map(([n, sql, t]) => `${str(n)}: ${sql ?? `CAST(NULL AS ${sqlType(t)})`}`).join(", ")}}`;
    }
    const value = column(path);
    if (!value) return undefined;
    const text = `NULLIF(trim(${value}), '')`;
    const structure = JSON.stringify([Object.fromEntries(Object.keys(f.list).map((n) => [n, "VARCHAR"]))]);
    const parsed = `CASE WHEN json_valid(${text}) THEN CASE WHEN json_type(${text}) = 'ARRAY' THEN from_json(${text}, ${str(structure)}) END END`;
    problems.push(
      `CASE WHEN ${text} IS NOT NULL AND (${parsed}) IS NULL THEN ${str(`bad JSON list in ${path.join(".")}: `)} || substr(${text}, 1, 80) END`,
    );
    return parsed;
  };
  // Top-level scalars keep their names and pass through.
  const nested = Object.entries(columns).flatMap(([n, t]) => {
    const sql = t === "VARCHAR" ? undefined : build(t, [n]);
    return sql ? [`${sql} AS ${ident(n)}`] : [];
  });
  const problem = problems.length ? `COALESCE(${problems.join(", ")})` : "CAST(NULL AS VARCHAR)";
  const rest = used.length ? ` EXCLUDE (${used.map(ident).join(", ")})` : "";
  return `(SELECT *${rest}, ${[...nested, `${problem} AS __problem`].join(", ")} FROM ${reader})`;
}
