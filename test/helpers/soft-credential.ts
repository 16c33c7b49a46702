// A credential of a software authenticator (soft-authenticator.ts) registered for a user through
// the provider's own registration check (the factor service the /account pages call:
// registration options, then @simplewebauthn/server's verification), without a page: for tests
// whose subject is signing in with the credential, not registering it.
import { expect } from 'chai';
import type { UserDoc } from '../../src/accounts/service.js';
import type { AuthenticatorKind } from '../../src/mfa/factors/webauthn/index.js';
import type { MfaBench } from './mfa.js';
import { SoftAuthenticator } from './soft-authenticator.js';

/**
 * Registers a new credential of a software authenticator for `user`: a passkey (discoverable, on
 * the device: transports `internal`) or a roaming security key (transports `usb`).
 */
export async function softCredentialOf(bench: MfaBench, user: UserDoc, kind: AuthenticatorKind = 'passkey', name = 'Soft passkey'): Promise<SoftAuthenticator> {
  const soft = new SoftAuthenticator(new URL(bench.server.issuer).origin);
  const { webauthn } = bench.server.idp.mfa.factors;
  const options = await webauthn.registrationOptions(user, kind, `test:${user.sub}`);
  const answer = soft.register(options) as { response: Record<string, unknown> };
  if (kind === 'security-key') Object.assign(answer, { authenticatorAttachment: 'cross-platform', response: { ...answer.response, transports: ['usb'] } });
  expect(await webauthn.register(user, answer as never, kind, name, `test:${user.sub}`), 'credential saved').to.not.equal(undefined);
  return soft;
}
