// The SMS channel through the real SDK against the local Messages API stand-in: what is sent,
// with which credentials, and how each provider failure reaches the caller.
import { expect } from 'chai';
import type { CodeMessage } from '../../../src/mfa/channels/channel.js';
import { expectNothingSecret, failure } from './delivery-failure.js';
import { createSmsChannel } from '../../../src/mfa/channels/sms.js';
import { startSmsCatcher, type SmsCatcher } from '../../helpers/sms-catcher.js';

const PHONE = '+15551234821';
const signIn: CodeMessage = { kind: 'sign_in_code', to: PHONE, code: '482913', expiresInMinutes: 10, practiceName: 'Riverside Clinic' };


describe('channels: sms', () => {
  let catcher: SmsCatcher;
  const channel = (overrides: { authToken?: string; from?: string; timeoutMs?: number } = {}) => createSmsChannel({
    accountSid: catcher.accountSid,
    authToken: overrides.authToken ?? catcher.authToken,
    from: overrides.from ?? '+15005550006',
    apiBaseUrl: catcher.baseUrl,
    timeoutMs: overrides.timeoutMs ?? 2000,
  });

  beforeEach(async () => {
    catcher = await startSmsCatcher();
  });
  afterEach(() => catcher.stop());

  it('sends the code first, to the number, from the configured sender', async () => {
    const receipt = await channel().send(signIn);
    const sms = await catcher.nextTo(PHONE);
    expect(sms).to.include({ to: PHONE, from: '+15005550006', accountSid: catcher.accountSid, code: '482913' });
    expect(sms.body).to.equal('482913 is your sign-in code for Riverside Clinic. It expires in 10 minutes. Never share it.');
    expect(receipt).to.deep.equal({ channel: 'sms', providerMessageId: sms.sid });
    expect(sms.sid).to.match(/^SM[0-9a-f]{32}$/);
  });

  it('sends through a messaging service when the sender is one', async () => {
    await channel({ from: 'MG0123456789abcdef0123456789abcdef' }).send(signIn);
    const sms = await catcher.nextTo(PHONE);
    expect(sms.messagingServiceSid).to.equal('MG0123456789abcdef0123456789abcdef');
    expect(sms.from).to.equal(undefined);
  });

  it('refuses a number that is not E.164 without calling the provider', async () => {
    const err = await failure(channel().send({ ...signIn, to: '555-1234' }));
    expect(err.code).to.equal('invalid_recipient');
    expect(catcher.messages).to.have.length(0);
  });

  it('maps an invalid number (error 21211) to invalid_recipient with advice and no secrets', async () => {
    catcher.setFailure('invalid-number');
    const err = await failure(channel().send(signIn));
    expect(err).to.include({ code: 'invalid_recipient', channel: 'sms', status: 422, expose: true });
    expect(err.userMessage).to.match(/by email instead/);
    expect(err.message).to.include('21211').and.include('••• ••• 4821');
    expectNothingSecret(err, [signIn.code, PHONE, '5551234821']);
  });

  it('maps a provider 500 to provider_unavailable', async () => {
    catcher.setFailure('server-error');
    const err = await failure(channel().send(signIn));
    expect(err.code).to.equal('provider_unavailable');
    expect(err.userMessage).to.equal('We could not send a text to your phone. You can get the code by email instead, or try again in a few minutes.');
    expectNothingSecret(err, [signIn.code, PHONE, '5551234821']);
  });

  it('maps wrong credentials (401) to provider_unavailable and says what to check', async () => {
    const err = await failure(channel({ authToken: 'not-the-token' }).send(signIn));
    expect(err.code).to.equal('provider_unavailable');
    expect(err.message).to.include('HTTP 401').and.include('auth token');
    expect(catcher.messages).to.have.length(0);
  });

  it('gives up after the configured timeout when the provider does not answer', async () => {
    catcher.setFailure('timeout');
    const err = await failure(channel({ timeoutMs: 300 }).send(signIn));
    expect(err.code).to.equal('timeout');
    expectNothingSecret(err, [signIn.code, PHONE, '5551234821']);
  });

  it('maps a closed port to provider_unavailable', async () => {
    await catcher.stop();
    const err = await failure(channel().send(signIn));
    expect(err.code).to.equal('provider_unavailable');
    expect(err.message).to.include('ECONNREFUSED');
    catcher = await startSmsCatcher(); // for afterEach
  });
});
