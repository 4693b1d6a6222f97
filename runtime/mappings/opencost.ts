import {
  add,
  addMonths,
  coalesce,
  col,
  concat,
  div,
  eq,
  type Expr,
  gt,
  item,
  keyValue,
  lit,
  NULL,
  not,
  notNull,
  or,
  sub,
  truncMonth,
  when,
  zeroIfNull,
  regexExtract,
} from "../mapping/ast";
import type { RawColumn, SourceMapping } from "../mapping/types";
import {
  billedOutputCost,
  extensionColumns,
  NOT_ALLOCATED,
  pricingCurrencyColumns,
  serviceColumns,
  unitPriceOf,
} from "./common";

const d: RawColumn = { type: "decimal" };
const s: RawColumn = { type: "string" };
const GIB = 1024 ** 3;

/**
 * A cost component of an allocation: its cost (with OpenCost's adjustment) and usage. The unit
 * goes with the quantity: a response without the usage field has neither (FOCUS: no unit
 * without a quantity).
 */
function component(name: string, cost: Expr, quantity: Expr, unit: string | null): Record<string, Expr> {
  return { component: lit(name), cost, quantity, unit: unit ? when([[notNull(quantity), lit(unit)]]) : NULL };
}
/**
 * A cost the allocation carries without a usage of its own, in the hours it ran: only when there
 * is such a cost, for an allocation without one has no charge of it (zero cost, no usage).
 */
function carried(name: string, cost: Expr): Record<string, Expr> {
  const hours = when([[not(eq(zeroIfNull(cost), lit(0))), div(col("minutes"), lit(60))]]);
  return component(name, zeroIfNull(cost), hours, "Hours");
}
const withAdjustment = (cost: string) => add(zeroIfNull(col(cost)), zeroIfNull(col(`${cost}Adjustment`)));

/** Every component is a separate charge of the same allocation (docs/DESIGN.md, "Mapping facts", OpenCost). */
const COMPONENTS = [
  component("cpu", withAdjustment("cpuCost"), col("cpuCoreHours"), "Core-Hours"),
  component("gpu", withAdjustment("gpuCost"), col("gpuHours"), "GPU-Hours"),
  component("ram", withAdjustment("ramCost"), div(col("ramByteHours"), lit(GIB)), "GiB-Hours"),
  component("pv", withAdjustment("pvCost"), div(col("pvByteHours"), lit(GIB)), "GiB-Hours"),
  // OpenCost prices egress per GiB, by destination (cross-zone, cross-region, internet; traffic
  // within the zone is free), and reports every byte the allocation transmitted.
  component("network", withAdjustment("networkCost"), div(col("networkTransferBytes"), lit(GIB)), "GiB"),
  // OpenCost charges a load balancer by the hour and splits it over the allocations it served by
  // the hours each was served, which `lbAllocations` states per load balancer.
  component("loadBalancer", withAdjustment("loadBalancerCost"), col("lbAllocationHours"), "Hours"),
  // Neither has a usage of its own: shared cost is other allocations' cost (shared namespaces,
  // labels, overhead) split over allocations by their cost or evenly, and external cost is
  // out-of-cluster cloud cost matched to the allocation by its labels, of whatever service. Both
  // accrue to the allocation while it runs, so their declared allocation unit is the hours it ran
  // (`minutes`): the rate is what the allocation carried of them an hour.
  carried("shared", col("sharedCost")),
  carried("external", col("externalCost")),
];

const cost = item("cost");
/**
 * The rate OpenCost charged: a component's cost over its quantity, which is the node's rate of the
 * resource (OpenCost prices CPU, RAM, GPU and storage by the node, from its cloud's price list or
 * custom pricing), or, for an allocation over several nodes, the blend of theirs.
 */
const unitPrice = unitPriceOf(cost, item("quantity"));
/**
 * What prices a component: the resource on its node (the resource alone for an allocation over
 * several nodes). A component without a rate (shared and external cost, which have no quantity)
 * has no price (FOCUS 1.3 wants its quantities and unit prices NULL with it).
 */
const skuPriceId = when([
  [
    notNull(unitPrice),
    when([[notNull(col("node")), concat(item("component"), lit(" on "), col("node"))]], item("component")),
  ],
]);

/**
 * The cloud that hosts the node, by the scheme of its Kubernetes provider id (`aws:///zone/i-…`,
 * `gce://project/zone/name`, `azure:///subscriptions/…`); a node without one, or of another
 * cloud, has a host OpenCost does not name (HostProviderName-C-005-C lets it be NULL).
 */
const nodeCloud = regexExtract(col("providerID"), "^([a-z]+)://");
const HOST_PROVIDER = when([
  [eq(nodeCloud, "aws"), lit("AWS")],
  [eq(nodeCloud, "gce"), lit("Google Cloud")],
  [eq(nodeCloud, "azure"), lit("Microsoft")],
]);

/**
 * The kind of what ResourceId names. With a provider id, that is the node's cloud machine.
 * Otherwise it is the allocation, whose kind follows from the properties OpenCost keeps: an
 * allocation keeps only the properties all its members share, so a container or pod property
 * means one container or pod; a name equal to the namespace is a namespace aggregate. Label and
 * other aggregates, `__idle__` and `__unallocated__` have no Kubernetes kind: `Allocation`.
 */
const RESOURCE_TYPE = when(
  [
    [notNull(col("providerID")), lit("Node")],
    [notNull(col("container")), lit("Container")],
    [notNull(col("pod")), lit("Pod")],
    [eq(col("allocation_key"), col("namespace")), lit("Namespace")],
  ],
  lit("Allocation"),
);
/**
 * The charge period is when the allocation ran (its own start and end, within the step's window):
 * a workload that started late in a multi-day window is charged from then, and in that month.
 * An allocation without them (older OpenCost) is charged the window.
 */
const periodStart = coalesce(col("start"), col("windowStart"));
const periodEnd = coalesce(col("end"), col("windowEnd"));
/** What the components add up to, as OpenCost's own totalCost should. */
const componentsCost = add(...COMPONENTS.map((c) => c.cost!));
/** OpenCost rounds each component; beyond a cent the stated total and its parts disagree. */
const TOTAL_TOLERANCE = 0.01;
/** OpenCost prices in the currency it is configured with; Costline's jobs configure USD. */
const CURRENCY = "USD";

/**
 * OpenCost `/allocation` responses -> FOCUS (1.2 and 1.3): one charge per allocation, step and cost
 * component with cost or usage. `__idle__` and `__unallocated__` allocations are kept as they are.
 */
export const opencost: SourceMapping = {
  format: "opencost",
  provider: "kubernetes",
  raw: {
    allocation_key: { type: "string", required: true, notNull: true },
    name: s,
    windowStart: { type: "timestamp", required: true },
    windowEnd: { type: "timestamp", required: true },
    start: { type: "timestamp" },
    end: { type: "timestamp" },
    minutes: d,
    cpuCoreHours: d,
    cpuCost: d,
    cpuCostAdjustment: d,
    gpuHours: d,
    gpuCost: d,
    gpuCostAdjustment: d,
    ramByteHours: d,
    ramCost: d,
    ramCostAdjustment: d,
    pvByteHours: d,
    pvCost: d,
    pvCostAdjustment: d,
    networkTransferBytes: d,
    networkCost: d,
    networkCostAdjustment: d,
    loadBalancerCost: d,
    loadBalancerCostAdjustment: d,
    /** Summed from `lbAllocations` by the reader (runtime/sources/read.ts). */
    lbAllocationHours: d,
    sharedCost: d,
    externalCost: d,
    totalCost: d,
    cluster: s,
    node: s,
    namespace: s,
    pod: s,
    container: s,
    controller: s,
    controllerKind: s,
    providerID: s,
    labels: { type: "object" },
    namespaceLabels: { type: "object" },
  },
  // The components are the charges; a stated totalCost that disagrees is said, not used.
  facts: {
    totalCostDisagrees: or(
      gt(sub(col("totalCost"), componentsCost), lit(TOTAL_TOLERANCE)),
      gt(sub(componentsCost, col("totalCost")), lit(TOTAL_TOLERANCE)),
    ),
  },
  factNotes: {
    totalCostDisagrees: {
      whenTrue: `some allocations state a totalCost that differs from the sum of their cost components by more than ${TOTAL_TOLERANCE}: the components are written as the charges (their sum is the cost), the stated totalCost is not; check OpenCost's pricing configuration`,
    },
  },
  explode: { items: COMPONENTS, keepIfNonZero: ["cost", "quantity"] },
  serviceKey: item("component"),
  regionKey: NULL,
  focus: {
    ...NOT_ALLOCATED,
    AvailabilityZone: NULL,
    BilledCost: cost,
    BillingAccountId: coalesce(col("cluster"), lit("cluster")),
    BillingAccountName: col("cluster"),
    BillingAccountType: NULL,
    BillingCurrency: lit(CURRENCY),
    BillingPeriodEnd: addMonths(truncMonth(periodStart), 1),
    BillingPeriodStart: truncMonth(periodStart),
    CapacityReservationId: NULL,
    CapacityReservationStatus: NULL,
    ChargeCategory: lit("Usage"),
    ChargeClass: NULL,
    ChargeDescription: concat(item("component"), lit(" of "), col("allocation_key")),
    ChargeFrequency: lit("Usage-Based"),
    ChargePeriodEnd: periodEnd,
    ChargePeriodStart: periodStart,
    CommitmentDiscountCategory: NULL,
    CommitmentDiscountId: NULL,
    CommitmentDiscountName: NULL,
    CommitmentDiscountQuantity: NULL,
    CommitmentDiscountStatus: NULL,
    CommitmentDiscountType: NULL,
    CommitmentDiscountUnit: NULL,
    ConsumedQuantity: item("quantity"),
    ConsumedUnit: item("unit"),
    ContractedCost: cost,
    ContractedUnitPrice: unitPrice,
    EffectiveCost: cost,
    InvoiceId: NULL,
    InvoiceIssuerName: lit("Kubernetes"),
    ListCost: cost,
    ListUnitPrice: unitPrice,
    PricingCategory: lit("Standard"),
    // One currency prices and bills.
    ...pricingCurrencyColumns(lit(CURRENCY), {
      billingCurrency: lit(CURRENCY),
      effectiveCost: cost,
      listUnitPrice: unitPrice,
      contractedUnitPrice: unitPrice,
    }),
    PricingQuantity: item("quantity"),
    PricingUnit: item("unit"),
    ProviderName: lit("Kubernetes"),
    ServiceProviderName: lit("Kubernetes"),
    HostProviderName: HOST_PROVIDER,
    PublisherName: lit("OpenCost"),
    RegionId: NULL,
    RegionName: NULL,
    ResourceId: coalesce(col("providerID"), col("allocation_key")),
    ResourceName: coalesce(col("name"), col("allocation_key")),
    ResourceType: RESOURCE_TYPE,
    ...serviceColumns(concat(lit("Kubernetes "), item("component"))),
    SkuId: when([[notNull(skuPriceId), item("component")]]),
    SkuMeter: item("component"),
    SkuPriceDetails: NULL,
    SkuPriceId: skuPriceId,
    SubAccountId: col("namespace"),
    SubAccountName: col("namespace"),
    SubAccountType: when([[notNull(col("namespace")), lit("Namespace")]]),
    // Pod labels override the namespace's labels they inherit.
    Tags: keyValue({ expr: col("namespaceLabels"), form: "json" }, { expr: col("labels"), form: "json" }),
  },
  extensions: extensionColumns("opencost", "kubernetes"),
  reconcile: {
    currency: lit(CURRENCY),
    sourceCost: componentsCost,
    outputCost: billedOutputCost,
  },
};
