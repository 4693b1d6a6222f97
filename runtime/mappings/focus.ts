import {
  and,
  coalesce,
  col,
  concat,
  type Expr,
  eq,
  isIn,
  isNull,
  keyValue,
  lit,
  lookup,
  not,
  notNull,
  out,
  present,
  text,
  when,
} from "../mapping/ast";
import type { FormatId, RawColumn, RowCheck, SourceMapping } from "../mapping/types";
import {
  ALL_FOCUS_COLUMNS,
  type ColumnType,
  DEFAULT_OUTPUT_VERSION,
  focusColumns,
  type OutputVersion,
  REQUIRED_VALUES,
} from "../schema/output";
import {
  CAPACITY_RESERVATION_STATUSES,
  CHARGE_CATEGORIES,
  CHARGE_CLASSES,
  CHARGE_FREQUENCIES,
  COMMITMENT_DISCOUNT_CATEGORIES,
  COMMITMENT_DISCOUNT_STATUSES,
  PRICING_CATEGORIES,
  SERVICE_CATEGORIES,
} from "../taxonomy/focus-values";
import { providerOf } from "../taxonomy/providers";
import { familyOfCategory, type Provider, UNKNOWN_SERVICE } from "../taxonomy/services";
import { billedOutputCost, extensionColumns } from "./common";
import {
  type FocusVersion,
  focusVersionOf,
  PREVIEW_COMMITMENT_STATUS,
  PREVIEW_NAMES,
  PREVIEW_VALUES,
} from "./focus-versions";

/** FOCUS enumerations a FOCUS file must respect. */
const FOCUS_ENUMS: Record<string, readonly string[]> = {
  ChargeCategory: CHARGE_CATEGORIES,
  ChargeClass: CHARGE_CLASSES,
  ChargeFrequency: CHARGE_FREQUENCIES,
  PricingCategory: PRICING_CATEGORIES,
  CommitmentDiscountCategory: COMMITMENT_DISCOUNT_CATEGORIES,
  CommitmentDiscountStatus: COMMITMENT_DISCOUNT_STATUSES,
  CapacityReservationStatus: CAPACITY_RESERVATION_STATUSES,
  ServiceCategory: SERVICE_CATEGORIES,
};

/**
 * A FOCUS file's ServiceCategory that is not a FOCUS category (Google's FOCUS view writes its
 * pricing export's product taxonomy there, a list) is left unstated, for the taxonomy to fill:
 * the row's cost is good, only that label is not.
 */
const statedCategory = when([[isIn(col("ServiceCategory"), SERVICE_CATEGORIES), col("ServiceCategory")]]);

/** The note of a FOCUS file of any data generator whose ServiceCategory is not FOCUS's. */
const UNSTATED_CATEGORY: Pick<SourceMapping, "facts" | "factNotes"> = {
  facts: { unstatedCategory: and(notNull(col("ServiceCategory")), isNull(statedCategory)) },
  factNotes: {
    unstatedCategory: {
      whenTrue:
        "ServiceCategory holds values that are not FOCUS service categories (Google's FOCUS view, for one, writes its product taxonomy there): those rows take their category from Costline's service taxonomy",
    },
  },
};

const RAW_TYPE: Record<ColumnType, RawColumn["type"]> = {
  string: "string",
  decimal: "decimal",
  datetime: "timestamp",
  json: "object",
  date: "timestamp",
};
/** JSON columns that are not key-value objects: their values nest (`{"Elements": [...]}`). */
const NESTED_JSON = new Set(["AllocatedMethodDetails", "ContractApplied"]);

/** Every way a value is written that still means it: any case, `-` or a space between words, or neither. */
function spellingsOf(column: string, values: readonly string[]): Record<string, string> {
  const spellings: Record<string, string> = { ...PREVIEW_VALUES[column] };
  for (const v of values) {
    const lower = v.toLowerCase();
    for (const s of [
      lower,
      lower.replace(/[-\s]+/g, ""),
      lower.replace(/-/g, " "),
      lower.replace(/\s+/g, "-"),
    ])
      spellings[s] = v;
  }
  return spellings;
}

/**
 * The columns a FOCUS file of any version is read by: every FOCUS column under its own name or
 * its 1.0-preview name, and the preview's ChargeSubcategory. A file is refused only without a
 * column no row can be written without (and ProviderName, which says whose rows they are); other
 * mandatory columns a version lacks are written NULL, and the summary names them.
 */
function focusRawColumns(extra: Record<string, RawColumn>, anyCategory: boolean): Record<string, RawColumn> {
  const raw: Record<string, RawColumn> = {};
  for (const c of ALL_FOCUS_COLUMNS) {
    const enumValues = FOCUS_ENUMS[c.name];
    raw[c.name] = {
      type: NESTED_JSON.has(c.name) ? "json" : RAW_TYPE[c.type],
      ...(PREVIEW_NAMES[c.name] ? { names: [c.name, PREVIEW_NAMES[c.name]!] } : {}),
      required: REQUIRED_VALUES.includes(c.name) || c.name === "ProviderName",
      notNull: REQUIRED_VALUES.includes(c.name) || c.name === "ProviderName",
      ...(enumValues
        ? {
            ...(anyCategory && c.name === "ServiceCategory" ? {} : { oneOf: enumValues }),
            spellings: spellingsOf(c.name, enumValues),
          }
        : {}),
    };
  }
  return { ...raw, ChargeSubcategory: { type: "string" }, ...extra };
}

/**
 * FOCUS columns pass through as the file states them; Costline fills only what a version lacks
 * or a file leaves empty: names from the taxonomies, the preview's ChargeSubcategory as 1.0's
 * CommitmentDiscountStatus and Credit category, Tags as a JSON object of string values.
 */
function focusExpressions(category: Expr): Record<string, Expr> {
  const columns: Record<string, Expr> = {};
  for (const c of ALL_FOCUS_COLUMNS) columns[c.name] = col(c.name);
  const serviceProvider = coalesce(col("ServiceProviderName"), col("ProviderName"));
  const subcategory = col("ChargeSubcategory");
  const pricingCurrency = coalesce(col("PricingCurrency"), col("BillingCurrency"));
  const inPricingCurrency = (column: string, billingAmount: string) =>
    coalesce(col(column), when([[eq(pricingCurrency, col("BillingCurrency")), col(billingAmount)]]));
  return {
    ...columns,
    ChargeCategory: when(
      [[and(eq(col("ChargeCategory"), "Adjustment"), eq(subcategory, "Credit")), lit("Credit")]],
      col("ChargeCategory"),
    ),
    CommitmentDiscountStatus: coalesce(
      col("CommitmentDiscountStatus"),
      when(
        Object.entries(PREVIEW_COMMITMENT_STATUS).map(([from, to]) => [
          and(notNull(col("CommitmentDiscountId")), eq(subcategory, from)),
          lit(to),
        ]),
      ),
    ),
    ServiceName: coalesce(col("ServiceName"), lookup("service", "serviceName")),
    ServiceCategory: coalesce(category, lookup("service", "category"), lit(UNKNOWN_SERVICE.category)),
    // A subcategory belongs to one category: the taxonomy's only where it agrees with the file's
    // category, else (FOCUS 1.0 has no subcategories) the "Other" one of the file's category.
    ServiceSubcategory: coalesce(
      col("ServiceSubcategory"),
      when([[isNull(category), lookup("service", "subcategory")]]),
      when([[eq(category, lookup("service", "category")), lookup("service", "subcategory")]]),
      when([[notNull(category), concat(lit("Other ("), category, lit(")"))]]),
      lit(UNKNOWN_SERVICE.subcategory),
    ),
    // Before 1.2 every price was in the billing currency: the pricing-currency columns 1.2 added
    // restate the billing-currency ones where a file lacks them (as a 1.2 file of one currency does).
    PricingCurrency: pricingCurrency,
    PricingCurrencyContractedUnitPrice: inPricingCurrency(
      "PricingCurrencyContractedUnitPrice",
      "ContractedUnitPrice",
    ),
    PricingCurrencyEffectiveCost: inPricingCurrency("PricingCurrencyEffectiveCost", "EffectiveCost"),
    PricingCurrencyListUnitPrice: inPricingCurrency("PricingCurrencyListUnitPrice", "ListUnitPrice"),
    // Before 1.3 the provider was the seller (ProviderName) and, with nothing else stated, the
    // host too (HostProviderName-C-010-M); a 1.3 file's NULL host stays NULL (a SaaS charge).
    ServiceProviderName: serviceProvider,
    HostProviderName: when([[present("HostProviderName"), col("HostProviderName")]], serviceProvider),
    // A provider the region taxonomy lacks: its id names it, as in every mapping.
    RegionName: coalesce(col("RegionName"), lookup("region", "name"), col("RegionId")),
    // Normalized like every source: NULL when empty, scalar string values (Azure may omit the braces).
    Tags: keyValue({ expr: col("Tags"), form: "json" }),
    AllocatedTags: keyValue({ expr: col("AllocatedTags"), form: "json" }),
  };
}

/** The columns of the output version a file lacks, by their name in that version. */
function lackedColumns(columns: readonly string[], output: OutputVersion): readonly string[] {
  const has = new Set(columns.map((c) => c.toLowerCase()));
  return focusColumns(output)
    .filter(
      (c) =>
        !has.has(c.name.toLowerCase()) &&
        !(PREVIEW_NAMES[c.name] && has.has(PREVIEW_NAMES[c.name]!.toLowerCase())),
    )
    .map((c) => c.name);
}

/** Columns a file of a version is upgraded with, from what it states (the summary says so). */
const DERIVED: Partial<Record<string, string>> = {
  ServiceProviderName: "ServiceProviderName from ProviderName",
  HostProviderName: "HostProviderName equal to ServiceProviderName",
};

/** What the summary says of a FOCUS file from its columns: its version, what was upgraded, what it lacks. */
export function focusFileNotes(
  columns: readonly string[],
  output: OutputVersion = DEFAULT_OUTPUT_VERSION,
): string[] {
  const version: FocusVersion = focusVersionOf(columns);
  const notes = [
    version === output
      ? `FOCUS ${version} (by its columns)`
      : `FOCUS ${version} (by its columns), written as FOCUS ${output}`,
  ];
  if (version === "1.0-preview") {
    notes.push(
      "1.0-preview names read as 1.0's (Provider, Publisher, InvoiceIssuer, Region, UsageQuantity, UsageUnit); PricingCategory On-Demand/Commitment-Based as Standard/Committed; ChargeSubcategory as CommitmentDiscountStatus and the Credit category",
    );
  }
  const has = new Set(columns.map((c) => c.toLowerCase()));
  const written = new Set(focusColumns(output).map((c) => c.name));
  const dropped = ALL_FOCUS_COLUMNS.filter((c) => !written.has(c.name) && has.has(c.name.toLowerCase()));
  if (dropped.length)
    notes.push(`FOCUS ${output} has no ${dropped.map((c) => c.name).join(", ")}: not carried`);
  const lacked = lackedColumns(columns, output);
  const derived = lacked.filter((c) => DERIVED[c]);
  if (derived.length) notes.push(`upgraded with ${derived.map((c) => DERIVED[c]).join(" and ")}`);
  const nulled = lacked.filter(
    (c) => !DERIVED[c] && ALL_FOCUS_COLUMNS.find((f) => f.name === c)!.level === "mandatory",
  );
  if (nulled.length) notes.push(`lacks mandatory FOCUS column(s) ${nulled.join(", ")}: written as NULL`);
  return notes;
}

/** Options of a mapping that reads FOCUS files. */
export interface FocusSourceOptions {
  format: FormatId;
  /** A provider's own FOCUS export states its provider; any other file names it in each row. */
  provider?: Provider;
  /** The data generator's own `x_` columns the mapping reads. */
  extra?: Record<string, RawColumn>;
  /** The service taxonomy's key (default: ServiceName, which the taxonomy also knows services by). */
  serviceKey?: Expr;
  /** USD per unit of BillingCurrency as the file states it. */
  providerRate?: Expr;
}

/**
 * A mapping of FOCUS files (1.0-preview to 1.3) into the FOCUS version written: the generic `focus` format, and a
 * provider's own FOCUS export with the `x_` columns it adds. One reader for all of them, so that a
 * FOCUS file is never labelled with another provider than its rows name.
 */
export function focusSource(o: FocusSourceOptions): SourceMapping {
  // A provider's own export is held to FOCUS categories (others are quarantined; the warehouse
  // jobs that read such exports compute no per-file facts): any other file's may be its own.
  const anyCategory = !o.provider;
  const category = anyCategory ? statedCategory : col("ServiceCategory");
  const rowProvider = providerOf(col("ProviderName"));
  // A provider's own export is that provider's rows: a row naming another provider was not made by it.
  const rowChecks: RowCheck[] = o.provider
    ? [
        {
          failsWhen: and(notNull(rowProvider), not(eq(rowProvider, o.provider))),
          reason: concat(
            lit('ProviderName "'),
            text(col("ProviderName")),
            lit(`" is not ${o.provider}: not a row of ${o.format}; read the file with --format focus`),
          ),
        },
      ]
    : [];
  return {
    format: o.format,
    provider: o.provider ?? { fromRow: rowProvider },
    raw: focusRawColumns(o.extra ?? {}, anyCategory),
    serviceKey: o.serviceKey ?? col("ServiceName"),
    keepsSourceService: notNull(category),
    rowChecks,
    ...(anyCategory ? UNSTATED_CATEGORY : {}),
    regionKey: col("RegionId"),
    focus: focusExpressions(category),
    ...(o.providerRate ? { providerRate: o.providerRate } : {}),
    extensions: {
      ...extensionColumns(o.format, o.provider ? lit(o.provider) : out("__provider")),
      // A service the taxonomy lacks still has the family its FOCUS category implies.
      x_ServiceFamily: coalesce(
        lookup("service", "family"),
        familyOfCategory(out("ServiceCategory")),
        lit(UNKNOWN_SERVICE.family),
      ),
    },
    reconcile: {
      currency: col("BillingCurrency"),
      sourceCost: col("BilledCost"),
      outputCost: billedOutputCost,
    },
  };
}

/** The generic `focus` format: a FOCUS file of any data generator, its provider read from each row. */
export const focus: SourceMapping = focusSource({ format: "focus" });
