import {
  and,
  coalesce,
  concat,
  type Expr,
  eq,
  lit,
  lower,
  notNull,
  regexExtract,
  reverse,
  when,
} from "../mapping/ast";

/**
 * FOCUS ResourceType ("the kind of resource the charge applies to") derived from the resource
 * identifiers the native exports carry, none of which states a type. FOCUS requires a type
 * wherever there is a ResourceId, so each rule ends in a coarser but true fallback (the service)
 * rather than NULL.
 */

/** The service of an ARN: `arn:partition:service:region:account:resource`. */
const ARN_SERVICE = "^arn:[^:]+:([^:]+):";
/**
 * The type part of an ARN resource written `type/id` or `type:id` (EC2 `instance/...`, RDS
 * `db:...`, Lambda `function:...`, CloudWatch Logs `log-group:...`).
 */
const ARN_RESOURCE_TYPE = "^arn:[^:]+:[^:]+:[^:]*:[^:]*:([^:/]+)[:/]";
/** EC2-family ids CUR names without an ARN, by their prefix. */
const EC2_ID = "^(i|vol|snap|ami|eni|nat|eipalloc|vpce|tgw)-[0-9a-f]{8,17}$";
const EC2_TYPES: Record<string, string> = {
  i: "instance",
  vol: "volume",
  snap: "snapshot",
  ami: "image",
  eni: "network-interface",
  nat: "natgateway",
  eipalloc: "elastic-ip",
  vpce: "vpc-endpoint",
  tgw: "transit-gateway",
};

/**
 * AWS (CUR 2.0 `line_item_resource_id`): the ARN's resource type; an S3 ARN has none (its
 * resource is the bucket), nor do CUR's bare S3 bucket names; an ARN of a single-type service
 * (e.g. an SQS queue) falls back to its service; bare EC2 ids by prefix; anything else to the
 * product code (e.g. `AmazonEC2`), since the id alone does not say more.
 */
export function awsResourceType(resourceId: Expr, productCode: Expr): Expr {
  const service = regexExtract(resourceId, ARN_SERVICE);
  const ec2Prefix = regexExtract(resourceId, EC2_ID);
  return when([
    [eq(service, "s3"), lit("bucket")],
    [notNull(service), coalesce(regexExtract(resourceId, ARN_RESOURCE_TYPE), service)],
    [
      notNull(ec2Prefix),
      when(Object.entries(EC2_TYPES).map(([prefix, type]) => [eq(ec2Prefix, prefix), lit(type)])),
    ],
    [notNull(resourceId), when([[eq(productCode, "AmazonS3"), lit("bucket")]], productCode)],
  ]);
}

/**
 * The last resource provider and type of an ARM id (extension resources name their own), matched
 * on the reversed id: the first `/sredivorp/` after at least three segments, whose two segments
 * before it are the type, reversed. Read forwards, the pattern needs a leading `^.*` to reach the
 * last `/providers/`, which costs RE2 more than twice as much as reversing the text (1M ids:
 * 0.76 s against 0.33 s).
 */
const ARM_TYPE_REVERSED = "(?i)^(?:[^/]+/)*?[^/]+/([^/]+/[^/]+)/sredivorp/";
/**
 * A child type one level down, e.g. `databases` of `Microsoft.Sql/servers/s/databases/d`. The
 * `$`-anchored tail of exactly five segments fixes which `/providers/` matches (the only one
 * that far from the end), so the pattern needs no leading `^.*`, which costs RE2 about three
 * times as much.
 * Both match case-insensitively: real exports also write ids upper case
 * (`/SUBSCRIPTIONS/.../PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/...`).
 */
const ARM_CHILD_TYPE = "(?i)/providers/[^/]+/[^/]+/[^/]+/([^/]+)/[^/]+$";

/**
 * The ARM resource type of an Azure resource id in lower case, e.g. `microsoft.compute/virtualmachines`
 * (with one level of child type, `microsoft.sql/servers/databases`); NULL for ids that are not ARM
 * ids. Lower case, as Microsoft's own resource type and service tables write them, so that one
 * resource gets one type whatever case its id is written in.
 */
export function azureArmType(resourceId: Expr): Expr {
  const type = reverse(regexExtract(reverse(resourceId), ARM_TYPE_REVERSED));
  const child = regexExtract(resourceId, ARM_CHILD_TYPE);
  return lower(when([[notNull(child), concat(type, lit("/"), child)]], type));
}

/** Azure: the ARM resource type of the resource id; ids that are not ARM ids fall back to the service. */
export function azureResourceType(resourceId: Expr, service: Expr): Expr {
  return coalesce(azureArmType(resourceId), when([[notNull(resourceId), service]]));
}

/** The API service of a full resource name `//service.googleapis.com/...`. */
const GCP_SERVICE = "^//([^/]+)/";
/** The collection of the named resource: the segment before its id (`instances`, `buckets`). */
const GCP_COLLECTION = "^//[^/]+/(?:.*/)?([^/]+)/[^/]+$";

/**
 * GCP (detailed export `resource.global_name`, a Cloud Asset full resource name): the API
 * service and the collection the resource belongs to, e.g. `compute.googleapis.com/instances`.
 * Cloud Asset's own type names (`compute.googleapis.com/Instance`) are not derivable from the
 * name alone. A resource known only by its short name falls back to the service.
 */
export function gcpResourceType(globalName: Expr, resourceId: Expr, service: Expr): Expr {
  const api = regexExtract(globalName, GCP_SERVICE);
  const collection = regexExtract(globalName, GCP_COLLECTION);
  return when(
    [[and(notNull(api), notNull(collection)), concat(api, lit("/"), collection)]],
    when([[notNull(resourceId), service]]),
  );
}
