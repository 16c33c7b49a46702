// Is an address on the public internet? The provider calls URLs that clients registered
// (back-channel logout, jwks_uri); in production those must reach public addresses only, so a
// registered URL cannot make the provider POST to its own loopback admin port, a cloud metadata
// service (169.254.169.254) or the practice's private network. Pure; the ranges are IANA's special-
// purpose registries (RFC 6890 and successors), plus everything outside IPv6 global unicast 2000::/3.
import { ipMatches, parseIp } from './ip.js';

const NOT_PUBLIC_V4 = [
  '0.0.0.0/8', // "this network", unspecified
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', // private (RFC 1918)
  '100.64.0.0/10', // carrier-grade NAT
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local, cloud metadata services
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', // documentation
  '192.88.99.0/24', // 6to4 relay anycast
  '198.18.0.0/15', // benchmarking
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, broadcast
];

const NOT_PUBLIC_V6 = [
  '64:ff9b::/96', '64:ff9b:1::/48', // NAT64: an IPv4 address, possibly private, behind a gateway
  '2001::/23', // IETF protocol assignments, Teredo (2001::/32) included
  '2001:db8::/32', '3fff::/20', // documentation
  '2002::/16', // 6to4: an IPv4 address, possibly private, inside
];

/** True only for an address reachable on the public internet; anything unparseable is not. */
export function isPublicAddress(address: string): boolean {
  const parsed = parseIp(address.replace(/^\[(.*)\]$/, '$1'));
  if (!parsed.ok) return false;
  const { family, text } = parsed.value;
  if (family === 4) return !ipMatches(text, NOT_PUBLIC_V4);
  // Global unicast is 2000::/3; loopback, unspecified, unique-local, link-local, multicast lie outside.
  return ipMatches(text, ['2000::/3']) && !ipMatches(text, NOT_PUBLIC_V6);
}
