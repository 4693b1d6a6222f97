import { readFileSync } from "node:fs";
import type { PlanViolation } from "../../stacks/plan/offline-plan";
import { parseFlags, required } from "./args";
import { CliError, ExitCode } from "./errors";

export const USAGE = "costline policy-check --resources FILE [--config FILE] [--json]";

/** Reads and parses a JSON file, or fails naming the file and what to fix. */
function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(
      `costline policy-check: cannot read ${what} ${path}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`costline policy-check: ${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The violations as lines: one a violation, with its URN underneath, then a summary. */
function renderViolations(checked: number, violations: PlanViolation[]): string {
  const mandatory = violations.filter((v) => v.level === "mandatory").length;
  return [
    ...violations.map((v) => `[${v.level}] ${v.policy}: ${v.message}\n    ${v.urn}`),
    `${checked} resources checked: ${violations.length} violation(s), ${mandatory} mandatory`,
  ].join("\n");
}

/**
 * `costline policy-check`: runs the Costline policy pack on resources from a file (a saved
 * `costline plan --json`, the plan contract written by any tool, or a `pulumi stack export`), with
 * an optional pack config in Pulumi's JSON form. Exits 3 on a mandatory violation.
 */
export async function policyCheckCommand(argv: string[], out: NodeJS.WritableStream): Promise<number> {
  const flags = parseFlags(
    "policy-check",
    argv,
    { resources: { type: "string" }, config: { type: "string" }, json: { type: "boolean" } },
    USAGE,
  );
  const file = required("policy-check", flags.resources, "--resources FILE", USAGE);
  const rawResources = readJson(file, "resources file");
  const config = flags.config ? readJson(flags.config, "policy config") : undefined;
  // Loaded only here: the policies load the provider SDKs.
  const { readResourceDocument, ResourceDocumentError } =
    require("../../policies/resource-document") as typeof import("../../policies/resource-document");
  const { runPolicyPack } = require("../../policies/run") as typeof import("../../policies/run");
  const { PolicyConfigError } = require("../../policies/config") as typeof import("../../policies/config");
  let violations: PlanViolation[];
  let checked: number;
  try {
    const doc = readResourceDocument(rawResources, file);
    if (doc.unresolvedProviders.length > 0) {
      process.stderr.write(
        `note: ${doc.unresolvedProviders.length} resource(s) name no provider and the file has several providers of their package; provider defaults (default tags, region) are not applied to them. Include "provider" per resource (costline plan --json writes it).\n`,
      );
    }
    checked = doc.resources.length;
    violations = await runPolicyPack(doc.resources, { config, configSource: flags.config });
  } catch (e) {
    if (e instanceof ResourceDocumentError || e instanceof PolicyConfigError) throw new CliError(e.message);
    throw e;
  }
  out.write(
    flags.json
      ? `${JSON.stringify({ violations }, null, 2)}\n`
      : `${renderViolations(checked, violations)}\n`,
  );
  return violations.some((v) => v.level === "mandatory") ? ExitCode.violation : ExitCode.ok;
}
