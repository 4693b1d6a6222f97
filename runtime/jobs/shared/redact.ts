/**
 * Redaction for everything a job logs or writes about itself. Three layers, because any one alone
 * leaks: values loaded as secrets are replaced wherever they appear; fields whose names say they
 * hold a secret are masked whatever their value; and well-known credential shapes are masked
 * even when nobody registered them (a key pasted into an error message).
 */

const SECRET_FIELD =
  /(secret|password|passwd|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|authorization|external[-_]?id|connection[-_]?string|sas)/i;

const CREDENTIAL_SHAPES: readonly RegExp[] = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\bsig=[A-Za-z0-9%+/=]{16,}/g, // Azure SAS signatures
  /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g,
  /\bAccountKey=[A-Za-z0-9+/=]{20,}/g, // Azure storage connection strings
  /\bya29\.[A-Za-z0-9._-]{20,}/g, // Google OAuth access tokens
];

export const REDACTED = "[redacted]";

/** Holds the secret values a process has loaded, so that none of them is ever written out. */
export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a secret value (and, for JSON secrets, each string inside it). */
  add(value: string): void {
    // Short values would mask ordinary words; a 4-character secret is not worth redacting everywhere.
    if (value.length >= 6) this.values.add(value);
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
    for (const secret of [...this.values].sort((a, b) => b.length - a.length))
      out = out.split(secret).join(REDACTED);
    for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape, REDACTED);
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
      return {
        name: value.name,
        message: this.text(value.message),
        stack: value.stack ? this.text(value.stack) : undefined,
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
