// Choosing real providers or the development outbox from the configuration, and what the outbox
// keeps and prints.
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/errors.js';
import type { CodeMessage } from '../../../src/mfa/channels/channel.js';
import { Outbox } from '../../../src/mfa/channels/outbox.js';
import { createChannels } from '../../../src/mfa/channels/registry.js';
import { createRenderer } from '../../../src/http/render.js';
import { DeliveryError } from '../../../src/mfa/channels/channel.js';
import { FakeClock } from '../../helpers/clock.js';
import { startMailCatcher, type MailCatcher } from '../../helpers/mail-catcher.js';
import { startSmsCatcher, type SmsCatcher } from '../../helpers/sms-catcher.js';

const render = createRenderer();

const PHONE = '+15551234821';
const EMAIL = 'jane.doe@clinic.example';
const code = (to: string, value: string): CodeMessage => ({ kind: 'sign_in_code', to, code: value, expiresInMinutes: 10, practiceName: 'Riverside' });

describe('channels: registry and outbox', () => {
  let mail: MailCatcher;
  let sms: SmsCatcher;
  before(async () => {
    [mail, sms] = await Promise.all([startMailCatcher(), startSmsCatcher()]);
  });
  after(() => Promise.all([mail.stop(), sms.stop()]));

  it('uses the outbox for both channels when nothing is configured, and records masked recipients', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const channels = createChannels(loadConfig({ env: { NODE_ENV: 'test' } }), { render, now: clock.now, log: (line) => lines.push(line) });
    expect(channels.outbox).to.be.instanceOf(Outbox);

    expect(await channels.sms.send(code(PHONE, '123456'))).to.include({ channel: 'outbox' });
    clock.advance(1000);
    await channels.email.send(code(EMAIL, '654321'));

    const [email, text] = channels.outbox!.list();
    expect(text).to.deep.include({ channel: 'sms', kind: 'sign_in_code', to: '••• ••• 4821', at: new Date(Date.UTC(2030, 0, 1)) });
    expect(text!.text).to.equal('123456 is your sign-in code for Riverside. It expires in 10 minutes. Never share it.');
    expect(email).to.deep.include({ channel: 'email', to: 'j•••@clinic.example', subject: '654321 is your sign-in code' });
    expect(email!.text).to.include('654321 is your sign-in code for Riverside.');
    expect(lines).to.deep.equal([
      '[outbox] >>> SIGN-IN CODE 123456 <<< by sms to ••• ••• 4821',
      '[outbox] >>> SIGN-IN CODE 654321 <<< by email to j•••@clinic.example',
    ]);
    for (const line of lines) expect(line).not.to.include(PHONE).and.not.include(EMAIL);
  });

  it('keeps only the newest 50 messages, newest first, as copies', async () => {
    const outbox = new Outbox({ production: false, log: () => {} });
    const channel = outbox.channel('sms');
    for (let i = 0; i < 55; i += 1) await channel.send(code(PHONE, String(100000 + i)));
    const list = outbox.list();
    expect(list).to.have.length(50);
    expect(list[0]!.text).to.match(/^100054 /);
    expect(list[49]!.text).to.match(/^100005 /);
    list.length = 0;
    expect(outbox.list()).to.have.length(50);
  });

  it('mixes real and outbox channels per configured setting', async () => {
    const lines: string[] = [];
    const channels = createChannels(loadConfig({ env: { NODE_ENV: 'test', ...mail.env() } }), { render, log: (line) => lines.push(line) });
    expect(await channels.email.send(code(EMAIL, '222333'))).to.include({ channel: 'email' });
    expect((await mail.nextTo(EMAIL)).code).to.equal('222333');
    expect(await channels.sms.send(code(PHONE, '444555'))).to.include({ channel: 'outbox' });
    expect(channels.outbox!.list()).to.have.length(1);
    expect(lines).to.have.length(1);
  });

  it('uses both real providers and no outbox when both are configured', async () => {
    const channels = createChannels(loadConfig({ env: { NODE_ENV: 'test', ...mail.env(), ...sms.env() } }), { render });
    expect(channels.outbox).to.equal(undefined);
    const receipt = await channels.sms.send(code(PHONE, '777888'));
    expect(receipt.channel).to.equal('sms');
    expect((await sms.nextTo(PHONE)).sid).to.equal(receipt.providerMessageId);
  });

  it('refuses the outbox in production: email is required, SMS is optional and refused when absent', async () => {
    const production = { production: true };
    expect(() => createChannels(production, { render })).to.throw(ConfigError, /SMTP_URL/);
    const emailOnly = createChannels({ ...production, smtp: { url: mail.url, from: 'a@idp.test' } }, { render });
    expect(emailOnly.available).to.deep.equal(['email']);
    expect(emailOnly.outbox).to.equal(undefined);
    const refusal = await emailOnly.sms.send({ kind: 'sign_in_code', to: '+15551234821', code: '123456', expiresInMinutes: 10 })
      .then(() => undefined, (err: unknown) => err);
    expect(refusal).to.be.instanceOf(DeliveryError).and.include({ code: 'not_configured', channel: 'sms' });
    expect((refusal as Error).message).to.not.include('123456').and.not.include('+15551234821');
    expect(() => new Outbox({ production: true })).to.throw(/production/);
  });

});
