// The user's normal pattern: networks (/24, /64) where they completed a sign-in in the last 90 days.
import type { Types } from 'mongoose';
import { networkOf, normalizeIp } from '../net/ip.js';
import { deleteIfExpired } from '../store/models/expiry.js';
import type { Models } from '../store/models/index.js';
import { NETWORK_MEMORY_DAYS } from '../store/models/sign-in-network.js';

const MEMORY_MS = NETWORK_MEMORY_DAYS * 24 * 3_600_000;

export type SignInNetworks = ReturnType<typeof createSignInNetworks>;

export function createSignInNetworks({ models, now }: { models: Models; now: () => number }) {
  const { SignInNetwork } = models;
  return {
    async seen(userId: Types.ObjectId, ip: string | undefined): Promise<boolean> {
      const network = ip && normalizeIp(ip) ? networkOf(ip) : undefined;
      if (!network) return false;
      return (await SignInNetwork.exists({ userId, network, lastSeenAt: { $gt: new Date(now() - MEMORY_MS) } })) !== null;
    },

    /** A completed sign-in from `ip`: its network is known (again) for 90 days. */
    async record(userId: Types.ObjectId, ip: string | undefined): Promise<void> {
      const address = ip ? normalizeIp(ip) : undefined;
      if (!address) return;
      const at = new Date(now());
      // A network past its 90 days is forgotten even if the TTL monitor has not deleted it yet:
      // remove it, so the upsert starts a new record (a new firstSeenAt) as if it were gone.
      await deleteIfExpired(SignInNetwork, { userId, network: networkOf(address) }, at.getTime());
      await SignInNetwork.updateOne(
        { userId, network: networkOf(address) },
        { $set: { lastIp: address, lastSeenAt: at, expiresAt: new Date(at.getTime() + MEMORY_MS) }, $setOnInsert: { firstSeenAt: at } },
        { upsert: true },
      );
    },
  };
}
