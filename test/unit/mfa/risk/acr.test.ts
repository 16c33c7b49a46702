// acr and amr rules: the amr of each path, and which requests an earned acr satisfies.
import { expect } from 'chai';
import { ACR_MFA, ACR_PASSWORD, acrSatisfies, canonicalAcr, MFA_ACR_ALIASES, passwordAmr, secondFactorAmr } from '../../../../src/mfa/risk/acr.js';

describe('oidc: acr and amr', () => {
  it('amr per RFC 8176 for each path', () => {
    expect(passwordAmr(false)).to.deep.equal(['pwd']);
    expect(passwordAmr(true)).to.deep.equal(['pwd', 'rba']);
    expect(secondFactorAmr('email')).to.deep.equal(['pwd', 'otp', 'mfa']);
    expect(secondFactorAmr('sms')).to.deep.equal(['pwd', 'sms', 'otp', 'mfa']);
  });

  const satisfies: Array<[string | undefined, string, boolean]> = [
    [ACR_MFA, ACR_MFA, true],
    [ACR_MFA, ACR_PASSWORD, true],
    [ACR_PASSWORD, ACR_MFA, false],
    [ACR_MFA, MFA_ACR_ALIASES[0], true],
    [ACR_PASSWORD, MFA_ACR_ALIASES[1], false],
    [undefined, ACR_PASSWORD, false],
    [ACR_MFA, 'urn:unknown', false],
  ];
  for (const [have, want, ok] of satisfies) it(`${have ?? 'nothing'} ${ok ? 'satisfies' : 'does not satisfy'} ${want}`, () => expect(acrSatisfies(have, want)).to.equal(ok));

  it('maps the aliases to our MFA acr and leaves the rest', () => {
    expect(MFA_ACR_ALIASES.map(canonicalAcr)).to.deep.equal([ACR_MFA, ACR_MFA]);
    expect(canonicalAcr(ACR_PASSWORD)).to.equal(ACR_PASSWORD);
  });
});
