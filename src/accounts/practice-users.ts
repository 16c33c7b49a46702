// A practice admin's view of the practice's users: every lookup and write is filtered by the
// practice id as well as the user id, so an id from another practice matches nothing (the caller
// shows "not found"). Each change returns exactly what changed, for the audit entry.
import { Types } from 'mongoose';
import { type AppError, appError } from '../errors.js';
import type { Member, Models } from '../store/models/index.js';
import { E164, MFA_CHANNELS, USER_ROLES, type MfaChannel, type UserRole } from '../store/models/user.js';
import { changesBetween, type Changes } from './changes.js';
import { assertValidEmail } from './email.js';
import type { UserDoc } from './service.js';
import { createMemberships, joinMember } from './memberships.js';
import { t } from '../i18n/request.js';
import { isDuplicateKey } from '../store/duplicate-key.js';

export const USERS_PER_PAGE = 25;
/** Members who joined (an invited person is not yet one: src/admin/users/invited.ts lists them). */
const JOINED = ['active', 'deactivated'] as const;

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
  /** Lean: for listing. */
  users: Member[];
  total: number;
  /** 1-based, clamped to the pages that exist. */
  page: number;
  pages: number;
}

type PracticeId = Types.ObjectId | string;

export function createPracticeUsers({ models }: { models: Models }) {
  const { User, Membership } = models;
  const memberships = createMemberships({ models });

  /** The identity joined with its membership in this practice (any status), or null: another practice's user is not found. */
  async function findPracticeUser(practiceId: PracticeId, userId: Types.ObjectId | string): Promise<UserDoc | null> {
    if (!Types.ObjectId.isValid(userId) || !Types.ObjectId.isValid(practiceId)) return null;
    const membership = await Membership.findOne({ userId, practiceId }).lean();
    const user = membership ? await User.findById(userId) : null;
    return user && membership ? joinMember(user, membership) : null;
  }

  async function requirePracticeUser(practiceId: PracticeId, userId: Types.ObjectId | string): Promise<UserDoc> {
    const user = await findPracticeUser(practiceId, userId);
    if (!user) throw appError('not_found', { detail: 'no such user in this practice' });
    return user;
  }

  return {
    findPracticeUser,
    requirePracticeUser,

    /** Name or email containing the search text (case-insensitive, taken literally), by name. */
    async listPracticeUsers(practiceId: PracticeId, { search = '', page = 1 }: { search?: string; page?: number }): Promise<UserPage> {
      const text = search.trim().slice(0, 100);
      const pattern = new RegExp(escapeRegExp(text), 'i');
      // The invited are listed apart, as the admin typed them (src/admin/users/invited.ts).
      const filter = await memberships.inPractice(practiceId, text ? { $or: [{ name: pattern }, { email: pattern }] } : {}, JOINED);
      const total = await User.countDocuments(filter as Record<string, unknown>);
      const pages = Math.max(1, Math.ceil(total / USERS_PER_PAGE));
      const current = Math.min(Math.max(1, Math.trunc(page) || 1), pages);
      const users = await memberships.findMembers(practiceId, text ? { $or: [{ name: pattern }, { email: pattern }] } : {}, { sort: { name: 1, email: 1 }, skip: (current - 1) * USERS_PER_PAGE, limit: USERS_PER_PAGE, statuses: JOINED });
      return { users, total, page: current, pages };
    },

    /**
     * Name and role, which apply at once. Email and phone never change here: an admin's change of
     * either waits for the new address to prove itself (src/accounts/account-change/).
     */
    async updateNameAndRole(practiceId: PracticeId, userId: Types.ObjectId | string, input: { name: string; role: UserRole }): Promise<Changes> {
      const user = await requirePracticeUser(practiceId, userId);
      const name = checkName(input.name);
      if (!USER_ROLES.includes(input.role)) throw badInput(t('members:choose_role'), 'role');
      const changes = changesBetween({ name: user.name, role: user.role }, { name, role: input.role });
      user.name = name;
      await saveUser(user);
      // The role is this practice's only (the membership); the name is the person's.
      await memberships.setMembershipRole(user._id, practiceId, input.role);
      return changes;
    },

    /** "Save access for user": two-step sign-in on or off, and where its codes go. */
    async setUserAccess(practiceId: PracticeId, userId: Types.ObjectId | string, input: UserAccessInput): Promise<Changes> {
      const user = await requirePracticeUser(practiceId, userId);
      if (!MFA_CHANNELS.includes(input.mfaChannel)) throw badInput('Choose email or text message for the sign-in codes.', 'mfaChannel');
      if (input.mfaChannel === 'sms' && !user.phone) throw badInput('Text messages need a mobile number: add one to the profile first, or choose email.', 'mfaChannel');
      const changes = changesBetween({ mfaEnabled: user.mfaEnabled, mfaChannel: user.mfaChannel }, { ...input });
      user.mfaChannel = input.mfaChannel;
      await saveUser(user);
      // Two-step on/off is this practice's choice (the membership); the code channel is the person's.
      await memberships.setMembershipMfa(user._id, practiceId, input.mfaEnabled);
      user.mfaEnabled = input.mfaEnabled;
      return changes;
    },
  };
}

/** Trims and checks the profile fields; every message names the field. */
export function checkProfile(input: UserProfileInput): { name: string; email: string; phone: string | undefined; role: UserRole } {
  const name = checkName(input.name);
  const email = assertValidEmail(input.email);
  const phone = checkPhone(input.phone ?? '');
  if (!USER_ROLES.includes(input.role)) throw badInput(t('members:choose_role'), 'role');
  return { name, email, phone, role: input.role };
}

export function checkName(input: string): string {
  const name = String(input ?? '').trim();
  if (!name) throw badInput(t('members:enter_name'), 'name');
  if (name.length > 200) throw badInput(t('members:name_too_long', { max: 200 }), 'name');
  return name;
}

/** A mobile number as typed (`+1 (555) 123-4567`) in E.164, or a 400 naming the form. '' is none. */
export function checkPhone(input: string): string | undefined {
  const phone = String(input ?? '').replace(/[\s().-]/g, '');
  if (phone && !E164.test(phone)) throw badInput(t('members:phone_form'), 'phone');
  return phone || undefined;
}

async function saveUser(user: UserDoc): Promise<void> {
  try {
    await user.save();
  } catch (err) {
    if (isDuplicateKey(err)) throw emailTaken();
    throw err;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function emailTaken(): AppError {
  return appError('email_taken', { detail: 'email already registered', field: 'email' });
}

function badInput(message: string, field?: string): AppError {
  return appError('invalid_input', { message, ...(field ? { field } : {}) });
}
