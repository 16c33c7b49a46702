// An invitation goes to the address the admin typed. When the address was mistyped, the admin
// cancels the invitation (an invited person's email is not the practice's to change: the address
// may belong to someone's identity elsewhere) and invites the right address; the link already
// mailed to the wrong person must stop working at once: otherwise whoever received it could set
// the password of the account.
import { expect } from 'chai';
import { Browser, field } from '../../helpers/browser.js';
import { startAdminBench, type AdminBench } from './admin-bench.js';

describe('admin: invitation and a corrected email address', () => {
  let ctx: AdminBench;

  before(async () => {
    ctx = await startAdminBench('off');
  });
  after(() => ctx?.close());

  it('an invitation mailed to the old address no longer sets a password', async () => {
    const created = await ctx.post('/admin/users', { name: 'Tia Typo', email: 'tia@seasied.test', role: 'clinician' });
    expect(created.status).to.equal(303);
    const user = (await ctx.bench.server.models.User.findOne({ email: 'tia@seasied.test' }).lean())!;
    const invitation = await ctx.bench.mail.nextTo('tia@seasied.test');
    const link = /https?:\/\/\S+\/password-reset\/invitation\/[A-Za-z0-9_-]{43}/.exec(invitation.text)![0];

    expect((await ctx.post(`/admin/users/${String(user._id)}/email`, { email: 'tia@seaside.test' })).status, 'no email change while invited').to.equal(404);
    expect((await ctx.post(`/admin/users/${String(user._id)}/invitation/cancel`)).status).to.equal(303);

    const stranger = new Browser();
    const form = await stranger.get(link);
    expect(form.status).to.equal(400);
    expect(form.html).to.include('This link is no longer valid');
    const csrf = field((await stranger.get(ctx.url('/password-reset'))).html, '_csrf');
    const posted = await stranger.post(link, { _csrf: csrf, password: 'Stranger-Owns-This-0123!', confirm: 'Stranger-Owns-This-0123!' });
    expect(posted.status).to.equal(400);
    expect((await ctx.bench.server.models.User.findById(user._id).lean())!.passwordHash ?? null).to.equal(null);
  });
});
