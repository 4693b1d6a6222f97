import { normalizeKey } from "./key";
import type { Provider } from "./services";

/**
 * The units table: each provider's unit strings, as its export writes them, in FOCUS UnitFormat,
 * with the block a string counts. Facts it rests on, our own table (nothing copied):
 *
 * - FOCUS UnitFormat (specification/attributes/unit_format.md, 1.0-preview to 1.3): a unit is
 *   `<plural-units>` ("GB", "Hours"), `<singular-unit>-<plural-time-units>` ("GB-Hours") or
 *   `<plural-units>/<singular-time-unit>` ("GB/Month"), optionally after a whole-number count
 *   ("1000 Tokens") or with an interval ("Units/3 Months"); data sizes are the listed
 *   abbreviations (GB, GiB, ...; no "gibibyte"), time units Year..Second, a count noun is
 *   capitalized. PricingUnit is the unit the provider rates in "after applying pricing rules like
 *   block pricing", its example "1000 Requests" (specification/columns/pricingunit.md).
 * - Azure cost details' UnitOfMeasure is a block and a unit ("10K", "100 Hours", "1 GB/Month",
 *   "1/Month"): Microsoft's FinOps toolkit publishes each value's block size and distinct unit
 *   (open data PricingUnits.csv: "10K" counts 10,000 Units, "1/Month" Units/Month, "1 GB/Month"
 *   GB/Month, "100 Hours" 100 Hours). A bare count ("10K", "100") names no noun: the unit is Units.
 * - Azure's UnitPrice prices one UnitOfMeasure and the cost is UnitPrice x Quantity (the toolkit's
 *   comparison of FocusCost with cost details: ContractedCost = UnitPrice x Quantity), so Quantity
 *   counts blocks; FocusCost's ConsumedQuantity is PricingQuantity x x_PricingBlockSize (the
 *   toolkit's data dictionary). Hence PricingQuantity is Quantity, priced per block (PricingUnit
 *   "10000 Units"), and ConsumedQuantity is Quantity x block in the distinct unit: prices and costs
 *   stay as stated, exactly. (The toolkit's conversion guide divides Quantity by the block
 *   instead, which would make ContractedCost a block's fraction of the billed cost; we do not.)
 * - AWS CUR's pricing_unit prices one of itself ("Hrs", "GB-Mo", "Requests", "Lambda-GB-Second";
 *   the FOCUS supporting content's observed values and the Savings Plans rate units), but for a
 *   block it names ("1K tokens": Bedrock's usage_amount counts thousands, priced per thousand).
 * - GCP's usage.pricing_unit ("hour", "gibibyte month", "tebibyte", "1k characters") counts
 *   usage.amount_in_pricing_units, and usage.unit its base unit ("byte-seconds", "seconds",
 *   "count") counts usage.amount (the BigQuery billing export schema).
 *
 * Keys match as the service taxonomy's do (`normalizeKey`: case-insensitive, spaces ignored, so
 * "1/Month" and "1 /Month" are one unit). A unit not in the table is kept as the export writes it
 * and counted in the run's summary.
 */
export interface UnitEntry {
  /** The unit as the export writes it. */
  source: string;
  /** The FOCUS unit (UnitFormat) of one thing counted. */
  unit: string;
  /** How many of `unit` one source unit counts (Azure "10K": 10000); 1 where it names one. */
  block: number;
}

const one = (source: string, unit: string): UnitEntry => ({ source, unit, block: 1 });
const block = (source: string, unit: string, size: number): UnitEntry => ({ source, unit, block: size });

export const UNITS: Readonly<Partial<Record<Provider, readonly UnitEntry[]>>> = {
  azure: [
    one("1", "Units"),
    block("10", "Units", 10),
    block("100", "Units", 100),
    block("1000", "Units", 1000),
    block("1K", "Units", 1000),
    block("10K", "Units", 10_000),
    block("100K", "Units", 100_000),
    block("1M", "Units", 1_000_000),
    block("10M", "Units", 10_000_000),
    block("10K Transactions", "Transactions", 10_000),
    one("1 Hour", "Hours"),
    one("1 Hours", "Hours"),
    block("10 Hours", "Hours", 10),
    block("100 Hours", "Hours", 100),
    block("1000 Hours", "Hours", 1000),
    one("1 Minute", "Minutes"),
    one("1 Second", "Seconds"),
    one("1 Day", "Days"),
    one("1 Month", "Months"),
    one("1 MB", "MB"),
    one("1 GB", "GB"),
    block("10 GB", "GB", 10),
    block("100 GB", "GB", 100),
    one("1 GiB", "GiB"),
    one("1 TB", "TB"),
    one("1 GB/Hour", "GB/Hour"),
    one("1 GB/Month", "GB/Month"),
    block("100 GB/Month", "GB/Month", 100),
    one("1 GiB/Hour", "GiB/Hour"),
    one("1 GiB/Month", "GiB/Month"),
    one("1 TB/Month", "TB/Month"),
    one("1 GB Hour", "GB-Hours"),
    one("1 GB Second", "GB-Seconds"),
    one("1 GiB Second", "GiB-Seconds"),
    one("1/Hour", "Units/Hour"),
    one("1/Day", "Units/Day"),
    one("1/Month", "Units/Month"),
    one("1/Year", "Units/Year"),
  ],
  aws: [
    one("Hrs", "Hours"),
    one("Hours", "Hours"),
    one("Second", "Seconds"),
    one("Seconds", "Seconds"),
    one("GB", "GB"),
    one("GB-Mo", "GB-Months"),
    one("GB-Month", "GB-Months"),
    one("GB-Hours", "GB-Hours"),
    one("IOPS-Mo", "IOPS-Months"),
    one("vCPU-Hours", "vCPU-Hours"),
    one("ACU-Hr", "ACU-Hours"),
    one("ReadCapacityUnit-Hrs", "ReadCapacityUnit-Hours"),
    one("WriteCapacityUnit-Hrs", "WriteCapacityUnit-Hours"),
    one("ReadRequestUnits", "ReadRequestUnits"),
    one("WriteRequestUnits", "WriteRequestUnits"),
    one("Lambda-GB-Second", "GB-Seconds"),
    one("Request", "Requests"),
    one("Requests", "Requests"),
    one("API Requests", "Requests"),
    one("IOs", "IOs"),
    one("Queries", "Queries"),
    one("Count", "Count"),
    one("Keys", "Keys"),
    one("Secrets", "Secrets"),
    one("Alarms", "Alarms"),
    one("Metrics", "Metrics"),
    one("Units", "Units"),
    one("HostedZone", "HostedZones"),
    one("Terabytes", "TB"),
    one("DPU-Hour", "DPU-Hours"),
    block("1K tokens", "Tokens", 1000),
  ],
  gcp: [
    one("hour", "Hours"),
    one("seconds", "Seconds"),
    one("month", "Months"),
    one("bytes", "B"),
    one("byte-seconds", "B-Seconds"),
    one("gibibyte", "GiB"),
    one("tebibyte", "TiB"),
    one("gibibyte hour", "GiB-Hours"),
    one("gibibyte month", "GiB-Months"),
    one("requests", "Requests"),
    one("count", "Count"),
    one("vCPU-second", "vCPU-Seconds"),
    block("1k characters", "Characters", 1000),
  ],
};

/** The unit a quantity counted in source units is in: the block as FOCUS's whole-number count prefix. */
export const blockUnit = (e: UnitEntry) => (e.block === 1 ? e.unit : `${e.block} ${e.unit}`);

/** The columns of the units table the mappings join (`provider`, `key`, then these). */
export const UNIT_COLUMNS = ["unit", "block_unit", "block"] as const;

/** The units table's rows, keyed like the service taxonomy: one row a (provider, normalized key). */
export function unitRows(provider?: Provider): { provider: Provider; key: string; values: string[] }[] {
  return Object.entries(UNITS)
    .filter(([p]) => provider === undefined || p === provider)
    .flatMap(([p, entries]) =>
      entries!.map((e) => ({
        provider: p as Provider,
        key: normalizeKey(e.source),
        values: [e.unit, blockUnit(e), String(e.block)],
      })),
    );
}
