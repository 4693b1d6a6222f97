import type { AdvancedEventSelector, GetEventSelectorsCommandOutput } from "@aws-sdk/client-cloudtrail";

/**
 * What a trail's event selectors record, in either form CloudTrail keeps them (advanced selectors,
 * or the basic EventSelectors with DataResources): a trail configured another way than the stack
 * configures it still counts when it records as much.
 */

const fieldOf = (s: AdvancedEventSelector, name: string) => s.FieldSelectors?.find((f) => f.Field === name);
/** A selector that filters on any other field (readOnly, eventName, eventSource...) records only part. */
const narrowsOnlyBy = (s: AdvancedEventSelector, fields: string[]) =>
  (s.FieldSelectors ?? []).every((f) => fields.includes(f.Field ?? ""));

/** Whether the selectors record every management event (reads and writes, of every event source). */
export function recordsManagementEvents(out: GetEventSelectorsCommandOutput): boolean {
  if (out.AdvancedEventSelectors?.length) {
    return out.AdvancedEventSelectors.some(
      (s) =>
        fieldOf(s, "eventCategory")?.Equals?.includes("Management") && narrowsOnlyBy(s, ["eventCategory"]),
    );
  }
  return (out.EventSelectors ?? []).some(
    (s) =>
      s.IncludeManagementEvents !== false &&
      (s.ReadWriteType ?? "All") === "All" &&
      !s.ExcludeManagementEventSources?.length,
  );
}

/**
 * Whether the selectors record reads and writes of every object under `prefixArn`
 * (`arn:aws:s3:::bucket/prefix/`): a selector on the bucket, a parent prefix or all of S3 counts.
 */
export function recordsObjectEvents(out: GetEventSelectorsCommandOutput, prefixArn: string): boolean {
  if (out.AdvancedEventSelectors?.length) {
    return out.AdvancedEventSelectors.some((s) => {
      if (!fieldOf(s, "eventCategory")?.Equals?.includes("Data")) return false;
      if (!fieldOf(s, "resources.type")?.Equals?.includes("AWS::S3::Object")) return false;
      if (!narrowsOnlyBy(s, ["eventCategory", "resources.type", "resources.ARN"])) return false;
      const arn = fieldOf(s, "resources.ARN");
      if (!arn) return true;
      // Equals and EndsWith name single objects, never a whole prefix; an exclusion may cut into it.
      if (arn.Equals?.length || arn.EndsWith?.length || arn.NotEndsWith?.length) return false;
      const cut =
        (arn.NotStartsWith ?? []).some((p) => p.startsWith(prefixArn) || prefixArn.startsWith(p)) ||
        (arn.NotEquals ?? []).some((p) => p.startsWith(prefixArn));
      const included = !arn.StartsWith?.length || arn.StartsWith.some((p) => prefixArn.startsWith(p));
      return included && !cut;
    });
  }
  return (out.EventSelectors ?? []).some(
    (s) =>
      (s.ReadWriteType ?? "All") === "All" &&
      (s.DataResources ?? []).some(
        (d) => d.Type === "AWS::S3::Object" && (d.Values ?? []).some((v) => prefixArn.startsWith(v)),
      ),
  );
}
