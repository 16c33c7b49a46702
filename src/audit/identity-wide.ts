// Identity-wide events in every practice's log. One person (an identity) may be a member of several
// practices; a change to what they all share (password, second factors, mobile number, the account
// lock) matters to each practice's admin, who reads only their own practice's entries. So such an
// entry is recorded once for the practice it happened in and once more for every other practice
// the identity is an active member of, each copy an ordinary entry of the one hash chain (so every
// practice's chain view verifies as before). A copy names no other practice and no other
// practice's admin: an admin actor is reduced to the role (without the address and browser it
// acted from), and its reasons say `identity_wide`.
import type { AuditEntry } from '../store/models/audit-entry.js';
import type { AuditEvent } from './events.js';
import type { AuditInput, AuditLog } from './record.js';

/** What belongs to the identity rather than to one membership. */
export const IDENTITY_WIDE_EVENTS: ReadonlySet<AuditEvent> = new Set<AuditEvent>([
  'password.changed',
  'password.reset.completed',
  'factor.enrolled',
  'factor.removed',
  'phone.verified',
  'account.locked',
  'account.unlocked',
]);

/** The practices (hex ids) where `userSub` is an active member. */
export type ActivePracticesOf = (userSub: string) => Promise<string[]>;

const hex = (id: AuditInput['practiceId']) => (id === undefined ? undefined : typeof id === 'string' ? id : id.toHexString());

export function withIdentityWideCopies(audit: AuditLog, activePracticesOf: ActivePracticesOf): AuditLog {
  /** The input, then one copy for each other practice the person is active in. */
  async function withCopies(input: AuditInput): Promise<AuditInput[]> {
    if (!input.userSub || input.outcome === 'failure' || !IDENTITY_WIDE_EVENTS.has(input.event)) return [input];
    const here = hex(input.practiceId);
    const { actor, ip, userAgent, ...rest } = input;
    // An admin of this practice acted: the other practices' logs learn the role only, not the
    // address and browser that admin works from. The person's own action keeps them (theirs).
    const source = actor?.role === 'admin' ? {} : { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
    const copies = (await activePracticesOf(input.userSub)).filter((practiceId) => practiceId !== here).map((practiceId): AuditInput => ({
      ...rest, ...source, practiceId,
      ...(actor ? { actor: actor.role === 'admin' ? { sub: 'admin', role: 'admin' } : actor } : {}),
      reasons: [...(input.reasons ?? []), 'identity_wide'],
    }));
    return [input, ...copies];
  }

  async function recordAll(inputs: AuditInput[]): Promise<AuditEntry[]> {
    const groups = await Promise.all(inputs.map(withCopies));
    // One append for all (their order kept); the caller gets the entries of its own inputs.
    const entries = await audit.recordAll(groups.flat());
    const originals: AuditEntry[] = [];
    let at = 0;
    for (const group of groups) {
      originals.push(entries[at]!);
      at += group.length;
    }
    return originals;
  }

  return {
    keys: audit.keys,
    recordAll,
    record: async (input) => (await recordAll([input]))[0]!,
  };
}
