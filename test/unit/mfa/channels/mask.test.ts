// Masking of recipients (what operators and the dev outbox show), by tables of cases.
import { expect } from 'chai';
import { maskEmail, maskPhone, maskRecipient } from '../../../../src/mfa/channels/mask.js';

describe('mfa/channels: masking', () => {
  const phones: [string, string][] = [
    ['+15551234821', '••• ••• 4821'],
    ['+447700900123', '••• ••• 0123'],
    ['+1 (555) 123-4821', '••• ••• 4821'],
    ['+12345', '•••'],
    ['', '•••'],
  ];
  for (const [input, expected] of phones) {
    it(`maskPhone(${JSON.stringify(input)}) -> ${expected}`, () => expect(maskPhone(input)).to.equal(expected));
  }

  const emails: [string, string][] = [
    ['jane.doe@clinic.example', 'j•••@clinic.example'],
    ['j@clinic.example', 'j•••@clinic.example'],
    ['Émile@clinic.example', 'É•••@clinic.example'],
    ['"odd@local"@clinic.example', '"•••@clinic.example'],
    ['@clinic.example', '•••'],
    ['jane@', '•••'],
    ['no-at-sign', '•••'],
  ];
  for (const [input, expected] of emails) {
    it(`maskEmail(${JSON.stringify(input)}) -> ${expected}`, () => expect(maskEmail(input)).to.equal(expected));
  }

  it('maskRecipient tells phones from emails by the @', () => {
    expect(maskRecipient('+15551234821')).to.equal('••• ••• 4821');
    expect(maskRecipient('jane.doe@clinic.example')).to.equal('j•••@clinic.example');
  });
});
