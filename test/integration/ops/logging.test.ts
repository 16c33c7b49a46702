// Every log line is JSON with a request id, and no line holds a secret: a whole sign-in (a wrong
// password, the password, a one-time code), the token exchange with a client secret, userinfo with
// the access token and a refresh are driven while every log line and every write to stdout/stderr
// is captured; then none may contain the password, the code, a token, a cookie value, the client
// secret, the authorization code or the PKCE verifier.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { createLogger } from '../../../src/observability/logger.js';
import { Browser } from '../../helpers/browser.js';
import { isCodePage, passwordStep, REDIRECT, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { exchange, relyingParty, submitLogin, untilCallback } from '../../helpers/rp.js';

const PASSWORD = 'A long harbor passphrase 7';
const WRONG = 'Not my harbor passphrase 9';

describe('ops: structured logs without secrets', () => {
  const lines: string[] = [];
  let bench: MfaBench;
  before(async () => {
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    bench = await startMfaBench({ mfaPolicy: 'always', logger });
  });
  after(() => bench.close());

  /** Runs `body` while recording every write to stdout and stderr too (anything logged around the logger). */
  async function capturingOutput(body: () => Promise<void>): Promise<string[]> {
    const written: string[] = [];
    const streams = [process.stdout, process.stderr] as const;
    const originals = streams.map((stream) => stream.write.bind(stream));
    streams.forEach((stream, index) => {
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        written.push(String(chunk));
        return (originals[index] as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
    });
    try {
      await body();
    } finally {
      streams.forEach((stream, index) => { stream.write = originals[index] as typeof stream.write; });
    }
    return written;
  }

  it('a sign-in with a code, a token exchange and a refresh leave no secret in any log line', async () => {
    const secrets: string[] = [PASSWORD, WRONG];
    const numericSecrets: string[] = [];
    const { clientSecret } = await bench.server.createClient({ clientId: 'vault', authMethod: 'client_secret_basic', firstParty: true, redirectUris: [REDIRECT] });
    secrets.push(clientSecret!);
    const rp = await relyingParty(bench.server, 'vault', clientSecret, REDIRECT);
    const user = await bench.server.createUser({ email: 'logs@clinic.test', password: PASSWORD });
    const browser = new Browser({ from: '198.51.100.77' });

    const written = await capturingOutput(async () => {
      const refused = await passwordStep(browser, rp, user.email, WRONG, { scope: 'openid email offline_access', prompt: 'consent' });
      expect(refused.page.status).to.equal(401);
      const retry = await browser.follow(await submitLogin(browser, refused.page, user.email, PASSWORD), rp.redirectUri);
      expect(isCodePage(retry), 'code page').to.equal(true);
      const { code } = await bench.mail.nextTo(user.email);
      numericSecrets.push(code!);
      const callback = await untilCallback(browser, rp, await submitCode(browser, retry, code!));
      secrets.push(callback.searchParams.get('code')!, refused.start.verifier, refused.start.state, refused.start.nonce);
      const tokens = await exchange(rp, refused.start, callback);
      secrets.push(tokens.access_token, tokens.id_token!, tokens.refresh_token!);
      await oidc.fetchUserInfo(rp.config, tokens.access_token, tokens.claims()!.sub);
      const refreshed = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!);
      secrets.push(refreshed.access_token, refreshed.refresh_token!);
      // Every cookie value but the interaction cookies': those hold the interaction uid, which is
      // public (it is in the page's URL); their signatures are secret and checked here.
      for (const [name, value] of browser.cookies()) if (!/^_interaction(_resume)?$/.test(name)) secrets.push(value);
    });
    expect(secrets.every(Boolean), 'every secret was captured').to.equal(true);

    const everything = [...lines, ...written];
    expect(lines.length, 'log lines').to.be.greaterThan(10);
    for (const line of everything) {
      for (const secret of secrets) expect(line.includes(secret), `a log line holds a secret: ${line.slice(0, 200)}`).to.equal(false);
      for (const code of numericSecrets) expect(new RegExp(`(?<!\\d)${code}(?!\\d)`).test(line), `a log line holds the code: ${line.slice(0, 200)}`).to.equal(false);
    }

    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = records.filter((record) => record.msg === 'request');
    for (const record of requests) {
      expect(record.requestId, 'request id').to.be.a('string').and.not.equal('');
      expect(record.path, 'path without query').to.be.a('string').and.not.include('?');
    }
    const token = requests.filter((record) => record.route === '/token');
    expect(token, 'token requests logged').to.have.length(2);
    expect(token.every((record) => record.status === 200 && record.method === 'POST')).to.equal(true);
    const codeEntry = requests.find((record) => String(record.path).endsWith('/verify'));
    expect(codeEntry, 'code entry logged').to.include({ method: 'POST', route: '/interaction/:uid/:action' });
  });

  it('echoes a well-formed x-request-id and replaces anything else', async () => {
    const good = await fetch(bench.server.url('/healthz'), { headers: { 'x-request-id': 'lb-7f3a9c2e-0001' } });
    expect(good.headers.get('x-request-id')).to.equal('lb-7f3a9c2e-0001');
    for (const bad of ['short', 'has spaces in it', 'x'.repeat(129), '<script>alert(1)</script>']) {
      const response = await fetch(bench.server.url('/healthz'), { headers: { 'x-request-id': bad } });
      const id = response.headers.get('x-request-id')!;
      expect(id).to.match(/^[0-9a-f-]{36}$/);
      expect(lines.some((line) => line.includes(bad)), 'the refused id is not logged').to.equal(false);
    }
  });
});
