// The sign-in page of an app registered to one practice (client `practice_id`) is headed by that
// practice's logo and name: the app's practice, known before anyone types anything, never the
// person's. An app any practice's people use shows no practice there, even when the email is in
// `login_hint`; and the header costs no store command of its own (read with the interaction).
import { expect } from 'chai';
import type { CommandStartedEvent } from 'mongodb';
import { describeCommand } from '../../../bench/commands.js';
import { saveLogo } from '../../../src/admin/branding/logo-store.js';
import { Browser, type Page } from '../../helpers/browser.js';
import { REDIRECT_URI, relyingParty, startAuthorization, submitLogin, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('practice logo on the sign-in page of a practice\'s own app', function () {
  this.timeout(30_000);
  let store: StoreUnderTest;
  let server: TestServer;
  let harborApp: RelyingParty;
  let sharedApp: RelyingParty;
  let harborLogo: string;
  let valleyEmail: string;
  let log: string[] | undefined;

  before(async () => {
    store = await storeUnderTest();
    server = await startServer({ store: { ...store, uri: `${store.uri}${store.uri.includes('?') ? '&' : '?'}monitorCommands=true` } });
    const harbor = await server.createPractice({ name: 'Harbor View Pediatrics', mfaPolicy: 'off' });
    const valley = await server.createPractice({ name: 'Valley Orthopedics', mfaPolicy: 'off' });
    harborLogo = `/practice-logo/${String(harbor._id)}/${(await saveLogo(server.models, harbor._id, PNG, 'image/png', new Date())).digest}`;
    await saveLogo(server.models, valley._id, PNG, 'image/png', new Date());
    valleyEmail = (await server.createUser({ practiceId: valley._id, password: PASSWORD })).email;
    await server.createClient({ clientId: 'harbor-scheduling', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI], practiceId: String(harbor._id) });
    await server.createClient({ clientId: 'charting', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI] });
    harborApp = await relyingParty(server, 'harbor-scheduling');
    sharedApp = await relyingParty(server, 'charting');
    server.connection.getClient().on('commandStarted', (event: CommandStartedEvent) => log?.push(describeCommand(event)));
  });
  after(async () => {
    await server.close();
    await store.close();
  });

  async function signInPage(rp: RelyingParty, params: Record<string, string> = {}, browser = new Browser()): Promise<Page> {
    const start = await startAuthorization(rp, params);
    const page = await browser.follow(await browser.get(start.url.href), rp.redirectUri);
    expect(page.html, 'sign-in page').to.include('autocomplete="current-password"');
    return page;
  }

  it('shows the app\'s practice logo, named by the practice, and its name', async () => {
    const page = await signInPage(harborApp);
    expect(page.html).to.include(`<img class="practice-logo" src="${harborLogo}" alt="Harbor View Pediatrics logo"`);
    expect(page.html).to.match(/class="brand-practice"> · Harbor View Pediatrics</);
  });

  it('shows the app\'s practice whoever signs in: another practice\'s email as login_hint, or after a wrong password, tells nothing of theirs', async () => {
    const browser = new Browser();
    const hinted = await signInPage(harborApp, { login_hint: valleyEmail }, browser);
    const refused = await browser.follow(await submitLogin(browser, hinted, valleyEmail, 'not the password'), REDIRECT_URI);
    expect(refused.html).to.include('autocomplete="current-password"');
    for (const html of [hinted.html, refused.html]) {
      expect(html).to.include('Harbor View Pediatrics').and.not.include('Valley Orthopedics');
    }
  });

  it('shows no practice on the sign-in page of an app any practice uses, even with the email as login_hint', async () => {
    const page = await signInPage(sharedApp, { login_hint: valleyEmail });
    expect(page.html).not.to.include('practice-logo').and.not.include('Valley Orthopedics').and.not.include('brand-practice');
  });

  it('costs no store command: the practice is read with the interaction', async () => {
    const counted = async (rp: RelyingParty) => {
      await signInPage(rp); // first use of each collection
      log = [];
      await signInPage(rp);
      const commands = log;
      log = undefined;
      return commands;
    };
    const shared = await counted(sharedApp);
    const own = await counted(harborApp);
    expect(own.length, `registered app:\n  ${own.join('\n  ')}\nshared app:\n  ${shared.join('\n  ')}`).to.equal(shared.length);
  });
});
