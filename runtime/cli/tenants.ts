import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import type { TenantConfig } from "../../components/tenant/config";
import { parseFlags } from "./args";
import { CliError, ExitCode } from "./errors";

const ROOT = join(__dirname, "..", "..");
const DEFAULT_REGISTRY = join(ROOT, "tenants");
export const USAGE = [
  "costline tenants plan|up|list [--tenant ID...] [--concurrency N] [--registry DIR] [--kubeconfig-dir DIR] [--json] [--markdown FILE]",
  "costline tenants destroy --tenant ID... --yes [--concurrency N] [--registry DIR] [--kubeconfig-dir DIR] [--json] [--markdown FILE]",
  "costline tenants add [--registry DIR] [--force] [--<question> VALUE ...]",
].join("\n       ");

type Lazy = typeof import("../../stacks/provisioning/registry") &
  typeof import("../../stacks/provisioning/run") &
  typeof import("../../stacks/provisioning/workspace") &
  typeof import("../../stacks/provisioning/offline-workspace") &
  typeof import("../../stacks/provisioning/onboarding") &
  typeof import("../../stacks/plan/physical-names");

// Loaded on use: the provisioning modules pull in the Pulumi SDKs, which take seconds to load.
const load = (): Lazy => ({
  ...require("../../stacks/provisioning/registry"),
  ...require("../../stacks/provisioning/run"),
  ...require("../../stacks/provisioning/workspace"),
  ...require("../../stacks/provisioning/offline-workspace"),
  ...require("../../stacks/provisioning/onboarding"),
  ...require("../../stacks/plan/physical-names"),
});

/** Dependencies the command uses, replaceable in tests. */
export interface TenantsDeps {
  cliAvailable: () => boolean;
  workspace?: import("../../stacks/provisioning/workspace").TenantWorkspace;
  isTTY: boolean;
  input: NodeJS.ReadableStream;
  /** Where notes and progress go when stdout carries --json. */
  err: NodeJS.WritableStream;
}

/** `costline tenants ...`: provisioning and onboarding of many tenant stacks. */
export async function tenantsCommand(
  argv: string[],
  out: NodeJS.WritableStream,
  deps?: Partial<TenantsDeps>,
): Promise<number> {
  const [sub, ...rest] = argv;
  const lib = load();
  const d: TenantsDeps = {
    cliAvailable: () => lib.pulumiCliAvailable(),
    isTTY: !!process.stdin.isTTY,
    input: process.stdin,
    err: process.stderr,
    ...deps,
  };
  if (sub === "add") return add(rest, out, lib, d);
  if (sub !== "plan" && sub !== "up" && sub !== "destroy" && sub !== "list") {
    throw new CliError(`costline tenants: choose plan, up, destroy, list or add\nusage: ${USAGE}`);
  }
  const flags = parseFlags(
    `tenants ${sub}`,
    rest,
    {
      tenant: { type: "string", multiple: true },
      concurrency: { type: "string", default: "4" },
      registry: { type: "string", default: DEFAULT_REGISTRY },
      "kubeconfig-dir": { type: "string" },
      json: { type: "boolean" },
      markdown: { type: "string" },
      yes: { type: "boolean" },
    },
    USAGE,
  );
  // Destroying is never the default for every tenant, nor done without being asked in so many words.
  if (sub === "destroy" && !(flags.tenant as string[] | undefined)?.length) {
    throw new CliError(
      `costline tenants destroy: name the tenants to destroy with --tenant ID (there is no "all")\nusage: ${USAGE}`,
    );
  }
  if (sub === "destroy" && !flags.yes) {
    throw new CliError(
      `costline tenants destroy: this deletes every resource of ${(flags.tenant as string[]).join(", ")}, the billing exports and their data included; add --yes to confirm\nusage: ${USAGE}`,
    );
  }
  let entries: ReturnType<Lazy["readRegistry"]>;
  try {
    entries = lib.readRegistry(flags.registry as string, (flags.tenant as string[] | undefined) ?? []);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (sub === "plan") {
    // Physical names come from each tenant's offline plan, compared across the whole registry:
    // a tenant not asked for still owns its names.
    const checked = await lib.refuseSharedAsync(
      lib.readRegistry(flags.registry as string),
      lib.planNameClaims,
    );
    entries = entries.map((e) => checked.find((c) => c.file === e.file) ?? e);
  }
  if (sub === "list") {
    const rows = entries.map((e) => ({
      tenantId: e.tenantId,
      file: e.file,
      clouds: e.config ? clouds(e.config) : [],
      error: e.error,
    }));
    out.write(
      flags.json
        ? `${JSON.stringify({ tenants: rows }, null, 2)}\n`
        : `${rows.map((r) => `${r.tenantId.padEnd(22)} ${r.error ? `INVALID: ${r.error.split("\n").join(" | ")}` : r.clouds.join(", ")}`).join("\n")}\n`,
    );
    return entries.some((e) => e.error) ? ExitCode.usage : ExitCode.ok;
  }
  const concurrency = Number(flags.concurrency);
  let workspace = d.workspace;
  let mode = "automation";
  if (!workspace) {
    const { tenantPackConfig, tenantPlanChecker } =
      require("../../stacks/plan/tenant-pack") as typeof import("../../stacks/plan/tenant-pack");
    if (d.cliAvailable()) {
      workspace = lib.automationWorkspace(ROOT, {
        packs: [join(ROOT, "policies")],
        configFor: tenantPackConfig,
      });
    } else if (sub === "plan") {
      mode = "offline";
      (flags.json ? d.err : out).write(
        "Pulumi CLI not found: falling back to the offline plan (no state, every resource shown as a create).\n",
      );
      workspace = lib.offlineWorkspace(tenantPlanChecker);
    } else {
      throw new CliError(
        `costline tenants ${sub} needs the Pulumi CLI on the PATH (install it, log in to your state backend) — nothing was changed. \`costline tenants plan\` works without it.`,
        ExitCode.failure,
      );
    }
  }
  const kubeconfigDir = flags["kubeconfig-dir"] as string | undefined;
  const outcomes = await lib.runTenants(sub, entries, workspace, {
    concurrency,
    secretsFor: (t) => kubeconfigSecrets(t, kubeconfigDir),
    // Progress goes where it cannot spoil --json: a deploy can take many minutes, shown as it goes.
    onProgress: (tenantId, line) => (flags.json ? d.err : out).write(`[${tenantId}] ${line}\n`),
    onDone: flags.json
      ? undefined
      : (o) =>
          out.write(
            `${o.status === "succeeded" ? "✓" : "✗"} ${o.tenantId} (${(o.durationMs / 1000).toFixed(1)}s)\n`,
          ),
  });
  const failed = outcomes.filter((o) => o.status === "failed").length;
  if (typeof flags.markdown === "string")
    writeFileSync(flags.markdown, lib.renderMarkdown(sub, outcomes, mode));
  out.write(
    flags.json
      ? `${JSON.stringify({ operation: sub, mode, tenants: outcomes, failed }, null, 2)}\n`
      : `\n${lib.renderSummary(sub, outcomes)}\n`,
  );
  return failed > 0 ? ExitCode.failure : ExitCode.ok;
}

const clouds = (t: TenantConfig) => (["aws", "gcp", "azure", "kubernetes"] as const).filter((c) => t[c]);

/** kubeconfig contents from `<dir>/<cluster>` as secret config; they never reach a file or a log. */
function kubeconfigSecrets(tenant: TenantConfig, dir: string | undefined): Record<string, string> {
  if (!dir || !tenant.kubernetes) return {};
  const found = Object.fromEntries(
    tenant.kubernetes.clusters
      .filter((c) => existsSync(join(dir, c.name)))
      .map((c) => [c.name, readFileSync(join(dir, c.name), "utf8")]),
  );
  return Object.keys(found).length > 0 ? { "costline:kubeconfigs": JSON.stringify(found) } : {};
}

async function add(argv: string[], out: NodeJS.WritableStream, lib: Lazy, d: TenantsDeps): Promise<number> {
  const questionFlags = Object.fromEntries(lib.QUESTIONS.map((q) => [q.flag, { type: "string" as const }]));
  const flags = parseFlags(
    "tenants add",
    argv,
    {
      ...questionFlags,
      registry: { type: "string", default: DEFAULT_REGISTRY },
      force: { type: "boolean" },
    },
    USAGE,
  ) as Record<string, string | boolean | undefined>;
  const answers: Record<string, string> = {};
  for (const q of lib.QUESTIONS)
    if (typeof flags[q.flag] === "string") answers[q.flag] = flags[q.flag] as string;
  // The answers that passed their checks (or came as flags): an answer still being re-asked is not one.
  const kept = new Set(Object.keys(answers));
  // The answers given so far as flags, so that a stop or a failure never makes them typed again.
  const rerun = () => {
    const given = lib.QUESTIONS.filter((q) => answers[q.flag] && kept.has(q.flag)).map(
      (q) => `--${q.flag} ${shellQuote(answers[q.flag]!)}`,
    );
    if (!given.length) return "";
    const registry =
      flags.registry === DEFAULT_REGISTRY ? [] : [`--registry ${shellQuote(flags.registry as string)}`];
    return `\n  your answers so far, to go on from: costline tenants add ${[...registry, ...given].join(" ")}`;
  };
  if (d.isTTY) {
    const rl = createInterface({ input: d.input, output: out });
    try {
      for (const q of lib.QUESTIONS) {
        if (q.flag in answers || (q.when && !q.when(answers))) continue;
        for (;;) {
          answers[q.flag] = (await rl.question(`${q.prompt}: `)).trim();
          if (!answers[q.flag] && q.optional) break;
          const problems = lib.answerProblems(q, answers);
          if (problems.length === 0) {
            kept.add(q.flag);
            break;
          }
          out.write(`  ${problems.join("\n  ")}\n`);
        }
      }
    } catch (e) {
      if ((e as Error).name !== "AbortError") throw e;
      throw new CliError(
        `\ncostline tenants add: stopped (Ctrl-C); nothing was written${rerun()}`,
        ExitCode.interrupted,
      );
    } finally {
      rl.close();
    }
  } else {
    // Without a TTY every answer comes from flags, and each wrong answer is reported with its flag.
    const problems = lib.QUESTIONS.filter((q) => !q.when || q.when(answers)).flatMap((q) =>
      !answers[q.flag] && !q.optional
        ? [`--${q.flag}: required (${q.prompt})`]
        : answers[q.flag]
          ? lib.answerProblems(q, answers).map((p) => `--${q.flag}: ${p}`)
          : [],
    );
    if (problems.length > 0)
      throw new CliError(`costline tenants add: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  }
  let written: ReturnType<Lazy["writeTenantFile"]>;
  try {
    written = lib.writeTenantFile(flags.registry as string, answers, flags.force === true);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    throw new CliError(`${e.message}${rerun()}`);
  }
  const { file, tenant } = written;
  out.write(
    `Wrote ${file}\n\nNext steps:\n${lib
      .nextSteps(tenant, file)
      .map((s, i) => `  ${i + 1}. ${s}`)
      .join("\n")}\n`,
  );
  return ExitCode.ok;
}

/** A value as one shell word: bare when it is plainly safe, else single-quoted. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
