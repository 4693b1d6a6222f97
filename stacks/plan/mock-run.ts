import * as pulumi from "@pulumi/pulumi";
import { shortHash } from "../../components/core/naming";
import { SECRET_FIELD } from "../../runtime/jobs/shared/redact";
import type { RecordedResource } from "../../policies/resource-document";
import { fakeInvoke, fakeState } from "./fakes";

export type { RecordedResource };

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
    // Inputs as deserialized, secrets still wrapped: rendered once every secret value is known.
    const raw: Record<string, unknown>[] = [];
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
          raw.push(pulumi.runtime.deserializeProperties(req.getObject() as never) as Record<string, unknown>);
          recorded.push({
            urn: resp.getUrn(),
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || null,
            inputs: {},
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
    const secrets = secretValues(raw);
    recorded.forEach((r, i) => {
      r.inputs = providerDecoded(r.type, readable(raw[i], secrets) as Record<string, unknown>);
    });
    return { resources: treeOrder(recorded), result: result as T };
  } finally {
    running = false;
  }
}

const isSecret = (value: unknown): value is { value: unknown } =>
  !!value &&
  typeof value === "object" &&
  (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;

/**
 * The plain secret values of a run: every secret input that is a single string (a password), and
 * inside a secret JSON document every string a secret-named field holds (`externalId` of the
 * connector's secret). Shorter ones would match ordinary words inside documents.
 */
function secretValues(inputs: unknown[]): string[] {
  const found = new Set<string>();
  const keep = (v: unknown) => {
    if (typeof v === "string" && v.length >= 6) found.add(v);
  };
  const secretFields = (doc: unknown): void => {
    if (Array.isArray(doc)) doc.forEach(secretFields);
    else if (doc && typeof doc === "object")
      for (const [k, v] of Object.entries(doc)) SECRET_FIELD.test(k) ? keep(v) : secretFields(v);
  };
  const visit = (v: unknown) => {
    if (isSecret(v)) {
      if (typeof v.value !== "string") return visit(v.value);
      try {
        secretFields(JSON.parse(v.value));
      } catch {
        keep(v.value);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  inputs.forEach(visit);
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * A secret IAM policy document (a trust policy holding an external id) with only its secret values
 * masked, so that reviewers and policies see its structure; undefined for any other secret, which
 * stays whole "[secret]": a document that holds no known secret value may hold unknown ones.
 */
function maskedPolicyDocument(plain: unknown, secrets: string[]): string | undefined {
  if (typeof plain !== "string") return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(plain);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== "object" || !Array.isArray((doc as { Statement?: unknown }).Statement))
    return undefined;
  if (!secrets.some((s) => plain.includes(s))) return undefined;
  const mask = (v: unknown): unknown => {
    if (typeof v === "string") return secrets.reduce((text, s) => text.split(s).join("[secret]"), v);
    if (Array.isArray(v)) return v.map(mask);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [mask(k), mask(x)]));
    return v;
  };
  const masked = JSON.stringify(mask(doc));
  return secrets.some((s) => masked.includes(s)) ? undefined : masked;
}

/** Replaces the runtime's wire markers with what a reader should see. */
function readable(value: unknown, secrets: string[]): unknown {
  if (value === unknownValue) return "[unknown]";
  if (Array.isArray(value)) return value.map((v) => readable(v, secrets));
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const sig = obj[specialSigKey];
    if (sig === specialSecretSig) return maskedPolicyDocument(obj.value, secrets) ?? "[secret]";
    if (sig === specialAssetSig || sig === specialArchiveSig) {
      return { asset: obj.path ?? obj.uri ?? (obj.assets ? Object.keys(obj.assets as object) : "[inline]") };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, readable(v, secrets)]));
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
