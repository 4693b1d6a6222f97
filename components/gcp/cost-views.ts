import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { TagAliases } from "../../runtime/mapping/tags";
import { bigQueryTable } from "../../runtime/warehouse/statements";
import { viewDefinitions } from "../../runtime/query/warehouse";
import { childOptions } from "./options";

export interface GcpCostViewsArgs {
  /** The tenant's GCP provider. */
  provider: gcp.Provider;
  /** The project of the normalized dataset. */
  projectId: string;
  /** The normalized dataset, where the views are created beside the table. */
  datasetId: string;
  /** The normalized table the views read. */
  tableId: string;
  /** The table resource, which the views need to exist first. */
  table: pulumi.Resource;
  /** Labels, from the tenant tags. */
  labels: Record<string, string>;
  /** The tenant's tag aliases (checks.tagAliases), which `unified.canonical_tags` renames. */
  tagAliases: TagAliases;
}

/**
 * `unified` and the named cost views (runtime/query/views.ts) in the tenant's normalized dataset,
 * the same SELECTs `costline query` runs in DuckDB, rendered for BigQuery: a practitioner queries
 * `monthly_cost` or `unified` there with the reader role the dataset already grants.
 */
export class GcpCostViews extends pulumi.ComponentResource {
  /** The views' table ids, `unified` first. */
  readonly viewIds: pulumi.Output<string[]>;

  constructor(name: string, args: GcpCostViewsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("costline:gcp:CostViews", name, {}, opts);
    const table = bigQueryTable(args.projectId, args.datasetId, args.tableId);
    const created: gcp.bigquery.Table[] = [];
    for (const view of viewDefinitions("bigquery", table, args.tagAliases)) {
      // The named views read `unified`: it must exist before them.
      const after = view.name === "unified" ? [args.table] : [args.table, created[0]!];
      const child = childOptions(this, args.provider, opts, ...after);
      created.push(
        new gcp.bigquery.Table(
          `${name}-${view.name.replaceAll("_", "-")}`,
          {
            project: args.projectId,
            datasetId: args.datasetId,
            tableId: view.name,
            description: view.description.slice(0, 1024),
            view: { query: view.sql, useLegacySql: false },
            // A view holds no data: replacing it loses nothing.
            deletionProtection: false,
            labels: args.labels,
          },
          child,
        ),
      );
    }
    this.viewIds = pulumi.all(created.map((v) => v.tableId));
    this.registerOutputs({ viewIds: this.viewIds });
  }
}
