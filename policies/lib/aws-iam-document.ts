import { record } from "../policy";

/** One IAM policy statement, with every "string or list" field as a list. */
export interface IamStatement {
  sid?: string;
  effect: "Allow" | "Deny";
  actions: string[];
  notActions: string[];
  resources: string[];
  notResources: string[];
  /** Every principal by kind ("AWS", "Service", "Federated", "CanonicalUser"); "*" alone becomes `{ "*": ["*"] }`. */
  principals: Record<string, string[]>;
  /** The NotPrincipal element, read like `principals`. */
  notPrincipals: Record<string, string[]>;
  /** Condition operator -> key (lowercased) -> values. */
  conditions: Record<string, Record<string, string[]>>;
}

/** The result of reading a policy document input: statements, or why it could not be read. */
export type ParsedDocument = { statements: IamStatement[] } | { problem: string };

// A value that is an object (a CloudFormation intrinsic such as { Ref: "ExternalId" }) stays readable
// as its JSON: a parameter reference pins a value as surely as a literal does.
const strings = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : (Array.isArray(v) ? v : [v]).map((x) => (x && typeof x === "object" ? JSON.stringify(x) : String(x)));

/** A Principal or NotPrincipal element by kind; "*" alone becomes `{ "*": ["*"] }`. */
const principalsOf = (principal: unknown): Record<string, string[]> =>
  principal === "*"
    ? { "*": ["*"] }
    : Object.fromEntries(Object.entries(record(principal)).map(([k, v]) => [k, strings(v)]));

/**
 * Reads an IAM policy document as the AWS provider receives it: JSON text or an object
 * (`aws.iam.PolicyDocument`). A value the plan cannot see ("[secret]", "[unknown]") has no statements.
 */
export function parsePolicyDocument(input: unknown): ParsedDocument {
  if (
    input === undefined ||
    input === null ||
    input === "" ||
    input === "[secret]" ||
    input === "[unknown]"
  ) {
    return { statements: [] };
  }
  let doc: unknown = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      return { problem: `the policy document is not valid JSON (${(e as Error).message})` };
    }
  }
  if (!doc || typeof doc !== "object") return { problem: "the policy document is not a JSON object" };
  const raw = (doc as Record<string, unknown>).Statement;
  const statements = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: IamStatement[] = [];
  for (const [i, s] of statements.entries()) {
    if (!s || typeof s !== "object") return { problem: `Statement[${i}] is not an object` };
    const st = s as Record<string, unknown>;
    if (st.Effect !== "Allow" && st.Effect !== "Deny") {
      return { problem: `Statement[${i}] has Effect ${JSON.stringify(st.Effect)}; use "Allow" or "Deny"` };
    }
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [op, keys] of Object.entries(record(st.Condition))) {
      conditions[op] = Object.fromEntries(
        Object.entries(record(keys)).map(([k, v]) => [k.toLowerCase(), strings(v)]),
      );
    }
    out.push({
      sid: typeof st.Sid === "string" ? st.Sid : undefined,
      effect: st.Effect,
      actions: strings(st.Action),
      notActions: strings(st.NotAction),
      resources: strings(st.Resource),
      notResources: strings(st.NotResource),
      principals: principalsOf(st.Principal),
      notPrincipals: principalsOf(st.NotPrincipal),
      conditions,
    });
  }
  return { statements: out };
}

/** How a statement is named in a message: its Sid, or its position. */
export const statementLabel = (s: IamStatement, i: number) =>
  s.sid ? `statement "${s.sid}"` : `statement ${i}`;

/** Every value a condition key has under any operator (keys compare case-insensitively, as in IAM). */
export function conditionValues(s: IamStatement, key: string): string[] {
  const k = key.toLowerCase();
  return Object.values(s.conditions).flatMap((keys) => keys[k] ?? []);
}

// Operators that hold a key to the values listed; an `...IfExists` one lets a request without the
// key through, and a negated or Null operator admits every value but some.
const PINNING_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike"]);

/**
 * The values a statement holds `key` to, when it holds it at all: those of StringEquals (or its
 * IgnoreCase form) and the StringLike patterns without a wildcard. Empty when no operator pins the
 * key, however many conditions name it (StringLike "*", StringNotEquals, Null false, ...IfExists).
 */
export function pinnedValues(s: IamStatement, key: string): string[] {
  const k = key.toLowerCase();
  return Object.entries(s.conditions).flatMap(([op, keys]) => {
    const operator = op.toLowerCase().replace(/^for(any|all)values:/, "");
    if (!PINNING_OPERATORS.has(operator)) return [];
    const values = keys[k] ?? [];
    return operator === "stringlike" ? values.filter((v) => !/[*?]/.test(v)) : values;
  });
}

/** Whether an action pattern covers `action`, with IAM's wildcards (`*`, `?`) and case-insensitively. */
export function actionCovers(pattern: string, action: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`, "i").test(action);
}

/** Whether a principal list admits anyone: "*" as the whole principal or as an AWS principal. */
export function admitsAnyone(s: IamStatement): boolean {
  return (s.principals["*"] ?? []).includes("*") || (s.principals.AWS ?? []).includes("*");
}

const READ_VERBS = /^(Get|List|Describe|Head|Search|Lookup|Select|BatchGet|Query|View|Check|Validate)/;

/** Whether an action only reads (by the IAM verb convention); wildcards such as `s3:Get*` count as reads. */
export function isReadOnlyAction(action: string): boolean {
  const [, verb = ""] = action.split(":");
  return READ_VERBS.test(verb);
}

// Condition keys that tie a request to known callers: an account, an organization, a source ARN, a VPC.
const CALLER_KEYS = [
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceowner",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalaccount",
  "aws:principalarn",
  "aws:sourcevpce",
  "aws:sourcevpc",
];

// Operators that hold a key to the listed values (ForAllValues passes a request without the key).
const NARROWING_OPERATORS =
  /^(foranyvalue:)?(stringequals|stringequalsignorecase|stringlike|arnequals|arnlike)$/;

/**
 * Whether a value names known callers. An identifier (an account, an organization id) with a
 * wildcard names anyone ("o-*", "*"); an ARN may keep a wildcard after a pinned account
 * ("arn:aws:bcm-data-exports:us-east-1:111122223333:export/*"), or none at all.
 */
function namesCallers(key: string, value: string): boolean {
  if (!/[*?]/.test(value)) return value !== "";
  if (!key.endsWith("arn")) return false;
  return /^\d{12}$/.test(value.split(":")[4] ?? "");
}

/** The condition keys by which a statement ties its caller to known accounts, organizations or sources. */
export function callerConditions(s: IamStatement): string[] {
  return Object.entries(s.conditions).flatMap(([op, keys]) =>
    NARROWING_OPERATORS.test(op.toLowerCase())
      ? CALLER_KEYS.filter((k) => (keys[k] ?? []).some((v) => namesCallers(k, v)))
      : [],
  );
}

/** The 12-digit account a principal (an account id or an IAM/STS ARN) belongs to, if it names one. */
export function accountOf(principal: string): string | undefined {
  const m = /^(\d{12})$|^arn:aws[a-z-]*:(iam|sts)::(\d{12}):/.exec(principal);
  return m?.[1] ?? m?.[3];
}

/**
 * The AWS principals of a statement outside `ownAccounts`: "*", principals of other accounts, and
 * any whose account cannot be read (a reference, a malformed value).
 */
export function foreignPrincipals(s: IamStatement, ownAccounts: string[]): string[] {
  return (s.principals.AWS ?? []).filter((p) => {
    const id = accountOf(p);
    return p === "*" || !id || !ownAccounts.includes(id);
  });
}

/**
 * Whether an Allow statement's actions reach `action`: an Action pattern that covers it, or a
 * NotAction list that does not exclude it.
 */
export function allowsAction(s: IamStatement, action: string): boolean {
  if (s.effect !== "Allow") return false;
  if (s.notActions.length > 0) return !s.notActions.some((p) => actionCovers(p, action));
  return s.actions.some((p) => actionCovers(p, action));
}
