/**
 * Every public region of AWS, GCP and Azure, by the id the billing exports write
 * (AWS `product_region_code`, GCP `location.region` / `location.location`, Azure `ResourceLocation`
 * in its lower-case form), with a display name, a normalized geography and the country.
 *
 * Also the non-regional locations the exports use: AWS and Azure "global", GCP's multi-regions
 * ("us", "eu", "asia") and "global". Their country is null where no single country applies
 * ("EU" is the ISO 3166 exceptionally reserved code for the European Union).
 */

import type { Provider } from "./services";

export interface RegionEntry {
  provider: Provider;
  /** The region as the export writes it, e.g. "us-east-1", "europe-west1", "westeurope". */
  id: string;
  /** Display name (FOCUS RegionName). */
  name: string;
  /** Normalized geography, one of GEOS. */
  geo: string;
  /** ISO 3166-1 alpha-2 country, or null for multi-country locations. */
  country: string | null;
}

/** The normalized geographies. Multi-region locations use the bare continent ("us", "eu", "ap"). */
export const GEOS: readonly string[] = [
  "us-east",
  "us-central",
  "us-west",
  "ca",
  "mx",
  "sa",
  "eu-west",
  "eu-central",
  "eu-north",
  "eu-south",
  "me",
  "af",
  "ap-east",
  "ap-northeast",
  "ap-south",
  "ap-southeast",
  "oceania",
  "us",
  "eu",
  "ap",
  "global",
];

/** [id, name, geo, country] */
type Row = readonly [string, string, string, string | null];

const aws: Row[] = [
  ["us-east-1", "US East (N. Virginia)", "us-east", "US"],
  ["us-east-2", "US East (Ohio)", "us-east", "US"],
  ["us-west-1", "US West (N. California)", "us-west", "US"],
  ["us-west-2", "US West (Oregon)", "us-west", "US"],
  ["us-gov-east-1", "AWS GovCloud (US-East)", "us-east", "US"],
  ["us-gov-west-1", "AWS GovCloud (US-West)", "us-west", "US"],
  ["ca-central-1", "Canada (Central)", "ca", "CA"],
  ["ca-west-1", "Canada West (Calgary)", "ca", "CA"],
  ["mx-central-1", "Mexico (Central)", "mx", "MX"],
  ["sa-east-1", "South America (Sao Paulo)", "sa", "BR"],
  ["eu-west-1", "Europe (Ireland)", "eu-west", "IE"],
  ["eu-west-2", "Europe (London)", "eu-west", "GB"],
  ["eu-west-3", "Europe (Paris)", "eu-west", "FR"],
  ["eu-central-1", "Europe (Frankfurt)", "eu-central", "DE"],
  ["eu-central-2", "Europe (Zurich)", "eu-central", "CH"],
  ["eu-north-1", "Europe (Stockholm)", "eu-north", "SE"],
  ["eu-south-1", "Europe (Milan)", "eu-south", "IT"],
  ["eu-south-2", "Europe (Spain)", "eu-south", "ES"],
  ["il-central-1", "Israel (Tel Aviv)", "me", "IL"],
  ["me-south-1", "Middle East (Bahrain)", "me", "BH"],
  ["me-central-1", "Middle East (UAE)", "me", "AE"],
  ["af-south-1", "Africa (Cape Town)", "af", "ZA"],
  ["ap-east-1", "Asia Pacific (Hong Kong)", "ap-east", "HK"],
  ["ap-east-2", "Asia Pacific (Taipei)", "ap-east", "TW"],
  ["ap-northeast-1", "Asia Pacific (Tokyo)", "ap-northeast", "JP"],
  ["ap-northeast-2", "Asia Pacific (Seoul)", "ap-northeast", "KR"],
  ["ap-northeast-3", "Asia Pacific (Osaka)", "ap-northeast", "JP"],
  ["ap-south-1", "Asia Pacific (Mumbai)", "ap-south", "IN"],
  ["ap-south-2", "Asia Pacific (Hyderabad)", "ap-south", "IN"],
  ["ap-southeast-1", "Asia Pacific (Singapore)", "ap-southeast", "SG"],
  ["ap-southeast-3", "Asia Pacific (Jakarta)", "ap-southeast", "ID"],
  ["ap-southeast-5", "Asia Pacific (Malaysia)", "ap-southeast", "MY"],
  ["ap-southeast-7", "Asia Pacific (Thailand)", "ap-southeast", "TH"],
  ["ap-southeast-2", "Asia Pacific (Sydney)", "oceania", "AU"],
  ["ap-southeast-4", "Asia Pacific (Melbourne)", "oceania", "AU"],
  ["ap-southeast-6", "Asia Pacific (New Zealand)", "oceania", "NZ"],
  ["cn-north-1", "China (Beijing)", "ap-east", "CN"],
  ["cn-northwest-1", "China (Ningxia)", "ap-east", "CN"],
  ["global", "Global", "global", null],
];

const gcp: Row[] = [
  ["us-central1", "Iowa", "us-central", "US"],
  ["us-east1", "South Carolina", "us-east", "US"],
  ["us-east4", "Northern Virginia", "us-east", "US"],
  ["us-east5", "Columbus", "us-east", "US"],
  ["us-south1", "Dallas", "us-central", "US"],
  ["us-west1", "Oregon", "us-west", "US"],
  ["us-west2", "Los Angeles", "us-west", "US"],
  ["us-west3", "Salt Lake City", "us-west", "US"],
  ["us-west4", "Las Vegas", "us-west", "US"],
  ["northamerica-northeast1", "Montréal", "ca", "CA"],
  ["northamerica-northeast2", "Toronto", "ca", "CA"],
  ["northamerica-south1", "Querétaro", "mx", "MX"],
  ["southamerica-east1", "São Paulo", "sa", "BR"],
  ["southamerica-west1", "Santiago", "sa", "CL"],
  ["europe-west1", "Belgium", "eu-west", "BE"],
  ["europe-west2", "London", "eu-west", "GB"],
  ["europe-west3", "Frankfurt", "eu-central", "DE"],
  ["europe-west4", "Netherlands", "eu-west", "NL"],
  ["europe-west6", "Zurich", "eu-central", "CH"],
  ["europe-west8", "Milan", "eu-south", "IT"],
  ["europe-west9", "Paris", "eu-west", "FR"],
  ["europe-west10", "Berlin", "eu-central", "DE"],
  ["europe-west12", "Turin", "eu-south", "IT"],
  ["europe-central2", "Warsaw", "eu-central", "PL"],
  ["europe-north1", "Finland", "eu-north", "FI"],
  ["europe-north2", "Stockholm", "eu-north", "SE"],
  ["europe-southwest1", "Madrid", "eu-south", "ES"],
  ["me-central1", "Doha", "me", "QA"],
  ["me-central2", "Dammam", "me", "SA"],
  ["me-west1", "Tel Aviv", "me", "IL"],
  ["africa-south1", "Johannesburg", "af", "ZA"],
  ["asia-east1", "Taiwan", "ap-east", "TW"],
  ["asia-east2", "Hong Kong", "ap-east", "HK"],
  ["asia-northeast1", "Tokyo", "ap-northeast", "JP"],
  ["asia-northeast2", "Osaka", "ap-northeast", "JP"],
  ["asia-northeast3", "Seoul", "ap-northeast", "KR"],
  ["asia-south1", "Mumbai", "ap-south", "IN"],
  ["asia-south2", "Delhi", "ap-south", "IN"],
  ["asia-southeast1", "Singapore", "ap-southeast", "SG"],
  ["asia-southeast2", "Jakarta", "ap-southeast", "ID"],
  ["asia-southeast3", "Bangkok", "ap-southeast", "TH"],
  ["australia-southeast1", "Sydney", "oceania", "AU"],
  ["australia-southeast2", "Melbourne", "oceania", "AU"],
  // Multi-regions, as `location.location` writes them when `location.region` is null.
  ["us", "United States (multi-region)", "us", "US"],
  ["eu", "European Union (multi-region)", "eu", "EU"],
  ["asia", "Asia (multi-region)", "ap", null],
  ["global", "Global", "global", null],
];

const azure: Row[] = [
  ["eastus", "East US", "us-east", "US"],
  ["eastus2", "East US 2", "us-east", "US"],
  ["centralus", "Central US", "us-central", "US"],
  ["northcentralus", "North Central US", "us-central", "US"],
  ["southcentralus", "South Central US", "us-central", "US"],
  ["westcentralus", "West Central US", "us-west", "US"],
  ["westus", "West US", "us-west", "US"],
  ["westus2", "West US 2", "us-west", "US"],
  ["westus3", "West US 3", "us-west", "US"],
  ["canadacentral", "Canada Central", "ca", "CA"],
  ["canadaeast", "Canada East", "ca", "CA"],
  ["mexicocentral", "Mexico Central", "mx", "MX"],
  ["brazilsouth", "Brazil South", "sa", "BR"],
  ["brazilsoutheast", "Brazil Southeast", "sa", "BR"],
  ["chilecentral", "Chile Central", "sa", "CL"],
  ["northeurope", "North Europe", "eu-west", "IE"],
  ["westeurope", "West Europe", "eu-west", "NL"],
  ["uksouth", "UK South", "eu-west", "GB"],
  ["ukwest", "UK West", "eu-west", "GB"],
  ["francecentral", "France Central", "eu-west", "FR"],
  ["francesouth", "France South", "eu-west", "FR"],
  ["germanywestcentral", "Germany West Central", "eu-central", "DE"],
  ["germanynorth", "Germany North", "eu-central", "DE"],
  ["switzerlandnorth", "Switzerland North", "eu-central", "CH"],
  ["switzerlandwest", "Switzerland West", "eu-central", "CH"],
  ["polandcentral", "Poland Central", "eu-central", "PL"],
  ["norwayeast", "Norway East", "eu-north", "NO"],
  ["norwaywest", "Norway West", "eu-north", "NO"],
  ["swedencentral", "Sweden Central", "eu-north", "SE"],
  ["italynorth", "Italy North", "eu-south", "IT"],
  ["spaincentral", "Spain Central", "eu-south", "ES"],
  ["uaenorth", "UAE North", "me", "AE"],
  ["uaecentral", "UAE Central", "me", "AE"],
  ["qatarcentral", "Qatar Central", "me", "QA"],
  ["israelcentral", "Israel Central", "me", "IL"],
  ["southafricanorth", "South Africa North", "af", "ZA"],
  ["southafricawest", "South Africa West", "af", "ZA"],
  ["eastasia", "East Asia", "ap-east", "HK"],
  ["japaneast", "Japan East", "ap-northeast", "JP"],
  ["japanwest", "Japan West", "ap-northeast", "JP"],
  ["koreacentral", "Korea Central", "ap-northeast", "KR"],
  ["koreasouth", "Korea South", "ap-northeast", "KR"],
  ["centralindia", "Central India", "ap-south", "IN"],
  ["southindia", "South India", "ap-south", "IN"],
  ["westindia", "West India", "ap-south", "IN"],
  ["jioindiawest", "Jio India West", "ap-south", "IN"],
  ["jioindiacentral", "Jio India Central", "ap-south", "IN"],
  ["southeastasia", "Southeast Asia", "ap-southeast", "SG"],
  ["indonesiacentral", "Indonesia Central", "ap-southeast", "ID"],
  ["malaysiawest", "Malaysia West", "ap-southeast", "MY"],
  ["australiaeast", "Australia East", "oceania", "AU"],
  ["australiasoutheast", "Australia Southeast", "oceania", "AU"],
  ["australiacentral", "Australia Central", "oceania", "AU"],
  ["australiacentral2", "Australia Central 2", "oceania", "AU"],
  ["newzealandnorth", "New Zealand North", "oceania", "NZ"],
  ["global", "Global", "global", null],
];

function entries(provider: Provider, rows: readonly Row[]): RegionEntry[] {
  return rows.map(([id, name, geo, country]) => ({ provider, id, name, geo, country }));
}

export const REGIONS: readonly RegionEntry[] = [
  ...entries("aws", aws),
  ...entries("gcp", gcp),
  ...entries("azure", azure),
];
