import { parseFlags, required } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE = "costline contracts --tenant FILE --out DIR [--output-format parquet|csv] [--json]";

/**
 * `costline contracts`: the tenant's declared contracts (its `contracts` section) as FOCUS 1.3's
 * Contract Commitment dataset, `<DIR>/contract-commitments.parquet`, which `costline validate`
 * judges by the Contract Commitment rules. A tenant that declares none gets an error, not an
 * empty dataset.
 */
export async function contractsCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "contracts",
    argv,
    {
      tenant: { type: "string" },
      out: { type: "string" },
      "output-format": { type: "string" },
      json: { type: "boolean" },
    },
    USAGE,
  );
  const tenantFile = required("contracts", flags.tenant, "--tenant FILE", USAGE);
  const dir = required("contracts", flags.out, "--out DIR", USAGE);
  const format = flags["output-format"] ?? "parquet";
  if (format !== "parquet" && format !== "csv") {
    throw new CliError(
      `costline contracts: --output-format is parquet or csv, not "${format}"\nusage: ${USAGE}`,
    );
  }
  // DuckDB loads only for this command.
  const { loadTenantFile } = require("../../stacks/tenant/load") as typeof import("../../stacks/tenant/load");
  const { contractCommitmentRows, writeContractCommitments } =
    require("../contracts/dataset") as typeof import("../contracts/dataset");
  const tenant = loadTenantFile(tenantFile);
  if (!tenant.contracts?.length) {
    throw new CliError(
      `costline contracts: tenant ${tenant.tenantId} declares no contracts; add a contracts section (each contract's id, start, end, currency and commitments) to ${tenantFile}`,
    );
  }
  const rows = contractCommitmentRows(tenant.contracts);
  let path: string;
  try {
    path = await writeContractCommitments(rows, dir, format);
  } catch (e) {
    throw new CliError(`costline contracts: cannot write ${dir}: ${(e as Error).message.split("\n")[0]}`);
  }
  const summary = {
    tenantId: tenant.tenantId,
    contracts: tenant.contracts.length,
    commitments: rows.length,
    path,
  };
  out.write(
    flags.json
      ? `${JSON.stringify(summary, null, 2)}\n`
      : `${rows.length} commitment(s) of ${summary.contracts} contract(s) written as FOCUS 1.3 Contract Commitment data to ${path}\n`,
  );
  return ExitCode.ok;
}
