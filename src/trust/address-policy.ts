/**
 * Which network addresses the service may fetch trusted lists and status lists from.
 *
 * A credential names its own status list URI and a list of lists names the lists it points to,
 * so an attacker-influenced URL must never reach the service's own network: loopback, private,
 * link-local, carrier-grade NAT, multicast, documentation and reserved ranges (IPv4 and IPv6,
 * IPv4-mapped IPv6 included) are refused unless the host is explicitly allow-listed (tests and
 * development use `127.0.0.1`). The check is made on every address the name resolves to, at
 * connection time, so DNS rebinding cannot slip a private address in after the check.
 */
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

const MAPPED_V4 = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** True when `address` (an IP literal) is in a range the service must not fetch from. */
export function isNonPublicAddress(address: string): boolean {
  const mapped = MAPPED_V4.exec(address);
  if (mapped?.[1] !== undefined) return isNonPublicAddress(mapped[1]);
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

/** The host of a URL without IPv6 brackets, lower-cased. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** True when `host` (a name or an IP literal) is on the allow-list of private hosts. */
export function isAllowListedHost(host: string, allowList: readonly string[]): boolean {
  const normalized = host.replace(/^\[|\]$/g, '').toLowerCase();
  return allowList.some((entry) => entry.replace(/^\[|\]$/g, '').toLowerCase() === normalized);
}
