import { shortHash } from "../../policies/lib/hash";

/** The rules one provider applies to one kind of name. */
export interface NameRule {
  /** Longest legal name. */
  maxLength: number;
  /** Characters allowed; every other run of characters becomes `separator` (or is dropped when it is ""). */
  allowed: RegExp;
  /** Joins the parts and replaces illegal runs; "" for names that allow no separator (Azure storage accounts). */
  separator: string;
  /** Whether the provider requires lowercase. */
  lowercase: boolean;
  /** Whether the name must start with a letter. */
  startWithLetter: boolean;
}

/** Provider name rules we use. Keys name the resource kind, values its documented limits. */
export const nameRules = {
  /** S3 bucket: 3-63, lowercase letters, digits, hyphens. */
  s3Bucket: { maxLength: 63, allowed: /[a-z0-9-]/, separator: "-", lowercase: true, startWithLetter: true },
  /** IAM role: 64 characters, alphanumerics and +=,.@_- */
  iamRole: {
    maxLength: 64,
    allowed: /[A-Za-z0-9+=,.@_-]/,
    separator: "-",
    lowercase: false,
    startWithLetter: false,
  },
  /** Lambda function: 64 characters, letters, digits, hyphens, underscores. */
  lambda: {
    maxLength: 64,
    allowed: /[A-Za-z0-9_-]/,
    separator: "-",
    lowercase: false,
    startWithLetter: false,
  },
  /** Glue database / table and Athena workgroup-friendly identifiers: lowercase, underscores. */
  glue: { maxLength: 128, allowed: /[a-z0-9_]/, separator: "_", lowercase: true, startWithLetter: true },
  /** Generic AWS resource names (workgroups, log groups suffixes, schedules, queues): 64 characters. */
  aws: { maxLength: 64, allowed: /[A-Za-z0-9_-]/, separator: "-", lowercase: false, startWithLetter: false },
  /** BigQuery dataset: letters, digits, underscores, 1024; we keep them short and lowercase. */
  bigqueryDataset: {
    maxLength: 1024,
    allowed: /[a-z0-9_]/,
    separator: "_",
    lowercase: true,
    startWithLetter: true,
  },
  /** GCP service account id: 6-30, lowercase letters, digits, hyphens, starts with a letter. */
  gcpServiceAccount: {
    maxLength: 30,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    startWithLetter: true,
  },
  /** GCP workload identity pool / provider id: 4-32, lowercase letters, digits, hyphens. */
  gcpWorkloadIdentity: {
    maxLength: 32,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    startWithLetter: true,
  },
  /** Generic GCP resource (buckets get a project prefix; functions, schedulers, secrets): 63. */
  gcp: { maxLength: 63, allowed: /[a-z0-9-]/, separator: "-", lowercase: true, startWithLetter: true },
  /** Azure storage account: 3-24, lowercase letters and digits only. */
  azureStorageAccount: {
    maxLength: 24,
    allowed: /[a-z0-9]/,
    separator: "",
    lowercase: true,
    startWithLetter: true,
  },
  /** Azure Key Vault: 3-24, letters, digits, hyphens, starts with a letter. */
  azureKeyVault: {
    maxLength: 24,
    allowed: /[a-z0-9-]/,
    separator: "-",
    lowercase: true,
    startWithLetter: true,
  },
  /** Azure resource group, function app and most others: 60 (function apps), letters, digits, hyphens. */
  azure: { maxLength: 60, allowed: /[A-Za-z0-9-]/, separator: "-", lowercase: false, startWithLetter: true },
  /** Kubernetes DNS-1123 label: 63, lowercase letters, digits, hyphens. */
  kubernetes: { maxLength: 63, allowed: /[a-z0-9-]/, separator: "-", lowercase: true, startWithLetter: true },
} satisfies Record<string, NameRule>;

export type NameKind = keyof typeof nameRules;

export { shortHash };

/**
 * Makes a provider-legal physical name from logical parts (tenant id, purpose, ...).
 * Illegal characters collapse into the separator. Two cases end the name in a hash of the whole
 * joined name, so that it stays unique and stable across runs: a name longer than the provider
 * allows (it keeps its head), and a name a part of which lost characters (dropped, or a run
 * collapsed into one separator), since then different parts could clean to one name ("acme-prod"
 * and "acmeprod" are both "acmeprod" in an Azure storage account name, "a--b" and "a-b" both
 * "a-b" anywhere). A one-for-one swap ("-" to "_" in Glue) keeps a tenant id's characters apart.
 */
export function physicalName(kind: NameKind, ...parts: string[]): string {
  const rule: NameRule = nameRules[kind];
  const cased = (s: string) => (rule.lowercase ? s.toLowerCase() : s);
  const kept = parts.filter((p) => p.length > 0);
  const joined = kept.join(rule.separator || "-");
  let name = clean(cased(joined), rule);
  if (name.length === 0) throw new Error(`cannot make a ${kind} name from ${JSON.stringify(parts)}`);
  if (rule.startWithLetter && !/^[A-Za-z]/.test(name)) name = `x${name}`;
  const lostCharacters = kept.some((p) => clean(cased(p), rule).length !== p.length);
  if (name.length <= rule.maxLength && !lostCharacters) return name;
  const hash = shortHash(joined);
  const head = trimSeparators(name.slice(0, rule.maxLength - hash.length - rule.separator.length), rule);
  return `${head}${rule.separator}${hash}`;
}

function clean(value: string, rule: NameRule): string {
  let out = "";
  let pendingSeparator = false;
  for (const ch of value) {
    if (rule.allowed.test(ch) && ch !== rule.separator) {
      if (pendingSeparator && out.length > 0) out += rule.separator;
      pendingSeparator = false;
      out += ch;
    } else {
      pendingSeparator = true;
    }
  }
  return trimSeparators(out, rule);
}

function trimSeparators(value: string, rule: NameRule): string {
  if (!rule.separator) return value;
  let start = 0;
  let end = value.length;
  while (start < end && value[start] === rule.separator) start++;
  while (end > start && value[end - 1] === rule.separator) end--;
  return value.slice(start, end);
}
