import { mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type ContractTerms, instantOf } from "../../components/tenant/contracts";
import { openEngine } from "../engine/duckdb";
import { CONTRACT_COMMITMENT_1_3 } from "../schema/focus-1.3";
import { sqlType } from "../schema/output";

export type ContractCommitmentRow = Record<string, string | number | null>;

/** A declared bound in FOCUS spelling. */
const focusTime = (v: string) => instantOf(v).toISOString().replace(".000Z", "Z");

/**
 * The Contract Commitment dataset of a tenant's declared contracts: one row per commitment,
 * its period the contract's unless it states its own, its figures as declared (a spend
 * commitment's cost in the contract's currency; a usage commitment's quantity and unit).
 */
export function contractCommitmentRows(contracts: readonly ContractTerms[]): ContractCommitmentRow[] {
  return contracts.flatMap((c) =>
    c.commitments.map((m) => ({
      BillingCurrency: c.currency,
      ContractCommitmentCategory: m.category,
      ContractCommitmentCost: m.cost ?? null,
      ContractCommitmentDescription: m.description ?? null,
      ContractCommitmentId: m.id,
      ContractCommitmentPeriodEnd: focusTime(m.end ?? c.end),
      ContractCommitmentPeriodStart: focusTime(m.start ?? c.start),
      ContractCommitmentQuantity: m.quantity ?? null,
      ContractCommitmentType: m.type,
      ContractCommitmentUnit: m.unit ?? null,
      ContractId: c.id,
      ContractPeriodEnd: focusTime(c.end),
      ContractPeriodStart: focusTime(c.start),
    })),
  );
}

const sqlValue = (v: string | number | null) =>
  v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`;

/**
 * Writes the rows as `contract-commitments.parquet` (or `.csv`, timestamps in FOCUS spelling)
 * under `out`, with the dataset's types; written beside and renamed, so a reader never sees half.
 * Returns the file's path.
 */
export async function writeContractCommitments(
  rows: readonly ContractCommitmentRow[],
  out: string,
  format: "parquet" | "csv" = "parquet",
): Promise<string> {
  if (!rows.length) throw new Error("no contract commitments to write");
  mkdirSync(out, { recursive: true });
  const path = join(out, `contract-commitments.${format}`);
  const staged = `${path}.${process.pid}.tmp`;
  const columns = CONTRACT_COMMITMENT_1_3.map(([name, type]) => ({ name, type: sqlType(type, "duckdb") }));
  const values = rows.map(
    (r) => `(${columns.map((c) => `CAST(${sqlValue(r[c.name] ?? null)} AS ${c.type})`).join(", ")})`,
  );
  const select = `SELECT * FROM (VALUES ${values.join(", ")}) AS t(${columns.map((c) => `"${c.name}"`).join(", ")})`;
  const csv = format === "csv";
  const written = csv
    ? `SELECT * REPLACE (${columns
        .filter((c) => c.type === "TIMESTAMP")
        .map((c) => `strftime("${c.name}", '%Y-%m-%dT%H:%M:%SZ') AS "${c.name}"`)
        .join(", ")}) FROM (${select})`
    : select;
  const engine = await openEngine({ memoryLimit: "256MB" });
  try {
    await engine.connection.run(
      `COPY (${written}) TO '${staged.replaceAll("'", "''")}' (FORMAT ${csv ? "csv, HEADER true" : "parquet"})`,
    );
    renameSync(staged, path);
  } catch (e) {
    rmSync(staged, { force: true });
    throw e;
  } finally {
    engine.close();
  }
  return path;
}
