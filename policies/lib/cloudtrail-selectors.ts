import { list, record } from "../policy";

/**
 * An event as CloudTrail's selectors see it: the fields an advanced field selector can name
 * (eventCategory, eventSource, eventName, readOnly, resources.type, resources.ARN).
 */
export type TrailEvent = Record<string, string>;

const strings = (v: unknown) => list(v).filter((s): s is string => typeof s === "string");

/**
 * Whether one advanced event selector admits `event`: every field selector must hold (AND), and a
 * field selector on a field the event does not carry admits nothing, as a Data selector's
 * resources.type never matches a management event.
 */
function advancedAdmits(selector: unknown, event: TrailEvent): boolean {
  return list(record(selector).fieldSelectors).every((raw) => {
    const f = record(raw);
    const value = typeof f.field === "string" ? event[f.field] : undefined;
    if (value === undefined) return false;
    const any = (key: string, test: (pattern: string) => boolean) => {
      const patterns = strings(f[key]);
      return patterns.length === 0 ? undefined : patterns.some(test);
    };
    const holds = [
      any("equals", (p) => value === p),
      any("startsWiths", (p) => value.startsWith(p)),
      any("endsWiths", (p) => value.endsWith(p)),
    ];
    const excluded = [
      any("notEquals", (p) => value === p),
      any("notStartsWiths", (p) => value.startsWith(p)),
      any("notEndsWiths", (p) => value.endsWith(p)),
    ];
    return holds.every((h) => h !== false) && excluded.every((x) => x !== true);
  });
}

/** Whether a basic event selector (the older `eventSelectors` form) admits `event`. */
function basicAdmits(selector: unknown, event: TrailEvent): boolean {
  const s = record(selector);
  const rw = typeof s.readWriteType === "string" ? s.readWriteType : "All";
  const readOnly = event.readOnly === "true";
  if ((rw === "ReadOnly" && !readOnly) || (rw === "WriteOnly" && readOnly)) return false;
  if (event.eventCategory === "Management") {
    return (
      s.includeManagementEvents !== false &&
      !strings(s.excludeManagementEventSources).includes(event.eventSource ?? "")
    );
  }
  return list(s.dataResources).some((raw) => {
    const d = record(raw);
    if (d.type !== event["resources.type"]) return false;
    const arn = event["resources.ARN"] ?? "";
    // "arn:aws:s3" alone selects every bucket; otherwise a value is a bucket or prefix ARN.
    return strings(d.values).some((v) => v === "arn:aws:s3" || v === "arn:aws:s3:::" || arn.startsWith(v));
  });
}

/**
 * Whether a trail (its Pulumi inputs) records `event`. Advanced selectors, when present, replace
 * the basic ones; a trail with neither records every management event and no data event.
 */
export function trailRecords(trail: Record<string, unknown>, event: TrailEvent): boolean {
  const advanced = list(trail.advancedEventSelectors);
  if (advanced.length > 0) return advanced.some((s) => advancedAdmits(s, event));
  const basic = list(trail.eventSelectors);
  if (basic.length > 0) return basic.some((s) => basicAdmits(s, event));
  return event.eventCategory === "Management";
}

/** The management events an audit of credential use needs: secret reads and role assumptions, read or write. */
export const CREDENTIAL_EVENTS: TrailEvent[] = [
  { eventSource: "secretsmanager.amazonaws.com", eventName: "GetSecretValue" },
  { eventSource: "sts.amazonaws.com", eventName: "AssumeRole" },
].flatMap((e) => ["true", "false"].map((readOnly) => ({ ...e, eventCategory: "Management", readOnly })));

/** A read and a write of an object under `prefixArn` (arn:aws:s3:::bucket/prefix/), as data events. */
export function objectEvents(prefixArn: string): TrailEvent[] {
  const base = {
    eventCategory: "Data",
    eventSource: "s3.amazonaws.com",
    "resources.type": "AWS::S3::Object",
    "resources.ARN": `${prefixArn}costline-audit-probe`,
  };
  return [
    { ...base, eventName: "GetObject", readOnly: "true" },
    { ...base, eventName: "PutObject", readOnly: "false" },
  ];
}
