// The registry of second factors: which ones a user can use now, under their practice's policy,
// with their default first. The sign-in page offers the first and lists the others ("Try another
// way"); the account pages ask it before removing a factor (the last allowed one never goes).
import type { ChannelName } from '../channels/channel.js';
import type { CeremonyFactor, FactorName, FactorUser, SecondFactor, SentFactor, TypedFactor } from './factor.js';
import { FACTOR_NAMES } from './factor.js';
import { factorAllowed, type FactorPolicy } from './policy.js';

export interface FactorRegistry {
  get(name: FactorName): SecondFactor;
  /** Usable and allowed, the user's default first (then the order of FACTOR_NAMES). */
  usableBy(user: FactorUser, policy: FactorPolicy): Promise<SecondFactor[]>;
}

export function sentFactor(channel: ChannelName, available: readonly ChannelName[]): SentFactor {
  return channel === 'sms'
    ? { name: 'sms', family: 'sent', label: 'Send the code by text message instead', amr: ['sms', 'otp'], usable: async (user) => Boolean(user.phone) && available.includes('sms') }
    : { name: 'email', family: 'sent', label: 'Send the code by email instead', amr: ['otp'], usable: async () => true };
}

export function createFactorRegistry(typed: readonly (TypedFactor | CeremonyFactor)[], available: readonly ChannelName[]): FactorRegistry {
  const all = new Map<FactorName, SecondFactor>([
    ['email', sentFactor('email', available)],
    ['sms', sentFactor('sms', available)],
    ...typed.map((factor) => [factor.name, factor] as const),
  ]);
  return {
    get(name) {
      const factor = all.get(name);
      if (!factor) throw new Error(`no factor ${name}`);
      return factor;
    },
    async usableBy(user, policy) {
      const candidates = FACTOR_NAMES.map((name) => all.get(name)!).filter((factor) => factorAllowed(policy, factor.name));
      const usable = (await Promise.all(candidates.map(async (factor) => ((await factor.usable(user)) ? factor : undefined)))).filter((f): f is SecondFactor => f !== undefined);
      const preferred = defaultOf(user, usable);
      return preferred ? [preferred, ...usable.filter((factor) => factor !== preferred)] : usable;
    },
  };
}

/**
 * The user's chosen default; else their passkey or security key; else their authenticator app (nothing is sent, nothing to intercept);
 * else their code channel (SMS when chosen and on file). Recovery codes never lead.
 */
function defaultOf(user: FactorUser, usable: readonly SecondFactor[]): SecondFactor | undefined {
  const named = (name: FactorName | null | undefined) => usable.find((factor) => factor.name === name);
  return named(user.defaultFactor) ?? named('webauthn') ?? named('totp') ?? named(user.mfaChannel === 'email' ? 'email' : 'sms') ?? named('email') ?? usable.find((factor) => factor.name !== 'recovery') ?? usable[0];
}
