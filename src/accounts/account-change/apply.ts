// Applying a change of a user's email, phone or role: the one place these fields change after an
// account exists (the admin pages, once the change is proven and approved, and the operator CLI).
//
//   compare-and-swap on the old value → links and codes that went to the old address voided →
//   every session, grant and refresh token ended (modules told by back-channel logout) →
//   audit `admin.user.updated` with before/after → notices to the old (and new) address
//
// A role change ends nothing: every admin page checks the role on each request.
import type Provider from 'oidc-provider';
import { auditedChange } from '../../audit/change.js';
import type { AuditLog } from '../../audit/record.js';
import { type AppError, appError } from '../../errors.js';
import { sendSecurityNotice, type NoticeDeps } from '../../notifications/security-notice.js';
import { endUserSessions } from '../../sessions/end-sessions.js';
import type { AccountChangeActor, AccountChangeKind } from '../../store/models/account-change.js';
import type { Models } from '../../store/models/index.js';
import type { UserRole } from '../../store/models/user.js';
import type { UserDoc } from '../service.js';
import { hinted, shown } from './record.js';
import { wordsFor } from './wording.js';
import { isDuplicateKey } from '../../store/duplicate-key.js';

export interface ApplyDeps {
  models: Models;
  audit: AuditLog;
  now: () => number;
  /** The provider, to tell modules by back-channel logout; null from the CLI (see end-sessions.ts). */
  provider: () => Provider | null;
  /** Where the notices go, and where a failed one is logged; absent from the CLI, which sends none. */
  notices?: NoticeDeps;
}

export interface ApplyInput {
  user: UserDoc;
  kind: AccountChangeKind;
  /** null removes a phone number. */
  after: string | null;
  actor: AccountChangeActor;
  /** Audit facts of the pending change this applies, if any (its id, who approved it). */
  change?: { id: string; approvedBy?: string };
  ip?: string;
  userAgent?: string;
}

export interface ApplyResult {
  before: string | null;
  after: string | null;
  sessionsEnded: number;
}

/** Throws 409 `email_taken` (nothing changed) or 409 `changed_meanwhile` when the value moved under us. */
export async function applyAccountChange(deps: ApplyDeps, input: ApplyInput): Promise<ApplyResult> {
  const { models } = deps;
  const { user, kind, after } = input;
  const before = (user[kind] as string | undefined) ?? null;
  if (before === after) return { before, after, sessionsEnded: 0 };
  if (kind === 'email' && after && (await models.User.exists({ email: after, _id: { $ne: user._id } }))) throw emailTaken();

  // Intent-first (src/audit/change.ts): no applied change without its entry.
  const about = {
    practiceId: user.practiceId, userSub: user.sub, actor: input.actor,
    ...(input.ip ? { ip: input.ip } : {}), ...(input.userAgent ? { userAgent: input.userAgent } : {}),
  };
  // An object, not a count: a bare 0 would read as "nothing changed" to auditedChange.
  const { sessionsEnded } = await auditedChange(deps.audit, 'admin.user.updated', about, async () => {
    const set = kind === 'email' ? { $set: { email: after, emailVerified: true } }
      : after === null ? { $unset: { [kind]: 1 } } : { $set: { [kind]: after as string | UserRole } };
    let swapped;
    try {
      // The role is the membership's (this practice only); email and phone are the person's.
      swapped = kind === 'role'
        ? await models.Membership.updateOne({ userId: user._id, practiceId: user.practiceId, role: before as UserRole }, { $set: { role: after as UserRole } })
        : await models.User.updateOne({ _id: user._id, [kind]: before ?? { $exists: false } }, set);
    } catch (err) {
      if (isDuplicateKey(err)) throw emailTaken();
      throw err;
    }
    if (swapped.matchedCount === 0) {
      throw appError('changed_meanwhile', { detail: `${kind} changed meanwhile` });
    }

    let ended = 0;
    if (kind !== 'role') {
      await voidOldAddressSecrets(models, user.sub);
      ended = (await endUserSessions(deps.provider(), models, user.sub)).sessions;
    }
    return { sessionsEnded: ended };
  });

  await deps.audit.record({
    ...about, event: 'admin.user.updated', outcome: 'success',
    details: {
      before: { [kind]: shown(kind, before) }, after: { [kind]: shown(kind, after) },
      ...(input.change ? { change: input.change.id, ...(input.change.approvedBy ? { approvedBy: input.change.approvedBy } : {}) } : {}),
      ...(kind === 'role' ? {} : { sessionsEnded }),
    },
  });

  if (deps.notices && kind !== 'role') await notifyApplied(deps, deps.notices, input, before);
  return { before, after, sessionsEnded };
}

/**
 * What went to the old address stops working: invitation (set-password) links, password-reset
 * codes, and sign-in codes in flight. (The phone-verification record stays: it holds the resend
 * throttle.)
 */
async function voidOldAddressSecrets(models: Models, userSub: string): Promise<void> {
  await models.PasswordToken.deleteMany({ userSub });
  const challenges = await models.OtpChallenge.find({ accountId: userSub }, { _id: 1 }).lean();
  const voided = challenges.map((challenge) => challenge._id).filter((id) => !id.startsWith('phone:'));
  if (voided.length > 0) await models.OtpChallenge.deleteMany({ _id: { $in: voided } });
}

async function notifyApplied(deps: ApplyDeps, notices: NoticeDeps, input: ApplyInput, before: string | null): Promise<void> {
  const { user, kind, after } = input;
  const practice = await deps.models.Practice.findById(user.practiceId, { name: 1, timeZone: 1 }).lean().catch(() => null);
  const common = { at: new Date(deps.now()), timeZone: practice?.timeZone ?? null, ...(input.ip ? { ip: input.ip } : {}), ...(practice?.name ? { practiceName: practice.name } : {}) };
  const words = await wordsFor(deps.models, user);
  const { t, language } = words;
  const field = words.field(kind);
  const signedOut = t('change_notices:signed_out');
  const summary = after === null
    ? t('change_notices:removed_summary', { field, before: hinted(kind, before!) })
    : before ? t('change_notices:applied_summary_from', { field, before: hinted(kind, before), after: hinted(kind, after) }) : t('change_notices:applied_summary', { field, after: hinted(kind, after) });
  // The old mailbox is told in any case: it is the one an attacker does not hold.
  await sendSecurityNotice(notices, user, { subject: t('change_notices:applied_subject', { field }), summary, details: [signedOut], language, ...common });
  if (kind === 'email' && after) {
    await sendSecurityNotice(notices, { name: user.name, email: after }, {
      subject: t('change_notices:new_address_subject'), summary: t('change_notices:new_address_summary', { address: after }), details: [signedOut], language, ...common,
    });
  }
}

function emailTaken(): AppError {
  return appError('email_taken', { detail: 'email already registered' });
}
