// A practice admin's view of the practice's users: every lookup and write is filtered by the
// practice id as well as the user id, so an id from another practice matches nothing (the caller
// shows "not found"). Each change returns exactly what changed, for the audit entry.
import { Types } from 'mongoose';
import { AppError } from '../errors.js';
import type { Models } from '../store/models/index.js';
import { E164, MFA_CHANNELS, USER_ROLES, type MfaChannel, type UserRole } from '../store/models/user.js';
import { changesBetween, type Changes } from './changes.js';
import { assertValidEmail } from './email.js';
import type { UserDoc } from './service.js';

export const USERS_PER_PAGE = 25;

export interface UserProfileInput {
  name: string;
  email: string;
  /** E.164, or '' / undefined for none. */
  phone?: string;
  role: UserRole;
}

export interface UserAccessInput {
  mfaEnabled: boolean;
  mfaChannel: MfaChannel;
}

export interface UserPage {
  users: UserDoc[];
  total: number;
  /** 1-based, clamped to the pages that exist. */
  page: number;
  pages: number;
}

type PracticeId = Types.ObjectId | string;

export function createPracticeUsers({ models }: { models: Models }) {
  const { User } = models;

  async function requirePracticeUser(practiceId: PracticeId, userId: Types.ObjectId | string): Promise<UserDoc> {
    const user = Types.ObjectId.isValid(userId) ? await User.findOne({ _id: userId, practiceId }) : null;
    if (!user) throw new AppError('no such user in this practice', { status: 404, code: 'not_found', userMessage: 'The page you asked for does not exist.' });
    return user;
  }

  return {
    findPracticeUser: (practiceId: PracticeId, userId: Types.ObjectId | string) =>
      Types.ObjectId.isValid(userId) ? User.findOne({ _id: userId, practiceId }) : Promise.resolve(null),
    requirePracticeUser,

    /** Name or email containing the search text (case-insensitive, taken literally), by name. */
    async listPracticeUsers(practiceId: PracticeId, { search = '', page = 1 }: { search?: string; page?: number }): Promise<UserPage> {
      const text = search.trim().slice(0, 100);
      const pattern = new RegExp(escapeRegExp(text), 'i');
      const filter = text ? { practiceId, $or: [{ name: pattern }, { email: pattern }] } : { practiceId };
      const total = await User.countDocuments(filter);
      const pages = Math.max(1, Math.ceil(total / USERS_PER_PAGE));
      const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
      const users = await User.find(filter).sort({ name: 1, email: 1 }).skip((current - 1) * USERS_PER_PAGE).limit(USERS_PER_PAGE);
      return { users, total, page: current, pages };
    },

    async updateUserProfile(practiceId: PracticeId, userId: Types.ObjectId | string, input: UserProfileInput): Promise<Changes> {
      const user = await requirePracticeUser(practiceId, userId);
      const profile = checkProfile(input);
      if (!profile.phone && user.mfaEnabled && user.mfaChannel === 'sms') {
        throw badInput('This user receives sign-in codes by text message: choose email delivery under "Access" first, or keep a mobile number.');
      }
      if (profile.email !== user.email && (await User.exists({ email: profile.email, _id: { $ne: user._id } }))) throw emailTaken();
      const before = { name: user.name, email: user.email, phone: user.phone, role: user.role };
      const changes = changesBetween(before, profile);
      user.name = profile.name;
      if (profile.email !== user.email) {
        user.email = profile.email;
        user.emailVerified = false;
      }
      user.phone = profile.phone;
      user.role = profile.role;
      await saveUser(user);
      // A set-password link mailed to the old (perhaps mistyped) address must not outlive it.
      if ('email' in changes.after) await models.PasswordToken.deleteMany({ userSub: user.sub });
      return changes;
    },

    /** "Save access for user": two-step sign-in on or off, and where its codes go. */
    async setUserAccess(practiceId: PracticeId, userId: Types.ObjectId | string, input: UserAccessInput): Promise<Changes> {
      const user = await requirePracticeUser(practiceId, userId);
      if (!MFA_CHANNELS.includes(input.mfaChannel)) throw badInput('Choose email or text message for the sign-in codes.');
      if (input.mfaChannel === 'sms' && !user.phone) throw badInput('Text messages need a mobile number: add one to the profile first, or choose email.');
      const changes = changesBetween({ mfaEnabled: user.mfaEnabled, mfaChannel: user.mfaChannel }, { ...input });
      user.mfaEnabled = input.mfaEnabled;
      user.mfaChannel = input.mfaChannel;
      await saveUser(user);
      return changes;
    },

    async setPracticeUserActive(practiceId: PracticeId, userId: Types.ObjectId | string, active: boolean): Promise<{ user: UserDoc; changes: Changes }> {
      const user = await requirePracticeUser(practiceId, userId);
      const changes = changesBetween({ active: user.active }, { active });
      user.active = active;
      await saveUser(user);
      return { user, changes };
    },
  };
}

/** Trims and checks the profile fields; every message names the field. */
export function checkProfile(input: UserProfileInput): { name: string; email: string; phone: string | undefined; role: UserRole } {
  const name = String(input.name ?? '').trim();
  if (!name) throw badInput('Enter the user\'s name.');
  if (name.length > 200) throw badInput('Keep the name under 200 characters.');
  const email = assertValidEmail(input.email);
  const phone = String(input.phone ?? '').replace(/[\s().-]/g, '');
  if (phone && !E164.test(phone)) throw badInput('Enter the mobile number in international form, e.g. +15551234567.');
  if (!USER_ROLES.includes(input.role)) throw badInput('Choose a role: admin, clinician or staff.');
  return { name, email, phone: phone || undefined, role: input.role };
}

async function saveUser(user: UserDoc): Promise<void> {
  try {
    await user.save();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw emailTaken();
    throw err;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function emailTaken(): AppError {
  return new AppError('email already registered', { status: 409, code: 'email_taken', userMessage: 'A user with this email already exists.' });
}

function badInput(message: string): AppError {
  return new AppError(message, { status: 400, code: 'invalid_input', userMessage: message });
}
