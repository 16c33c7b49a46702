// The store round trips of the sign-in path, counted (not timed) with the driver's command
// monitoring, as bench/sign-in-path.ts counts them: a full password sign-in (authorize → sign-in
// page → password → resume → code exchange) at most 19 commands, the code exchange at most 5.
// Each request reads a record once; a code and an interaction are read with what follows them
// (src/oidc/read-ahead.ts), the password step reads once after the verification
// (src/mfa/password-step-reads.ts), its audit entries go in one append, and the resume's records
// (interaction end, grant, code, session) go in one command (src/oidc/write-behind.ts). A change
// that adds a command fails here, not in a benchmark.
import { expect } from 'chai';
import type { CommandStartedEvent } from 'mongodb';
import { describeCommand } from '../../../bench/commands.js';
import { Browser } from '../../helpers/browser.js';
import { exchange, REDIRECT_URI, relyingParty, startAuthorization, submitLogin, untilCallback, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

const PASSWORD = 'Correct horse, battery 9 staples';
// The target was 20; memberships added the grant's practice binding (src/oidc/practice-grant.ts),
// and the resume's one write (write-behind) took away two.
const SIGN_IN_BUDGET = 19;
const CODE_EXCHANGE_BUDGET = 5;

describe('oidc: store commands per sign-in', () => {
  let store: StoreUnderTest;
  let server: TestServer;
  let rp: RelyingParty;
  let log: string[] | undefined;
  const emails: string[] = [];

  before(async () => {
    store = await storeUnderTest();
    const monitored = { ...store, uri: `${store.uri}${store.uri.includes('?') ? '&' : '?'}monitorCommands=true` };
    server = await startServer({ store: monitored });
    const practice = await server.createPractice({ name: 'Riverside Family Clinic', mfaPolicy: 'off' });
    for (const name of ['warm', 'counted']) emails.push((await server.createUser({ practiceId: practice._id, email: `${name}@clinic.test`, password: PASSWORD })).email);
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI] });
    rp = await relyingParty(server, 'charting');
    server.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => log?.push(describeCommand(event)));
  });

  after(async () => {
    await server.close();
    await store.close();
  });

  /** One full password sign-in in a fresh browser; the commands of the whole flow and of the exchange alone. */
  async function countedSignIn(email: string) {
    log = [];
    const start = await startAuthorization(rp);
    const browser = new Browser();
    const loginPage = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
    const callback = await untilCallback(browser, rp, await submitLogin(browser, loginPage, email, PASSWORD));
    const beforeExchange = log.length;
    const tokens = await exchange(rp, start, callback);
    const all = log;
    log = undefined;
    expect(tokens.id_token).to.be.a('string');
    return { all, exchange: all.slice(beforeExchange) };
  }

  it(`a full password sign-in sends at most ${SIGN_IN_BUDGET} store commands, its code exchange at most ${CODE_EXCHANGE_BUDGET}`, async () => {
    await countedSignIn(emails[0]!); // first use of each collection and index
    const { all, exchange: tokenCommands } = await countedSignIn(emails[1]!);
    expect(tokenCommands.length, `code exchange:\n  ${tokenCommands.join('\n  ')}`).to.be.at.most(CODE_EXCHANGE_BUDGET);
    expect(all.length, `sign-in:\n  ${all.join('\n  ')}`).to.be.at.most(SIGN_IN_BUDGET);
  });
});
