// Review of the write-behind of an authorization request (src/oidc/write-behind.ts). A new sign-in
// (prompt=login) ends the session's old identifier; a request that read the session under that
// identifier just before (a silent sign-in in another tab, or a copied cookie) saved it again at its
// end, live: the old cookie was signed in again (found in review, every round; oidc-provider's
// delete before this change lost the same race). Fixed: a session is saved only over a live record.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { REDIRECT_URI, relyingParty, signIn, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Correct horse, battery 9 staples';
describe('review: the old session id racing a re-sign-in', () => {
  let server: TestServer;
  let rp: RelyingParty;
  before(async () => {
    server = await startServer();
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI] });
    rp = await relyingParty(server, 'charting');
  });
  after(async () => {
    await server.close();
    await server.store.close();
  });

  it('a silent sign-in with the old cookie at the moment of the re-sign-in does not bring the old id back', async () => {
    const user = await server.createUser({ email: 'race@clinic.test', password: PASSWORD });
    const outcomes: string[] = [];
    for (let round = 0; round < 4; round++) {
      const browser = new Browser();
      await signIn(browser, rp, user.email, PASSWORD);
      const old = browser.copy();
      const oldId = browser.cookies().get('_session');
      const start = await startAuthorization(rp, { prompt: 'login' });
      const login = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
      const posted = await submitLogin(browser, login, user.email, PASSWORD);
      const silent = await startAuthorization(rp, { prompt: 'none' });
      await Promise.all([browser.get(posted.location!), old.get(silent.url.href)]);
      const record = await server.models.OidcRecord.collection.findOne({ _id: `Session:${oldId}` as never });
      const after = await startAuthorization(rp, { prompt: 'none' });
      const answer = await untilCallback(old, rp, await old.get(after.url.href));
      outcomes.push(`${record?.payload === '{}' ? 'ended' : record ? 'LIVE' : 'gone'}:${answer.searchParams.get('error') ?? 'code'}`);
    }
    expect(outcomes, 'the old identifier stays ended; its cookie signs nobody in').to.deep.equal(Array(4).fill('ended:login_required'));
  });
});
