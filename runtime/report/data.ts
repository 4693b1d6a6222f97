import type { Finding } from "../checks/types";
import { sqlString } from "../engine/duckdb";
import { type ConnectionHealth, StoreError, type StoreLayout, type TenantStore } from "../query/store";
import { rowObjects, TENANT_COLUMN } from "../query/session";
import type { QueryResult } from "../query/session";
import type { ValidationReport } from "../validate/validator";

/** Every amount of the report is EffectiveCost in USD (the unified view's `cost`) unless it says otherwise. */
export const REPORT_CURRENCY = "USD";

/** How many services the top lists and the movers show. */
const TOP = 10;
/** The movers compare the last this many days of charges with as many days before them. */
export const MOVER_DAYS = 7;

export interface DailyCost {
  date: string;
  /** The provider or the FOCUS ServiceCategory, by chart. */
  key: string;
  cost: number;
}

export interface PeriodTotal {
  period: string;
  cost: number;
  rows: number;
  /** Rows without a USD rate: their cost is not in `cost`; `unconverted` lists it by billing currency. */
  rowsWithoutRate: number;
  unconverted: { currency: string; cost: number }[];
}

export interface ServiceCost {
  provider: string;
  service: string;
  cost: number;
}

export interface Mover extends ServiceCost {
  previous: number;
  change: number;
}

export interface TagCoverage {
  key: string;
  taggedCost: number;
  totalCost: number;
  percent: number;
}

/** A source of the store: one export of one billing account's period, with the run that wrote it. */
export interface SourceHealth {
  tenant?: string;
  provider: string;
  billingAccountId: string;
  format: string;
  period: string;
  rows: number;
  /** When the run that wrote the source finished (ISO), if the store's summary records it. */
  writtenAt: string | null;
  /** The newest ChargePeriodEnd of the source's rows (ISO). */
  newestCharge: string | null;
}

export interface Conformance {
  tenant?: string;
  rows: number;
  focusVersion: string;
  rules: number;
  passed: number;
  failed: number;
  skipped: number;
  mandatoryFailures: number;
  /** The failed rules, MUST first: id, keyword and what it requires. */
  failures: { id: string; keyword: string; requirement: string }[];
}

export interface ReportData {
  title: string;
  generatedAt: string;
  /** When the checks judged the data (budgets' month to date, anomalies' last days). */
  checkedAt: string;
  currency: typeof REPORT_CURRENCY;
  /** The billing periods the data covers, first to last. */
  periods: PeriodTotal[];
  /** The total of every period, in USD: the sum of the unified view's `cost`. */
  total: number;
  latestPeriod: string;
  /** Over a collect folder: each tenant's cost, of every period and of the latest. */
  byTenant?: { tenant: string; cost: number; latestCost: number }[];
  byProvider: DailyCost[];
  byCategory: DailyCost[];
  topServices: ServiceCost[];
  /** The window the movers compare (inclusive ISO dates); absent when the data spans too few days. */
  moversWindow?: { from: string; to: string; previousFrom: string; previousTo: string };
  movers: Mover[];
  tagCoverage: TagCoverage[];
  /** Findings of the tenant's policies; `undefined` when no tenant's checks were given. */
  findings?: Finding[];
  conformance: Conformance[];
  sources: SourceHealth[];
  /** Each tenant's clouds as the collect run found them (a collect folder only). */
  connections?: { tenant: string; clouds: ConnectionHealth[] }[];
  collectedAt?: string;
}

export interface ReportInputs {
  layout: StoreLayout;
  query(sql: string): Promise<QueryResult>;
  /** The tenant's checks (budgets, anomalies and the rest), run over the store when given. */
  runChecks?: (store: TenantStore) => Promise<Finding[]>;
  /** FOCUS conformance of a store's files. */
  validate(store: TenantStore): Promise<ValidationReport>;
  now: Date;
  title: string;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));

async function rows(inputs: ReportInputs, sql: string): Promise<Record<string, unknown>[]> {
  return rowObjects(await inputs.query(sql));
}

const dayOffset = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Everything the report shows, read through the store's views: amounts from `unified`, so that a
 * charge two exports hold is counted once, and in USD (rows without a rate are counted and their
 * cost given in its own currency, never summed into USD).
 */
export async function reportData(inputs: ReportInputs): Promise<ReportData> {
  const periodRows = await rows(
    inputs,
    `SELECT billing_period, coalesce(sum(cost), 0) AS cost, count(*) AS n, count(*) FILTER (WHERE cost IS NULL) AS unrated FROM unified GROUP BY 1 ORDER BY 1`,
  );
  const unconverted = await rows(
    inputs,
    `SELECT billing_period, billing_currency, sum(effective_cost) AS cost FROM unified WHERE cost IS NULL GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const periods: PeriodTotal[] = periodRows.map((r) => ({
    period: text(r.billing_period),
    cost: num(r.cost),
    rows: num(r.n),
    rowsWithoutRate: num(r.unrated),
    unconverted: unconverted
      .filter((u) => u.billing_period === r.billing_period)
      .map((u) => ({ currency: text(u.billing_currency), cost: num(u.cost) })),
  }));
  if (!periods.length) {
    throw new StoreError(
      `${inputs.layout.root} holds normalized files but no rows: normalize (or collect) data into it first`,
    );
  }
  const latestPeriod = periods.at(-1)!.period;
  const inLatest = `billing_period = ${sqlString(latestPeriod)}`;
  const daily = async (column: string) =>
    (
      await rows(
        inputs,
        `SELECT CAST(date AS VARCHAR) AS date, coalesce(${column}, '(none)') AS key, sum(cost) AS cost FROM unified WHERE cost IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      )
    ).map((r) => ({ date: text(r.date), key: text(r.key), cost: num(r.cost) }));
  const topServices = (
    await rows(
      inputs,
      `SELECT provider, coalesce(service, '(none)') AS service, sum(cost) AS cost FROM unified WHERE ${inLatest} AND cost IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ${TOP}`,
    )
  ).map((r) => ({ provider: text(r.provider), service: text(r.service), cost: num(r.cost) }));
  const [span] = await rows(
    inputs,
    "SELECT CAST(min(date) AS VARCHAR) AS first, CAST(max(date) AS VARCHAR) AS last FROM unified",
  );
  const last = text(span!.last);
  const previousFrom = dayOffset(last, -2 * MOVER_DAYS + 1);
  const moversWindow =
    text(span!.first) <= previousFrom
      ? {
          from: dayOffset(last, -MOVER_DAYS + 1),
          to: last,
          previousFrom,
          previousTo: dayOffset(last, -MOVER_DAYS),
        }
      : undefined;
  const movers = moversWindow
    ? (
        await rows(
          inputs,
          `SELECT provider, coalesce(service, '(none)') AS service,
             coalesce(sum(cost) FILTER (WHERE date >= DATE '${moversWindow.from}'), 0) AS recent,
             coalesce(sum(cost) FILTER (WHERE date <= DATE '${moversWindow.previousTo}'), 0) AS before
           FROM unified WHERE date BETWEEN DATE '${moversWindow.previousFrom}' AND DATE '${moversWindow.to}' AND cost IS NOT NULL
           GROUP BY 1, 2 HAVING recent <> before ORDER BY abs(recent - before) DESC, 1, 2 LIMIT ${TOP}`,
        )
      ).map((r) => ({
        provider: text(r.provider),
        service: text(r.service),
        cost: num(r.recent),
        previous: num(r.before),
        change: num(r.recent) - num(r.before),
      }))
    : [];
  // Over a collect folder the view is per tenant: the report's coverage is of all tenants together.
  const multi = inputs.layout.stores.some((s) => s.tenant !== undefined);
  const tagCoverage = (
    await rows(
      inputs,
      multi
        ? `SELECT tag_key, sum(tagged_cost_usd) AS tagged, (SELECT sum(cost) FROM unified WHERE cost > 0 AND ${inLatest}) AS total FROM tag_coverage WHERE ${inLatest} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP}`
        : `SELECT tag_key, tagged_cost_usd AS tagged, total_cost_usd AS total FROM tag_coverage WHERE ${inLatest} ORDER BY 2 DESC, 1 LIMIT ${TOP}`,
    )
  ).map((r) => ({
    key: text(r.tag_key),
    taggedCost: num(r.tagged),
    totalCost: num(r.total),
    percent: num(r.total) ? (100 * num(r.tagged)) / num(r.total) : 0,
  }));
  const findings = inputs.runChecks
    ? (await Promise.all(inputs.layout.stores.map((s) => inputs.runChecks!(s)))).flat()
    : undefined;
  const conformance: Conformance[] = [];
  for (const store of inputs.layout.stores) {
    if (!store.files.parquet.length && !store.files.csv.length) continue;
    const v = await inputs.validate(store);
    const mandatory = (k: string) => (k.startsWith("MUST") ? 0 : 1);
    conformance.push({
      ...(store.tenant === undefined ? {} : { tenant: store.tenant }),
      rows: v.rows,
      focusVersion: v.focusVersion,
      rules: v.summary.rules,
      passed: v.summary.passed,
      failed: v.summary.failed,
      skipped: v.summary.skipped,
      mandatoryFailures: v.summary.mandatoryFailures,
      failures: v.results
        .filter((r) => r.status === "fail")
        .sort((a, b) => mandatory(a.keyword) - mandatory(b.keyword) || a.id.localeCompare(b.id))
        .map((r) => ({ id: r.id, keyword: r.keyword, requirement: r.mustSatisfy })),
    });
  }
  return {
    title: inputs.title,
    generatedAt: new Date().toISOString(),
    checkedAt: inputs.now.toISOString(),
    currency: REPORT_CURRENCY,
    periods,
    total: periods.reduce((n, p) => n + p.cost, 0),
    latestPeriod,
    ...(multi
      ? {
          byTenant: (
            await rows(
              inputs,
              `SELECT ${TENANT_COLUMN} AS tenant, coalesce(sum(cost), 0) AS cost, coalesce(sum(cost) FILTER (WHERE ${inLatest}), 0) AS latest FROM unified GROUP BY 1 ORDER BY 2 DESC, 1`,
            )
          ).map((r) => ({ tenant: text(r.tenant), cost: num(r.cost), latestCost: num(r.latest) })),
        }
      : {}),
    byProvider: await daily("provider"),
    byCategory: await daily("service_category"),
    topServices,
    ...(moversWindow ? { moversWindow } : {}),
    movers,
    tagCoverage,
    ...(findings ? { findings } : {}),
    conformance,
    sources: await sourceHealth(inputs, multi),
    ...(inputs.layout.collect
      ? {
          connections: inputs.layout.collect.tenants,
          collectedAt: inputs.layout.collect.collectedAt,
        }
      : {}),
  };
}

/**
 * Each source the store holds, from its summary (the run that wrote it) and its rows (the newest
 * charge): how fresh each export's data is. From every row of `focus`, not `unified`: a source the
 * unified view sets aside for a preferred export is still a connection whose freshness matters.
 */
async function sourceHealth(inputs: ReportInputs, multi: boolean): Promise<SourceHealth[]> {
  const tenant = multi ? `${TENANT_COLUMN}, ` : "";
  const newest = await rows(
    inputs,
    `SELECT ${multi ? `${TENANT_COLUMN} AS tenant, ` : ""}x_Provider AS provider, BillingAccountId AS account, x_SourceFormat AS format, strftime(BillingPeriodStart, '%Y-%m') AS period,
       count(*) AS n, strftime(max(ChargePeriodEnd), '%Y-%m-%dT%H:%M:%SZ') AS newest
     FROM focus GROUP BY ALL ORDER BY ${tenant}provider, account, format, period`,
  );
  return newest.map((r) => {
    const store = inputs.layout.stores.find((s) => (multi ? s.tenant === r.tenant : true));
    const stored = store?.summary?.store.sources.find(
      (s) =>
        s.provider === r.provider &&
        s.billingAccountId === r.account &&
        s.format === r.format &&
        s.period === r.period,
    );
    const run = stored && store?.summary?.history.find((h) => h.runId === stored.runId);
    return {
      ...(multi ? { tenant: text(r.tenant) } : {}),
      provider: text(r.provider),
      billingAccountId: text(r.account),
      format: text(r.format),
      period: text(r.period),
      rows: num(r.n),
      writtenAt: run?.finished ?? null,
      newestCharge: r.newest === null ? null : text(r.newest),
    };
  });
}
