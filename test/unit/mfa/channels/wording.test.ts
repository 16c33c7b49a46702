// The short wording of each kind of message (SMS text, email subject), by a table of cases.
import { expect } from 'chai';
import type { Message } from '../../../../src/mfa/channels/channel.js';
import { emailSubject, oneLine, smsText } from '../../../../src/mfa/channels/wording.js';

describe('mfa/channels: wording', () => {
  const to = '+15551234821';
  const cases: [string, Message, string, string][] = [
    ['sign-in code', { kind: 'sign_in_code', to, code: '123456', expiresInMinutes: 10, practiceName: 'Riverside Clinic' },
      '123456 is your sign-in code for Riverside Clinic. It expires in 10 minutes. Never share it.',
      '123456 is your sign-in code'],
    ['reset code without practice', { kind: 'reset_code', to, code: '654321', expiresInMinutes: 1 },
      '654321 is your password reset code. It expires in 1 minute. Never share it.',
      '654321 is your password reset code'],
    ['phone verification code', { kind: 'phone_verification_code', to, code: '000042', expiresInMinutes: 10 },
      '000042 is your phone verification code. It expires in 10 minutes. Never share it.',
      '000042 is your phone verification code'],
    ['password changed', { kind: 'password_changed', to, changedAt: new Date(0), practiceName: 'Riverside' },
      'Your password for Riverside was changed. If this was not you, contact your practice administrator now.',
      'Your password was changed'],
    ['notice', { kind: 'notice', to, subject: 'Line\r\nBcc: x@y', text: 'Hello.' }, 'Hello.', 'Line Bcc: x@y'],
  ];
  for (const [name, message, sms, subject] of cases) {
    it(`${name}: SMS text and email subject`, () => {
      expect(smsText(message)).to.equal(sms);
      expect(emailSubject(message)).to.equal(subject);
    });
  }

  it('keeps a practice name on one short line', () => {
    expect(oneLine('Main\nStreet\t\u0000 Clinic')).to.equal('Main Street Clinic');
    expect(oneLine('x'.repeat(100))).to.have.length(60).and.match(/…$/);
  });

  it('puts no link in any SMS', () => {
    for (const [, message] of cases) expect(smsText(message)).not.to.match(/https?:|www\./);
  });
});
