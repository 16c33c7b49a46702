// A person who signs in: the IDENTITY (email, password, factors, devices, lockout), shared by every
// practice they work for. `sub` is the stable opaque identifier given to apps (never the _id or email).
// Their place in each practice (role, status, two-step choice) is a membership (./membership.ts);
// `Member` there is the two joined, which code about "a user of a practice" takes.
import { LANGUAGES, type Language } from '../../i18n/languages.js';
import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const USER_ROLES = ['admin', 'clinician', 'staff'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** E.164: a plus, a country code and at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** Where a user's one-time codes go: `sms` needs a phone (without one, email is used). */
export const MFA_CHANNELS = ['email', 'sms'] as const;
export type MfaChannel = (typeof MFA_CHANNELS)[number];

/** Account lockout counters (src/mfa/lockout.ts); `version` makes every change a compare-and-swap. */
export interface UserLockout {
  /** The familiar pool (src/mfa/smart-lockout.ts): consecutive failures, locks in the streak, pause end. */
  failures: number;
  locks: number;
  lockedUntil?: Date;
  /** Failures of the familiar pool since the last completed sign-in. */
  spent: number;
  /** The same counters for failures from unfamiliar devices and networks. */
  unfamiliar: { failures: number; locks: number; lockedUntil?: Date; spent: number };
  /** When the user was last emailed that their account is being attacked (at most once a day). */
  attackNoticeAt?: Date;
  version: number;
}

export interface User {
  _id: Types.ObjectId;
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  phone?: string;
  /** The practice a sign-in enters when the person has several and the app names none (their choice). */
  defaultPracticeId?: Types.ObjectId;
  /** argon2id PHC string; absent until a password is set. */
  passwordHash?: string;
  passwordChangedAt?: Date;
  /** Preferred channel for codes; SMS is recommended and used when a phone is on file. */
  mfaChannel: MfaChannel;
  /** SMART `fhirUser`: the user's FHIR resource, relative to the FHIR base (`Practitioner/123`); src/smart/fhir-user.ts. */
  fhirUser?: string;
  /** The second factor the sign-in offers first (src/mfa/factors/); absent: the code channel. */
  defaultFactor?: 'webauthn' | 'totp' | 'sms' | 'email';
  lockout: UserLockout;
  /** The language of their last sign-in (absent: the practice's); emails sent outside their own requests use it. */
  language?: Language;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<User>({
  sub: { type: String, required: true, unique: true, immutable: true },
  email: { type: String, required: true, unique: true, lowercase: true, trim: true, maxlength: 254 },
  emailVerified: { type: Boolean, default: false },
  name: { type: String, required: true, trim: true, maxlength: 200 },
  phone: { type: String, match: E164 },
  defaultPracticeId: { type: Schema.Types.ObjectId, ref: 'Practice' },
  passwordHash: { type: String },
  passwordChangedAt: { type: Date },
  mfaChannel: { type: String, enum: MFA_CHANNELS, default: 'sms' },
  language: { type: String, enum: LANGUAGES },
  fhirUser: { type: String, maxlength: 200 },
  defaultFactor: { type: String, enum: ['webauthn', 'totp', 'sms', 'email'] },
  lockout: {
    failures: { type: Number, default: 0 },
    locks: { type: Number, default: 0 },
    lockedUntil: { type: Date },
    spent: { type: Number, default: 0 },
    unfamiliar: {
      failures: { type: Number, default: 0 },
      locks: { type: Number, default: 0 },
      lockedUntil: { type: Date },
      spent: { type: Number, default: 0 },
    },
    attackNoticeAt: { type: Date },
    version: { type: Number, default: 0 },
  },
}, { timestamps: true, collection: 'users' });

export type UserModel = Model<User>;

export function userModel(connection: Connection): UserModel {
  return (connection.models.User as UserModel | undefined) ?? connection.model<User>('User', schema);
}
