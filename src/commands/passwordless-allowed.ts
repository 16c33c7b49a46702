// "Passwordless allowed": may the practice's users sign in with a passkey alone (user verification
// required)? Off by default; turning it on needs passkeys allowed as a factor. Audited as
// admin.practice.security_changed with exactly what changed, nothing when nothing did.
import type { Types } from 'mongoose';
import type { Actor } from './actor.js';
import { requirePasskeysAllowed, setPasskeySwitch, type PasskeySwitchDeps } from './passkey-switches.js';

export async function setPasswordlessAllowed(deps: PasskeySwitchDeps, actor: Actor, practiceId: Types.ObjectId, allowed: boolean) {
  return setPasskeySwitch(deps, actor, practiceId, { passwordlessAllowed: allowed }, async (next, current) => {
    if (next.passwordlessAllowed && !current.passwordlessAllowed) await requirePasskeysAllowed(deps, practiceId, 'passwordlessAllowed');
  });
}
