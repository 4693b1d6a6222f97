import { bigquery } from "../mapping/bigquery";
import type { Dialect } from "../mapping/dialect";
import { duckdb } from "../mapping/duckdb";
import type { TagAliases } from "../mapping/tags";
import { trino } from "../mapping/trino";
import { unifiedSelect } from "../normalize/unified";
import { NAMED_VIEWS } from "./views";

/** The engines the views render for, by the name a user knows them by. */
export const VIEW_ENGINES: Record<string, Dialect> = { duckdb, athena: trino, bigquery };

/** A view as an engine creates it: its name beside the table, and its SELECT. */
export interface ViewDefinition {
  /** The view's own name (`unified`, `monthly_cost`, ...). */
  name: string;
  description: string;
  /** The SELECT, reading the table and (for the named views) `unified` beside it. */
  sql: string;
}

const UNIFIED_DESCRIPTION =
  "the plain fields of one export per billing account and period (the provider's FOCUS export first): sums over it count each charge once";

/**
 * `unified` and the named views for an engine over the normalized table `table` (as the engine
 * spells it: `costline.normalized`, `project.dataset.table`, or a DuckDB reader such as
 * `read_parquet('out/focus/**\/*.parquet')`). The views live beside the table: in its database or
 * dataset, named by what precedes its last dot. `unified.canonical_tags` renames the tenant's tag aliases.
 */
export function viewDefinitions(
  engine: keyof typeof VIEW_ENGINES,
  given: string,
  tagAliases: TagAliases = {},
): ViewDefinition[] {
  const d = VIEW_ENGINES[engine]!;
  // BigQuery wants a project id with a dash quoted: a plain `project.dataset.table` is quoted whole.
  const table = d.name === "bigquery" && /^[\w.-]+$/.test(given) ? `\`${given}\`` : given;
  const unified = qualifiedView(engine, table, "unified");
  return [
    { name: "unified", description: UNIFIED_DESCRIPTION, sql: unifiedSelect(table, d, [], tagAliases) },
    ...NAMED_VIEWS.map((v) => ({
      name: v.name,
      description: v.description,
      sql: v.sql({ dialect: d, unified, keys: [] }),
    })),
  ];
}

/** A view's name as the engine spells it beside `table`. */
export function qualifiedView(engine: keyof typeof VIEW_ENGINES, table: string, view: string): string {
  const dot = /^[\w.`"-]+$/.test(table) ? table.lastIndexOf(".") : -1;
  const prefix = dot > 0 ? table.slice(0, dot + 1).replaceAll("`", "") : "";
  return VIEW_ENGINES[engine]!.name === "bigquery" ? `\`${prefix}${view}\`` : `${prefix}${view}`;
}

/** `CREATE OR REPLACE VIEW` statements of every view for an engine over `table` (see viewDefinitions). */
export function viewStatements(engine: keyof typeof VIEW_ENGINES, table: string): string {
  return viewDefinitions(engine, table)
    .map(
      (v) =>
        `${v.name === "unified" ? "" : `-- ${v.description}\n`}CREATE OR REPLACE VIEW ${qualifiedView(engine, table, v.name)} AS ${v.sql};`,
    )
    .join("\n\n");
}
