// Known devices: browsers that completed a two-step sign-in for a user. The browser's id comes from
// the device cookie; only its SHA-256 is stored. A device is known per practice: it carries the
// practices a second factor was given on it for (`practiceIds`), so practice A's risk rules count
// it only once A was entered on it with a factor, A's admin sees and forgets only A's tag (a device
// left with no tag is deleted), and another practice's knowledge of it is untouched. The user sees
// and forgets all their devices (/account); the lockout's "familiar device" is identity-wide.
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Models } from '../store/models/index.js';
import type { KnownDevice } from '../store/models/known-device.js';

export type KnownDevices = ReturnType<typeof createKnownDevices>;

export const hashOf = (deviceId: string) => createHash('sha256').update(deviceId).digest('base64url');

export function createKnownDevices({ models, now }: { models: Models; now: () => number }) {
  const { KnownDevice } = models;
  return {
    /** Known to the user at all (no practice: the lockout's familiarity), or to one practice's risk rules. */
    async isKnown(userId: Types.ObjectId, deviceId: string | undefined, practiceId?: Types.ObjectId): Promise<boolean> {
      if (!deviceId) return false;
      return (await KnownDevice.exists({ userId, deviceHash: hashOf(deviceId), ...(practiceId ? { practiceIds: practiceId } : {}) })) !== null;
    },

    /**
     * After a successful second factor while entering `practiceId`: known there from now on (first
     * seen kept on a repeat). `null`: no practice entered yet (a passkey alone, the chooser next):
     * the user's device, known to no practice until a factor is given entering one.
     */
    async remember(userId: Types.ObjectId, deviceId: string, seen: { userAgent?: string; ip?: string }, practiceId: Types.ObjectId | null): Promise<void> {
      const at = new Date(now());
      await KnownDevice.updateOne(
        { userId, deviceHash: hashOf(deviceId) },
        {
          $set: { lastSeenAt: at, label: deviceLabel(seen.userAgent), ...(seen.ip ? { lastIp: seen.ip } : {}) },
          ...(practiceId
            ? { $setOnInsert: { firstSeenAt: at }, $addToSet: { practiceIds: practiceId } }
            : { $setOnInsert: { firstSeenAt: at, practiceIds: [] } }),
        },
        { upsert: true },
      );
    },

    /**
     * A sign-in on a known device without a code: refresh last seen. It tags no practice: only a
     * second factor makes a device known to a practice.
     */
    async touch(userId: Types.ObjectId, deviceId: string, ip?: string): Promise<void> {
      await KnownDevice.updateOne({ userId, deviceHash: hashOf(deviceId) }, { $set: { lastSeenAt: new Date(now()), ...(ip ? { lastIp: ip } : {}) } });
    },

    /** Every device of the user (their own /account page). */
    list(userId: Types.ObjectId): Promise<KnownDevice[]> {
      return KnownDevice.find({ userId }).sort({ lastSeenAt: -1 }).lean();
    },

    /** How many of the user's devices one practice knows (its admin's user page). */
    countIn(userId: Types.ObjectId, practiceId: Types.ObjectId): Promise<number> {
      return KnownDevice.countDocuments({ userId, practiceIds: practiceId });
    },

    /** The user's own "forget this device": gone for every practice. */
    async forget(userId: Types.ObjectId, id: Types.ObjectId | string): Promise<boolean> {
      return (await KnownDevice.deleteOne({ _id: id, userId })).deletedCount === 1;
    },

    /** The user's own "forget all" (or the operator's): every device, for every practice. */
    async forgetAll(userId: Types.ObjectId): Promise<number> {
      return (await KnownDevice.deleteMany({ userId })).deletedCount;
    },

    /**
     * One practice forgets the user's devices (its admin's "forget all"): its tag is removed, a device
     * left with none is deleted; other practices still know theirs. Returns how many it knew.
     */
    async forgetIn(userId: Types.ObjectId, practiceId: Types.ObjectId): Promise<number> {
      const { modifiedCount } = await KnownDevice.updateMany({ userId, practiceIds: practiceId }, { $pull: { practiceIds: practiceId } });
      await KnownDevice.deleteMany({ userId, practiceIds: { $size: 0 } });
      return modifiedCount;
    },
  };
}

/** "Firefox on Windows": enough for a person to recognise a browser in a list. */
export function deviceLabel(userAgent = ''): string {
  const browser = /Edg\//.test(userAgent) ? 'Edge'
    : /Firefox\//.test(userAgent) ? 'Firefox'
      : /Chrome\/|Chromium\//.test(userAgent) ? 'Chrome'
        : /Safari\//.test(userAgent) ? 'Safari' : 'Browser';
  const system = /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad/.test(userAgent) ? 'iOS'
      : /Windows/.test(userAgent) ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS'
          : /Linux/.test(userAgent) ? 'Linux' : 'an unknown system';
  return `${browser} on ${system}`;
}
