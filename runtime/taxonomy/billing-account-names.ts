/**
 * Display names of billing accounts, by billing account id, given to a run. Some exports carry
 * only the id (GCP's billing export) although the provider lets the account have a name, and FOCUS
 * then requires BillingAccountName: the tenant states the names, and a mapping looks them up by
 * its row's BillingAccountId with `lookup("billingAccount", "name")`. An id without a name given
 * stays NULL; a name is never made up, nor the id used as one.
 */
export type BillingAccountNames = Readonly<Record<string, string>>;

export class BillingAccountNamesError extends Error {}

/** The lookup table's columns: `id` is matched exactly against BillingAccountId. */
export const BILLING_ACCOUNT_NAME_COLUMNS = ["id", "name"] as const;

/** The table's rows, `[id, name]`. */
export const billingAccountNameRows = (names: BillingAccountNames): [string, string][] =>
  Object.entries(names);

/** An id and a name, trimmed; either blank is an error naming `where` and the value. */
function entry(id: string, name: string, where: string): [string, string] {
  const [i, n] = [id.trim(), name.trim()];
  if (!i) throw new BillingAccountNamesError(`${where}: the billing account id is empty`);
  if (!n) throw new BillingAccountNamesError(`${where}: the name of billing account ${i} is empty`);
  return [i, n];
}

/**
 * `ID=NAME` values (the CLI's repeatable `--billing-account-name`), split at the first "=" so that
 * a name may contain one. Each id may be named once.
 */
export function parseBillingAccountNameArgs(values: readonly string[], flag: string): BillingAccountNames {
  const names: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf("=");
    if (at < 0) {
      throw new BillingAccountNamesError(
        `${flag} must be ID=NAME (e.g. 01A2B3-C4D5E6-F7A8B9="ACME Production"), not "${value}"`,
      );
    }
    const [id, name] = entry(value.slice(0, at), value.slice(at + 1), `${flag} "${value}"`);
    if (id in names) throw new BillingAccountNamesError(`${flag}: billing account ${id} is named twice`);
    names[id] = name;
  }
  return names;
}

/** A JSON object of id -> name (the GCP job's environment setting); blank or absent text is no names. */
export function parseBillingAccountNamesJson(text: string | undefined, source: string): BillingAccountNames {
  if (!text?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new BillingAccountNamesError(`${source} is not JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new BillingAccountNamesError(
      `${source} must be a JSON object of billing account id to name, e.g. {"01A2B3-C4D5E6-F7A8B9":"ACME Production"}`,
    );
  }
  const names: Record<string, string> = {};
  for (const [id, name] of Object.entries(parsed)) {
    if (typeof name !== "string") {
      throw new BillingAccountNamesError(`${source}: the name of billing account ${id} must be text`);
    }
    const [i, n] = entry(id, name, source);
    if (i in names) throw new BillingAccountNamesError(`${source}: billing account ${i} is named twice`);
    names[i] = n;
  }
  return names;
}
