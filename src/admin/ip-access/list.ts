// The rows of the IP access page: every trusted entry of one practice with the names people know
// (whose entry it is, who added it) instead of ids, and whether it still applies.
import type { Types } from 'mongoose';
import type { TrustedIps } from '../../mfa/trusted-ips.js';
import type { Models } from '../../store/models/index.js';
import { formatInstant } from '../../mfa/channels/wording.js';
import { createMemberships } from '../../accounts/memberships.js';
import { t } from '../../i18n/request.js';

export interface IpRow {
  id: string;
  entry: string;
  /** "Whole practice" or the user's name and email. */
  appliesTo: string;
  personal: boolean;
  description: string;
  addedBy: string;
  /** In the practice's time zone, as its people read a clock (UTC when it has none). */
  addedAt: string;
  /** The last minute it is trusted, the same way, or ''. */
  expires: string;
  expired: boolean;
}

export interface PracticeUser {
  id: string;
  label: string;
}

/** Users of the practice an entry can be for, by email. */
export async function practiceUsers(models: Models, practiceId: Types.ObjectId): Promise<PracticeUser[]> {
  const users = await createMemberships({ models }).findMembers(practiceId, {}, { sort: { email: 1 }, limit: 1000 });
  return users.map((user) => ({ id: String(user._id), label: `${user.name} <${user.email}>${user.active ? '' : ` ${t('admin:ip.deactivated')}`}` }));
}

export async function ipRows(deps: { models: Models; trustedIps: TrustedIps; now: () => number }, practiceId: Types.ObjectId, users: PracticeUser[], zone?: string | null): Promise<IpRow[]> {
  const entries = await deps.trustedIps.list({ practiceId });
  const labels = new Map(users.map((user) => [user.id, user.label]));
  const adderSubs = [...new Set(entries.flatMap((entry) => (entry.addedBy && entry.addedBy !== 'cli' ? [entry.addedBy] : [])))];
  const adders = new Map((await deps.models.User.find(await createMemberships(deps).inPractice(practiceId, { sub: { $in: adderSubs } }) as Record<string, unknown>, { sub: 1, email: 1 }).lean())
    .map((user) => [user.sub, user.email]));
  const now = deps.now();
  const rows = entries.map((entry): IpRow => ({
    id: String(entry._id),
    entry: entry.entry,
    appliesTo: entry.userId ? labels.get(String(entry.userId)) ?? t('admin:ip.removed_user') : t('admin:ip.whole_practice'),
    personal: Boolean(entry.userId),
    description: entry.description,
    addedBy: !entry.addedBy ? '—' : entry.addedBy === 'cli' ? t('admin:ip.operator') : adders.get(entry.addedBy) ?? t('admin:ip.former_user'),
    addedAt: formatInstant(entry.createdAt, zone),
    expires: entry.expiresAt ? formatInstant(entry.expiresAt, zone) : '',
    expired: entry.expiresAt ? entry.expiresAt.getTime() <= now : false,
  }));
  // Practice-wide entries first, then each user's.
  return rows.sort((a, b) => Number(a.personal) - Number(b.personal) || a.appliesTo.localeCompare(b.appliesTo) || a.entry.localeCompare(b.entry));
}
