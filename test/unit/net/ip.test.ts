// IP parsing, entry validation, matching and the /24 or /64 "network" of an address, by tables.
import { isIP } from 'node:net';
import { expect } from 'chai';
import { ipMatches, networkOf, normalizeIp, parseIp, parseIpEntry } from '../../../src/net/ip.js';

const addresses: { input: string; canonical: string; family: 4 | 6 }[] = [
  { input: '203.0.113.7', canonical: '203.0.113.7', family: 4 },
  { input: '0.0.0.0', canonical: '0.0.0.0', family: 4 },
  { input: '255.255.255.255', canonical: '255.255.255.255', family: 4 },
  { input: '  10.1.2.3 ', canonical: '10.1.2.3', family: 4 },
  { input: '::ffff:192.0.2.1', canonical: '192.0.2.1', family: 4 },
  { input: '::FFFF:C000:0201', canonical: '192.0.2.1', family: 4 },
  { input: '0:0:0:0:0:ffff:192.0.2.1', canonical: '192.0.2.1', family: 4 },
  { input: '2001:DB8::1', canonical: '2001:db8::1', family: 6 },
  { input: '2001:0db8:0000:0000:0000:0000:0000:0001', canonical: '2001:db8::1', family: 6 },
  { input: '2001:db8:0:0:1:0:0:1', canonical: '2001:db8::1:0:0:1', family: 6 },
  { input: '2001:db8:0:1:1:1:1:1', canonical: '2001:db8:0:1:1:1:1:1', family: 6 },
  { input: '2001:0:0:1:0:0:0:1', canonical: '2001:0:0:1::1', family: 6 },
  { input: '::', canonical: '::', family: 6 },
  { input: '::1', canonical: '::1', family: 6 },
  { input: '1::', canonical: '1::', family: 6 },
  { input: 'fe80::', canonical: 'fe80::', family: 6 },
  { input: '1:2:3:4:5:6:7::', canonical: '1:2:3:4:5:6:7:0', family: 6 },
  { input: '::2:3:4:5:6:7:8', canonical: '0:2:3:4:5:6:7:8', family: 6 },
  { input: '::192.0.2.1', canonical: '::c000:201', family: 6 },
  { input: '64:ff9b::192.0.2.1', canonical: '64:ff9b::c000:201', family: 6 },
];

describe('net/ip: addresses parse to one canonical text', () => {
  for (const { input, canonical, family } of addresses) {
    it(`${JSON.stringify(input)} is IPv${family} ${canonical}`, () => {
      const parsed = parseIp(input);
      expect(parsed).to.deep.include({ ok: true });
      if (!parsed.ok) return;
      expect(parsed.value.text).to.equal(canonical);
      expect(parsed.value.family).to.equal(family);
      expect(normalizeIp(input)).to.equal(canonical);
      expect(isIP(canonical)).to.equal(family); // the canonical form is one Node itself accepts
    });
  }
});

const notAddresses: { input: string; problem: string }[] = [
  { input: '', problem: 'not an IP address' },
  { input: 'localhost', problem: 'not an IP address' },
  { input: '1.2.3', problem: 'not an IP address' },
  { input: '1.2.3.4.5', problem: 'not an IP address' },
  { input: '1.2.3.256', problem: 'IPv4 parts must be 0–255' },
  { input: '01.2.3.4', problem: 'leading zeros' },
  { input: '1.2.3.-4', problem: 'not an IP address' },
  { input: '１.２.３.４', problem: 'not an IP address' },
  { input: '0x7f.0.0.1', problem: 'not an IP address' },
  { input: '1:2:3:4:5:6:7', problem: '8 groups' },
  { input: '1:2:3:4:5:6:7:8:9', problem: '8 groups' },
  { input: '1:2:3:4:5:6:7::8', problem: '8 groups' },
  { input: '1::2::3', problem: '"::" may appear only once' },
  { input: '12345::', problem: 'not an IP address' },
  { input: 'g::1', problem: 'not an IP address' },
  { input: ':1::', problem: 'not an IP address' },
  { input: '1.2.3.4::', problem: 'not an IP address' },
  { input: '::1.2.3.256', problem: 'not an IP address' },
  { input: 'fe80::1%eth0', problem: 'zone ids' },
  { input: '1.2.3.4/24', problem: 'not an IP address' },
];

describe('net/ip: non-addresses are refused with the problem named', () => {
  for (const { input, problem } of notAddresses) {
    it(`${JSON.stringify(input)}: ${problem}`, () => {
      const parsed = parseIp(input);
      expect(parsed.ok).to.equal(false);
      if (!parsed.ok) expect(parsed.error).to.include(problem).and.include(JSON.stringify(input));
      expect(normalizeIp(input)).to.equal(undefined);
    });
  }
});

const entries: { input: string; canonical?: string; problem?: string }[] = [
  { input: '203.0.113.7', canonical: '203.0.113.7' },
  { input: '203.0.113.7/32', canonical: '203.0.113.7' },
  { input: '203.0.113.0/24', canonical: '203.0.113.0/24' },
  { input: '0.0.0.0/0', canonical: '0.0.0.0/0' },
  { input: '2001:DB8:1:2::/64', canonical: '2001:db8:1:2::/64' },
  { input: '2001:db8::1/128', canonical: '2001:db8::1' },
  { input: '::/0', canonical: '::/0' },
  { input: '::ffff:192.0.2.0/120', canonical: '192.0.2.0/24' },
  { input: '::ffff:192.0.2.9', canonical: '192.0.2.9' },
  { input: '203.0.113.7/24', problem: 'write 203.0.113.0/24 for the network, or 203.0.113.7 for one address' },
  { input: '2001:db8::1/64', problem: 'write 2001:db8::/64 for the network' },
  { input: '10.0.0.0/33', problem: 'prefix must be 0–32 for IPv4' },
  { input: '10.0.0.0/-1', problem: 'prefix must be 0–32 for IPv4' },
  { input: '10.0.0.0/', problem: 'prefix must be 0–32 for IPv4' },
  { input: '10.0.0.0/8/8', problem: 'prefix must be 0–32 for IPv4' },
  { input: '2001:db8::/129', problem: 'prefix must be 0–128 for IPv6' },
  { input: '2001:db8::/6x', problem: 'prefix must be 0–128 for IPv6' },
  { input: '/24', problem: 'not an IP address' },
  { input: 'office/24', problem: 'not an IP address' },
  { input: 'fe80::%1/64', problem: 'zone ids' },
];

describe('net/ip: trusted-IP entries (an address or a CIDR) are checked with a clear error', () => {
  for (const { input, canonical, problem } of entries) {
    it(`${JSON.stringify(input)} → ${canonical ?? `refused: ${problem}`}`, () => {
      const parsed = parseIpEntry(input);
      if (canonical !== undefined) expect(parsed).to.deep.include({ ok: true }).and.nested.include({ 'value.text': canonical });
      else expect(parsed).to.deep.include({ ok: false }).and.have.property('error').that.includes(problem);
    });
  }
});

const matches: { name: string; ip: string; entries: string[]; expected: boolean }[] = [
  { name: 'an exact IPv4 address', ip: '203.0.113.7', entries: ['203.0.113.7'], expected: true },
  { name: 'a neighbour of an exact address', ip: '203.0.113.8', entries: ['203.0.113.7'], expected: false },
  { name: 'inside a /24', ip: '203.0.113.250', entries: ['198.51.100.0/24', '203.0.113.0/24'], expected: true },
  { name: 'just outside a /24', ip: '203.0.114.0', entries: ['203.0.113.0/24'], expected: false },
  { name: 'an odd prefix boundary (/27) inside', ip: '10.0.0.31', entries: ['10.0.0.0/27'], expected: true },
  { name: 'an odd prefix boundary (/27) outside', ip: '10.0.0.32', entries: ['10.0.0.0/27'], expected: false },
  { name: 'IPv4 /0 holds every IPv4 address', ip: '8.8.8.8', entries: ['0.0.0.0/0'], expected: true },
  { name: 'IPv4 /0 does not hold IPv6', ip: '2001:db8::1', entries: ['0.0.0.0/0'], expected: false },
  { name: 'IPv6 /0 does not hold IPv4', ip: '8.8.8.8', entries: ['::/0'], expected: false },
  { name: 'a mapped client address against an IPv4 entry', ip: '::ffff:203.0.113.7', entries: ['203.0.113.0/24'], expected: true },
  { name: 'an IPv4 client against a mapped entry', ip: '203.0.113.7', entries: ['::ffff:203.0.113.7'], expected: true },
  { name: 'an IPv6 /64 in another spelling', ip: '2001:0DB8:0001:0002:abcd::1', entries: ['2001:db8:1:2::/64'], expected: true },
  { name: 'the next IPv6 /64', ip: '2001:db8:1:3::1', entries: ['2001:db8:1:2::/64'], expected: false },
  { name: 'an exact IPv6 /128', ip: '2001:db8::1', entries: ['2001:db8::1/128'], expected: true },
  { name: 'a garbage client address never matches', ip: 'unknown', entries: ['0.0.0.0/0', '::/0'], expected: false },
  { name: 'garbage entries are skipped, valid ones still match', ip: '10.1.1.1', entries: ['nope', '10.0.0.0/8'], expected: true },
  { name: 'no entries', ip: '10.1.1.1', entries: [], expected: false },
];

describe('net/ip: ipMatches', () => {
  for (const { name, ip, entries: list, expected } of matches) {
    it(`${name}: ${ip} in [${list.join(', ')}] is ${expected}`, () => {
      expect(ipMatches(ip, list)).to.equal(expected);
    });
  }
});

const networks: { ip: string; network: string }[] = [
  { ip: '203.0.113.7', network: '203.0.113.0/24' },
  { ip: '203.0.113.255', network: '203.0.113.0/24' },
  { ip: '::ffff:203.0.113.7', network: '203.0.113.0/24' },
  { ip: '2001:db8:1:2:3:4:5:6', network: '2001:db8:1:2::/64' },
  { ip: '2001:DB8:1:2::FFFF', network: '2001:db8:1:2::/64' },
  { ip: '2001:db8::1', network: '2001:db8::/64' },
  { ip: '::1', network: '::/64' },
  { ip: 'fe80::1:2:3:4', network: 'fe80::/64' },
];

describe('net/ip: networkOf gives the /24 or /64 a sign-in is judged by', () => {
  for (const { ip, network } of networks) {
    it(`${ip} is in ${network}`, () => {
      expect(networkOf(ip)).to.equal(network);
      expect(ipMatches(ip, [network])).to.equal(true);
    });
  }
  it('refuses a non-address with the problem named', () => {
    expect(() => networkOf('fe80::1%eth0')).to.throw(TypeError, /zone ids/);
  });
});
