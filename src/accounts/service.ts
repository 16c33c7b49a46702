// Account services: the one place practices and users are created and changed. HTTP handlers,
// the operator CLI and tests all call these, never the models directly for writes.
import { randomBytes } from 'node:crypto';
import { Types, type HydratedDocument } from 'mongoose';
import { type AppError, appError } from '../errors.js';
import type { Models } from '../store/models/index.js';
import { MFA_POLICIES, type MfaPolicy, type Practice } from '../store/models/practice.js';
import { E164, USER_ROLES, type User, type UserRole } from '../store/models/user.js';
import { assertValidEmail, normalizeEmail } from './email.js';
import { assertAcceptablePassword, type PasswordHasher } from './password.js';
import { resolvePasswordPolicy, type PasswordPolicy } from './password-policy/index.js';
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
export type UserDoc = HydratedDocument<User>;

export interface AccountServiceDeps {
  models: Models;
  hasher: PasswordHasher;
  now?: () => number;
}

export type AccountService = ReturnType<typeof createAccountService>;

export function createAccountService({ models, hasher, now = Date.now }: AccountServiceDeps) {
  const { Practice, User } = models;

  /** The practice's effective policy: its stored choices over the defaults (all defaults if none). */
  async function passwordPolicyFor(practiceId: string | Types.ObjectId): Promise<PasswordPolicy> {
    const practice = await Practice.findById(practiceId, { passwordPolicy: 1 }).lean();
    return resolvePasswordPolicy(practice?.passwordPolicy);
  }

  async function requireUser(sub: string): Promise<UserDoc> {
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
      return User.create({
        sub: newSubject(),
        email,
        name: input.name.trim(),
        role: input.role,
        practiceId: input.practiceId,
        emailVerified: input.emailVerified ?? false,
        active: input.active ?? true,
        ...(input.phone ? { phone: input.phone } : {}),
        ...(input.password !== undefined
          ? { passwordHash: await hasher.hash(input.password), passwordChangedAt: new Date(now()) }
          : {}),
      });
    },

    async setPassword(sub: string, password: string): Promise<void> {
      const user = await requireUser(sub);
      assertAcceptablePassword(password, await passwordPolicyFor(user.practiceId), { name: user.name, email: user.email });
      user.passwordHash = await hasher.hash(password);
      user.passwordChangedAt = new Date(now());
      await user.save();
    },

    async setUserActive(sub: string, active: boolean): Promise<void> {
      const user = await requireUser(sub);
      user.active = active;
      await user.save();
    },

    findUserBySub: (sub: string) => User.findOne({ sub }),
    findUserByEmail: (email: string) => User.findOne({ email: normalizeEmail(email) }),
    passwordPolicyFor,
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
