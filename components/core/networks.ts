/**
 * Addresses that are never a cloud's public endpoint: private networks (a cluster, its VPC and
 * anything peered), carrier-grade NAT (pod ranges on some CNIs), loopback and link-local (a node's
 * metadata servers). The Kubernetes job's egress excepts them; Azure Storage's IP rules refuse them.
 */
export const NOT_PUBLIC_V4 = [
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
];
export const NOT_PUBLIC_V6 = ["fc00::/7", "fe80::/10"];

const toNumber = (dotted: string) => dotted.split(".").reduce((n, o) => n * 256 + Number(o), 0);

/** Whether an IPv4 address (dotted, without a prefix) lies in one of the ranges above. */
export function isNotPublicV4(address: string): boolean {
  const ip = toNumber(address);
  return NOT_PUBLIC_V4.some((range) => {
    const [base, bits] = range.split("/");
    const size = 2 ** (32 - Number(bits));
    return Math.floor(ip / size) === Math.floor(toNumber(base!) / size);
  });
}
