// An authorization request writes its provider records in one ordered command at its end
// (src/oidc/write-behind.ts): the resume after a sign-in ends the interaction, saves the grant, the
// code and the session together. A destroyed record is written as one that expired at once, not
// deleted, so these tests hold what a delete promised: the ended interaction cannot be resumed again,
// a session's old identifier after a new sign-in finds nothing, and the expiry sweep removes both.
import { expect } from 'chai';
import type { CommandStartedEvent, Document } from 'mongodb';
import { Browser } from '../../helpers/browser.js';
import { REDIRECT_URI, exchange, relyingParty, signIn, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Correct horse, battery 9 staples';

describe('oidc: the records of an authorization request, written at its end', () => {
  let server: TestServer;
  let rp: RelyingParty;
  let updates: Document[][] | undefined;
  let email: string;

  before(async () => {
    const monitored = await import('../../helpers/store.js').then(({ storeUnderTest }) => storeUnderTest());
    server = await startServer({ store: { ...monitored, uri: `${monitored.uri}${monitored.uri.includes('?') ? '&' : '?'}monitorCommands=true` } });
    email = (await server.createUser({ email: 'wanda@clinic.test', password: PASSWORD })).email;
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI] });
    rp = await relyingParty(server, 'charting');
    server.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
      if (updates && event.commandName === 'update' && event.command.update === 'oidc_records') updates.push(event.command.updates as Document[]);
    });
  });
  after(async () => {
    await server.close();
    await server.store.close();
  });

  const records = () => server.models.OidcRecord.collection;

  /** Authorize and sign in with the password, stopping before the resume; the resume URL and a copy of the cookies then. */
  async function untilResume(browser: Browser, params: Record<string, string> = {}) {
    const start = await startAuthorization(rp, params);
    const loginPage = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
    const afterLogin = await submitLogin(browser, loginPage, email, PASSWORD);
    expect(afterLogin.location, 'the password step sends the browser back to the authorization').to.match(/\/auth\//);
    return { start, resume: afterLogin.location!, before: browser.copy() };
  }

  it('the resume ends the interaction and saves the grant, the code and the session in one ordered command', async () => {
    const browser = new Browser();
    const { start, resume } = await untilResume(browser);
    const uid = resume.split('/').pop()!;
    updates = [];
    const callback = await untilCallback(browser, rp, await browser.get(resume));
    const written = updates;
    updates = undefined;

    expect(written, 'one update command of the provider records').to.have.length(1);
    const kinds = written[0]!.map((update) => String((update.q as { _id: string })._id).split(':')[0]);
    expect(kinds).to.deep.equal(['Interaction', 'Grant', 'AuthorizationCode', 'Session']);
    expect(written[0]!.every((update) => update.upsert === true)).to.equal(true);

    const ended = await records().findOne({ _id: `Interaction:${uid}` as never });
    expect(ended, 'the ended interaction stays until the sweep').to.not.equal(null);
    expect(ended!.expiresAt.getTime()).to.be.at.most(Date.now());
    expect(ended!.payload).to.equal('{}');
    // The code was stored before the answer left: the app exchanges it.
    expect((await exchange(rp, start, callback)).id_token).to.be.a('string');
  });

  it('an ended interaction cannot be resumed again (a replay with the cookies from before the resume)', async () => {
    const browser = new Browser();
    const { resume, before } = await untilResume(browser);
    await untilCallback(browser, rp, await browser.get(resume));

    const replay = await before.get(resume);
    expect(replay.status, replay.html.slice(0, 300)).to.equal(400);
    expect(replay.location ?? '').to.not.include(REDIRECT_URI);
    expect(replay.html).to.include('interaction session not found');
  });

  it("a new sign-in ends the session's old identifier: a copied old cookie finds no session", async () => {
    const browser = new Browser();
    await signIn(browser, rp, email, PASSWORD);
    const oldSession = browser.copy();
    const oldId = browser.cookies().get('_session');
    expect(oldId).to.be.a('string');

    // The same browser signs in again (prompt=login): the session gets a new identifier.
    const { resume } = await untilResume(browser, { prompt: 'login' });
    await untilCallback(browser, rp, await browser.get(resume));
    expect(browser.cookies().get('_session')).to.not.equal(oldId);
    const old = await records().findOne({ _id: `Session:${oldId}` as never });
    expect(old, 'the old identifier stays until the sweep').to.not.equal(null);
    expect(old!.expiresAt.getTime(), 'it expired at once').to.be.at.most(Date.now());

    const start = await startAuthorization(rp, { prompt: 'none' });
    const answer = await untilCallback(oldSession, rp, await oldSession.get(start.url.href));
    expect(answer.searchParams.get('error')).to.equal('login_required');
  });

  it('the expiry sweep removes the ended records (embedded store; MongoDB runs its own)', async function () {
    if (!server.store.embedded) this.skip();
    const before = await records().countDocuments({ payload: '{}' });
    expect(before, 'ended records from the tests above').to.be.greaterThan(0);
    server.store.clock!.set(Date.now()); // the store's TTL clock, stopped at the server's start
    server.store.embedded!.sweepExpired();
    expect(await records().countDocuments({ payload: '{}' })).to.equal(0);
  });
});
