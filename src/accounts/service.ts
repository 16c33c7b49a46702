// Account services: the one place practices and users are created and changed. HTTP handlers,
// the operator CLI and tests all call these, never the models directly for writes.
import { randomBytes } from 'node:crypto';
import { Types, type HydratedDocument } from 'mongoose';
import { type AppError, appError } from '../errors.js';
import type { Models } from '../store/models/index.js';
import { MFA_POLICIES, type MfaPolicy, type Practice } from '../store/models/practice.js';
import { E164, USER_ROLES, type User, type UserRole } from '../store/models/user.js';
import type { MembershipFields } from '../store/models/membership.js';
import { createMemberships, joinMember, withHomePractice } from './memberships.js';
import { assertValidEmail, normalizeEmail } from './email.js';
import { assertAcceptablePassword, type PasswordHasher } from './password.js';
import { resolvePasswordPolicy, strictestPolicy, type PasswordPolicy, type StrictestPolicy } from './password-policy/index.js';
import { createPracticeSecurity } from './practice-security.js';
import { createPasskeyPolicy } from './passkey-policy.js';
import { createPracticeUsers } from './practice-users.js';

export interface CreatePracticeInput {
  name: string;
  mfaPolicy?: MfaPolicy;
}

export interface CreateUserInput {
  practiceId: string | Types.ObjectId;
  email: string;
  name: string;
  role: UserRole;
  password?: string;
  phone?: string;
  emailVerified?: boolean;
  active?: boolean;
}

export type PracticeDoc = HydratedDocument<Practice>;
/** The identity document alone (password, factors, lockout...). */
export type IdentityDoc = HydratedDocument<User>;
/** The identity document joined with one membership: "a user of a practice" (memberships.ts). */
export type UserDoc = IdentityDoc & MembershipFields;

export interface AccountServiceDeps {
  models: Models;
  hasher: PasswordHasher;
  now?: () => number;
}

export type AccountService = ReturnType<typeof createAccountService>;

export function createAccountService({ models, hasher, now = Date.now }: AccountServiceDeps) {
  const { Practice, User, Membership } = models;
  const memberships = createMemberships({ models });

  /** The practice's effective policy: its stored choices over the defaults (all defaults if none). */
  async function passwordPolicyFor(practiceId: string | Types.ObjectId): Promise<PasswordPolicy> {
    const practice = await Practice.findById(practiceId, { passwordPolicy: 1 }).lean();
    return resolvePasswordPolicy(practice?.passwordPolicy);
  }

  /**
   * The policy the person's one password must meet: the strictest of their active practices' (all
   * their memberships' when none is active yet, the defaults when they have none), with which
   * practice asked for each rule (`practices`: how many policies were combined).
   */
  async function passwordPolicyForUser(userId: Types.ObjectId): Promise<StrictestPolicy & { practices: number }> {
    const all = await Membership.find({ userId }, { practiceId: 1, status: 1 }).lean();
    const active = all.filter((membership) => membership.status === 'active');
    const ids = (active.length > 0 ? active : all).map((membership) => membership.practiceId);
    const practices = ids.length > 0 ? await Practice.find({ _id: { $in: ids } }, { name: 1, passwordPolicy: 1 }).sort({ name: 1 }).lean() : [];
    const named = practices.map((practice) => ({ name: practice.name, policy: resolvePasswordPolicy(practice.passwordPolicy) }));
    return { ...strictestPolicy(named), practices: named.length };
  }

  async function requireUser(sub: string): Promise<IdentityDoc> {
    const user = await User.findOne({ sub });
    if (!user) throw appError('user_not_found', { detail: `no user with sub ${sub}` });
    return user;
  }

  return {
    async createPractice({ name, mfaPolicy = 'risk' }: CreatePracticeInput): Promise<PracticeDoc> {
      if (!MFA_POLICIES.includes(mfaPolicy)) throw badInput(`mfaPolicy must be one of ${MFA_POLICIES.join(', ')}`);
      if (!name?.trim()) throw badInput('practice name is required');
      return Practice.create({ name: name.trim(), mfaPolicy });
    },

    async setPracticeMfaPolicy(practiceId: string | Types.ObjectId, mfaPolicy: MfaPolicy): Promise<void> {
      if (!MFA_POLICIES.includes(mfaPolicy)) throw badInput(`mfaPolicy must be one of ${MFA_POLICIES.join(', ')}`);
      const { matchedCount } = await Practice.updateOne({ _id: practiceId }, { $set: { mfaPolicy } });
      if (matchedCount === 0) throw appError('practice_not_found');
    },

    /** Validates the whole policy before storing it; fields left out keep their defaults. */
    async setPracticePasswordPolicy(practiceId: string | Types.ObjectId, policy: Partial<PasswordPolicy>): Promise<PasswordPolicy> {
      const resolved = resolvePasswordPolicy(policy);
      const { matchedCount } = await Practice.updateOne({ _id: practiceId }, { $set: { passwordPolicy: resolved } });
      if (matchedCount === 0) throw appError('practice_not_found');
      return resolved;
    },

    async createUser(input: CreateUserInput): Promise<UserDoc> {
      const email = assertValidEmail(input.email);
      if (!USER_ROLES.includes(input.role)) throw badInput(`role must be one of ${USER_ROLES.join(', ')}`);
      if (input.phone !== undefined && !E164.test(input.phone)) throw badInput('phone must be in E.164 form, e.g. +15551234567');
      if (!input.name?.trim()) throw badInput('name is required');
      if (!Types.ObjectId.isValid(input.practiceId) || !(await Practice.exists({ _id: input.practiceId }))) {
        throw badInput('practice not found');
      }
      if (input.password !== undefined) {
        assertAcceptablePassword(input.password, await passwordPolicyFor(input.practiceId), { name: input.name, email });
      }
      if (await User.exists({ email })) throw appError('email_taken', { detail: 'email already registered' });
      // The identity, then its first membership; a membership that cannot be written takes the
      // identity back with it (no half-created person).
      const user = await User.create({
        sub: newSubject(),
        email,
        name: input.name.trim(),
        emailVerified: input.emailVerified ?? false,
        ...(input.phone ? { phone: input.phone } : {}),
        ...(input.password !== undefined
          ? { passwordHash: await hasher.hash(input.password), passwordChangedAt: new Date(now()) }
          : {}),
      });
      try {
        const { membership } = await memberships.addMembership({ userId: user._id, practiceId: input.practiceId, role: input.role, status: input.active === false ? 'deactivated' : 'active' });
        return joinMember(user, membership);
      } catch (err) {
        await User.deleteOne({ _id: user._id });
        throw err;
      }
    },

    async setPassword(sub: string, password: string): Promise<void> {
      const user = await requireUser(sub);
      assertAcceptablePassword(password, (await passwordPolicyForUser(user._id)).policy, { name: user.name, email: user.email });
      user.passwordHash = await hasher.hash(password);
      user.passwordChangedAt = new Date(now());
      await user.save();
    },

    /** Every membership of the person at once (the operator's switch for the whole identity). */
    async setUserActive(sub: string, active: boolean): Promise<void> {
      const user = await requireUser(sub);
      await Membership.updateMany({ userId: user._id, status: active ? 'deactivated' : 'active' }, { $set: { status: active ? 'active' : 'deactivated' } });
    },

    /**
     * The person by sub or email, joined with their home membership (memberships.ts
     * withHomePractice): for identity-wide flows. Null without an identity or any membership.
     */
    findUserBySub: async (sub: string): Promise<UserDoc | null> => {
      const user = await User.findOne({ sub });
      return user ? withHomePractice(models, user) : null;
    },
    findUserByEmail: async (email: string): Promise<UserDoc | null> => {
      const user = await User.findOne({ email: normalizeEmail(email) });
      return user ? withHomePractice(models, user) : null;
    },
    passwordPolicyFor,
    passwordPolicyForUser,
    memberships,
    findPractice: (practiceId: string | Types.ObjectId) => Practice.findById(practiceId),
    requireUser,
    // What a practice admin does, always within one practice (see practice-users.ts).
    ...createPracticeUsers({ models }),
    ...createPracticeSecurity({ models }),
    ...createPasskeyPolicy({ models }),
  };
}

/** The subject identifier given to apps: random, opaque, never reused. */
export function newSubject(): string {
  return randomBytes(16).toString('base64url');
}

function badInput(message: string): AppError {
  return appError('invalid_input', { message });
}
