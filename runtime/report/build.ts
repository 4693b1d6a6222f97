import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ChecksConfig } from "../checks/config";
import { runChecks } from "../checks/run";
import { openStoreQuery } from "../query/open";
import { validateFocus } from "../validate/validator";
import { type ReportData, reportData } from "./data";
import { renderReport } from "./html";

export interface BuildReportOptions {
  /** A normalize store or a collect folder. */
  input: string;
  /** The HTML file to write. */
  out: string;
  /** The tenant's checks (budgets, anomalies, the other policies); without them the report says how to add them. */
  checks?: ChecksConfig;
  /** The tenant the checks are of: over a collect folder, only its folder is checked with them. */
  tenantId?: string;
  /** When the checks judge the data (now by default). */
  now?: Date;
  title?: string;
}

/**
 * Reads the store, writes the report to `out` (written beside it, then renamed: a reader never
 * sees half a page) and returns what it shows.
 */
export async function buildReport(opts: BuildReportOptions): Promise<ReportData> {
  const session = await openStoreQuery(opts.input);
  let data: ReportData;
  try {
    data = await reportData({
      layout: session.layout,
      query: session.query,
      ...(opts.checks
        ? {
            runChecks: async (store) =>
              store.tenant === undefined || store.tenant === opts.tenantId
                ? runChecks({ input: store.dir, checks: opts.checks, now: opts.now })
                : [],
          }
        : {}),
      validate: (store) => validateFocus([...store.files.parquet, ...store.files.csv]),
      now: opts.now ?? new Date(),
      title: opts.title ?? "Costline cost report",
    });
  } finally {
    session.close();
  }
  mkdirSync(dirname(opts.out), { recursive: true });
  const partial = `${opts.out}.partial`;
  writeFileSync(partial, renderReport(data));
  renameSync(partial, opts.out);
  return data;
}
