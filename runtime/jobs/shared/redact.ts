/**
 * Redaction for everything a job logs or writes about itself. Three layers, because any one alone
 * leaks: values loaded as secrets are replaced wherever they appear; fields whose names say they
 * hold a secret are masked whatever their value; and well-known credential shapes are masked
 * even when nobody registered them (a key pasted into an error message).
 */

/** Field names that say their value is a secret, whatever the value. */
export const SECRET_FIELD =
  /(secret|password|passwd|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|authorization|external[-_]?id|connection[-_]?string|sas)/i;

/**
 * Credential shapes, each replaced whole, or (with a `keep` group) after the part that names it,
 * so that a line still says which setting held the credential.
 */
const CREDENTIAL_SHAPES: readonly { shape: RegExp; keep?: true }[] = [
  { shape: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g }, // AWS access key ids
  // AWS secret access keys: 40 characters of base64 after a name that says so. Without the name
  // a 40-character path segment ("/data/exports/...") would look the same.
  {
    shape: /(\baws.{0,20}?(?:secret|key).{0,12}?[=:"'\s]+)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gi,
    keep: true,
  },
  { shape: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  { shape: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g }, // JWTs
  { shape: /(\bsig=)[A-Za-z0-9%+/=]{16,}/gi, keep: true }, // Azure SAS signatures
  { shape: /(\bBearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g, keep: true },
  // Connection strings: Azure Storage and Service Bus keys, SQL-style passwords.
  { shape: /(\b(?:AccountKey|SharedAccessKey|Password|Pwd)=)[^;\s"'&]+/gi, keep: true },
  // A URL's password: scheme://user:password@host.
  { shape: /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^@\s/]+(?=@)/gi, keep: true },
  { shape: /\bya29\.[A-Za-z0-9._-]{20,}/g }, // Google OAuth access tokens
  { shape: /\bAIza[0-9A-Za-z_-]{35}\b/g }, // Google API keys
  { shape: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g }, // GitHub tokens
];

/** How a registered value may appear once written out: escaped, encoded or inside base64. */
function encodings(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const base64 = [0, 1, 2].flatMap((offset) => {
    // Inside a longer base64 text the value starts at one of three offsets in a 3-byte group;
    // the characters that only its bytes decide are the same wherever it sits.
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes])
      .toString("base64")
      .replace(/=+$/, "");
    const head = offset === 0 ? 0 : 4;
    const tail =
      (offset + bytes.length) % 3 === 0 ? encoded.length : Math.floor((offset + bytes.length) / 3) * 4;
    const core = encoded.slice(head, tail);
    return [core, core.replace(/\+/g, "-").replace(/\//g, "_")];
  });
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), encodeURI(value), ...base64];
}

/** Encoded forms shorter than this would mask ordinary words. */
const MIN_LENGTH = 6;

export const REDACTED = "[redacted]";

/** Holds the secret values a process has loaded, so that none of them is ever written out. */
export class Redactor {
  private readonly values = new Set<string>();
  /** The values longest first (a value inside a longer one must not split it), kept as they are added. */
  private longestFirst: string[] = [];

  /** Registers a secret value (and, for JSON secrets, each string inside it). */
  add(value: string): void {
    // Short values would mask ordinary words; a 4-character secret is not worth redacting everywhere.
    if (value.length >= MIN_LENGTH)
      for (const form of encodings(value)) if (form.length >= MIN_LENGTH) this.values.add(form);
    this.longestFirst = [...this.values].sort((a, b) => b.length - a.length);
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === "object") {
        for (const v of Object.values(parsed as Record<string, unknown>))
          if (typeof v === "string") this.add(v);
      }
    } catch {
      // not JSON: the whole value is registered above
    }
  }

  /** A copy of `input` with every secret removed. */
  redact(input: unknown): unknown {
    return this.walk(input, undefined, new WeakSet());
  }

  /** Redacts a string. */
  text(value: string): string {
    let out = value;
    for (const secret of this.longestFirst) out = out.split(secret).join(REDACTED);
    for (const { shape, keep } of CREDENTIAL_SHAPES)
      out = out.replace(shape, keep ? `$1${REDACTED}` : REDACTED);
    return out;
  }

  private walk(value: unknown, key: string | undefined, seen: WeakSet<object>): unknown {
    if (
      key !== undefined &&
      SECRET_FIELD.test(key) &&
      value !== null &&
      value !== undefined &&
      typeof value !== "boolean"
    ) {
      return REDACTED;
    }
    if (typeof value === "string") return this.text(value);
    if (value instanceof Error) {
      if (seen.has(value)) return "[circular]";
      seen.add(value);
      const { cause } = value as { cause?: unknown };
      const { errors } = value as { errors?: unknown };
      return {
        name: value.name,
        message: this.text(value.message),
        stack: value.stack ? this.text(value.stack) : undefined,
        ...(cause === undefined ? {} : { cause: this.walk(cause, undefined, seen) }),
        ...(Array.isArray(errors) ? { errors: errors.map((e) => this.walk(e, undefined, seen)) } : {}),
      };
    }
    if (value && typeof value === "object") {
      if (seen.has(value)) return "[circular]";
      seen.add(value);
      if (Array.isArray(value)) return value.map((v) => this.walk(v, undefined, seen));
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.walk(v, k, seen)]));
    }
    return value;
  }
}
