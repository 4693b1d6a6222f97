import { bigquery } from "../mapping/bigquery";
import type { Dialect } from "../mapping/dialect";
import { duckdb } from "../mapping/duckdb";
import { trino } from "../mapping/trino";
import { unifiedSelect } from "../normalize/unified";
import { NAMED_VIEWS } from "./views";

/** The engines the views render for, by the name a user knows them by. */
export const VIEW_ENGINES: Record<string, Dialect> = { duckdb, athena: trino, bigquery };

/**
 * `CREATE OR REPLACE VIEW` statements of `unified` and the named views for an engine, over the
 * normalized table `table` (as the engine spells it: `costline.normalized`, `project.dataset.table`,
 * or a DuckDB reader such as `read_parquet('out/focus/**\/*.parquet')`). The views are created beside
 * the table: in its database or dataset, named by what precedes its last dot.
 */
export function viewStatements(engine: keyof typeof VIEW_ENGINES, table: string): string {
  const d = VIEW_ENGINES[engine]!;
  const dot = /^[\w.`"-]+$/.test(table) ? table.lastIndexOf(".") : -1;
  const prefix = dot > 0 ? table.slice(0, dot + 1).replaceAll("`", "") : "";
  const name = (view: string) => (d.name === "bigquery" ? `\`${prefix}${view}\`` : `${prefix}${view}`);
  const unified = name("unified");
  return [
    `CREATE OR REPLACE VIEW ${unified} AS ${unifiedSelect(table, d)};`,
    ...NAMED_VIEWS.map(
      (v) =>
        `-- ${v.description}\nCREATE OR REPLACE VIEW ${name(v.name)} AS ${v.sql({ dialect: d, unified, keys: [] })};`,
    ),
  ].join("\n\n");
}
