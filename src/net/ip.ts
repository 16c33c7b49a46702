// IP addresses and ranges as admins type them and as sockets report them. One canonical text per
// address (lowercase IPv6, RFC 5952 compression, IPv4-mapped IPv6 shown as IPv4) so stored entries
// compare and deduplicate by string, and the "network" a sign-in comes from (/24 or /64) is a key.
// Pure: no I/O, no DNS. Errors are sentences an admin can act on.

export type IpFamily = 4 | 6;

/** One address: its family, its bytes (4 or 16) and its canonical text. */
export interface Ip {
  readonly family: IpFamily;
  readonly bytes: Uint8Array;
  readonly text: string;
}

/** A single address or a CIDR range; `text` is canonical (a full-length prefix is written as the bare address). */
export interface IpRange extends Ip {
  readonly prefix: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The prefix that defines a sign-in's "network": a home or office line keeps it while its last bits change. */
export const NETWORK_PREFIX: Readonly<Record<IpFamily, number>> = { 4: 24, 6: 64 };

const BITS: Readonly<Record<IpFamily, number>> = { 4: 32, 6: 128 };
const MAX_SHOWN = 60;

/** Parses an IPv4 or IPv6 address (surrounding spaces ignored). IPv4-mapped IPv6 becomes IPv4. */
export function parseIp(input: string): Parsed<Ip> {
  const text = input.trim();
  const bytes = text.includes(':') ? parseIpv6(text) : parseIpv4(text);
  if (typeof bytes === 'string') return fail(input, bytes);
  return { ok: true, value: toIp(unmap(bytes)) };
}

/** The canonical text of an address, or undefined when it is not one. */
export function normalizeIp(input: string): string | undefined {
  const parsed = parseIp(input);
  return parsed.ok ? parsed.value.text : undefined;
}

/** Parses a trusted-IP entry: a single address or `address/prefix` naming a network (no host bits set). */
export function parseIpEntry(input: string): Parsed<IpRange> {
  const text = input.trim();
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const raw = addressText.includes(':') ? parseIpv6(addressText) : parseIpv4(addressText);
  if (typeof raw === 'string') return fail(input, raw);
  const family: IpFamily = raw.length === 4 ? 4 : 6;
  let prefix = BITS[family];
  if (slash >= 0) {
    const prefixText = text.slice(slash + 1);
    prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
    if (prefix < 0 || prefix > BITS[family]) return fail(input, `prefix must be 0–${BITS[family]} for IPv${family}`);
  }
  let bytes = raw;
  if (isMapped(raw) && prefix >= 96) {
    bytes = raw.slice(12);
    prefix -= 96;
  }
  const network = maskBytes(bytes, prefix);
  if (!sameBytes(network, bytes)) {
    const net = formatBytes(network);
    return fail(input, `bits are set after the /${prefix} prefix: write ${net}/${prefix} for the network, or ${formatBytes(bytes)} for one address`);
  }
  const ip = toIp(bytes);
  const canonical = prefix === BITS[ip.family] ? ip.text : `${ip.text}/${prefix}`;
  return { ok: true, value: { ...ip, prefix, text: canonical } };
}

/** Is `ip` one of `entries` (addresses or ranges)? Unparseable input or entries never match. */
export function ipMatches(ip: string, entries: readonly string[]): boolean {
  const parsed = parseIp(ip);
  if (!parsed.ok) return false;
  return entries.some((entry) => {
    const range = parseIpEntry(entry);
    return range.ok && range.value.family === parsed.value.family
      && sameBytes(maskBytes(parsed.value.bytes, range.value.prefix), range.value.bytes);
  });
}

/** The /24 (IPv4) or /64 (IPv6) holding `ip`, e.g. `203.0.113.0/24`, `2001:db8:1:2::/64`. Throws on a non-address. */
export function networkOf(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed.ok) throw new TypeError(parsed.error);
  const prefix = NETWORK_PREFIX[parsed.value.family];
  return `${formatBytes(maskBytes(parsed.value.bytes, prefix))}/${prefix}`;
}

function parseIpv4(text: string): Uint8Array | string {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part))) return 'not an IP address';
  if (parts.some((part) => part.length > 1 && part.startsWith('0'))) return 'IPv4 parts must not have leading zeros';
  const numbers = parts.map(Number);
  if (numbers.some((n) => n > 255)) return 'IPv4 parts must be 0–255';
  return Uint8Array.from(numbers);
}

function parseIpv6(text: string): Uint8Array | string {
  if (text.includes('%')) return 'zone ids (the part after %) are not accepted';
  const halves = text.split('::');
  if (halves.length > 2) return '"::" may appear only once in an IPv6 address';
  const groups: number[][] = [];
  for (const [index, half] of halves.entries()) {
    const parts = half === '' ? [] : half.split(':');
    const words: number[] = [];
    for (const [i, part] of parts.entries()) {
      const last = index === halves.length - 1 && i === parts.length - 1;
      if (last && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (typeof v4 === 'string') return 'not an IP address';
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
        words.push(parseInt(part, 16));
      } else {
        return 'not an IP address';
      }
    }
    groups.push(words);
  }
  const [head = [], tail] = groups;
  const given = head.length + (tail?.length ?? 0);
  if (tail === undefined ? given !== 8 : given > 7) return 'an IPv6 address has 8 groups of 1–4 hex digits';
  const words = tail === undefined ? head : [...head, ...new Array<number>(8 - given).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => { bytes[2 * i] = word >> 8; bytes[2 * i + 1] = word & 0xff; });
  return bytes;
}

function isMapped(bytes: Uint8Array): boolean {
  return bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

function unmap(bytes: Uint8Array): Uint8Array {
  return isMapped(bytes) ? bytes.slice(12) : bytes;
}

function toIp(bytes: Uint8Array): Ip {
  return { family: bytes.length === 4 ? 4 : 6, bytes, text: formatBytes(bytes) };
}

/** RFC 5952: lowercase, no leading zeros, the longest run (2+ groups, leftmost on a tie) of zero groups as "::". */
function formatBytes(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const words = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((word) => word.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  return bytes.map((byte, i) => {
    const keep = Math.min(8, Math.max(0, prefix - 8 * i));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function fail(input: string, problem: string): { ok: false; error: string } {
  const shown = input.length > MAX_SHOWN ? `${input.slice(0, MAX_SHOWN)}…` : input;
  return { ok: false, error: `"${shown}": ${problem}` };
}
