// Pure inputs of a sign-in decision: what the app asked for (acr_values, essential acr claim with
// the standard aliases, max_age, prompt=login), which channel a code goes to, and browser labels.
import { expect } from 'chai';
import { appRequestFrom, type AuthorizationParams } from '../../../src/mfa/app-request.js';
import { channelsFor, destinationOf } from '../../../src/mfa/channel-choice.js';
import { deviceLabel } from '../../../src/mfa/known-devices.js';
import { ACR_MFA, ACR_PASSWORD, MFA_ACR_ALIASES } from '../../../src/mfa/risk/acr.js';

const essential = (acr: Record<string, unknown>) => JSON.stringify({ id_token: { acr } });

describe('mfa: what the app asked for', () => {
  const cases: Array<[string, AuthorizationParams, { mfaRequested: boolean; maxAgeSeconds?: number; promptLogin: boolean }]> = [
    ['nothing', {}, { mfaRequested: false, promptLogin: false }],
    ['acr_values with our MFA acr', { acr_values: ACR_MFA }, { mfaRequested: true, promptLogin: false }],
    ['acr_values with the REFEDS alias among others', { acr_values: `${ACR_PASSWORD} ${MFA_ACR_ALIASES[0]}` }, { mfaRequested: true, promptLogin: false }],
    ['acr_values with the PAPE alias', { acr_values: MFA_ACR_ALIASES[1] }, { mfaRequested: true, promptLogin: false }],
    ['acr_values with the password acr only', { acr_values: ACR_PASSWORD }, { mfaRequested: false, promptLogin: false }],
    ['an essential acr claim (value, alias)', { claims: essential({ essential: true, value: MFA_ACR_ALIASES[0] }) }, { mfaRequested: true, promptLogin: false }],
    ['an essential acr claim (values)', { claims: essential({ essential: true, values: [ACR_MFA] }) }, { mfaRequested: true, promptLogin: false }],
    ['a voluntary acr claim is only a wish', { claims: essential({ value: ACR_MFA }) }, { mfaRequested: false, promptLogin: false }],
    ['malformed claims', { claims: '{nope' }, { mfaRequested: false, promptLogin: false }],
    ['max_age as text and prompt=login among others', { max_age: '300', prompt: 'login consent' }, { mfaRequested: false, maxAgeSeconds: 300, promptLogin: true }],
    ['a negative or fractional max_age is ignored', { max_age: '-1', prompt: 'consent' }, { mfaRequested: false, promptLogin: false }],
    ['max_age 0', { max_age: 0 }, { mfaRequested: false, maxAgeSeconds: 0, promptLogin: false }],
  ];
  for (const [name, params, expected] of cases) {
    it(name, () => expect(appRequestFrom(params)).to.deep.equal(expected));
  }
});

describe('mfa: where a code goes', () => {
  const both = ['email', 'sms'] as const;
  const cases: Array<[string, Parameters<typeof channelsFor>[0], readonly ('email' | 'sms')[], string[]]> = [
    ['SMS preferred with a phone', { email: 'a@b.test', phone: '+15551234821', mfaChannel: 'sms' }, both, ['sms', 'email']],
    ['email preferred, SMS offered', { email: 'a@b.test', phone: '+15551234821', mfaChannel: 'email' }, both, ['email', 'sms']],
    ['SMS chosen but no phone', { email: 'a@b.test', mfaChannel: 'sms' }, both, ['email']],
    ['SMS not available here', { email: 'a@b.test', phone: '+15551234821', mfaChannel: 'sms' }, ['email'], ['email']],
  ];
  for (const [name, user, available, expected] of cases) {
    it(name, () => expect(channelsFor(user, available)).to.deep.equal(expected));
  }
  it('masks the destination', () => {
    expect(destinationOf({ email: 'jane@clinic.test', phone: '+15551234821' }, 'sms')).to.deep.equal({ to: '+15551234821', masked: '••• ••• 4821' });
    expect(destinationOf({ email: 'jane@clinic.test' }, 'sms')).to.deep.equal({ to: 'jane@clinic.test', masked: 'j•••@clinic.test' });
  });
});

describe('mfa: browser labels', () => {
  const cases: Array<[string, string]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile Safari/604.1', 'Safari on iOS'],
    ['Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36', 'Chrome on Android'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox on Linux'],
    ['', 'Browser on an unknown system'],
  ];
  for (const [agent, label] of cases) it(label, () => expect(deviceLabel(agent)).to.equal(label));
});
