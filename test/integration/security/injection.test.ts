// NoSQL-operator and prototype payloads never reach a filter: our forms parse to flat strings and
// refuse nesting syntax, repeated fields and prototype names with a clear 400; the provider's JSON
// endpoints refuse them with an OAuth error. Nothing signs in, nothing changes, never a 500.
import { expect } from 'chai';
import { AppError } from '../../../src/errors.js';
import { parseForm } from '../../../src/http/middleware/form-body.js';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { isCodePage, passwordStep, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization, submitLogin } from '../../helpers/rp.js';

const PASSWORD = 'A long harbor passphrase 7';

/** Operator-shaped bodies; `{csrf}` is replaced with a valid token so only the payload is wrong. */
const FORM_PAYLOADS = [
  'email[$ne]=x&password[$ne]=x',
  'email[$gt]=&password[$gt]=',
  'email[]=a@clinic.test&email[]=b@clinic.test&password=x',
  'email=a@clinic.test&email=b@clinic.test&password=x',
  'email[$regex]=.*&password=x',
  '__proto__[admin]=1&email=a@clinic.test&password=x',
  '__proto__=x&email=a@clinic.test&password=x',
  'constructor[prototype][admin]=1&email=a@clinic.test&password=x',
  'code[$ne]=000000',
  'decision[$ne]=deny',
  '$where=sleep(1000)&email=a@clinic.test',
];

describe('security: injection payloads', () => {
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  describe('the form parser', () => {
    const refused = [...FORM_PAYLOADS.filter((body) => !body.startsWith('email=a@clinic.test&email=')), 'a=1&a=2', 'x[y]=1', 'prototype=1', `${Array.from({ length: 51 }, (_, i) => `f${i}=1`).join('&')}`];
    for (const body of refused) {
      it(`refuses ${body.slice(0, 60)}`, () => {
        expect(() => parseForm(body)).to.throw(AppError).with.property('status', 400);
      });
    }
    it('yields only strings, on an object without a prototype', () => {
      const form = parseForm('email=%7B%22%24ne%22%3Anull%7D&password=a%26b&empty=');
      expect(form).to.deep.equal(Object.assign(Object.create(null), { email: '{"$ne":null}', password: 'a&b', empty: '' }));
      expect(Object.getPrototypeOf(form)).to.equal(null);
      expect(Object.values(form).every((value) => typeof value === 'string')).to.equal(true);
    });
  });

  async function loginPage(browser: Browser): Promise<Page> {
    const start = await startAuthorization(bench.charting);
    return browser.follow(await browser.get(start.url.href), bench.charting.redirectUri);
  }

  /** Posts a raw body with a valid CSRF token and the browser's cookies. */
  async function postRaw(browser: Browser, url: string, page: Page, body: string) {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': browser.from ?? '198.51.100.200',
        cookie: [...browser.cookies()].map(([name, value]) => `${name}=${value}`).join('; '),
      },
      body: `_csrf=${encodeURIComponent(field(page.html, '_csrf'))}&${body}`,
    });
    return { status: res.status, html: await res.text() };
  }

  it('every interaction form (login, code, resend, consent, abort) answers 400 with a friendly page; nobody signs in', async () => {
    const user = await bench.server.createUser({ email: 'target@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.200' });
    const login = await loginPage(browser);
    const uidUrl = formAction(login, '/login').replace(/\/login$/, '');
    for (const action of ['login', 'verify', 'resend', 'confirm', 'abort']) {
      for (const body of FORM_PAYLOADS.filter((payload) => !payload.startsWith('email=a@clinic.test&email='))) {
        const res = await postRaw(browser, `${uidUrl}/${action}`, login, body.replace(/a@clinic\.test/g, user.email));
        expect(res.status, `${action}: ${body}`).to.equal(400);
        expect(res.html).to.include('This form could not be read');
        expect(res.html).to.not.match(/at .*\.ts:\d+/);
      }
    }
    const duplicate = await postRaw(browser, `${uidUrl}/login`, login, `email=${user.email}&email=other@clinic.test&password=${encodeURIComponent(PASSWORD)}`);
    expect(duplicate.status).to.equal(400);
    // An operator written as a string is only a string: no such account.
    const literal = await submitLogin(browser, login, '{"$ne":null}', '{"$ne":null}');
    expect(literal.status).to.equal(401);
    expect(await auditEntryModel(bench.server.connection).countDocuments({ userSub: user.sub })).to.equal(0);
    // The interaction still works afterwards: nothing was half-changed.
    const page = await submitLogin(browser, login, user.email, PASSWORD);
    expect(isCodePage(await browser.follow(page, bench.charting.redirectUri))).to.equal(true);
    await bench.mail.nextTo(user.email);
  });

  it('the code form: an operator-shaped code is refused and the code stays usable', async () => {
    const user = await bench.server.createUser({ email: 'code.target@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.201' });
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    await bench.mail.nextTo(user.email);
    const res = await postRaw(browser, formAction(attempt.page, '/verify'), attempt.page, 'code[$ne]=000000');
    expect(res.status).to.equal(400);
    const challenge = await bench.server.models.OtpChallenge.findOne({ accountId: user.sub }).lean();
    expect(challenge, 'the challenge exists').to.not.equal(null);
    expect(challenge!.attempts).to.equal(0);
  });

  describe('the provider\'s API endpoints', () => {
    const api = (path: string, init: { body: string; type: string; headers?: Record<string, string> }) => fetch(bench.server.url(path), {
      method: 'POST', headers: { 'content-type': init.type, ...init.headers }, body: init.body,
    });
    const cases: { path: string; body: string; type: string; headers?: Record<string, string>; status: number[] }[] = [
      { path: '/token', type: 'application/x-www-form-urlencoded', body: 'grant_type=authorization_code&client_id=charting&code[$ne]=x&redirect_uri=http://127.0.0.1:4/callback', status: [400] },
      { path: '/token', type: 'application/x-www-form-urlencoded', body: 'grant_type=refresh_token&client_id=charting&refresh_token[$gt]=', status: [400] },
      { path: '/token', type: 'application/x-www-form-urlencoded', body: 'grant_type=authorization_code&client_id=charting&code=a&code=b', status: [400] },
      { path: '/token', type: 'application/json', body: '{"grant_type":"authorization_code","client_id":"charting","code":{"$ne":null}}', status: [400] },
      { path: '/token', type: 'application/json', body: '{"$where":"sleep(1000)","__proto__":{"admin":true}}', status: [400] },
      { path: '/token/introspection', type: 'application/x-www-form-urlencoded', body: 'client_id=charting&token[$ne]=x', status: [400, 401] },
      { path: '/token/introspection', type: 'application/json', body: '{"client_id":"charting","token":{"$ne":null}}', status: [400, 401] },
      { path: '/token/revocation', type: 'application/x-www-form-urlencoded', body: 'client_id=charting&token[$ne]=x', status: [400, 401] },
      { path: '/token/revocation', type: 'application/json', body: '{"token":{"$gt":""}}', status: [400, 401] },
      { path: '/me', type: 'application/json', body: '{"access_token":{"$ne":null}}', headers: { authorization: 'Bearer {"$ne":null}' }, status: [400, 401] },
      { path: '/me', type: 'application/x-www-form-urlencoded', body: 'access_token[$ne]=x', status: [400, 401] },
    ];
    for (const { path, body, type, headers, status } of cases) {
      it(`${path} ${type.split('/')[1]} ${body.slice(0, 70)} → ${status.join('/')} OAuth error`, async () => {
        const res = await api(path, { body, type, ...(headers ? { headers } : {}) });
        expect(status, `got ${res.status}`).to.include(res.status);
        const json = await res.json() as { error?: string };
        expect(json.error).to.be.a('string');
        expect(json.error).to.not.equal('server_error');
      });
    }
  });
});
