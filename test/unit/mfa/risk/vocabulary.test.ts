// What the app asked for (acr_values / essential acr claim), the reason sentences admins read, and the
// practice modes agreeing with the stored practice policy.
import { expect } from 'chai';
import { ACR_MFA, ACR_PASSWORD } from '../../../../src/mfa/risk/acr.js';
import { appRequestsMfa, MFA_MODES, RISK_REASON_TEXT, RISK_REASONS, type AcrAsked } from '../../../../src/mfa/risk/index.js';
import { MFA_POLICIES } from '../../../../src/store/models/practice.js';

const asks: { name: string; asked: AcrAsked; mfa: boolean }[] = [
  { name: 'nothing asked', asked: {}, mfa: false },
  { name: 'acr_values with the MFA level', asked: { acrValues: ACR_MFA }, mfa: true },
  { name: 'acr_values listing password then MFA', asked: { acrValues: `${ACR_PASSWORD} ${ACR_MFA}` }, mfa: true },
  { name: 'acr_values with the password level only', asked: { acrValues: ACR_PASSWORD }, mfa: false },
  { name: 'acr_values with a longer lookalike value', asked: { acrValues: `${ACR_MFA}x` }, mfa: false },
  { name: 'an essential acr claim with the MFA value', asked: { acrClaim: { essential: true, value: ACR_MFA } }, mfa: true },
  { name: 'an essential acr claim whose values include MFA', asked: { acrClaim: { essential: true, values: [ACR_PASSWORD, ACR_MFA] } }, mfa: true },
  { name: 'a voluntary acr claim with the MFA value', asked: { acrClaim: { value: ACR_MFA } }, mfa: false },
  { name: 'an essential acr claim for the password level', asked: { acrClaim: { essential: true, value: ACR_PASSWORD } }, mfa: false },
  { name: 'an essential acr claim without a value', asked: { acrClaim: { essential: true } }, mfa: false },
  { name: 'a null acr claim', asked: { acrClaim: null }, mfa: false },
];

describe('mfa/risk: appRequestsMfa', () => {
  for (const { name, asked, mfa } of asks) {
    it(`${name} → ${mfa ? 'MFA requested' : 'no MFA requested'}`, () => {
      expect(appRequestsMfa(asked)).to.equal(mfa);
    });
  }
});

describe('mfa/risk: every reason has a sentence for the practice admin', () => {
  for (const reason of RISK_REASONS) {
    it(reason, () => {
      expect(RISK_REASON_TEXT[reason]).to.match(/^[A-Z].{20,}\.$/);
    });
  }
  it('and no sentence belongs to an unknown reason', () => {
    expect(Object.keys(RISK_REASON_TEXT)).to.have.members([...RISK_REASONS]);
  });
});

describe('mfa/risk: practice modes', () => {
  it('are the policies a practice can store', () => {
    expect([...MFA_MODES]).to.deep.equal([...MFA_POLICIES]);
  });
});
