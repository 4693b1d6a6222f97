import type { Dialect } from "../mapping/dialect";

/** What a view's SQL is written against: the engine, the `unified` relation and its grouping keys. */
export interface ViewContext {
  dialect: Dialect;
  /** The relation holding the unified view's rows. */
  unified: string;
  /** Columns every view groups by first, quoted: `tenant` over a collect folder, none over one store. */
  keys: readonly string[];
}

/** A view a practitioner asks for, declared once and rendered for DuckDB, Athena (Trino) and BigQuery. */
export interface NamedView {
  name: string;
  description: string;
  sql(ctx: ViewContext): string;
}

/**
 * A FROM item of the unified rows with `tag_key`: one row per canonical key of each row's tags
 * (none for a row without tags), so that an alias counts toward its key as in the checks. Tags are
 * JSON object text in DuckDB and Athena, a JSON value in BigQuery; listing an object's keys is the
 * one thing no two engines spell alike.
 */
const TAG_KEYS: Record<Dialect["name"], (unified: string) => string> = {
  duckdb: (u) => `(SELECT *, unnest(json_keys(canonical_tags)) AS tag_key FROM ${u})`,
  trino: (u) =>
    `(SELECT u.*, k AS tag_key FROM ${u} AS u CROSS JOIN UNNEST(map_keys(CAST(json_parse(u.canonical_tags) AS MAP(VARCHAR, JSON)))) AS t (k))`,
  bigquery: (u) => `(SELECT u.*, tag_key FROM ${u} AS u, UNNEST(JSON_KEYS(u.canonical_tags, 1)) AS tag_key)`,
};

const list = (ctx: ViewContext, ...columns: string[]) => [...ctx.keys, ...columns].join(", ");
/** Columns qualified by a table alias, for joins. */
const qualified = (ctx: ViewContext, alias: string, ...columns: string[]) =>
  [...ctx.keys, ...columns].map((c) => `${alias}.${c}`).join(", ");
const sumWhere = (amount: string, condition: string) => `sum(CASE WHEN ${condition} THEN ${amount} END)`;
const percent = (part: string, whole: string) => `100 * ${part} / NULLIF(${whole}, 0)`;
/** An instance id at the end of OpenCost's node providerID (`aws:///us-east-1a/i-0abc`, `gce://p/z/name`). */
const NODE_ID = "^[a-z]+://.*/([^/]+)$";

/** The named views, over `unified` so that no charge is counted twice. Amounts name their currency. */
export const NAMED_VIEWS: readonly NamedView[] = [
  {
    name: "monthly_cost",
    description:
      "cost per billing period, provider, FOCUS ServiceCategory and service: EffectiveCost and BilledCost in the billing currency and in USD",
    sql: (ctx) => {
      const by = list(ctx, "billing_period", "provider", "service_category", "service", "billing_currency");
      return `SELECT ${by}, sum(effective_cost) AS effective_cost, sum(billed_cost) AS billed_cost, sum(cost) AS effective_cost_usd, sum(billed_cost_usd) AS billed_cost_usd FROM ${ctx.unified} GROUP BY ${by}`;
    },
  },
  {
    name: "tag_coverage",
    description:
      "per billing period and canonical tag key (aliases counted under it): the EffectiveCost (USD) of rows carrying the key, of all rows, and the share with the key; of charges with a positive cost (credits and corrections carry no tags of their own and would take the share past 100%)",
    sql: (ctx) => {
      const period = list(ctx, "billing_period");
      return `WITH totals AS (SELECT ${period}, sum(cost) AS total_cost_usd FROM ${ctx.unified} WHERE cost > 0 GROUP BY ${period}), tagged AS (SELECT ${period}, tag_key, sum(cost) AS tagged_cost_usd FROM ${TAG_KEYS[ctx.dialect.name](ctx.unified)} AS k WHERE cost > 0 GROUP BY ${period}, tag_key) SELECT ${qualified(ctx, "tagged", "billing_period")}, tagged.tag_key, tagged.tagged_cost_usd, totals.total_cost_usd, ${percent("tagged.tagged_cost_usd", "totals.total_cost_usd")} AS coverage_percent FROM tagged JOIN totals USING (${period})`;
    },
  },
  {
    name: "commitment_savings",
    description:
      "per billing period, provider and billing currency: ListCost against EffectiveCost (savings from commitments and negotiated rates) and the share of usage cost covered by commitments",
    sql: (ctx) => {
      const by = list(ctx, "billing_period", "provider", "billing_currency");
      const used = sumWhere("effective_cost", "commitment_discount_status = 'Used'");
      const usage = sumWhere("effective_cost", "charge_category = 'Usage'");
      return `SELECT ${by}, sum(list_cost) AS list_cost, sum(effective_cost) AS effective_cost, sum(list_cost) - sum(effective_cost) AS savings, ${percent("(sum(list_cost) - sum(effective_cost))", "sum(list_cost)")} AS savings_percent, ${used} AS commitment_covered_cost, ${sumWhere("effective_cost", "commitment_discount_status = 'Unused'")} AS unused_commitment_cost, ${percent(used, usage)} AS commitment_coverage_percent FROM ${ctx.unified} GROUP BY ${by}`;
    },
  },
  {
    name: "kubernetes_vs_cloud",
    description:
      "per billing period and cluster: OpenCost's allocated cost (USD) beside the cloud's own rows for that cluster, matched by the cluster's name (ResourceName, or the end of ResourceId: EKS, GKE and AKS cluster ids) and by the node instances OpenCost names (the id at the end of its providerID)",
    sql: (ctx) => {
      const d = ctx.dialect;
      const period = list(ctx, "billing_period");
      const on = [...ctx.keys, "billing_period"].map((c) => `u.${c} = t.${c}`).join(" AND ");
      const matched = (targets: string, alias: string) =>
        `SELECT ${qualified(ctx, "t", "billing_period", "cluster")}, sum(u.cost) AS ${alias} FROM ${targets} AS t JOIN ${ctx.unified} AS u ON ${on} AND u.provider <> 'kubernetes' AND (u.resource_name = t.target OR u.resource_id = t.target OR u.resource_id LIKE concat('%/', t.target)) GROUP BY ${qualified(ctx, "t", "billing_period", "cluster")}`;
      return [
        `WITH clusters AS (SELECT ${period}, billing_account AS cluster, sum(cost) AS kubernetes_cost_usd FROM ${ctx.unified} WHERE provider = 'kubernetes' GROUP BY ${period}, billing_account)`,
        `names AS (SELECT ${period}, cluster, cluster AS target FROM clusters)`,
        `nodes AS (SELECT DISTINCT ${period}, billing_account AS cluster, ${d.regexExtract("resource_id", NODE_ID)} AS target FROM ${ctx.unified} WHERE provider = 'kubernetes' AND ${d.regexExtract("resource_id", NODE_ID)} IS NOT NULL)`,
        `cluster_rows AS (${matched("names", "cluster_resource_cost_usd")})`,
        `node_rows AS (${matched("nodes", "node_cost_usd")}) SELECT ${qualified(ctx, "c", "billing_period", "cluster")}, c.kubernetes_cost_usd, cr.cluster_resource_cost_usd, nr.node_cost_usd, coalesce(cr.cluster_resource_cost_usd, 0) + coalesce(nr.node_cost_usd, 0) AS cloud_cost_usd FROM clusters AS c LEFT JOIN cluster_rows AS cr USING (${list(ctx, "billing_period", "cluster")}) LEFT JOIN node_rows AS nr USING (${list(ctx, "billing_period", "cluster")})`,
      ].join(", ");
    },
  },
];

/** The views' names, `unified` first: what a warehouse holds beside the normalized table. */
export const VIEW_NAMES: readonly string[] = ["unified", ...NAMED_VIEWS.map((v) => v.name)];
