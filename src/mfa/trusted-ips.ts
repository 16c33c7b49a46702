// Trusted IP addresses and CIDR ranges, practice-wide or for one user: the one place they are added,
// listed, removed and matched. Entries are stored canonical (src/net/ip.ts); an expired entry is
// kept (so admins see it) but never matches.
import { Types } from 'mongoose';
import { type AppError, appError } from '../errors.js';
import { ipMatches, parseIpEntry, type IpRange } from '../net/ip.js';
import { rangeSize, specialRangeProblem } from '../net/special-ranges.js';
import type { Models } from '../store/models/index.js';
import type { TrustedIp } from '../store/models/trusted-ip.js';
import { t } from '../i18n/request.js';
import { isDuplicateKey } from '../store/duplicate-key.js';

/**
 * The widest range one entry may trust: an office or a hospital network fits in a /16 (IPv4) or a
 * site's /48 (IPv6); `0.0.0.0/0` or a provider's whole block would let much of the internet skip
 * the code.
 */
export const WIDEST_PREFIX = { 4: 16, 6: 48 } as const;

/**
 * The total address space one scope may trust, summed over its live entries (overlaps counted
 * twice, to stay on the safe side): 64 separate /16 entries must not add up to a quarter of a
 * provider's network. A practice (all its entries, practice-wide and personal) at most four /16s
 * or four /48s; one user's personal entries at most one /24 or one /48 (a home line's whole prefix).
 */
export const TRUST_BUDGET = {
  practice: { 4: 4n << 16n, 6: 4n << 80n },
  user: { 4: 1n << 8n, 6: 1n << 80n },
} as const;

export interface TrustedIpInput {
  practiceId: Types.ObjectId | string;
  /** A user's _id for a personal entry; absent for the whole practice. */
  userId?: Types.ObjectId | string;
  entry: string;
  description?: string;
  expiresAt?: Date;
  /** Who adds it: an admin's sub, or `cli`. */
  addedBy?: string;
}

export type TrustedIps = ReturnType<typeof createTrustedIps>;

export function createTrustedIps({ models, now, production = false }: { models: Models; now: () => number; /** Refuses loopback and documentation ranges too. */ production?: boolean }) {
  const { TrustedIp } = models;
  const active = () => ({ $or: [{ expiresAt: null }, { expiresAt: { $gt: new Date(now()) } }] });

  /** Refuses an entry that would take the practice's or the user's trusted space over its budget. */
  async function withinBudget(input: TrustedIpInput, range: IpRange): Promise<void> {
    const scopes = [
      { scope: 'practice' as const, filter: { practiceId: input.practiceId } },
      ...(input.userId ? [{ scope: 'user' as const, filter: { practiceId: input.practiceId, userId: input.userId } }] : []),
    ];
    for (const { scope, filter } of scopes) {
      const entries = await TrustedIp.find({ ...filter, ...active() }, { entry: 1 }).lean();
      const used = entries.reduce((sum, doc) => {
        const parsed = parseIpEntry(doc.entry);
        return parsed.ok && parsed.value.family === range.family ? sum + rangeSize(parsed.value) : sum;
      }, 0n);
      if (used + rangeSize(range) > TRUST_BUDGET[scope][range.family]) {
        // Said in the request's language (an admin page), English for the CLI (src/i18n/request.ts).
        throw invalid(t(`admin:ip.over_budget_${scope}`, { entry: range.text, budget: t(`admin:ip.budget.${scope}_${range.family}`) }));
      }
    }
  }

  return {
    async add(input: TrustedIpInput): Promise<TrustedIp> {
      const parsed = parseIpEntry(input.entry);
      if (!parsed.ok) throw invalid(t('admin:ip.not_trusted_entry', { reason: parsed.error }));
      if (parsed.value.prefix < WIDEST_PREFIX[parsed.value.family]) throw invalid(t('admin:ip.too_wide', { v4: WIDEST_PREFIX[4], v6: WIDEST_PREFIX[6] }));
      const special = specialRangeProblem(parsed.value, production);
      if (special) throw invalid(t('admin:ip.cannot_trust', { entry: parsed.value.text, reason: special }));
      if (input.expiresAt && input.expiresAt.getTime() <= now()) throw invalid(t('admin:ip.expiry_future'));
      // A personal entry only for a user of the same practice, whoever the caller is.
      if (input.userId && !(await models.Membership.exists({ userId: input.userId, practiceId: input.practiceId }))) {
        throw appError('user_not_in_practice', { detail: 'user of another practice' });
      }
      await withinBudget(input, parsed.value);
      try {
        const doc = await TrustedIp.create({
          practiceId: input.practiceId,
          ...(input.userId ? { userId: input.userId } : {}),
          entry: parsed.value.text,
          description: input.description?.trim() ?? '',
          ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
          ...(input.addedBy ? { addedBy: input.addedBy } : {}),
        });
        return doc.toObject();
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        throw appError('trusted_ip_exists', { detail: 'duplicate trusted IP', message: t('admin:ip.already_trusted', { entry: parsed.value.text }) });
      }
    },

    /** A practice's entries (practice-wide and every user's), or one user's only. */
    list(filter: { practiceId: Types.ObjectId | string; userId?: Types.ObjectId | string }): Promise<TrustedIp[]> {
      return TrustedIp.find({ practiceId: filter.practiceId, ...(filter.userId ? { userId: filter.userId } : {}) })
        .sort({ userId: 1, entry: 1 }).lean();
    },

    /** One entry by id, within the practice; null for an unknown id or another practice's entry. */
    async find(practiceId: Types.ObjectId | string, id: string): Promise<TrustedIp | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      return TrustedIp.findOne({ _id: id, practiceId }).lean();
    },

    /** Removes one entry by id, within the practice; returns it, or null when there was none. */
    async remove(practiceId: Types.ObjectId | string, id: string): Promise<TrustedIp | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      return TrustedIp.findOneAndDelete({ _id: id, practiceId }).lean();
    },

    /** Is `ip` trusted for this user: a live entry of the practice or of the user? */
    async matches(practiceId: Types.ObjectId, userId: Types.ObjectId, ip: string | undefined): Promise<boolean> {
      if (!ip) return false;
      const entries = await TrustedIp.find({ practiceId, userId: { $in: [null, userId] }, ...active() }, { entry: 1 }).lean();
      return ipMatches(ip, entries.map((doc) => doc.entry));
    },
  };
}

function invalid(message: string): AppError {
  return appError('invalid_input', { message });
}
