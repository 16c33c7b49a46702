// Times and addresses as a person reads them: UTC (unambiguous) where no zone is known, else the
// practice's own clock; the machine itself is "this computer".
import { expect } from 'chai';
import { formatInstant, readableAddress } from '../../../src/mfa/channels/wording.js';

describe('formatInstant and readableAddress', () => {
  const at = new Date(Date.UTC(2030, 0, 15, 15, 54));
  const cases: Array<[string, string | null | undefined, string]> = [
    ['no zone: UTC, unambiguous', undefined, '2030-01-15 15:54 UTC'],
    ['a null zone: UTC', null, '2030-01-15 15:54 UTC'],
    ['Chicago in winter', 'America/Chicago', 'Tue, Jan 15, 2030, 9:54 AM CST'],
    ['New York', 'America/New_York', 'Tue, Jan 15, 2030, 10:54 AM EST'],
  ];
  for (const [name, zone, expected] of cases) {
    it(name, () => expect(formatInstant(at, zone).replace(/\u202f/g, ' ')).to.equal(expected));
  }

  const addresses: Array<[string | undefined, string]> = [
    ['::1', 'this computer'], ['127.0.0.1', 'this computer'], ['::ffff:127.0.0.1', 'this computer'],
    ['198.51.100.20', '198.51.100.20'], ['2001:db8::1', '2001:db8::1'], [undefined, 'an unknown address'],
  ];
  for (const [ip, expected] of addresses) {
    it(`address ${ip ?? '(none)'}: ${expected}`, () => expect(readableAddress(ip)).to.equal(expected));
  }
});
