/**
 * How the legacy Cost and Usage Report spells CUR 2.0's columns. Legacy CUR comes in two header
 * forms: CSV (`lineItem/UnblendedCost`, `savingsPlan/SavingsPlanARN`, `resourceTags/user:team`)
 * and the Athena/Parquet form AWS derives from it (`line_item_unblended_cost`,
 * `savings_plan_savings_plan_a_r_n`, `resource_tags_user_team`). CUR 2.0 names its columns as the
 * Athena form does, except that it collapses the per-attribute product, resource tag and cost
 * category columns into maps keyed by the rest of the Athena name (`product_product_name` ->
 * `product['product_name']`, `resource_tags_user_team` -> `resource_tags['user_team']`).
 */
export function cur2Name(legacy: string): string {
  return (
    legacy
      // A capital after a letter or digit starts a word (`ARN` is three: `a_r_n`).
      .replace(/(?<=[A-Za-z0-9])(?=[A-Z])/g, "_")
      .toLowerCase()
      // `/` between category and name, `:` after a tag's `user`/`aws`, and any other punctuation.
      .replace(/[^a-z0-9_]/g, "_")
  );
}

/** The product attributes CUR 2.0 keeps as columns of their own; every other one is a key of its `product` map. */
export const CUR2_PRODUCT_COLUMNS = [
  "product_comment",
  "product_fee_code",
  "product_fee_description",
  "product_from_location",
  "product_from_location_type",
  "product_from_region_code",
  "product_instance_family",
  "product_instance_type",
  "product_instancesku",
  "product_location",
  "product_location_type",
  "product_operation",
  "product_pricing_unit",
  "product_product_family",
  "product_region_code",
  "product_servicecode",
  "product_sku",
  "product_to_location",
  "product_to_location_type",
  "product_to_region_code",
  "product_usagetype",
] as const;
