// "Phishing-resistant required" on our own consoles: a browser session signed in before the switch
// (password, or password and code) is refused on every /account and /admin route, GET and POST,
// until it gives the passkey (or, holding none, registers one inside the sign-in and then gives
// it); then it is back on the page it asked for. The gate reads the practice the session entered,
// at each request: a person required in practice A is not stepped up for practice B's pages.
import { expect } from 'chai';
import type Router from '@koa/router';
import type { Types } from 'mongoose';
import { createMemberships } from '../../../src/accounts/memberships.js';
import { CONSOLE_CLIENT_ID } from '../../../src/console/client.js';
import { ACR_MFA, ACR_PASSWORD, ACR_PHR } from '../../../src/mfa/risk/acr.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.js';
import { openSignedIn, PASSWORD } from '../account/bench.js';
import { pageOptions, setPasskeyPolicy, softPasskeyOf } from './passkey-steps.js';

const REASON = 'The practice requires a passkey or security key of this user at every sign-in.';

describe('factors: phishing-resistant required on /account and /admin', function () {
  this.timeout(90_000);
  let bench: MfaBench;
  before(async () => {
    // The practices ask no code at all: only the switch (and /admin's MFA level) asks more.
    bench = await startMfaBench({ mfaPolicy: 'off' });
  });
  after(() => bench.close());

  const url = (path: string) => bench.server.url(path);
  const practice = (name: string) => bench.server.createPractice({ name, mfaPolicy: 'off' }).then((created) => created._id);
  const ceremonyPage = (page: Page) => page.status < 300 && /id="webauthn-form"[^>]*data-mode="authenticate"/.test(page.html);
  const postCeremony = (browser: Browser, page: Page, soft: SoftAuthenticator) =>
    browser.post(formAction(page, '/verify-webauthn'), { _csrf: field(page.html, '_csrf'), response: JSON.stringify(soft.assert(pageOptions(page))) });

  /** The gate's answer to a page: a step-up of the console client, asking phr, in `practiceId`. */
  function expectPasskeyStepUp(page: Page, practiceId: Types.ObjectId, what: string): void {
    expect(page.status, what).to.equal(303);
    const to = new URL(page.location!);
    expect(to.pathname, what).to.equal('/auth');
    expect(to.searchParams.get('client_id'), what).to.equal(CONSOLE_CLIENT_ID);
    expect(to.searchParams.get('acr_values'), what).to.equal(ACR_PHR);
    expect(to.searchParams.get('practice_hint'), what).to.equal(String(practiceId));
  }

  /**
   * Every route the app serves under /account and /admin, read from the app's own routers (so a
   * route added later is covered by this test too), with its parameters filled in.
   */
  function consoleRoutes(): { method: 'GET' | 'POST'; path: string }[] {
    const routers = bench.server.idp.app.middleware.map((mw) => (mw as { router?: Router }).router).filter((router): router is Router => Boolean(router));
    const routes = new Map<string, { method: 'GET' | 'POST'; path: string }>();
    for (const layer of routers.flatMap((router) => router.stack)) {
      // (Every route of ours is a string path; one given as a pattern would need naming here.)
      expect(layer.path, 'a route path').to.be.a('string');
      const template = String(layer.path);
      if (!/^\/(account|admin)(\/|$)/.test(template) || layer.methods.length === 0) continue;
      const path = template.replace(/:[A-Za-z_]+/g, '0123456789abcdef01234567') || '/';
      for (const method of ['GET', 'POST'] as const) if (layer.methods.includes(method)) routes.set(`${method} ${path}`, { method, path });
    }
    return [...routes.values()];
  }

  it('an admin signed in (password and code) before the switch: every /account and /admin route, GET and POST, is refused (a form leads to a page that asks) until the passkey; then the page asked for opens and forms work', async () => {
    const practiceId = await practice('Admins required later');
    const admin = await bench.server.createUser({ email: 'gate.admin@clinic.test', name: 'Gail Admin', password: PASSWORD, practiceId, role: 'admin' });
    await bench.server.createUser({ email: 'gate.second@clinic.test', name: 'Second Admin', password: PASSWORD, practiceId, role: 'admin' });
    const { browser, page: signedIn } = await adminSignIn(bench, admin, PASSWORD, '/admin/users');
    expect(signedIn.status, 'the admin console before the switch').to.equal(200);
    const csrf = field((await browser.get(url('/admin/users/new'))).html, '_csrf');
    const soft = await softPasskeyOf(bench, admin);
    await setPasskeyPolicy(bench, practiceId, { phishingResistantRequired: 'admins' });
    const hashBefore = (await bench.server.models.User.findById(admin._id).lean())!.passwordHash;
    const auditBefore = await bench.server.models.AuditEntry.countDocuments();

    const routes = consoleRoutes();
    expect(routes.filter((route) => route.method === 'POST').length, 'the routers were found').to.be.greaterThan(20);
    for (const { method, path } of routes) {
      const page = method === 'GET' ? await browser.get(url(path)) : await browser.post(url(path), { _csrf: csrf });
      if (method === 'GET') expectPasskeyStepUp(page, practiceId, `GET ${path}`);
      else {
        // A form is not replayed after the sign-in: to a page (its own, or the nearest above it), which asks for the passkey.
        expect(page.status, `POST ${path}`).to.equal(303);
        expectPasskeyStepUp(await browser.get(page.location!), practiceId, `POST ${path}, then ${page.location}`);
      }
    }
    // The forms that would undo the rule, with everything they need: turning the switch off, the admin demoting themselves.
    await browser.post(url('/admin/security/passkeys/phishing-resistant'), { _csrf: csrf, requiredFor: 'nobody' });
    await browser.post(url(`/admin/users/${admin._id}/profile`), { _csrf: csrf, name: 'Gail Admin', role: 'staff', confirmed: 'yes' });
    await browser.post(url('/account/password'), { _csrf: csrf, current: PASSWORD, password: 'Another-Long-Passphrase-42!', confirm: 'Another-Long-Passphrase-42!' });
    expect((await bench.server.idp.accounts.passkeyPolicy(practiceId)).phishingResistantRequired).to.equal('admins');
    expect((await bench.server.models.Membership.findOne({ userId: admin._id, practiceId }).lean())!.role).to.equal('admin');
    expect((await bench.server.models.User.findById(admin._id).lean())!.passwordHash).to.equal(hashBefore);
    expect(await bench.server.models.AuditEntry.countDocuments(), 'nothing was done').to.equal(auditBefore);

    // The step-up: the passkey is asked (why: the practice's rule), and the page asked for opens.
    const asked = await browser.get(url('/admin/security/passkeys?from=test'));
    const ceremony = await browser.follow(asked);
    expect(ceremonyPage(ceremony), 'the passkey is asked').to.equal(true);
    expect(ceremony.html).to.include(REASON).and.not.to.include('name="code"');
    const back = await browser.follow(await postCeremony(browser, ceremony, soft));
    expect(back.status).to.equal(200);
    expect(new URL(back.url).pathname + new URL(back.url).search).to.equal('/admin/security/passkeys?from=test');
    expect((await browser.get(url('/account'))).status, '/account too').to.equal(200);
    // From a phr session the forms work (the switch can be turned off by an admin who gave the passkey).
    const saved = await browser.post(url('/admin/security/passkeys/phishing-resistant'), { _csrf: field(back.html, '_csrf'), requiredFor: 'nobody' });
    expect(saved.location).to.include('notice=saved');
    expect((await bench.server.idp.accounts.passkeyPolicy(practiceId)).phishingResistantRequired).to.equal('nobody');
  });

  it('a user holding no passkey: /account sends them through a factor they hold and the passkey registration inside the sign-in, then back to /account (acr phr)', async () => {
    const practiceId = await practice('Everyone required later');
    const user = await bench.server.createUser({ email: 'gate.newcomer@clinic.test', name: 'Nell Newcomer', password: PASSWORD, practiceId, role: 'staff' });
    const browser = new Browser();
    const before = await openSignedIn(bench, browser, user, '/account');
    expect(before.html, 'password alone, before the switch').to.include(user.email);
    await setPasskeyPolicy(bench, practiceId, { phishingResistantRequired: 'everyone' });

    const posted = await browser.post(url('/account/sign-out-everywhere'), { _csrf: field(before.html, '_csrf') });
    expect([posted.status, new URL(posted.location!).pathname], 'the form is refused: to the page above it').to.deep.equal([303, '/account']);
    expect(await bench.server.models.OidcRecord.collection.countDocuments({ kind: 'Session', accountId: user.sub }), 'no session ended').to.equal(1);
    expectPasskeyStepUp(await browser.get(url('/account/activity')), practiceId, 'GET /account/activity');
    const codePage = await browser.follow(await browser.get(url('/account/activity')));
    expect(isCodePage(codePage), 'a factor they hold first').to.equal(true);
    expect(codePage.html).to.include(REASON);
    const enrol = await browser.follow(await submitCode(browser, codePage, (await bench.mail.nextTo(user.email)).code!));
    expect(enrol.html).to.include('data-mode="register"');
    const acrNow = async () => (JSON.parse(((await bench.server.models.OidcRecord.collection.findOne({ kind: 'Session', accountId: user.sub })) as { payload?: string } | null)?.payload ?? '{}') as { acr?: string }).acr;
    expect(await acrNow(), 'the code alone does not make the session phr').to.equal(ACR_PASSWORD);

    const soft = new SoftAuthenticator(new URL(bench.server.issuer).origin);
    const registered = await browser.post(formAction(enrol, '/register-passkey'), { _csrf: field(enrol.html, '_csrf'), kind: 'security-key', name: 'Desk key', response: JSON.stringify(soft.register(pageOptions(enrol))) });
    const ceremony = await browser.follow(registered);
    expect(ceremonyPage(ceremony), 'then the new passkey is asked').to.equal(true);
    const back = await browser.follow(await postCeremony(browser, ceremony, soft));
    expect([back.status, new URL(back.url).pathname]).to.deep.equal([200, '/account/activity']);
    expect(await acrNow()).to.equal(ACR_PHR);
  });

  it('a user the switch does not name (staff, required for admins) keeps their session on /account, GET and POST', async () => {
    const practiceId = await practice('Admins only');
    const staff = await bench.server.createUser({ email: 'gate.staff@clinic.test', password: PASSWORD, practiceId, role: 'staff' });
    const browser = new Browser();
    const page = await openSignedIn(bench, browser, staff, '/account');
    await setPasskeyPolicy(bench, practiceId, { phishingResistantRequired: 'admins' });
    expect((await browser.get(url('/account/activity'))).status).to.equal(200);
    const posted = await browser.post(url('/account/devices/forget-all'), { _csrf: field(page.html, '_csrf') });
    expect(posted.status).to.equal(303);
    expect(new URL(posted.location!).pathname, 'the form was handled, not refused').not.to.equal('/account/devices/forget-all');
  });

  it('memberships: admin in A (required) and B (not): the session that entered B keeps B\'s admin; the one that entered A is stepped up to the passkey and stays in A', async () => {
    const inA = await practice('Practice A requires');
    const inB = await practice('Practice B does not');
    const person = await bench.server.createUser({ email: 'gate.both@clinic.test', name: 'Bo Both', password: PASSWORD, practiceId: inA, role: 'admin' });
    await createMemberships({ models: bench.server.models }).addMembership({ userId: person._id, practiceId: inB, role: 'admin' });
    const consoleIn = async (practiceId: Types.ObjectId) => {
      const browser = new Browser();
      // Enter the practice through a module (password only), then /admin asks for the code (MFA level) in that practice.
      const module = await passwordStep(browser, bench.charting, person.email, PASSWORD, { practice_hint: String(practiceId) });
      expect(module.page.location ?? '', 'password alone into the module').to.include(bench.charting.redirectUri);
      const codePage = await browser.follow(await browser.get(url('/admin/users')));
      expect(isCodePage(codePage), `the code for the MFA level, in the same practice (no chooser): ${codePage.status} ${codePage.url} ${codePage.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400)}`).to.equal(true);
      const page = await browser.follow(await submitCode(browser, codePage, (await bench.mail.nextTo(person.email)).code!));
      expect(page.status).to.equal(200);
      return { browser, page };
    };
    const a = await consoleIn(inA);
    const b = await consoleIn(inB);
    expect(a.page.html).to.include('Practice A requires');
    expect(b.page.html).to.include('Practice B does not');
    const soft = await softPasskeyOf(bench, person);
    await setPasskeyPolicy(bench, inA, { phishingResistantRequired: 'admins' });

    const inBNow = await b.browser.get(url('/admin/users'));
    expect(inBNow.status, 'B: no step-up').to.equal(200);
    expect(inBNow.html).to.include('Practice B does not');
    const refused = await a.browser.get(url('/admin/users'));
    expectPasskeyStepUp(refused, inA, 'A: the passkey');
    const ceremony = await a.browser.follow(refused);
    expect(ceremonyPage(ceremony)).to.equal(true);
    const back = await a.browser.follow(await postCeremony(a.browser, ceremony, soft));
    expect(back.status).to.equal(200);
    expect(back.html, 'still in A').to.include('Practice A requires');
    // B's session is unaffected, and a session below phr is still refused in A: the rule is read each time.
    expect((await b.browser.get(url('/admin/users'))).status).to.equal(200);
  });

  it('the step-up is asked at the MFA level when the practice requires nothing of the user (the console\'s step-up names the practice)', async () => {
    const practiceId = await practice('No passkey rule');
    const admin = await bench.server.createUser({ email: 'gate.plain@clinic.test', password: PASSWORD, practiceId, role: 'admin' });
    const browser = new Browser();
    await passwordStep(browser, bench.charting, admin.email, PASSWORD);
    const asked = await browser.get(url('/admin/users'));
    const to = new URL(asked.location!);
    expect([to.pathname, to.searchParams.get('acr_values'), to.searchParams.get('practice_hint')]).to.deep.equal(['/auth', ACR_MFA, String(practiceId)]);
  });
});
