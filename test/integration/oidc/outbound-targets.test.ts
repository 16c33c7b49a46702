// Issue 21.5 and 21.6: the URLs the provider calls (back-channel logout, jwks_uri) reach public
// addresses only in production mode unless the client is registered internal, checked again at call
// time; redirect URIs refuse userinfo and empty fragments, native apps may use private-use schemes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { createClient } from '../../../src/oidc/clients.js';
import { Browser, field } from '../../helpers/browser.js';
import { REDIRECT_URI, relyingParty, signIn, type RelyingParty } from '../../helpers/rp.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Outbound only public 7';
const refused = (promise: Promise<unknown>) => promise.then(() => undefined, (err: Error & { code?: string }) => err);

describe('oidc: outbound targets and redirect URIs', () => {
  let server: TestServer;
  let receiver: Server;
  let hits = 0;
  let port = 0;

  before(async () => {
    receiver = createServer((_req, res) => { hits++; res.writeHead(200).end(); });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
    server = await startServer({ env: { OUTBOUND_PUBLIC_ONLY: 'true' } });
    await server.createUser({ email: 'far@clinic.test', password: PASSWORD });
  });
  after(async () => {
    await server.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const publicOnly = { publicTargetsOnly: true };

  /** RP-initiated logout: a valid hint ends the session at once (src/sessions/sign-out.ts), otherwise "Sign out". */
  async function signOut(browser: Browser, rp: RelyingParty, idToken: string) {
    const ended = await browser.get(oidc.buildEndSessionUrl(rp.config, { id_token_hint: idToken }).href);
    if (!ended.location) await browser.post(server.url('/session/end/confirm'), { xsrf: field(ended.html, 'xsrf'), logout: 'yes' });
  }
  const base = { name: 'Module', redirectUris: [REDIRECT_URI] };

  it('refuses loopback, private, link-local and metadata targets at registration in production mode', async () => {
    for (const uri of ['http://127.0.0.1:8080/logout', 'https://10.0.0.5/logout', 'https://169.254.169.254/latest', 'https://[fe80::1]/x', 'http://localhost/logout']) {
      const err = await refused(createClient(server.models, { ...base, backchannelLogoutUri: uri }, publicOnly));
      expect(err, uri).to.have.property('code', 'invalid_client_metadata');
      expect(err!.message, uri).to.match(/not a public address|--internal/);
    }
    const jwks = await refused(createClient(server.models, { ...base, authMethod: 'private_key_jwt', jwksUri: 'https://192.168.1.10/jwks' }, publicOnly));
    expect(jwks).to.have.property('code', 'invalid_client_metadata');
  });

  it('accepts a private target when the client is marked internal', async () => {
    const { client } = await createClient(server.models, { ...base, clientId: 'internal-ok', authMethod: 'none', firstParty: true, backchannelLogoutUri: `http://127.0.0.1:${port}/logout`, internal: true }, publicOnly);
    expect(client.internal).to.equal(true);
  });

  it('refuses at call time a target that resolves to a private address (registered before the rule, or rebound)', async () => {
    await server.models.Client.create({
      _id: 'old-module', name: 'Old', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT_URI],
      backchannelLogoutUri: `http://localhost:${port}/logout`, postLogoutRedirectUris: [],
    });
    const rp = await relyingParty(server, 'old-module');
    const browser = new Browser();
    const { tokens } = await signIn(browser, rp, 'far@clinic.test', PASSWORD);
    hits = 0;
    await signOut(browser, rp, tokens.id_token!);
    expect(hits, 'no request reached the loopback listener').to.equal(0);
  });

  it('delivers to the internal client\'s private target (audited at registration by the CLI)', async () => {
    const rp = await relyingParty(server, 'internal-ok');
    const browser = new Browser();
    const { tokens } = await signIn(browser, rp, 'far@clinic.test', PASSWORD);
    hits = 0;
    await signOut(browser, rp, tokens.id_token!);
    expect(hits).to.equal(1);
  });

  it('never follows a redirect from a logout endpoint (a public name cannot bounce the call inside)', async () => {
    let bounced = 0;
    const bouncer = createServer((_req, res) => { bounced++; res.writeHead(307, { location: `http://127.0.0.1:${port}/logout` }).end(); });
    await new Promise<void>((resolve) => bouncer.listen(0, '127.0.0.1', resolve));
    try {
      const bouncerUrl = `http://127.0.0.1:${(bouncer.address() as AddressInfo).port}/logout`;
      await createClient(server.models, { ...base, clientId: 'bouncing', authMethod: 'none', firstParty: true, backchannelLogoutUri: bouncerUrl, internal: true }, publicOnly);
      const rp = await relyingParty(server, 'bouncing');
      const browser = new Browser();
      const { tokens } = await signIn(browser, rp, 'far@clinic.test', PASSWORD);
      hits = 0;
      await signOut(browser, rp, tokens.id_token!);
      expect(bounced, 'the registered endpoint was called').to.equal(1);
      expect(hits, 'its redirect was not followed').to.equal(0);
    } finally {
      await new Promise((resolve) => bouncer.close(resolve));
    }
  });

  it('refuses redirect URIs with userinfo or an empty fragment; private-use schemes only for public native apps', async () => {
    for (const uri of ['https://good@evil.example/cb', 'https://user:pw@app.example/cb', 'https://app.example/cb#', 'javascript:alert(1)', 'myapp:/cb']) {
      expect(await refused(createClient(server.models, { name: 'X', redirectUris: [uri], authMethod: 'none' })), uri).to.have.property('code', 'invalid_client_metadata');
    }
    expect(await refused(createClient(server.models, { name: 'X', redirectUris: ['com.example.charting:/callback'] })), 'confidential').to.have.property('code', 'invalid_client_metadata');
    const { client } = await createClient(server.models, { name: 'Native', clientId: 'native-app', authMethod: 'none', redirectUris: ['com.example.charting:/callback'] });
    const res = await fetch(server.url(`/auth?${new URLSearchParams({
      client_id: client._id, response_type: 'code', scope: 'openid', redirect_uri: 'com.example.charting:/callback',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
    })}`), { redirect: 'manual' });
    expect(res.status, 'the provider accepts the native redirect').to.equal(303);
    expect(res.headers.get('location')).to.match(/^\/interaction\//);
  });
});
