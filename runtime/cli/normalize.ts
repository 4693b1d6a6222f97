import { RatesError, readRatesFile } from "../currency/rates";
import { FORMAT_IDS, type FormatId } from "../mapping/types";
import { StoreBusyError } from "../normalize/store-lock";
import { type Summary, superseded } from "../normalize/summary";
import { DEFAULT_OUTPUT_VERSION, isOutputVersion, OUTPUT_VERSIONS } from "../schema/output";
import { InputError } from "../sources/files";
import { BillingAccountNamesError, parseBillingAccountNameArgs } from "../taxonomy/billing-account-names";
import { parseFlags, required, requiredList } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE =
  "costline normalize [--format F] --input PATH... --out DIR [--tenant-id ID] [--reporting-currency CODE] [--focus-version 1.2|1.3] [--rates FILE] [--billing-account-name ID=NAME]... [--output-format parquet|csv] [--replace-datasets] [--json]";

/** `costline normalize`: billing exports -> FOCUS (1.2, or 1.3 when asked) under --out, with quarantine and a reconciled summary. */
export async function normalizeCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "normalize",
    argv,
    {
      format: { type: "string" },
      input: { type: "string", multiple: true },
      out: { type: "string" },
      "tenant-id": { type: "string" },
      "reporting-currency": { type: "string" },
      "focus-version": { type: "string" },
      rates: { type: "string" },
      "billing-account-name": { type: "string", multiple: true },
      "output-format": { type: "string" },
      "replace-datasets": { type: "boolean" },
      json: { type: "boolean" },
    },
    USAGE,
    ["input"],
  );
  const outDir = required("normalize", flags.out, "--out DIR", USAGE);
  const inputs = requiredList("normalize", flags.input, "--input PATH", USAGE);
  const format = flags.format;
  if (format !== undefined && !FORMAT_IDS.includes(format as FormatId)) {
    throw new CliError(`costline normalize: unknown format "${format}"; use one of ${FORMAT_IDS.join(", ")}`);
  }
  const reporting = flags["reporting-currency"];
  if (reporting !== undefined && !/^[A-Z]{3}$/.test(reporting)) {
    throw new CliError(
      `costline normalize: --reporting-currency is an ISO 4217 code such as EUR, not "${reporting}"\nusage: ${USAGE}`,
    );
  }
  const focusVersion = flags["focus-version"] ?? DEFAULT_OUTPUT_VERSION;
  if (!isOutputVersion(focusVersion)) {
    throw new CliError(
      `costline normalize: --focus-version must be ${OUTPUT_VERSIONS.join(" or ")}, not "${focusVersion}"\nusage: ${USAGE}`,
    );
  }
  const outputFormat = flags["output-format"] ?? "parquet";
  if (outputFormat !== "parquet" && outputFormat !== "csv") {
    throw new CliError(`costline normalize: --output-format must be parquet or csv, not "${outputFormat}"`);
  }
  // Loaded here: DuckDB's native module is only needed by the commands that read data.
  const { normalize } = require("../normalize/run") as typeof import("../normalize/run");
  const showProgress = !flags.json && process.stderr.isTTY;
  try {
    const summary = await normalize({
      inputs,
      out: outDir,
      format: format as FormatId | undefined,
      tenantId: flags["tenant-id"],
      reportingCurrency: reporting,
      focusVersion,
      rates: flags.rates ? readRatesFile(flags.rates) : undefined,
      billingAccountNames: parseBillingAccountNameArgs(
        flags["billing-account-name"] ?? [],
        "--billing-account-name",
      ),
      outputFormat,
      replaceDatasets: flags["replace-datasets"] === true,
      progress: showProgress ? (m) => process.stderr.write(`  ${m}\n`) : undefined,
    });
    out.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderSummary(summary)}\n`);
    return summary.problems.length ? ExitCode.failure : ExitCode.ok;
  } catch (e) {
    if (e instanceof InputError || e instanceof RatesError || e instanceof BillingAccountNamesError)
      throw new CliError(`costline normalize: ${e.message}`);
    if (e instanceof StoreBusyError) throw new CliError(`costline normalize: ${e.message}`, ExitCode.busy);
    throw e;
  }
}

/** Replaced sources listed by name; a backfill of years of many accounts is counted beyond them. */
const SOURCES_SHOWN = 10;

/** The summary for a person: what went wrong first, then one line a file, cost totals per currency and notes. */
export function renderSummary(s: Summary): string {
  const lines = [
    `Normalized into ${s.out} (FOCUS ${s.focusVersion}, ${s.outputFormat}), tenant ${s.tenantId}`,
    "",
  ];
  if (s.problems.length) lines.push(...s.problems.map((p) => `PROBLEM: ${p}`), "");
  for (const f of s.files) {
    const how = f.formatChosenBy === "detected" ? `${f.format ?? "?"} (detected)` : f.format;
    lines.push(
      f.status === "normalized"
        ? `  ${f.file}: ${how}: read ${f.rowsRead}, written ${f.rowsWritten}, quarantined ${f.rowsQuarantined}${f.rowsSuperseded ? `, superseded ${f.rowsSuperseded}` : ""}`
        : `  ${f.file}: ${f.status.toUpperCase()}${f.error ? `: ${f.error}` : ""}`,
    );
    for (const note of f.notes ?? []) lines.push(`    note: ${note}`);
  }
  lines.push(
    "",
    `Rows: read ${s.totals.rowsRead}, written ${s.totals.rowsWritten}, quarantined ${s.totals.rowsQuarantined}${s.totals.rowsSuperseded ? `, superseded ${s.totals.rowsSuperseded}` : ""}`,
  );
  for (const c of s.currencies) {
    lines.push(
      `  ${c.currency}: source ${c.sourceCost} = output ${c.outputCost} + quarantined ${c.quarantinedCost}${superseded(c)}${c.reconciled ? "" : `  MISMATCH ${c.difference}`}`,
    );
  }
  for (const r of s.rowsWithoutUsdRate) {
    lines.push(
      `  no USD rate for ${r.rows} ${r.currency} row(s) of ${r.format}: pass --rates FILE covering their dates`,
    );
  }
  for (const u of s.unknownServices) {
    lines.push(
      `  unknown ${u.provider} service "${u.service}" (${u.rows} row(s)): kept as ServiceCategory Other`,
    );
  }
  for (const u of s.unknownUnits) {
    lines.push(`  unknown ${u.provider} unit "${u.unit}" (${u.rows} row(s)): kept as the export writes it`);
  }
  // What the store now holds of this run: each source replaced whole, every other left as it was.
  if (s.sources.length) {
    const shown = s.sources.slice(0, SOURCES_SHOWN);
    lines.push(
      "",
      `Replaced in ${s.out}: ${s.sources.length} source(s) (provider, billing account, format, period); its other sources are as they were`,
      ...shown.map((k) => `  ${k.provider} ${k.billingAccountId} ${k.format} ${k.period}`),
      ...(s.sources.length > shown.length
        ? [`  and ${s.sources.length - shown.length} more (summary.json lists them)`]
        : []),
    );
  }
  lines.push(
    "",
    s.reconciled
      ? "Reconciled: every row and every cost is accounted for."
      : `NOT reconciled: ${s.problems.length} problem(s), listed first.`,
  );
  return lines.join("\n");
}
