// Records past their `expiresAt` with the TTL monitor stopped (as every test runs it): MongoDB deletes
// them only up to a minute later, or later under load, and until then they are still read. So each
// flow must treat such a record as gone by itself; these tests leave it in place and check that.
import { expect } from 'chai';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { createSignInNetworks } from '../../../src/mfa/sign-in-networks.js';
import { NETWORK_MEMORY_DAYS } from '../../../src/store/models/sign-in-network.js';
import { auditOf, PASSWORD } from '../account/bench.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('expired records are gone for every flow, before the TTL monitor deletes them', function () {
  this.timeout(30_000);
  let bench: MfaBench;

  before(async () => {
    bench = await startMfaBench();
  });
  after(() => bench.close());

  it('a sign-in code record past its hour of retention counts as gone: the next send is fresh (not a resend, no old sends), its code refused', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const codes = bench.server.idp.mfa.codes;
    const uid = `interaction-${user.sub}`;
    const info = { ip: '203.0.113.5', userAgent: 'test' };
    expect((await codes.issue(uid, user, 'email', info)).status).to.equal('sent');
    const first = await bench.mail.waitFor((mail) => mail.to.includes(user.email) && / is your sign-in code$/.test(mail.subject));
    // Let the code itself stay valid past the record's retention: only the record's expiry refuses it now.
    await bench.server.models.OtpChallenge.updateOne({ _id: uid }, { $set: { codeExpiresAt: new Date(bench.server.clock.now() + 2 * DAY) } });

    bench.server.clock.advance(61 * MINUTE);
    const stale = await bench.server.models.OtpChallenge.findById(uid).lean();
    expect(stale, 'the expired record is still stored (monitor stopped)').to.not.equal(null);
    expect((await codes.verify(uid, user, first.code!, info)).outcome, 'a code of an expired record').to.equal('missing');

    const again = await codes.issue(uid, user, 'email', info);
    expect(again.status).to.equal('sent');
    const [sent] = await auditOf(bench, user, 'mfa.code.sent');
    expect(sent?.details?.resend, 'a fresh send, not a resend of the expired record').to.equal(false);
    const fresh = await bench.server.models.OtpChallenge.findById(uid).lean();
    expect(fresh!.sends.map((at) => new Date(at).getTime())).to.deep.equal([bench.server.clock.now()]);
    expect(fresh!.expiresAt.getTime()).to.be.above(bench.server.clock.now());
  });

  it(`a sign-in network past its ${NETWORK_MEMORY_DAYS} days is not known, and seen again it starts a new record (new firstSeenAt)`, async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const clock = bench.server.clock;
    const networks = createSignInNetworks({ models: bench.server.models, now: clock.now });
    const firstAt = clock.now();
    await networks.record(user._id, '203.0.113.7');
    expect(await networks.seen(user._id, '203.0.113.99')).to.equal(true);

    clock.advance(NETWORK_MEMORY_DAYS * DAY + MINUTE);
    expect(await bench.server.models.SignInNetwork.countDocuments({ userId: user._id }), 'still stored (monitor stopped)').to.equal(1);
    expect(await networks.seen(user._id, '203.0.113.99')).to.equal(false);

    await networks.record(user._id, '203.0.113.8');
    const records = await bench.server.models.SignInNetwork.find({ userId: user._id }).lean();
    expect(records).to.have.length(1);
    expect(records[0]!.firstSeenAt.getTime()).to.equal(clock.now()).and.not.equal(firstAt);
    expect(records[0]!.lastIp).to.equal('203.0.113.8');
  });
});
