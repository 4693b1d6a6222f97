import { z } from "zod";

/** One resource the program registered, as the engine would have received it. */
export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource; null only for the stack itself. */
  parent: string | null;
  /** Inputs as sent to the engine; secrets appear as "[secret]". */
  inputs: Record<string, unknown>;
  /** Whether a provider manages it (false for component resources). */
  custom: boolean;
  /** Provider reference (`urn::id`), when one was given explicitly. */
  provider: string | null;
  /** URNs of explicit and implied dependencies. */
  dependsOn: string[];
}

/** A resources file that cannot be checked; carries every problem by path. */
export class ResourceDocumentError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: cannot check these resources\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ResourceDocumentError";
  }
}

const PlanResource = z.object({
  urn: z.string().min(1),
  type: z.string().min(1),
  name: z.string().optional(),
  parent: z.string().nullable().optional(),
  inputs: z.record(z.string(), z.unknown()).default({}),
  /** Provider reference `urn::id` (or the provider's URN); `costline plan --json` writes it. */
  provider: z.string().nullable().optional(),
  custom: z.boolean().optional(),
  dependsOn: z.array(z.string()).default([]),
});

// `pulumi stack export`: deployment.resources with inputs, parent, provider and dependencies.
const ExportedResource = z.object({
  urn: z.string().min(1),
  type: z.string().min(1),
  custom: z.boolean().default(false),
  inputs: z.record(z.string(), z.unknown()).default({}),
  parent: z.string().optional(),
  provider: z.string().optional(),
  dependencies: z.array(z.string()).default([]),
});

const PlanDocument = z.object({ resources: z.array(PlanResource) });
const StackExport = z.object({ deployment: z.object({ resources: z.array(ExportedResource) }) });

// Pulumi's marker of a secret value in state and on the wire.
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Secrets of a stack export become "[secret]", as in the offline plan. */
function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj["4dabf18193072939515e22adb298388d"] === SECRET_SIG) return "[secret]";
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, maskSecrets(v)]));
  }
  return value;
}

/** A provider reference is `urn::id`; a bare URN (four `::`-separated parts) gets a placeholder id. */
const providerRef = (ref: string) => (ref.split("::").length === 4 ? `${ref}::unknown` : ref);
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const packageOf = (type: string) => type.split(":")[0];

/** What was read, and the resources whose provider could not be told (its defaults do not apply to them). */
export interface ResourceDocument {
  resources: RecordedResource[];
  unresolvedProviders: string[];
}

/**
 * Reads resources to check from either the plan contract (`{"resources":[...]}`, e.g. a saved
 * `costline plan --json`) or a `pulumi stack export`. A resource that names no provider gets the
 * only provider of its package in the file, when there is exactly one.
 */
export function readResourceDocument(raw: unknown, source: string): ResourceDocument {
  const issues = (error: z.ZodError) =>
    error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(document)"}: ${i.message}`);
  let resources: RecordedResource[];
  if (raw && typeof raw === "object" && "deployment" in raw) {
    const parsed = StackExport.safeParse(raw);
    if (!parsed.success) throw new ResourceDocumentError(source, issues(parsed.error));
    resources = parsed.data.deployment.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: nameOf(r.urn),
      parent: r.parent ?? null,
      inputs: maskSecrets(r.inputs) as Record<string, unknown>,
      custom: r.custom,
      provider: r.provider ?? null,
      dependsOn: r.dependencies,
    }));
  } else {
    const parsed = PlanDocument.safeParse(raw);
    if (!parsed.success) {
      throw new ResourceDocumentError(source, [
        ...issues(parsed.error),
        'expected {"resources":[{"urn","type","name","parent","inputs"}]} (costline plan --json) or a `pulumi stack export`',
      ]);
    }
    resources = parsed.data.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name ?? nameOf(r.urn),
      parent: r.parent ?? null,
      inputs: r.inputs,
      // The plan contract does not say which resources are components; a component has no inputs a policy reads.
      custom: r.custom ?? !r.type.startsWith("pulumi:pulumi:"),
      provider: r.provider ? providerRef(r.provider) : null,
      dependsOn: r.dependsOn,
    }));
  }
  const providers = resources.filter((r) => r.type.startsWith("pulumi:providers:"));
  const unresolvedProviders: string[] = [];
  for (const r of resources) {
    if (r.provider || !r.custom || r.type.startsWith("pulumi:")) continue;
    const candidates = providers.filter((p) => p.type === `pulumi:providers:${packageOf(r.type)}`);
    if (candidates.length === 1) r.provider = `${candidates[0].urn}::unknown`;
    else if (candidates.length > 1) unresolvedProviders.push(r.urn);
  }
  return { resources, unresolvedProviders };
}
