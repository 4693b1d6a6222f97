import type { Rate } from "../currency/rates";
import type { Dialect } from "../mapping/dialect";
import {
  BILLING_ACCOUNT_NAME_COLUMNS,
  type BillingAccountNames,
  billingAccountNameRows,
} from "../taxonomy/billing-account-names";
import { normalizeKey } from "../taxonomy/key";
import { REGIONS } from "../taxonomy/regions";
import { type Provider, serviceJoinKeys } from "../taxonomy/services";
import { UNIT_COLUMNS, unitRows } from "../taxonomy/units";
import { type BillingPeriod, periodStart, shiftPeriod } from "./period";

/**
 * The lookup tables of a warehouse query, inline in the statement. Athena has no temporary tables
 * (a CTAS would need Glue write rights and leave a table behind), and BigQuery's exist only inside
 * a script, where a dry run could not price the query. The tables are small: one provider's
 * taxonomy is some hundred rows, the rates of one period a row a currency and day.
 */
type Column = { name: string; type: "string" | "date" | "decimal" };
type Value = string | null;

const engineType = (d: Dialect, type: Column["type"]) =>
  d.columnType(type === "date" ? "date" : type === "decimal" ? "decimal" : "string");

function literal(d: Dialect, type: Column["type"], value: Value): string {
  if (value === null) return `CAST(NULL AS ${engineType(d, type)})`;
  if (type === "date") return `DATE ${d.string(value)}`;
  if (type === "decimal") return d.cast(d.string(value), "decimal");
  return d.string(value);
}

/** A relation of literal rows with named, typed columns, as a parenthesized subquery. */
export function inlineTable(d: Dialect, columns: Column[], rows: Value[][]): string {
  if (d.name === "duckdb")
    throw new Error("inline tables are for the warehouse dialects; DuckDB loads real tables");
  if (rows.length === 0) {
    const nulls = columns
      .map((c) => `CAST(NULL AS ${engineType(d, c.type)}) AS ${d.ident(c.name)}`)
      .join(", ");
    // BigQuery allows no WHERE without a FROM.
    return d.name === "trino"
      ? `(SELECT ${nulls} WHERE FALSE)`
      : `(SELECT ${nulls} FROM UNNEST([1]) AS __none WHERE FALSE)`;
  }
  if (d.name === "trino") {
    const tuples = rows.map((r) => `(${r.map((v, i) => literal(d, columns[i]!.type, v)).join(", ")})`);
    return `(SELECT * FROM (VALUES ${tuples.join(", ")}) AS __values(${columns.map((c) => d.ident(c.name)).join(", ")}))`;
  }
  // The first STRUCT names the fields; every value is typed (a NULL too), so the rows share one type.
  const structs = rows.map(
    (r, n) =>
      `STRUCT(${r.map((v, i) => `${literal(d, columns[i]!.type, v)}${n === 0 ? ` AS ${d.ident(columns[i]!.name)}` : ""}`).join(", ")})`,
  );
  return `(SELECT * FROM UNNEST([${structs.join(", ")}]))`;
}

/**
 * The service, region and units tables of one provider (of all, for a mapping that reads the
 * provider from each row), keyed like runtime/normalize/taxonomy-tables.ts.
 */
export function inlineTaxonomy(
  d: Dialect,
  provider?: Provider,
): { services: string; regions: string; units: string } {
  const services = serviceJoinKeys()
    .filter(({ service }) => provider === undefined || service.provider === provider)
    .map(({ key, service }) => [key, service] as const);
  const regions = REGIONS.filter((r) => provider === undefined || r.provider === provider).map(
    (r) => [normalizeKey(r.id), r] as const,
  );
  const s = (name: string): Column => ({ name, type: "string" });
  return {
    services: inlineTable(
      d,
      ["provider", "key", "serviceName", "category", "subcategory", "family"].map(s),
      [...services].map(([key, e]) => [e.provider, key, e.serviceName, e.category, e.subcategory, e.family]),
    ),
    regions: inlineTable(
      d,
      ["provider", "id", "name", "geo", "country"].map(s),
      [...regions].map(([id, r]) => [r.provider, id, r.name, r.geo, r.country ?? null]),
    ),
    units: inlineTable(
      d,
      [
        ...["provider", "key"].map(s),
        ...UNIT_COLUMNS.map((name): Column => ({ name, type: name === "block" ? "decimal" : "string" })),
      ],
      unitRows(provider).map((u) => [u.provider, u.key, ...u.values]),
    ),
  };
}

/** The billing account names given to the run, `(id, name)`, as runtime/normalize/taxonomy-tables.ts loads them. */
export function inlineBillingAccountNames(d: Dialect, names: BillingAccountNames): string {
  return inlineTable(
    d,
    BILLING_ACCOUNT_NAME_COLUMNS.map((name) => ({ name, type: "string" as const })),
    billingAccountNameRows(names),
  );
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Daily USD rates `(currency, date, usd_per_unit)` for the days a period's charges can fall on (a
 * day of slack either side), each day carrying the rate of the nearest earlier or same date, as
 * runtime/currency/rates.ts builds them for DuckDB. Days before a currency's first rate have none.
 */
export function inlineRates(d: Dialect, rates: readonly Rate[], period: BillingPeriod): string {
  const first = new Date(periodStart(period).getTime() - 86_400_000);
  const last = new Date(periodStart(shiftPeriod(period, 1)).getTime());
  const byCurrency = new Map<string, Rate[]>();
  for (const r of rates) byCurrency.set(r.currency, [...(byCurrency.get(r.currency) ?? []), r]);
  const rows: Value[][] = [];
  for (const [currency, list] of byCurrency) {
    const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
    for (let t = first.getTime(); t <= last.getTime(); t += 86_400_000) {
      const date = day(new Date(t));
      const rate = sorted.filter((r) => r.date <= date).at(-1);
      if (rate) rows.push([currency, date, rate.usdPerUnit]);
    }
  }
  return inlineTable(
    d,
    [
      { name: "currency", type: "string" },
      { name: "date", type: "date" },
      { name: "usd_per_unit", type: "decimal" },
    ],
    rows,
  );
}
