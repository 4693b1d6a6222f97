/**
 * The values FOCUS 1.2 fixes for its enumerated columns. Taken from the specification's allowed
 * values (and the requirements model carried in runtime/validate/model/source/); tests check the
 * taxonomy tables and the normalizer's output against these lists, so a typo in a mapping fails a
 * test instead of producing a non-conforming dataset.
 */

/** ServiceCategory: the 19 allowed values, in the specification's order. */
export const SERVICE_CATEGORIES: readonly string[] = [
  "AI and Machine Learning",
  "Analytics",
  "Business Applications",
  "Compute",
  "Databases",
  "Developer Tools",
  "Multicloud",
  "Identity",
  "Integration",
  "Internet of Things",
  "Management and Governance",
  "Media",
  "Migration",
  "Mobile",
  "Networking",
  "Security",
  "Storage",
  "Web",
  "Other",
];

/** ServiceSubcategory: allowed values by their one parent ServiceCategory. */
export const SERVICE_SUBCATEGORIES: Readonly<Record<string, readonly string[]>> = {
  "AI and Machine Learning": [
    "AI Platforms",
    "Bots",
    "Generative AI",
    "Machine Learning",
    "Natural Language Processing",
    "Other (AI and Machine Learning)",
  ],
  Analytics: [
    "Analytics Platforms",
    "Business Intelligence",
    "Data Processing",
    "Search",
    "Streaming Analytics",
    "Other (Analytics)",
  ],
  "Business Applications": ["Productivity and Collaboration", "Other (Business Applications)"],
  Compute: [
    "Containers",
    "End User Computing",
    "Quantum Compute",
    "Serverless Compute",
    "Virtual Machines",
    "Other (Compute)",
  ],
  Databases: [
    "Caching",
    "Data Warehouses",
    "Ledger Databases",
    "NoSQL Databases",
    "Relational Databases",
    "Time Series Databases",
    "Other (Databases)",
  ],
  "Developer Tools": [
    "Developer Platforms",
    "Continuous Integration and Deployment",
    "Development Environments",
    "Source Code Management",
    "Quality Assurance",
    "Other (Developer Tools)",
  ],
  Identity: ["Identity and Access Management", "Other (Identity)"],
  Integration: ["API Management", "Messaging", "Workflow Orchestration", "Other (Integration)"],
  "Internet of Things": ["IoT Analytics", "IoT Platforms", "Other (Internet of Things)"],
  "Management and Governance": [
    "Architecture",
    "Compliance",
    "Cost Management",
    "Data Governance",
    "Disaster Recovery",
    "Endpoint Management",
    "Observability",
    "Support",
    "Other (Management and Governance)",
  ],
  Media: ["Content Creation", "Gaming", "Media Streaming", "Mixed Reality", "Other (Media)"],
  Migration: ["Data Migration", "Resource Migration", "Other (Migration)"],
  Mobile: ["Other (Mobile)"],
  Multicloud: ["Multicloud Integration", "Other (Multicloud)"],
  Networking: [
    "Application Networking",
    "Content Delivery",
    "Network Connectivity",
    "Network Infrastructure",
    "Network Routing",
    "Network Security",
    "Other (Networking)",
  ],
  Security: [
    "Secret Management",
    "Security Posture Management",
    "Threat Detection and Response",
    "Other (Security)",
  ],
  Storage: [
    "Backup Storage",
    "Block Storage",
    "File Storage",
    "Object Storage",
    "Storage Platforms",
    "Other (Storage)",
  ],
  Web: ["Application Platforms", "Other (Web)"],
  Other: ["Other (Other)"],
};

/** ChargeCategory: never null. */
export const CHARGE_CATEGORIES: readonly string[] = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"];

/** ChargeClass: "Correction" for corrections of a previously invoiced period, otherwise null. */
export const CHARGE_CLASSES: readonly string[] = ["Correction"];

/** ChargeFrequency: never "Usage-Based" when ChargeCategory is "Purchase". */
export const CHARGE_FREQUENCIES: readonly string[] = ["One-Time", "Recurring", "Usage-Based"];

/** PricingCategory: null for Tax, never null for Usage/Purchase that are not corrections. */
export const PRICING_CATEGORIES: readonly string[] = ["Standard", "Dynamic", "Committed", "Other"];

/** CommitmentDiscountCategory: a commitment on spend (savings plans) or on usage (reservations). */
export const COMMITMENT_DISCOUNT_CATEGORIES: readonly string[] = ["Spend", "Usage"];

/**
 * CommitmentDiscountStatus: the specification's column text allows "Used" and "Unused". The
 * requirements model (CommitmentDiscountStatus-C-005-M) lists "Active", "Expired" and "Pending",
 * which are the lifecycle states of a commitment, not of a charge; we follow the column text.
 */
export const COMMITMENT_DISCOUNT_STATUSES: readonly string[] = ["Used", "Unused"];

/** CapacityReservationStatus: not null when CapacityReservationId is set on a Usage row. */
export const CAPACITY_RESERVATION_STATUSES: readonly string[] = ["Used", "Unused"];

/*
 * BillingAccountType, SubAccountType, CommitmentDiscountType and ResourceType are provider-chosen
 * display values ("consistent, readable"): FOCUS fixes no list for them, so there is none here.
 */
