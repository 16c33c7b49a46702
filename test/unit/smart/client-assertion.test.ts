// The five-minute bound on private_key_jwt assertions, by the injected clock.
import { expect } from 'chai';
import { limitAssertionLifetime, MAX_ASSERTION_LIFETIME_SECONDS } from '../../../src/smart/client-assertion.js';

describe('smart client assertion lifetime', () => {
  const now = 1_900_000_000;
  const check = limitAssertionLifetime(() => now * 1000);
  const cases: Array<[string, { exp?: number; iat?: number }, boolean]> = [
    ['exp in 4 minutes', { exp: now + 240, iat: now }, true],
    ['exp exactly 5 minutes ahead', { exp: now + MAX_ASSERTION_LIFETIME_SECONDS }, true],
    ['exp 5 minutes and 1 second ahead', { exp: now + MAX_ASSERTION_LIFETIME_SECONDS + 1 }, false],
    ['no exp (the library refuses it too)', {}, false],
    ['exp near, but issued for an hour (exp - iat)', { exp: now + 60, iat: now + 60 - 3600 }, false],
  ];
  for (const [name, claims, accepted] of cases) {
    it(`${name}: ${accepted ? 'accepted' : 'refused'}`, async () => {
      const outcome = await check(undefined, claims).then(() => 'accepted', (err: { error?: string }) => err.error);
      expect(outcome).to.equal(accepted ? 'accepted' : 'invalid_client');
    });
  }
});
