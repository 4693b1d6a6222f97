import { parseFlags, requiredList } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE =
  "costline validate --input PATH... [--focus-version 1.2|1.3] [--applicability ALL|CRITERION,...] [--json] [--all]";

/**
 * `costline validate`: FOCUS conformance of FOCUS files or folders (ours, a provider's native
 * FOCUS export, a vendor's), validated together as one dataset, by the rules of the version its
 * columns say (1.3 when it has a column 1.3 added, else 1.2) unless --focus-version names one.
 * Exits 3 when a MUST rule fails.
 */
export async function validateCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "validate",
    argv,
    {
      input: { type: "string", multiple: true },
      applicability: { type: "string" },
      "focus-version": { type: "string" },
      json: { type: "boolean" },
      all: { type: "boolean" },
    },
    USAGE,
    ["input"],
  );
  const inputs = requiredList("validate", flags.input, "--input PATH", USAGE);
  const version = flags["focus-version"];
  const { MODEL_VERSIONS, focusRules } = require("../validate/model") as typeof import("../validate/model");
  if (version !== undefined && !(MODEL_VERSIONS as readonly string[]).includes(version)) {
    throw new CliError(
      `costline validate: --focus-version must be ${MODEL_VERSIONS.join(" or ")}, not "${version}"\nusage: ${USAGE}`,
    );
  }
  // Loaded here, not at the top of the CLI: only validate and check need DuckDB.
  const { validateFocus, ApplicabilityError } =
    require("../validate/validator") as typeof import("../validate/validator");
  const { DatasetError } = require("../validate/dataset") as typeof import("../validate/dataset");
  const { renderValidation } = require("../validate/report") as typeof import("../validate/report");
  const applicability =
    flags.applicability === "ALL"
      ? "ALL"
      : (flags.applicability ?? "")
          .split(",")
          .map((c) => c.trim())
          .filter(Boolean);
  let report: Awaited<ReturnType<typeof validateFocus>>;
  try {
    report = await validateFocus(inputs, {
      applicability,
      ...(version ? { model: focusRules(version as (typeof MODEL_VERSIONS)[number]) } : {}),
    });
  } catch (e) {
    if (e instanceof DatasetError || e instanceof ApplicabilityError) {
      throw new CliError(`costline validate: ${e.message}\nusage: ${USAGE}`);
    }
    throw e;
  }
  out.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderValidation(report, flags.all)}\n`);
  return report.summary.mandatoryFailures > 0 ? ExitCode.violation : ExitCode.ok;
}
