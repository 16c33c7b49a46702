// The email channel through nodemailer against a real local SMTP server: subject, bodies,
// escaping, and how each SMTP failure reaches the caller.
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { CodeMessage } from '../../../src/mfa/channels/channel.js';
import { expectNothingSecret, failure } from './delivery-failure.js';
import { createEmailChannel } from '../../../src/mfa/channels/email.js';
import { createEmailRenderer } from '../../../src/mfa/channels/email-content.js';
import { createRenderer } from '../../../src/http/render.js';
import { startMailCatcher, type MailCatcher } from '../../helpers/mail-catcher.js';

const ADDRESS = 'jane.doe@clinic.example';
const signIn: CodeMessage = { kind: 'sign_in_code', to: ADDRESS, code: '731846', expiresInMinutes: 10, practiceName: '<b>&Co</b>' };


/** A port nothing listens on: listen on a random one, then close it. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('channels: email', () => {
  let catcher: MailCatcher;
  const channel = (url = catcher.url, timeoutMs = 2000) => createEmailChannel({ url, from: 'Sign-in <no-reply@idp.test>', timeoutMs }, createEmailRenderer(createRenderer()));

  beforeEach(async () => {
    catcher = await startMailCatcher();
  });
  afterEach(() => catcher.stop());

  it('sends the code in a subject that starts with it, with text and HTML bodies', async () => {
    const receipt = await channel().send(signIn);
    const mail = await catcher.nextTo(ADDRESS);
    expect(receipt.channel).to.equal('email');
    expect(receipt.providerMessageId).to.be.a('string').and.not.be.empty;
    expect(mail.to).to.deep.equal([ADDRESS]);
    expect(mail.from).to.equal('no-reply@idp.test');
    expect(mail.subject).to.equal('731846 is your sign-in code');
    expect(mail.code).to.equal('731846');
    expect(mail.text).to.match(/^731846 is your sign-in code for <b>&Co<\/b>\./);
    expect(mail.text).to.include('It expires in 10 minutes.');
    expect(mail.html).to.include('<html lang="en">').and.include('731846').and.include('<title>731846 is your sign-in code</title>');
    expect(mail.headers.get('auto-submitted')).to.equal('auto-generated');
  });

  it('escapes the practice name in the HTML body', async () => {
    await channel().send(signIn);
    const { html } = await catcher.nextTo(ADDRESS);
    expect(html).to.include('&lt;b&gt;&amp;Co&lt;/b&gt;');
    expect(html).not.to.include('<b>&Co</b>');
  });

  it('renders every kind of message', async () => {
    const send = channel();
    await send.send({ kind: 'reset_code', to: ADDRESS, code: '111222', expiresInMinutes: 10 });
    await send.send({ kind: 'phone_verification_code', to: ADDRESS, code: '333444', expiresInMinutes: 10 });
    await send.send({ kind: 'password_changed', to: ADDRESS, changedAt: new Date(Date.UTC(2030, 0, 1, 9, 30)) });
    await send.send({ kind: 'notice', to: ADDRESS, subject: 'Trusted address added', text: 'First.\n\nSecond <i>.' });
    const subjects = [];
    for (let i = 0; i < 4; i += 1) subjects.push((await catcher.nextTo(ADDRESS)).subject);
    expect(subjects).to.deep.equal([
      '111222 is your password reset code',
      '333444 is your phone verification code',
      'Your password was changed',
      'Trusted address added',
    ]);
    expect(catcher.messages[2]!.text).to.include('2030-01-01 09:30 UTC');
    expect(catcher.messages[3]!.html).to.include('<p>First.</p><p>Second &lt;i&gt;.</p>');
  });

  it('refuses anything but one plain address without connecting', async () => {
    for (const to of ['jane@clinic.example, eve@evil.example', 'Jane <jane@clinic.example>', 'no-at-sign', 'jane@clinic.example\r\nBcc: eve@evil.example']) {
      const err = await failure(channel().send({ ...signIn, to }));
      expect(err.code, to).to.equal('invalid_recipient');
    }
    expect(catcher.messages).to.have.length(0);
  });

  it('maps a 550 recipient rejection to invalid_recipient with advice and no secrets', async () => {
    catcher.setFailure('reject-recipient');
    const err = await failure(channel().send(signIn));
    expect(err).to.include({ code: 'invalid_recipient', channel: 'email', status: 422 });
    expect(err.userMessage).to.match(/by text message instead/);
    expect(err.message).to.include('j•••@clinic.example').and.include('550');
    expectNothingSecret(err, [signIn.code, ADDRESS]);
  });

  it('maps a server that refuses sessions (421) to provider_unavailable', async () => {
    catcher.setFailure('down');
    const err = await failure(channel().send(signIn));
    expect(err.code).to.equal('provider_unavailable');
    expectNothingSecret(err, [signIn.code, ADDRESS]);
  });

  it('fails fast with provider_unavailable when nothing listens', async () => {
    const err = await failure(channel(`smtp://127.0.0.1:${await closedPort()}`).send(signIn));
    expect(err.code).to.equal('provider_unavailable');
    expect(err.userMessage).to.equal('We could not send you an email. You can get the code by text message instead, or try again in a few minutes.');
    expectNothingSecret(err, [signIn.code, ADDRESS]);
  });

  it('gives up with timeout when the server never greets', async () => {
    catcher.setFailure('timeout');
    const err = await failure(channel(catcher.url, 300).send(signIn));
    expect(err.code).to.equal('timeout');
    expectNothingSecret(err, [signIn.code, ADDRESS]);
  });
});
