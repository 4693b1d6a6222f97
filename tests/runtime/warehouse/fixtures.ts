import { exportGlueColumns } from "../../../components/aws/catalog";
import { cur2Columns, focusColumns } from "../../../components/aws/export-tables";
import { bigquery } from "../../../runtime/mapping/bigquery";
import { type CompiledPipeline, compilePipeline } from "../../../runtime/mapping/compile";
import type { Dialect } from "../../../runtime/mapping/dialect";
import { trino } from "../../../runtime/mapping/trino";
import type { FormatId } from "../../../runtime/mapping/types";
import { MAPPINGS } from "../../../runtime/mappings";
import { inlineBillingAccountNames, inlineRates, inlineTaxonomy } from "../../../runtime/warehouse/inline";
import type { SourceTable, WarehouseColumn } from "../../../runtime/warehouse/source";
import { EXPORT_SCHEMA } from "../jobs/gcp/fake-bigquery";

export const DIALECTS = { trino, bigquery } as const;

const bigQueryColumns = (fields: unknown[]): WarehouseColumn[] =>
  (fields as { name: string; type: string; mode: string; fields?: unknown[] }[]).map((f) => ({
    name: f.name,
    type: f.type,
    repeated: f.mode === "REPEATED" || undefined,
    fields: f.fields ? bigQueryColumns(f.fields) : undefined,
  }));

/** The export tables the jobs read, with their real catalog columns (components/aws, the BigQuery export schema). */
export const JOB_SOURCES = {
  "aws-cur2": {
    from: `"costline_acme"."cur2"`,
    label: "cur2",
    columns: exportGlueColumns(
      cur2Columns({ granularity: "DAILY", splitCostAllocation: false, capacityReservations: false }),
    ),
    where: `"billing_period" = '2026-10'`,
  },
  "aws-focus": {
    from: `"costline_acme"."focus"`,
    label: "focus",
    columns: exportGlueColumns(focusColumns()),
    where: `"billing_period" = '2026-10'`,
  },
  "gcp-billing": {
    from: "`acme-billing.costline_acme_billing_export.gcp_billing_export_resource_v1_0A1B2C_3D4E5F_6A7B8C`",
    label: "gcp_billing_export_resource_v1_0A1B2C_3D4E5F_6A7B8C",
    columns: bigQueryColumns(EXPORT_SCHEMA),
    where: "invoice.month = '202610'",
  },
} satisfies Partial<Record<FormatId, SourceTable>>;

/**
 * Any mapping compiled in a warehouse dialect over a relation whose raw columns are text (lists
 * stay lists): the compile-and-parse check of formats no warehouse job reads today.
 */
export function compileAny(format: FormatId, d: Dialect): CompiledPipeline {
  const m = MAPPINGS[format];
  const facts = Object.keys(m.facts ?? {})
    .map((k) => `, TRUE AS ${d.ident(k)}`)
    .join("");
  const relation = `(SELECT __file, __row${facts}, ${Object.keys(m.raw)
    .map((k) => d.ident(k))
    .join(", ")} FROM src)`;
  const textColumns = new Set(
    Object.entries(m.raw)
      .filter(([, c]) => c.type !== "nested")
      .map(([k]) => k),
  );
  return compilePipeline(m, d, {
    relation,
    textColumns,
    tenantId: "acme",
    tables: {
      ...inlineTaxonomy(d, typeof m.provider === "string" ? m.provider : undefined),
      rates: inlineRates(d, [{ date: "2026-10-01", currency: "EUR", usdPerUnit: "1.08" }], "2026-10"),
      billingAccounts: inlineBillingAccountNames(d, { "0A1B2C-3D4E5F-6A7B8C": "ACME Production" }),
    },
  });
}
