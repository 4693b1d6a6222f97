/**
 * What the Data Exports select, written as data: the CUR 2.0 and FOCUS 1.2 column lists with
 * the types their Parquet files carry. The export queries and the Glue tables over the delivered
 * files are both generated from these lists, so a column added here appears in both.
 */
import { focusColumns as outputFocusColumns } from "../../runtime/schema/output";
import { arns } from "./iam";

/** Hive/Glue types of the delivered Parquet columns. */
export type ExportColumnType =
  | "string"
  | "double"
  | "timestamp"
  | "map<string,string>"
  | "map<string,double>";

/** One column of a Data Exports table. */
export interface ExportColumn {
  name: string;
  type: ExportColumnType;
}

/** Time granularity of the exported line items. */
export type Granularity = "HOURLY" | "DAILY" | "MONTHLY";

/** The Data Exports table name of CUR 2.0. */
export const CUR2_TABLE = "COST_AND_USAGE_REPORT";
/** The Data Exports table name of FOCUS 1.2 with AWS columns. */
export const FOCUS_TABLE = "FOCUS_1_2_AWS";

const S = "string";
const D = "double";
const T = "timestamp";
const MAP = "map<string,string>";

const group = (prefix: string, columns: [string, ExportColumnType][]): ExportColumn[] =>
  columns.map(([name, type]) => ({ name: `${prefix}${name}`, type }));

/** CUR 2.0 columns present whatever the table configuration (the fixed schema). */
const CUR2_BASE: ExportColumn[] = [
  ...group("bill_", [
    ["bill_type", S],
    ["billing_entity", S],
    ["billing_period_end_date", T],
    ["billing_period_start_date", T],
    ["invoice_id", S],
    ["invoicing_entity", S],
    ["payer_account_id", S],
    ["payer_account_name", S],
  ]),
  { name: "cost_category", type: MAP },
  // Present because INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY is FALSE (that option removes it).
  { name: "discount", type: "map<string,double>" },
  ...group("discount_", [
    ["bundled_discount", D],
    ["total_discount", D],
  ]),
  ...group("identity_", [
    ["line_item_id", S],
    ["time_interval", S],
  ]),
  ...group("line_item_", [
    ["availability_zone", S],
    ["blended_cost", D],
    ["blended_rate", S],
    ["currency_code", S],
    ["legal_entity", S],
    ["line_item_description", S],
    ["line_item_type", S],
    ["net_unblended_cost", D],
    ["net_unblended_rate", S],
    ["normalization_factor", D],
    ["normalized_usage_amount", D],
    ["operation", S],
    ["product_code", S],
    ["tax_type", S],
    ["unblended_cost", D],
    ["unblended_rate", S],
    ["usage_account_id", S],
    ["usage_account_name", S],
    ["usage_amount", D],
    ["usage_end_date", T],
    ["usage_start_date", T],
    ["usage_type", S],
  ]),
  ...group("pricing_", [
    ["currency", S],
    ["lease_contract_length", S],
    ["offering_class", S],
    ["public_on_demand_cost", D],
    ["public_on_demand_rate", S],
    ["purchase_option", S],
    ["rate_code", S],
    ["rate_id", S],
    ["term", S],
    ["unit", S],
  ]),
  { name: "product", type: MAP },
  ...group("product_", [
    ["comment", S],
    ["fee_code", S],
    ["fee_description", S],
    ["from_location", S],
    ["from_location_type", S],
    ["from_region_code", S],
    ["instance_family", S],
    ["instance_type", S],
    ["instancesku", S],
    ["location", S],
    ["location_type", S],
    ["operation", S],
    ["pricing_unit", S],
    ["product_family", S],
    ["region_code", S],
    ["servicecode", S],
    ["sku", S],
    ["to_location", S],
    ["to_location_type", S],
    ["to_region_code", S],
    ["usagetype", S],
  ]),
  ...group("reservation_", [
    ["amortized_upfront_cost_for_usage", D],
    ["amortized_upfront_fee_for_billing_period", D],
    ["availability_zone", S],
    ["effective_cost", D],
    ["end_time", S],
    ["modification_status", S],
    ["net_amortized_upfront_cost_for_usage", D],
    ["net_amortized_upfront_fee_for_billing_period", D],
    ["net_effective_cost", D],
    ["net_recurring_fee_for_usage", D],
    ["net_unused_amortized_upfront_fee_for_billing_period", D],
    ["net_unused_recurring_fee", D],
    ["net_upfront_value", D],
    ["normalized_units_per_reservation", S],
    ["number_of_reservations", S],
    ["recurring_fee_for_usage", D],
    ["reservation_a_r_n", S],
    ["start_time", S],
    ["subscription_id", S],
    ["total_reserved_normalized_units", S],
    ["total_reserved_units", S],
    ["units_per_reservation", S],
    ["unused_amortized_upfront_fee_for_billing_period", D],
    ["unused_normalized_unit_quantity", D],
    ["unused_quantity", D],
    ["unused_recurring_fee", D],
    ["upfront_value", D],
  ]),
  { name: "resource_tags", type: MAP },
  ...group("savings_plan_", [
    ["amortized_upfront_commitment_for_billing_period", D],
    ["end_time", S],
    ["instance_type_family", S],
    ["net_amortized_upfront_commitment_for_billing_period", D],
    ["net_recurring_commitment_for_billing_period", D],
    ["net_savings_plan_effective_cost", D],
    ["offering_type", S],
    ["payment_option", S],
    ["purchase_term", S],
    ["recurring_commitment_for_billing_period", D],
    ["region", S],
    ["savings_plan_a_r_n", S],
    ["savings_plan_effective_cost", D],
    ["savings_plan_rate", D],
    ["start_time", S],
    ["total_commitment_to_date", D],
    ["used_commitment", D],
  ]),
];

/** Added by INCLUDE_RESOURCES. */
const CUR2_RESOURCES: ExportColumn[] = [{ name: "line_item_resource_id", type: S }];

/** Added by INCLUDE_SPLIT_COST_ALLOCATION_DATA (ECS tasks and EKS pods). */
const CUR2_SPLIT: ExportColumn[] = group("split_line_item_", [
  ["actual_usage", D],
  ["net_split_cost", D],
  ["net_unused_cost", D],
  ["parent_resource_id", S],
  ["public_on_demand_split_cost", D],
  ["public_on_demand_unused_cost", D],
  ["reserved_usage", D],
  ["split_cost", D],
  ["split_usage", D],
  ["split_usage_ratio", D],
  ["unused_cost", D],
]);

/** Added by INCLUDE_CAPACITY_RESERVATION_DATA. */
const CUR2_CAPACITY: ExportColumn[] = group("capacity_reservation_capacity_reservation_", [
  ["arn", S],
  ["status", S],
  ["type", S],
]);

/** The choices that change the CUR 2.0 schema or rows. */
export interface Cur2Options {
  /** Line item time granularity. */
  granularity: Granularity;
  /** Add the split cost allocation columns (ECS/EKS); they stay empty unless enabled in Billing preferences. */
  splitCostAllocation: boolean;
  /** Add the capacity reservation columns. */
  capacityReservations: boolean;
}

/** The CUR 2.0 columns we select, in the order of the schema groups. Resources are always included. */
export function cur2Columns(options: Cur2Options): ExportColumn[] {
  return [
    ...CUR2_BASE,
    ...CUR2_RESOURCES,
    ...(options.splitCostAllocation ? CUR2_SPLIT : []),
    ...(options.capacityReservations ? CUR2_CAPACITY : []),
  ];
}

const flag = (on: boolean) => (on ? "TRUE" : "FALSE");

/**
 * Every CUR 2.0 table configuration, set explicitly: the provider requires all of them once any is
 * set (BILLING_VIEW_ARN included), and an unset one would drift to the service default.
 */
export function cur2TableConfigurations(
  options: Cur2Options,
  accountId: string,
): Record<string, Record<string, string>> {
  return {
    [CUR2_TABLE]: {
      BILLING_VIEW_ARN: arns.primaryBillingView(accountId),
      TIME_GRANULARITY: options.granularity,
      INCLUDE_RESOURCES: "TRUE",
      INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
      INCLUDE_SPLIT_COST_ALLOCATION_DATA: flag(options.splitCostAllocation),
      INCLUDE_CAPACITY_RESERVATION_DATA: flag(options.capacityReservations),
    },
  };
}

/** AWS's own columns in FOCUS 1.2 with AWS columns, after the 57 FOCUS ones. */
const FOCUS_AWS_EXTRAS: ExportColumn[] = [
  { name: "x_Discounts", type: "map<string,double>" },
  { name: "x_Operation", type: S },
  { name: "x_ServiceCode", type: S },
];

const FOCUS_PARQUET_TYPE: Record<string, ExportColumnType> = {
  string: S,
  decimal: D,
  datetime: T,
  json: MAP,
};

/** The FOCUS 1.2 columns (from the one output schema) plus AWS's extra columns: what `FOCUS_1_2_AWS` delivers. */
export function focusColumns(): ExportColumn[] {
  return [
    ...outputFocusColumns("1.2").map((c) => {
      const type = FOCUS_PARQUET_TYPE[c.type];
      if (!type)
        throw new Error(`FOCUS column ${c.name} has type ${c.type}, which Data Exports do not deliver`);
      return { name: c.name, type };
    }),
    ...FOCUS_AWS_EXTRAS,
  ];
}

/** The only table configuration FOCUS 1.2 has; set because the same all-or-nothing rule applies. */
export function focusTableConfigurations(granularity: Granularity): Record<string, Record<string, string>> {
  return { [FOCUS_TABLE]: { TIME_GRANULARITY: granularity } };
}

/** The export query: an explicit column list (Data Exports reject `SELECT *`). */
export function exportQuery(table: string, columns: readonly ExportColumn[]): string {
  if (columns.length === 0) throw new Error(`the ${table} export needs at least one column`);
  return `SELECT ${columns.map((c) => c.name).join(", ")} FROM ${table}`;
}
