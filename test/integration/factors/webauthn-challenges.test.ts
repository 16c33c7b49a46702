// WebAuthn challenges, on the real store: one answer per challenge, only for the interaction (or
// session) and purpose it was made for, and never after 5 minutes (our clock decides, not a TTL).
import { expect } from 'chai';
import { CHALLENGE_MS, createChallenges } from '../../../src/mfa/factors/webauthn/index.js';
import { FakeClock } from '../../helpers/clock.js';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('factors: WebAuthn challenges', function () {
  this.timeout(30_000);
  let server: TestServer;
  const clock = new FakeClock(Date.now());
  before(async () => {
    server = await startServer({ clock });
  });
  after(() => server.close());

  it('is spent once, only by its own interaction and purpose, and not after it expires', async () => {
    const challenges = createChallenges({ models: server.models, now: clock.now });
    await challenges.remember('c-one', 'authenticate', 'interaction:A', 'sub-1');
    expect(await challenges.spend('authenticate', 'interaction:B')('c-one'), 'another interaction').to.equal(false);
    expect(await challenges.spend('register', 'interaction:A')('c-one'), 'another purpose').to.equal(false);
    expect(await challenges.spend('authenticate', 'interaction:A')('c-one'), 'its own').to.equal(true);
    expect(await challenges.spend('authenticate', 'interaction:A')('c-one'), 'replayed').to.equal(false);

    await challenges.remember('c-two', 'authenticate', 'interaction:A');
    clock.advance(CHALLENGE_MS + 1);
    expect(await challenges.spend('authenticate', 'interaction:A')('c-two'), 'expired').to.equal(false);

    // Two answers racing for one challenge: exactly one wins.
    await challenges.remember('c-three', 'authenticate', 'interaction:C');
    const spend = challenges.spend('authenticate', 'interaction:C');
    expect((await Promise.all([spend('c-three'), spend('c-three')])).filter(Boolean)).to.have.length(1);
  });
});
