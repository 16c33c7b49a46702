// The client IP behind trusted proxies: X-Forwarded-For is read from the right, skipping trusted
// proxies; anything a client wrote further left, or any header from an untrusted peer, is ignored.
import { expect } from 'chai';
import { resolveClientIp } from '../../../src/http/middleware/client-ip.js';
import { buildProxyList } from '../../../src/http/middleware/trusted-proxy.js';

describe('http: client IP', () => {
  const proxies = buildProxyList(['127.0.0.1', '10.0.0.0/8', '::1']);
  const cases: Array<[string, string | undefined, string, string | undefined]> = [
    ['no proxies configured: the peer', undefined, '203.0.113.9', '203.0.113.9'],
    ['an untrusted peer: its header is ignored', '198.51.100.1', '203.0.113.9', '198.51.100.1'],
    ['a trusted proxy: the address it saw', '127.0.0.1', '203.0.113.9', '203.0.113.9'],
    ['a client-written spoof to the left is ignored', '127.0.0.1', '1.2.3.4, 203.0.113.9', '203.0.113.9'],
    ['two trusted hops are skipped', '127.0.0.1', '203.0.113.9, 10.1.2.3', '203.0.113.9'],
    ['IPv6, canonical', '::1', '2001:DB8:0:0::1', '2001:db8::1'],
    ['IPv4-mapped peer', '::ffff:127.0.0.1', '203.0.113.9', '203.0.113.9'],
    ['garbage: the proxy itself', '127.0.0.1', 'not-an-ip', '127.0.0.1'],
    ['no header: the proxy itself', '127.0.0.1', '', '127.0.0.1'],
  ];
  for (const [name, peer, header, expected] of cases) {
    it(name, () => {
      const list = name.startsWith('no proxies') ? undefined : proxies;
      expect(resolveClientIp(list, peer ?? '203.0.113.9', header)).to.equal(expected);
    });
  }
});
