// The passkey switches as stored values: absent or damaged means the safe defaults (passwordless off,
// required for nobody), and "required for admins" applies to the admin role only.
import { expect } from 'chai';
import { phrRequiredForRole, resolvePasskeyPolicy } from '../../../src/mfa/factors/passkey-policy.js';
import { passwordlessAmr, userHandleMatches } from '../../../src/interactions/passwordless.js';

describe('unit: passkey policy', () => {
  it('absent or unknown values resolve to passwordless off, required for nobody', () => {
    expect(resolvePasskeyPolicy(undefined)).to.deep.equal({ passwordlessAllowed: false, phishingResistantRequired: 'nobody' });
    expect(resolvePasskeyPolicy({ passwordlessAllowed: 'yes' as never, phishingResistantRequired: 'all' as never })).to.deep.equal({ passwordlessAllowed: false, phishingResistantRequired: 'nobody' });
  });

  it('required for admins applies to admins only; for everyone to every role', () => {
    const admins = resolvePasskeyPolicy({ phishingResistantRequired: 'admins' });
    expect(['admin', 'clinician', 'staff'].map((role) => phrRequiredForRole(admins, role))).to.deep.equal([true, false, false]);
    const everyone = resolvePasskeyPolicy({ phishingResistantRequired: 'everyone' });
    expect(['admin', 'clinician', 'staff'].map((role) => phrRequiredForRole(everyone, role))).to.deep.equal([true, true, true]);
  });

  it('a passwordless amr is the second-factor one without pwd; a userHandle must name the sub exactly', () => {
    expect(passwordlessAmr('singleDevice')).to.deep.equal(['hwk', 'user', 'mfa']);
    expect(passwordlessAmr('multiDevice')).to.deep.equal(['swk', 'user', 'mfa']);
    expect(userHandleMatches(Buffer.from('sub-1').toString('base64url'), { sub: 'sub-1' })).to.equal(true);
    expect(userHandleMatches(Buffer.from('sub-12').toString('base64url'), { sub: 'sub-1' })).to.equal(false);
    expect(userHandleMatches(undefined, { sub: 'sub-1' })).to.equal(false);
  });
});
