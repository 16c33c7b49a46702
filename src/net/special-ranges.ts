// Special-purpose address blocks (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890)
// that must never be trusted: trusting one either means nothing (unspecified, multicast) or trusts
// far more than it seems (NAT64 64:ff9b::/96 holds all of IPv4 behind such a gateway; 6to4 and
// Teredo embed any IPv4 address). Documentation and loopback blocks are refused in production only
// (they are the example addresses of development and tests). Pure.
import { parseIpEntry, type IpRange } from './ip.js';

interface SpecialBlock {
  block: IpRange;
  reason: string;
  productionOnly?: boolean;
}

const block = (cidr: string, reason: string, productionOnly = false): SpecialBlock => {
  const parsed = parseIpEntry(cidr);
  if (!parsed.ok) throw new Error(parsed.error);
  return { block: parsed.value, reason, ...(productionOnly ? { productionOnly } : {}) };
};

const SPECIAL: readonly SpecialBlock[] = [
  block('0.0.0.0/8', 'the "this network" block (0.0.0.0/8) is not a real source address'),
  block('127.0.0.0/8', 'loopback addresses only reach this machine', true),
  block('169.254.0.0/16', 'link-local addresses are not routed between networks'),
  block('192.0.0.0/24', 'the IETF protocol assignments block is not a network of yours'),
  block('192.0.2.0/24', 'a documentation range (TEST-NET-1) is never a real network', true),
  block('198.51.100.0/24', 'a documentation range (TEST-NET-2) is never a real network', true),
  block('203.0.113.0/24', 'a documentation range (TEST-NET-3) is never a real network', true),
  block('198.18.0.0/15', 'the benchmarking range is not a real network', true),
  block('224.0.0.0/4', 'multicast addresses are never the source of a request'),
  block('240.0.0.0/4', 'the reserved block (and the broadcast address) are never a source'),
  block('::/128', 'the unspecified address (::) is never a source'),
  block('::1/128', 'loopback addresses only reach this machine', true),
  block('64:ff9b::/96', 'NAT64 (64:ff9b::/96) stands for the whole IPv4 internet behind a gateway'),
  block('64:ff9b:1::/48', 'local-use NAT64 (64:ff9b:1::/48) stands for IPv4 addresses behind a gateway'),
  block('100::/64', 'the discard-only block is never a source'),
  block('2001::/32', 'Teredo (2001::/32) tunnels embed any IPv4 address'),
  block('2001:db8::/32', 'a documentation range (2001:db8::/32) is never a real network', true),
  block('2002::/16', '6to4 (2002::/16) embeds any IPv4 address'),
  block('fe80::/10', 'link-local addresses are not routed between networks'),
  block('ff00::/8', 'multicast addresses are never the source of a request'),
];

/** Why `range` may not be trusted, or undefined when it may. */
export function specialRangeProblem(range: IpRange, production: boolean): string | undefined {
  if (range.family === 6 && range.bytes.subarray(0, 8).every((byte) => byte === 0) && range.prefix < 128) {
    // ::/48, ::/64…: ranges of all-zero prefixes hold the unspecified, loopback and IPv4-compatible
    // addresses, never one site's network.
    return `${range.text} starts with an all-zero prefix (like ::/48): it is not one site's network`;
  }
  for (const { block: special, reason, productionOnly } of SPECIAL) {
    if (productionOnly && !production) continue;
    if (special.family === range.family && overlaps(special, range)) return reason;
  }
  return undefined;
}

/** Two CIDR blocks of one family overlap when the wider one contains the other's network address. */
function overlaps(a: IpRange, b: IpRange): boolean {
  const wider = a.prefix <= b.prefix ? a : b;
  const narrower = wider === a ? b : a;
  return sameNetwork(narrower.bytes, wider.bytes, wider.prefix);
}

function sameNetwork(address: Uint8Array, network: Uint8Array, prefix: number): boolean {
  for (let i = 0; i < network.length; i++) {
    const keep = Math.min(8, Math.max(0, prefix - 8 * i));
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((address[i]! & mask) !== (network[i]! & mask)) return false;
  }
  return true;
}

/** How many addresses a range holds (2^(bits − prefix)), as a BigInt (IPv6 ranges exceed 2^53). */
export function rangeSize(range: IpRange): bigint {
  return 1n << BigInt((range.family === 4 ? 32 : 128) - range.prefix);
}
