import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../components/core/naming";
import { fakeInvoke, fakeState } from "./fakes";

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

export interface MockRunOptions {
  project?: string;
  stack?: string;
}

export interface MockRun<T> {
  /** Every registered resource, parents before children, siblings in registration order. */
  resources: RecordedResource[];
  /** What the program returned (the stack outputs). */
  result: T;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): unknown;
  getDependenciesList(): string[];
}
interface RegisterResponse {
  getUrn(): string;
}
type RegisterFn = (
  req: RegisterRequest,
  cb: (err: unknown, resp?: RegisterResponse) => void,
) => Promise<void>;

// The mock monitor does not pass a resource's parent or dependencies to the Mocks interface,
// and `waitForRPCs` is not in the typings; both live on the runtime's settings module.
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
const { specialSigKey, specialSecretSig, specialAssetSig, specialArchiveSig, unknownValue } = pulumi.runtime;

let running = false;

/** The id a custom resource gets under mocks: its name and a hash of its type and name. */
export const fakeId = (type: string, name: string): string => `${name}-${shortHash(`${type}::${name}`, 8)}`;

/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks`, inside a stack resource as
 * `pulumi up` would, and returns every resource it registered with its inputs and parent.
 * Ids and computed outputs are deterministic fakes, so two runs record the same plan.
 */
export async function runUnderMocks<T>(
  program: () => T | Promise<T>,
  options: MockRunOptions = {},
): Promise<MockRun<T>> {
  if (running)
    throw new Error("runUnderMocks is not reentrant: the Pulumi runtime holds one mock monitor at a time");
  running = true;
  try {
    const recorded: RecordedResource[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => ({
          id: args.custom ? fakeId(args.type, args.name) : undefined,
          state: fakeState(args.type, args.name, args.inputs),
        }),
        call: (args) => fakeInvoke(args.token, args.inputs),
      },
      options.project ?? "costline",
      options.stack ?? "dev",
      false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: RegisterFn };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
      register(req, (err, resp) => {
        if (!err && resp) {
          recorded.push({
            urn: resp.getUrn(),
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || null,
            inputs: providerDecoded(
              req.getType(),
              readable(pulumi.runtime.deserializeProperties(req.getObject() as never)) as Record<
                string,
                unknown
              >,
            ),
            custom: req.getCustom(),
            provider: req.getProvider() || null,
            dependsOn: req.getDependenciesList(),
          });
        }
        cb(err, resp);
      });
    let result: T | undefined;
    await pulumi.runtime.runInPulumiStack(async () => {
      result = await program();
      return result;
    });
    await settings.waitForRPCs();
    return { resources: treeOrder(recorded), result: result as T };
  } finally {
    running = false;
  }
}

/** Replaces the runtime's wire markers with what a reader should see. */
function readable(value: unknown): unknown {
  if (value === unknownValue) return "[unknown]";
  if (Array.isArray(value)) return value.map(readable);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[specialSigKey];
    if (sig === specialSecretSig) return "[secret]";
    if (sig === specialAssetSig || sig === specialArchiveSig) {
      return { asset: obj.path ?? obj.uri ?? (obj.assets ? Object.keys(obj.assets as object) : "[inline]") };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, readable(v)]));
  }
  return value;
}

/** Provider inputs travel as JSON text; decode them so that readers and policies see the values. */
function providerDecoded(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (!type.startsWith("pulumi:providers:")) return inputs;
  const decode = (v: unknown) => {
    if (typeof v !== "string" || !/^[[{]|^(true|false)$/.test(v)) return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, decode(v)]));
}

/** Parents first, then their children in registration order: the shape of a preview. */
function treeOrder(resources: RecordedResource[]): RecordedResource[] {
  const children = new Map<string | null, RecordedResource[]>();
  const known = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    const key = r.parent && known.has(r.parent) ? r.parent : null;
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const out: RecordedResource[] = [];
  const visit = (urn: string | null) => {
    for (const r of children.get(urn) ?? []) {
      out.push(r);
      visit(r.urn);
    }
  };
  visit(null);
  return out;
}
