import type { Finding } from "../checks/types";
import type { BillingPeriod } from "./period";

/** What the checks of a warehouse run get: the periods just written and a way to query them. */
export interface WarehouseChecksInput {
  tenantId: string;
  provider: "aws" | "gcp";
  /** The normalized table, quoted for the engine. */
  table: string;
  periods: BillingPeriod[];
  /** Runs a read-only query in the warehouse and returns its rows as text values. */
  query(sql: string): Promise<Record<string, string | null>[]>;
}

/** The checks step of a warehouse job: policy findings over the periods it wrote. */
export type WarehouseChecks = (input: WarehouseChecksInput) => Promise<Finding[]>;

/**
 * The default until runtime/checks can evaluate its policies in the warehouse: its `runChecks`
 * reads normalized files through DuckDB, and a warehouse job must not pull the rows out. The run
 * says so in a finding instead of passing silently.
 */
export const checksNotWired: WarehouseChecks = async (input) => [
  {
    policy: "checks",
    severity: "warning",
    subject: input.periods.join(", ") || "(no period written)",
    measured: null,
    threshold: null,
    message: "policy checks did not run: runtime/checks evaluates local files, not warehouse tables",
    hint: "run `costline check` over an export of the normalized table, or wire warehouse checks into this job",
  },
];
