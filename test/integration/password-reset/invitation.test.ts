// Invitation links: an admin's helper emails a set-password link; the new user chooses a password
// (rules shown first) and the link works once, for 72 hours, and not after a password was set.
import { expect } from 'chai';
import { sendInvitation, type InvitationServices } from '../../../src/password-reset/invitation.js';
import { signIn } from '../../helpers/rp.js';
import { choosePassword, newBrowser, startResetBench, type ResetBench } from './reset-bench.js';

const PASSWORD = 'First light harbor 56!';
const ADMIN = { sub: 'admin-sub', role: 'admin' };

describe('password reset: invitation links', () => {
  let bench: ResetBench;
  let sequence = 0;

  before(async () => {
    bench = await startResetBench();
  });
  after(async () => {
    await bench.close();
  });

  /** A new user without a password, invited; returns the user and the link path from the email. */
  async function invite() {
    const user = await bench.server.createUser({ email: `invitee${++sequence}@clinic.test`, name: 'Noor Haddad' });
    await sendInvitation(servicesOf(bench), user, { actor: ADMIN, ip: '198.51.100.7' });
    const mail = await bench.mail.nextTo(user.email);
    const link = /https?:\/\/\S+\/password-reset\/invitation\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
    expect(link, 'link in the email').to.be.a('string');
    return { user, link: link!, mail };
  }

  it('sets the first password once, audits the invitation and the change, and the user can sign in', async () => {
    const { user, link, mail } = await invite();
    expect(mail.subject).to.match(/^You are invited to sign in/);
    const [sent] = await bench.server.models.AuditEntry.find({ event: 'admin.user.invitation_sent', userSub: user.sub }).lean();
    expect(sent).to.deep.include({ outcome: 'success', actor: ADMIN, ip: '198.51.100.7' });

    const browser = newBrowser();
    const form = await browser.get(link);
    expect(form.status).to.equal(200);
    expect(form.html).to.include('Choose your password').and.include('At least 12 characters.');
    const weak = await choosePassword(browser, form, 'Noor Haddad 2024!');
    expect(weak.status).to.equal(400);
    expect(weak.html).to.include('Not containing your name or email address.');

    const done = await choosePassword(browser, weak, PASSWORD);
    expect(done.status).to.equal(303);
    expect((await browser.follow(done)).html).to.include('Sign in with your new password');
    const [changed] = await bench.server.models.AuditEntry.find({ event: 'password.changed', userSub: user.sub }).lean();
    expect(changed).to.deep.include({ outcome: 'success', reasons: ['invitation'] });
    expect((await bench.mail.nextTo(user.email)).subject).to.equal('Your password was set');
    expect((await signIn(newBrowser(), bench.charting, user.email, PASSWORD)).tokens.claims()!.sub).to.equal(user.sub);

    // Single use: the same link now shows the "no longer valid" page, for GET and POST alike.
    const again = await browser.get(link);
    expect(again.status).to.equal(400);
    expect(again.html).to.include('This link is no longer valid');
    expect((await choosePassword(browser, form, 'Another ocean path 78!')).status).to.equal(400);
  });

  it('is void once a password was set some other way, and after 72 hours', async () => {
    const first = await invite();
    await bench.server.idp.accounts.setPassword(first.user.sub, PASSWORD);
    expect((await newBrowser().get(first.link)).status).to.equal(400);

    const second = await invite();
    bench.clock.advance(72 * 60 * 60_000);
    expect((await newBrowser().get(second.link)).html).to.include('This link is no longer valid');
  });

  it('refuses a made-up token', async () => {
    expect((await newBrowser().get(bench.server.url(`/password-reset/invitation/${'A'.repeat(43)}`))).status).to.equal(400);
    expect((await newBrowser().get(bench.server.url('/password-reset/invitation/short'))).status).to.equal(400);
  });
});

function servicesOf(bench: ResetBench): InvitationServices {
  return { ...bench.server.idp.services, now: bench.clock.now };
}
