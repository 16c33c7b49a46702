// What the password step reads once the password is verified, in one command: the user's lockout
// state as it is now (failures counted by parallel tries while argon2 ran count), and with it
// (`$lookup`) the practice (its MFA policy), its trusted IP entries, whether the network and the
// device are the user's own (the device: to the user at all, for the lockout, and to the practice
// being entered, for the risk rules: its `practiceIds`). The lockout check, the smart-lockout familiarity and the risk engine
// then decide on these exactly as they did on their own reads (same filters, applied here: the
// trusted entry active by our clock, the network seen within its 90 days).
import type { Types } from 'mongoose';
import type { Collection, Document } from 'mongodb';
import { ipMatches, networkOf, normalizeIp } from '../net/ip.js';
import type { Models, Practice } from '../store/models/index.js';
import type { TrustedIp } from '../store/models/trusted-ip.js';
import type { UserLockout } from '../store/models/user.js';
import { NETWORK_MEMORY_DAYS } from '../store/models/sign-in-network.js';
import { hashOf } from './known-devices.js';

const NETWORK_MEMORY_MS = NETWORK_MEMORY_DAYS * 24 * 3_600_000;

export interface PasswordStepReads {
  /** The lockout state now (null: the user is gone). */
  stored: { lockout?: Partial<UserLockout> } | null;
  seen: { device: boolean; network: boolean };
  /** The device is known to the practice being entered (a second factor was given on it there). */
  deviceKnownHere: boolean;
  practice: Practice | null;
  trustedIp: boolean;
}

interface Joined {
  lockout?: Partial<UserLockout>;
  _practice: Practice[];
  _trusted: TrustedIp[];
  _networks: { lastSeenAt: Date }[];
  _devices: Array<{ practiceIds?: Types.ObjectId[] }>;
}

export function createPasswordStepReads({ models, now }: { models: Models; now: () => number }) {
  const users = models.User.collection as unknown as Collection;
  const from = (model: { collection: { collectionName: string } }) => model.collection.collectionName;

  return async (user: { _id: Types.ObjectId }, practiceId: Types.ObjectId, source: { ip?: string | undefined; deviceId?: string | undefined }): Promise<PasswordStepReads> => {
    const network = source.ip && normalizeIp(source.ip) ? networkOf(source.ip) : undefined;
    const pipeline: Document[] = [
      { $match: { _id: user._id } },
      // The practice being entered (a membership's), not one stored on the identity.
      { $project: { lockout: 1 } },
      { $set: { _entered: practiceId } },
      { $lookup: { from: from(models.Practice), localField: '_entered', foreignField: '_id', as: '_practice' } },
      { $lookup: { from: from(models.TrustedIp), localField: '_entered', foreignField: 'practiceId', as: '_trusted' } },
      network
        ? { $lookup: { from: from(models.SignInNetwork), localField: '_id', foreignField: 'userId', pipeline: [{ $match: { network } }], as: '_networks' } }
        : { $set: { _networks: [] } },
      source.deviceId
        ? { $lookup: { from: from(models.KnownDevice), localField: '_id', foreignField: 'userId', pipeline: [{ $match: { deviceHash: hashOf(source.deviceId) } }, { $project: { _id: 1, practiceIds: 1 } }], as: '_devices' } }
        : { $set: { _devices: [] } },
    ];
    const [joined] = (await users.aggregate(pipeline).toArray()) as Joined[];
    if (!joined) return { stored: null, seen: { device: false, network: false }, deviceKnownHere: false, practice: null, trustedIp: false };
    const at = now();
    // trusted-ips.ts `matches`: practice-wide entries and the user's own, not expired.
    const trusted = joined._trusted.filter((entry) => (!entry.userId || entry.userId.equals(user._id)) && (!entry.expiresAt || entry.expiresAt.getTime() > at));
    return {
      stored: joined.lockout ? { lockout: joined.lockout } : {},
      // sign-in-networks.ts `seen` and known-devices.ts `isKnown`.
      seen: { device: joined._devices.length > 0, network: joined._networks.some((seen) => seen.lastSeenAt.getTime() > at - NETWORK_MEMORY_MS) },
      deviceKnownHere: joined._devices.some((device) => device.practiceIds?.some((id) => id.equals(practiceId)) === true),
      practice: joined._practice[0] ?? null,
      trustedIp: Boolean(source.ip) && ipMatches(source.ip!, trusted.map((entry) => entry.entry)),
    };
  };
}
