// Passkeys and security keys (WebAuthn), with @simplewebauthn/server. Options are made on the
// server and embedded in the page; the browser's answer comes back in an ordinary form post. Each
// challenge is stored single-use, bound to what asked for it (the sign-in's interaction or the
// /account session) and expiring after 5 minutes (checked here): verification deletes it first, so
// it can never be answered twice or on another interaction. User verification is preferred for a
// second factor and required for a passwordless sign-in. A signature counter that does not move
// forward (a cloned authenticator) refuses the sign-in; the caller audits it.
import {
  generateAuthenticationOptions, generateRegistrationOptions, verifyAuthenticationResponse, verifyRegistrationResponse,
  type AuthenticationResponseJSON, type AuthenticatorTransport, type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON, type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { Types } from 'mongoose';
import type { Models } from '../../../store/models/index.js';
import type { UserFactor } from '../../../store/models/user-factor.js';
import type { FactorUser } from '../factor.js';

export const CHALLENGE_MS = 5 * 60_000;
/** Passkeys (discoverable, on the device or synced) or security keys (roaming, not discoverable). */
export type AuthenticatorKind = 'passkey' | 'security-key';

export interface WebauthnDeps {
  models: Pick<Models, 'UserFactor' | 'WebauthnChallenge'>;
  now: () => number;
  issuer: string;
}

export type Webauthn = ReturnType<typeof createWebauthn>;
export type ChallengePurpose = 'register' | 'authenticate';

/** The challenge store: each challenge single-use, bound, and expiring (CHALLENGE_MS, checked here). */
export function createChallenges({ models, now }: Pick<WebauthnDeps, 'models' | 'now'>) {
  const { WebauthnChallenge } = models;
  return {
    async remember(challenge: string, purpose: ChallengePurpose, boundTo: string, userSub?: string): Promise<void> {
      await WebauthnChallenge.create({ _id: challenge, purpose, boundTo, ...(userSub ? { userSub } : {}), expiresAt: new Date(now() + CHALLENGE_MS) });
    },
    /** A checker for the library: true only once per challenge, for its purpose and binding, before it expires. */
    spend(purpose: ChallengePurpose, boundTo: string) {
      return async (challenge: string): Promise<boolean> => {
        const doc = await WebauthnChallenge.findOneAndDelete({ _id: challenge, purpose, boundTo }).lean();
        return Boolean(doc && doc.expiresAt.getTime() > now());
      };
    },
  };
}

export function createWebauthn({ models, now, issuer }: WebauthnDeps) {
  const { UserFactor } = models;
  const origin = new URL(issuer).origin;
  const rpID = new URL(issuer).hostname;

  const { remember, spend } = createChallenges({ models, now });

  const credentialsOf = (user: { _id: Types.ObjectId }) => UserFactor.find({ userId: user._id, kind: 'webauthn' }).sort({ createdAt: 1 }).lean();
  const descriptor = (doc: UserFactor) => ({ id: doc.credentialId!, ...(doc.transports?.length ? { transports: doc.transports as AuthenticatorTransport[] } : {}) });

  return {
    rpID,
    list: credentialsOf,
    usable: async (user: { _id: Types.ObjectId }) => Boolean(await UserFactor.exists({ userId: user._id, kind: 'webauthn' })),

    async registrationOptions(user: FactorUser & { name: string }, kind: AuthenticatorKind, boundTo: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
      const existing = await credentialsOf(user);
      const options = await generateRegistrationOptions({
        rpName: new URL(issuer).host, rpID,
        userName: user.email, userDisplayName: user.name, userID: new TextEncoder().encode(user.sub),
        attestationType: 'none',
        excludeCredentials: existing.map(descriptor),
        authenticatorSelection: kind === 'passkey'
          ? { residentKey: 'required', userVerification: 'required' }
          : { residentKey: 'discouraged', userVerification: 'preferred', authenticatorAttachment: 'cross-platform' },
      });
      await remember(options.challenge, 'register', boundTo, user.sub);
      return options;
    },

    /** Verifies a registration and stores the credential under `name`; undefined when refused. */
    async register(user: FactorUser, response: RegistrationResponseJSON, kind: AuthenticatorKind, name: string, boundTo: string): Promise<UserFactor | undefined> {
      let verified;
      try {
        verified = await verifyRegistrationResponse({ response, expectedChallenge: spend('register', boundTo), expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: kind === 'passkey' });
      } catch {
        return undefined;
      }
      if (!verified.verified) return undefined;
      const { credential, credentialDeviceType } = verified.registrationInfo;
      const doc = await UserFactor.create({
        _id: new Types.ObjectId(), userId: user._id, kind: 'webauthn', name, createdAt: new Date(now()), confirmedAt: new Date(now()),
        credentialId: credential.id, publicKey: Buffer.from(credential.publicKey).toString('base64url'), counter: credential.counter,
        ...(credential.transports ? { transports: credential.transports } : {}), deviceType: credentialDeviceType, discoverable: kind === 'passkey',
      });
      return doc.toObject();
    },

    /** Options for a sign-in: the user's credentials (second factor), or none (passwordless: any passkey). */
    async authenticationOptions(boundTo: string, user?: FactorUser): Promise<PublicKeyCredentialRequestOptionsJSON> {
      const options = await generateAuthenticationOptions({
        rpID,
        userVerification: user ? 'preferred' : 'required',
        ...(user ? { allowCredentials: (await credentialsOf(user)).map(descriptor) } : {}),
      });
      await remember(options.challenge, 'authenticate', boundTo, user?.sub);
      return options;
    },

    /**
     * Checks an assertion. `user`: the sign-in's user (the credential must be theirs); absent for a
     * passwordless sign-in (the credential names its user; user verification is then required).
     */
    async authenticate(response: AuthenticationResponseJSON, boundTo: string, user?: { _id: Types.ObjectId }, options: { requireUserVerification?: boolean } = {}): Promise<
      { outcome: 'ok'; credential: UserFactor; userVerified: boolean } | { outcome: 'refused'; reason: 'unknown_credential' | 'not_verified' | 'user_not_verified' | 'counter'; credential?: UserFactor }
    > {
      const credential = typeof response?.id === 'string'
        ? await UserFactor.findOne({ kind: 'webauthn', credentialId: response.id, ...(user ? { userId: user._id } : {}) }).lean()
        : null;
      if (!credential) {
        await spend('authenticate', boundTo)(challengeOf(response) ?? ''); // the challenge is spent all the same
        return { outcome: 'refused', reason: 'unknown_credential' };
      }
      let verified;
      try {
        verified = await verifyAuthenticationResponse({
          response, expectedChallenge: spend('authenticate', boundTo), expectedOrigin: origin, expectedRPID: rpID,
          credential: { id: credential.credentialId!, publicKey: Buffer.from(credential.publicKey!, 'base64url'), counter: credential.counter ?? 0, ...(credential.transports ? { transports: credential.transports as AuthenticatorTransport[] } : {}) },
          requireUserVerification: !user || options.requireUserVerification === true,
        });
      } catch (err) {
        // The library says why in its message only: a counter that did not move forward (a cloned
        // authenticator, WebAuthn §6.1.1) or a user the authenticator did not verify.
        const message = (err as Error).message;
        const reason = /counter/i.test(message) ? 'counter' : /user verification/i.test(message) ? 'user_not_verified' : 'not_verified';
        return { outcome: 'refused', reason, credential };
      }
      if (!verified.verified) return { outcome: 'refused', reason: 'not_verified', credential };
      const { newCounter, userVerified } = verified.authenticationInfo;
      // The counter moves forward with a compare-and-swap: two racing uses of one assertion cannot both pass.
      const moved = await UserFactor.updateOne({ _id: credential._id, counter: credential.counter ?? 0 }, { $set: { counter: newCounter, lastUsedAt: new Date(now()) } });
      if (moved.modifiedCount !== 1 && newCounter !== 0) return { outcome: 'refused', reason: 'counter', credential };
      if (newCounter === 0) await UserFactor.updateOne({ _id: credential._id }, { $set: { lastUsedAt: new Date(now()) } });
      return { outcome: 'ok', credential, userVerified };
    },

    /** The stored credential a browser's answer names (any user's), for a passwordless sign-in. */
    credentialNamed: async (response: AuthenticationResponseJSON): Promise<UserFactor | null> =>
      typeof response?.id === 'string' ? UserFactor.findOne({ kind: 'webauthn', credentialId: response.id }).lean() : null,

    /** Spends the challenge an answer names without checking it (an answer refused before verification). */
    discard: async (response: AuthenticationResponseJSON | undefined, boundTo: string): Promise<void> => {
      await spend('authenticate', boundTo)(challengeOf(response) ?? '');
    },

    async rename(user: { _id: Types.ObjectId }, id: string, name: string): Promise<UserFactor | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      return UserFactor.findOneAndUpdate({ _id: id, userId: user._id, kind: 'webauthn' }, { $set: { name } }, { new: false }).lean();
    },

    async remove(user: { _id: Types.ObjectId }, id: string): Promise<UserFactor | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      return UserFactor.findOneAndDelete({ _id: id, userId: user._id, kind: 'webauthn' }).lean();
    },
  };
}

/** The challenge a browser's answer names (from its clientDataJSON), to spend it. */
function challengeOf(response: AuthenticationResponseJSON | undefined): string | undefined {
  try {
    return (JSON.parse(Buffer.from(response!.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: string }).challenge;
  } catch {
    return undefined;
  }
}
