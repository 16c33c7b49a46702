// Authenticator apps (RFC 6238). Enrolment: a pending factor holding a new random secret (sealed
// with the factor key, bound to this user and factor) is shown as a QR code and a manual key, and
// becomes the user's authenticator app only when a first code from it is typed within 15 minutes;
// it then replaces any earlier app. Sign-in: steps.ts decides; the accepted step is stored with a
// compare-and-swap on `lastStep`, so two requests racing with one code cannot both pass.
import { Types } from 'mongoose';
import { Secret, TOTP } from 'otpauth';
import type { Models } from '../../../store/models/index.js';
import type { UserFactor } from '../../../store/models/user-factor.js';
import type { FactorUser, TypedFactor, TypedOutcome } from '../factor.js';
import { open, seal } from '../secret-box.js';
import { DIGITS, matchStep, normalizeCode, PERIOD_SECONDS } from './steps.js';
import { qrSvg } from './qr.js';

export const ENROLMENT_MS = 15 * 60_000;

export interface TotpDeps {
  models: Pick<Models, 'UserFactor'>;
  key: Uint8Array;
  now: () => number;
  /** What the app shows above the code (the product's name and the issuer host). */
  issuerLabel: string;
}

export interface TotpEnrolment {
  /** The manual key, in groups of four. */
  manualKey: string;
  /** The otpauth:// URI as an inline SVG QR code. */
  qrSvg: string;
}

const boundTo = (user: { sub: string }, factorId: Types.ObjectId) => `${user.sub}|totp|${factorId.toHexString()}`;

export type TotpFactor = ReturnType<typeof createTotpFactor>;

export function createTotpFactor({ models, key, now, issuerLabel }: TotpDeps) {
  const { UserFactor } = models;
  const secretOf = (user: FactorUser, doc: UserFactor) => (doc.secret ? open(key, doc.secret, boundTo(user, doc._id)) : undefined);

  const active = (user: FactorUser) => UserFactor.findOne({ userId: user._id, kind: 'totp', confirmedAt: { $exists: true } }).lean();

  async function pending(user: FactorUser) {
    const doc = await UserFactor.findOne({ userId: user._id, kind: 'totp', confirmedAt: { $exists: false } }).lean();
    return doc?.pendingUntil && doc.pendingUntil.getTime() > now() ? doc : undefined;
  }

  async function view(user: FactorUser & { email: string }, doc: UserFactor): Promise<TotpEnrolment | undefined> {
    const base32 = secretOf(user, doc);
    if (!base32) return undefined;
    const uri = new TOTP({ issuer: issuerLabel, label: user.email, secret: Secret.fromBase32(base32), digits: DIGITS, period: PERIOD_SECONDS, algorithm: 'SHA1' }).toString();
    return { manualKey: base32.match(/.{1,4}/g)!.join(' '), qrSvg: await qrSvg(uri) };
  }

  const factor: TypedFactor = {
    name: 'totp',
    family: 'typed',
    label: 'Use your authenticator app',
    amr: ['otp'],
    input: { label: 'Code from your authenticator app', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 9 },
    usable: async (user) => Boolean(await UserFactor.exists({ userId: user._id, kind: 'totp', confirmedAt: { $exists: true } })),
    async verify(user, input): Promise<TypedOutcome> {
      const code = normalizeCode(input);
      if (!code) return 'malformed';
      const doc = await active(user);
      const base32 = doc && secretOf(user, doc);
      if (!doc || !base32) return 'wrong';
      const match = matchStep(base32, code, now(), doc.lastStep);
      if (match.outcome !== 'ok') return match.outcome;
      const swapped = await UserFactor.updateOne(
        { _id: doc._id, ...(doc.lastStep === undefined ? { lastStep: { $exists: false } } : { lastStep: doc.lastStep }) },
        { $set: { lastStep: match.step, lastUsedAt: new Date(now()) } },
      );
      return swapped.modifiedCount === 1 ? 'ok' : 'replayed';
    },
  };

  return {
    factor,
    active,
    /** The pending enrolment to show (a new one when there is none, or it lapsed). */
    async startEnrolment(user: FactorUser & { email: string }): Promise<TotpEnrolment> {
      const existing = await pending(user);
      if (existing) {
        const shown = await view(user, existing);
        if (shown) return shown;
      }
      await UserFactor.deleteMany({ userId: user._id, kind: 'totp', confirmedAt: { $exists: false } });
      const _id = new Types.ObjectId();
      const base32 = new Secret({ size: 20 }).base32;
      const doc = await UserFactor.create({
        _id, userId: user._id, kind: 'totp', name: 'Authenticator app', createdAt: new Date(now()),
        secret: seal(key, base32, boundTo(user, _id)), pendingUntil: new Date(now() + ENROLMENT_MS),
      });
      return (await view(user, doc.toObject()))!;
    },
    /**
     * The first code confirms the pending app: it becomes the user's authenticator app (replacing any
     * earlier one). `expired`: no pending enrolment (lapsed or never started).
     */
    async confirm(user: FactorUser, input: string): Promise<'ok' | 'wrong' | 'malformed' | 'expired'> {
      const code = normalizeCode(input);
      if (!code) return 'malformed';
      const doc = await pending(user);
      const base32 = doc && secretOf(user, doc);
      if (!doc || !base32) return 'expired';
      const match = matchStep(base32, code, now(), undefined);
      if (match.outcome !== 'ok') return 'wrong';
      const confirmed = await UserFactor.updateOne(
        { _id: doc._id, confirmedAt: { $exists: false } },
        { $set: { confirmedAt: new Date(now()), lastStep: match.step, lastUsedAt: new Date(now()) }, $unset: { pendingUntil: 1 } },
      );
      if (confirmed.modifiedCount !== 1) return 'expired';
      await UserFactor.deleteMany({ userId: user._id, kind: 'totp', _id: { $ne: doc._id } });
      return 'ok';
    },
    /** Removes the user's authenticator app; true when there was one. */
    async remove(user: FactorUser): Promise<boolean> {
      return (await UserFactor.deleteMany({ userId: user._id, kind: 'totp' })).deletedCount > 0;
    },
  };
}
