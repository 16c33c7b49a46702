// Known devices: browsers that completed a two-step sign-in for a user. The browser's id comes from
// the device cookie; only its SHA-256 is stored. The user may forget one; an admin may forget all.
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Models } from '../store/models/index.js';
import type { KnownDevice } from '../store/models/known-device.js';

export type KnownDevices = ReturnType<typeof createKnownDevices>;

export const hashOf = (deviceId: string) => createHash('sha256').update(deviceId).digest('base64url');

export function createKnownDevices({ models, now }: { models: Models; now: () => number }) {
  const { KnownDevice } = models;
  return {
    async isKnown(userId: Types.ObjectId, deviceId: string | undefined): Promise<boolean> {
      if (!deviceId) return false;
      return (await KnownDevice.exists({ userId, deviceHash: hashOf(deviceId) })) !== null;
    },

    /** After a successful second factor: known from now on (first seen kept on a repeat). */
    async remember(userId: Types.ObjectId, deviceId: string, seen: { userAgent?: string; ip?: string }): Promise<void> {
      const at = new Date(now());
      await KnownDevice.updateOne(
        { userId, deviceHash: hashOf(deviceId) },
        {
          $set: { lastSeenAt: at, label: deviceLabel(seen.userAgent), ...(seen.ip ? { lastIp: seen.ip } : {}) },
          $setOnInsert: { firstSeenAt: at },
        },
        { upsert: true },
      );
    },

    /** A sign-in on a known device without a code: refresh last seen. */
    async touch(userId: Types.ObjectId, deviceId: string, ip?: string): Promise<void> {
      await KnownDevice.updateOne({ userId, deviceHash: hashOf(deviceId) }, { $set: { lastSeenAt: new Date(now()), ...(ip ? { lastIp: ip } : {}) } });
    },

    list(userId: Types.ObjectId): Promise<KnownDevice[]> {
      return KnownDevice.find({ userId }).sort({ lastSeenAt: -1 }).lean();
    },

    async forget(userId: Types.ObjectId, id: Types.ObjectId | string): Promise<boolean> {
      return (await KnownDevice.deleteOne({ _id: id, userId })).deletedCount === 1;
    },

    async forgetAll(userId: Types.ObjectId): Promise<number> {
      return (await KnownDevice.deleteMany({ userId })).deletedCount;
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
