// The second factors beyond the sent codes, built once per app: authenticator apps, recovery
// codes, and the registry the sign-in and account pages ask.
import type { ChannelName } from '../channels/channel.js';
import type { Models } from '../../store/models/index.js';
import { resolveFactorKey } from './factor-key.js';
import { createRecoveryCodes, type RecoveryCodes } from './recovery/index.js';
import { createFactorRegistry, type FactorRegistry } from './registry.js';
import { createTotpFactor, type TotpFactor } from './totp/index.js';
import type { CeremonyFactor } from './factor.js';
import { createWebauthn, type Webauthn } from './webauthn/index.js';

export interface Factors {
  registry: FactorRegistry;
  totp: TotpFactor;
  recovery: RecoveryCodes;
  webauthn: Webauthn;
}

export interface FactorsDeps {
  models: Models;
  now: () => number;
  /** FACTOR_SECRET_KEY; absent in development (generated once and kept in the store). */
  factorSecretKey: string | undefined;
  /** The one-time-code HMAC key, which also keys the recovery-code hashes. */
  otpKey: Uint8Array;
  available: readonly ChannelName[];
  issuer: string;
}

export async function createFactors({ models, now, factorSecretKey, otpKey, available, issuer }: FactorsDeps): Promise<Factors> {
  const key = await resolveFactorKey(factorSecretKey, models, now);
  const totp = createTotpFactor({ models, key, now, issuerLabel: new URL(issuer).host });
  const recovery = createRecoveryCodes({ models, key: otpKey, now });
  const webauthn = createWebauthn({ models, now, issuer });
  const passkeys: CeremonyFactor = { name: 'webauthn', family: 'ceremony', label: 'Use a passkey or security key', amr: ['hwk', 'user'], usable: (user) => webauthn.usable(user) };
  return { registry: createFactorRegistry([passkeys, totp.factor, recovery.factor], available), totp, recovery, webauthn };
}
