// Where texts may go, by table: allowed regions, premium/special numbers, NANP's own special codes.
import { expect } from 'chai';
import { smsDestinationProblem } from '../../../../src/mfa/channels/sms-destinations.js';

const cases: { number: string; regions?: string[]; refused?: RegExp }[] = [
  { number: '+12025550143' },
  { number: '+16135550123' },
  { number: '+17875550123' },
  { number: '+15551234821' }, // an area code assigned to no region: counts as the US
  { number: '+19005551234', refused: /premium-rate/ },
  { number: '+12029761234', refused: /premium exchanges/ },
  { number: '+12022115678', refused: /special or premium exchanges/ },
  { number: '+18005551234', refused: /toll-free/ },
  { number: '+18885551234', refused: /toll-free/ },
  { number: '+15005550006', refused: /personal-number/ },
  { number: '+18765551234', refused: /JM numbers are not allowed/ },
  { number: '+18765551234', regions: ['US', 'JM'] },
  { number: '+882123456789', refused: /\+882 numbers/ },
  { number: '+97912345678', refused: /not a possible/ },
  { number: '+442071838750', refused: /GB numbers/ },
  { number: '+447400123456', regions: ['GB'] },
  { number: '+12025550143', regions: ['CA'], refused: /US numbers/ },
];

describe('mfa/channels/sms-destinations', () => {
  for (const { number, regions, refused } of cases) {
    it(`${number}${regions ? ` (allowed: ${regions.join(',')})` : ''} → ${refused ? `refused ${refused.source}` : 'allowed'}`, () => {
      const problem = smsDestinationProblem(number, regions);
      if (refused) expect(problem).to.match(refused);
      else expect(problem).to.equal(undefined);
    });
  }
});
