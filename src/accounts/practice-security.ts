// A practice's security settings as one value the admin page reads and saves: MFA policy, whether
// trusted IPs skip the code, the idle time-out, the password policy and the time zone admin pages
// show local times in. Everything is checked before anything is stored; the sign-in path reads the
// practice on every sign-in, so a saved change applies to the next sign-in of every user.
import type { Types } from 'mongoose';
import { type AppError, appError } from '../errors.js';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from '../i18n/languages.js';
import type { Models } from '../store/models/index.js';
import { MFA_POLICIES, SESSION_IDLE_BOUNDS, isTimeZone, type MfaPolicy } from '../store/models/practice.js';
import { parseAllowedFactors, resolveFactorPolicy } from '../mfa/factors/policy.js';
import type { PolicyFactor } from '../mfa/factors/factor.js';
import { changesBetween, nothingChanged, type Changes } from './changes.js';
import { resolvePasswordPolicy, type PasswordPolicy } from './password-policy/index.js';
import { t } from '../i18n/request.js';

export interface PracticeSecurity {
  mfaPolicy: MfaPolicy;
  trustedIpsBypass: boolean;
  sessionIdleMinutes: number;
  passwordPolicy: PasswordPolicy;
  /** IANA name, e.g. "America/Chicago"; null: the server's zone. */
  timeZone: string | null;
  /** Pages, emails and texts when neither the app nor the browser names a language (src/i18n/). */
  language: Language;
  /** Second factors the practice's users may use (src/mfa/factors/policy.ts); never empty. */
  allowedFactors: PolicyFactor[];
}

type PracticeId = Types.ObjectId | string;

export function createPracticeSecurity({ models }: { models: Models }) {
  const { Practice } = models;

  async function practiceSecurity(practiceId: PracticeId): Promise<PracticeSecurity> {
    const practice = await Practice.findById(practiceId).lean();
    if (!practice) throw appError('practice_not_found');
    return {
      mfaPolicy: practice.mfaPolicy,
      trustedIpsBypass: practice.trustedIpsBypass !== false,
      sessionIdleMinutes: practice.sessionIdleMinutes ?? SESSION_IDLE_BOUNDS.default,
      passwordPolicy: resolvePasswordPolicy(practice.passwordPolicy),
      timeZone: practice.timeZone ?? null,
      language: isLanguage(practice.language) ? practice.language : DEFAULT_LANGUAGE,
      allowedFactors: resolveFactorPolicy(practice.factorPolicy).allowed,
    };
  }

  return {
    practiceSecurity,

    /** Stores the whole set; returns exactly what changed (nothing stored when nothing changed). */
    async setPracticeSecurity(practiceId: PracticeId, next: PracticeSecurity): Promise<Changes> {
      const checked = checkSecurity(next);
      const changes = changesBetween(toRecord(await practiceSecurity(practiceId)), toRecord(checked));
      if (nothingChanged(changes)) return changes;
      const { timeZone, allowedFactors, ...settings } = checked;
      const rest = { ...settings, factorPolicy: { allowed: allowedFactors } };
      const update = timeZone === null ? { $set: rest, $unset: { timeZone: 1 } } : { $set: { ...rest, timeZone } };
      const { matchedCount } = await Practice.updateOne({ _id: practiceId }, update);
      if (matchedCount === 0) throw appError('practice_not_found');
      return changes;
    },
  };
}

export function checkSecurity(next: PracticeSecurity): PracticeSecurity {
  if (!MFA_POLICIES.includes(next.mfaPolicy)) throw badInput(t('admin:security.choose_policy'));
  const { min, max } = SESSION_IDLE_BOUNDS;
  if (!Number.isInteger(next.sessionIdleMinutes) || next.sessionIdleMinutes < min || next.sessionIdleMinutes > max) {
    throw badInput(t('admin:security.idle_range_hours', { min, max }));
  }
  return {
    mfaPolicy: next.mfaPolicy,
    trustedIpsBypass: next.trustedIpsBypass === true,
    sessionIdleMinutes: next.sessionIdleMinutes,
    passwordPolicy: resolvePasswordPolicy(next.passwordPolicy),
    timeZone: checkTimeZone(next.timeZone),
    language: checkLanguage(next.language),
    allowedFactors: checkFactors(next.allowedFactors),
  };
}

/** Empty means the server's zone; a known name is stored as Intl spells it ("america/chicago" → "America/Chicago"). */
function checkTimeZone(name: string | null | undefined): string | null {
  const text = (name ?? '').trim();
  if (!text) return null;
  if (!isTimeZone(text)) {
    throw badInput(t('admin:security.unknown_zone', { zone: text.slice(0, 64) }));
  }
  return new Intl.DateTimeFormat(undefined, { timeZone: text }).resolvedOptions().timeZone;
}

function checkLanguage(language: unknown): Language {
  if (!isLanguage(language)) throw badInput(t('admin:security.choose_language', { languages: LANGUAGES.join(t('admin:or')) }));
  return language;
}

function checkFactors(names: readonly string[] | undefined): PolicyFactor[] {
  const allowed = parseAllowedFactors(names ?? []);
  if (!allowed) throw badInput(t('admin:security.one_factor'));
  return allowed;
}

function toRecord(security: PracticeSecurity): Record<string, unknown> {
  return { ...security, passwordPolicy: { ...security.passwordPolicy }, allowedFactors: security.allowedFactors.join(',') };
}

function badInput(message: string): AppError {
  return appError('invalid_input', { message });
}
