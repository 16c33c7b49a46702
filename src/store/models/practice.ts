// A practice is a tenant: its users sign in here; its MFA policy is read by the risk engine.
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../../i18n/languages.js';
import { MAX_LENGTH_BOUNDS, MIN_LENGTH_BOUNDS, type PasswordPolicy } from '../../accounts/password-policy/policy.js';

export const MFA_POLICIES = ['off', 'risk', 'always'] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

/**
 * Is `name` an IANA time zone this server knows? Asked of Intl itself, so the list is the runtime's.
 * Only names (a letter first): newer runtimes also take offsets such as "+05:00", older ones do not.
 */
export function isTimeZone(name: unknown): boolean {
  if (typeof name !== 'string' || !/^[A-Za-z][\w+\-/]{0,63}$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Idle time-out of browser sessions, in minutes. */
export const SESSION_IDLE_BOUNDS = { default: 15, min: 1, max: 720 } as const;

export interface Practice {
  _id: Types.ObjectId;
  name: string;
  mfaPolicy: MfaPolicy;
  /** Does a sign-in from a trusted IP skip the code? (Never when the app asks for MFA.) */
  trustedIpsBypass: boolean;
  /** Minutes without activity after which a browser session ends (SESSION_IDLE_BOUNDS). */
  sessionIdleMinutes: number;
  /** Absent until an admin sets one: the default policy applies (see resolvePasswordPolicy). */
  passwordPolicy?: PasswordPolicy;
  /** IANA zone the admin pages show local times in (the audit log); absent: the server's zone. */
  timeZone?: string;
  /** The language of its pages, emails and texts when neither the app nor the browser names one (src/i18n/). */
  language: Language;
  /** The digest of the practice's logo (src/store/models/practice-logo.ts); absent: no logo. */
  logoDigest?: string;
  /** Second factors its users may use (src/mfa/factors/policy.ts); absent: all of them. */
  factorPolicy?: { allowed: ('email' | 'sms' | 'totp' | 'webauthn')[] };
  /** Passwordless sign-in and "phishing-resistant required" (src/mfa/factors/passkey-policy.ts); absent: off, nobody. */
  passkeyPolicy?: { passwordlessAllowed: boolean; phishingResistantRequired: 'nobody' | 'admins' | 'everyone' };
  createdAt: Date;
  updatedAt: Date;
}

const passwordPolicySchema = new Schema<PasswordPolicy>({
  minLength: { type: Number, min: MIN_LENGTH_BOUNDS.min, max: MIN_LENGTH_BOUNDS.max, required: true },
  maxLength: { type: Number, min: MAX_LENGTH_BOUNDS.min, max: MAX_LENGTH_BOUNDS.max, required: true },
  requireUpper: { type: Boolean, required: true },
  requireLower: { type: Boolean, required: true },
  requireDigit: { type: Boolean, required: true },
  requireSpecial: { type: Boolean, required: true },
  rejectCommon: { type: Boolean, required: true },
  rejectPersonal: { type: Boolean, required: true },
}, { _id: false });

const schema = new Schema<Practice>({
  name: { type: String, required: true, trim: true, maxlength: 200 },
  mfaPolicy: { type: String, enum: MFA_POLICIES, default: 'risk', required: true },
  trustedIpsBypass: { type: Boolean, default: true },
  sessionIdleMinutes: { type: Number, default: SESSION_IDLE_BOUNDS.default, min: SESSION_IDLE_BOUNDS.min, max: SESSION_IDLE_BOUNDS.max },
  passwordPolicy: { type: passwordPolicySchema, required: false },
  language: { type: String, enum: LANGUAGES, default: DEFAULT_LANGUAGE },
  logoDigest: { type: String, required: false },
  timeZone: { type: String, required: false, validate: { validator: isTimeZone, message: (props: { value: unknown }) => `"${String(props.value)}" is not a time zone name` } },
  factorPolicy: { type: new Schema({ allowed: { type: [{ type: String, enum: ['email', 'sms', 'totp', 'webauthn'] }], required: true } }, { _id: false }), required: false },
  passkeyPolicy: { type: new Schema({ passwordlessAllowed: { type: Boolean, required: true }, phishingResistantRequired: { type: String, enum: ['nobody', 'admins', 'everyone'], required: true } }, { _id: false }), required: false },
}, { timestamps: true, collection: 'practices' });

export type PracticeModel = Model<Practice>;

export function practiceModel(connection: Connection): PracticeModel {
  return (connection.models.Practice as PracticeModel | undefined) ?? connection.model<Practice>('Practice', schema);
}
