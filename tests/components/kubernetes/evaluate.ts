/**
 * Small evaluators of the Kubernetes semantics our tests rely on, so that least privilege is
 * asserted as behaviour (this request is allowed, that one denied) rather than as a string match.
 * They cover the subset of RBAC and NetworkPolicy that the components use, and fail loudly on
 * anything else so that a new construct cannot slip through unevaluated.
 */

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

/** One API request in a namespace. */
export interface ApiRequest {
  apiGroup: string;
  resource: string;
  verb: string;
  /** Object name; omitted for list/watch/create. */
  name?: string;
}

const matches = (allowed: string[] | undefined, value: string) =>
  (allowed ?? []).some((a) => a === "*" || a === value);

/** Whether RBAC rules (of a Role bound in the request's namespace) allow the request. */
export function rbacAllows(rules: PolicyRule[], req: ApiRequest): boolean {
  return rules.some((rule) => {
    if (rule.nonResourceURLs) throw new Error("evaluator: nonResourceURLs are not modelled");
    if (!matches(rule.apiGroups, req.apiGroup)) return false;
    if (!matches(rule.resources, req.resource)) return false;
    if (!matches(rule.verbs, req.verb)) return false;
    if (!rule.resourceNames || rule.resourceNames.length === 0) return true;
    // With resourceNames, only requests naming one of them match (list/watch/create never do).
    return req.name !== undefined && rule.resourceNames.includes(req.name);
  });
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}
interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Port {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface Rule {
  to?: Peer[];
  from?: Peer[];
  ports?: Port[];
}
export interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

/** A destination (egress) or source (ingress): a pod with labels in a namespace, or an address outside the cluster. */
export type Endpoint =
  | { pod: Record<string, string>; namespace: string; ip?: undefined }
  | { ip: string; pod?: undefined; namespace?: undefined };

export interface Connection {
  peer: Endpoint;
  port: number;
  protocol: "TCP" | "UDP";
}

function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  if (selector.matchExpressions?.length) throw new Error("evaluator: matchExpressions are not modelled");
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function ipv4(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`evaluator: ${ip} is not an IPv4 address`);
  }
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function inCidr(ip: string, cidr: string): boolean {
  if (cidr.includes(":")) return false; // IPv6 blocks never hold the IPv4 addresses used in tests
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

function peerMatches(peer: Peer, endpoint: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    if (endpoint.ip === undefined) return false;
    return (
      inCidr(endpoint.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((e) => inCidr(endpoint.ip, e))
    );
  }
  if (endpoint.pod === undefined) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, { "kubernetes.io/metadata.name": endpoint.namespace })
    : endpoint.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, endpoint.pod);
}

function portMatches(ports: Port[] | undefined, conn: Connection): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if (typeof p.port === "string") throw new Error("evaluator: named ports are not modelled");
    const protocolOk = (p.protocol ?? "TCP") === conn.protocol;
    const from = p.port ?? 0;
    const to = p.endPort ?? p.port ?? 65535;
    return protocolOk && conn.port >= from && conn.port <= to;
  });
}

function allowedBy(rules: Rule[] | undefined, side: "to" | "from", conn: Connection, ns: string): boolean {
  return (rules ?? []).some((rule) => {
    const peers = rule[side];
    const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, conn.peer, ns));
    return peerOk && portMatches(rule.ports, conn);
  });
}

/** Whether a pod selected by the policy may open this connection (the policy is the only one that selects it). */
export function egressAllowed(spec: NetworkPolicySpec, policyNamespace: string, conn: Connection): boolean {
  if (!(spec.policyTypes ?? []).includes("Egress")) return true;
  return allowedBy(spec.egress, "to", conn, policyNamespace);
}

/** Whether this connection may reach a pod selected by the policy. */
export function ingressAllowed(spec: NetworkPolicySpec, policyNamespace: string, conn: Connection): boolean {
  if (!(spec.policyTypes ?? ["Ingress"]).includes("Ingress")) return true;
  return allowedBy(spec.ingress, "from", conn, policyNamespace);
}
