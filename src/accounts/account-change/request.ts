// An admin asks to change a user's email, phone or (another admin's) role. Nothing about the
// user changes yet: the old values keep working for sign-in, reset and codes. What happens now:
//
//   a newer request replaces an open one of the same kind → the change is stored (secrets as
//   hashes) → email: a confirmation link to the NEW address (a failed send withdraws the change)
//   → audit `admin.user.change_requested` → a notice to the user's CURRENT address, with a link
//   to report the change (which cancels it)
//
// A new phone number proves itself with a texted code (the caller sends it, through
// src/account/phone-verification.ts, the same code the user's own /account/phone uses).
import { auditedChange } from '../../audit/change.js';
import type { AuditLog } from '../../audit/record.js';
import type { Mfa } from '../../mfa/index.js';
import type { Models } from '../../store/models/index.js';
import type Provider from 'oidc-provider';
import { sendSecurityNotice } from '../../notifications/security-notice.js';
import type { AccountChange, AccountChangeKind } from '../../store/models/account-change.js';
import type { UserDoc } from '../service.js';
import { cancelAccountChange } from './decide.js';
import { CHANGE_RETENTION_MS, CHANGE_TTL_MS, changeDetails, hinted, newChangeId, newLinkToken, openChangesOf } from './record.js';
import { waitingFor, wordsFor } from './wording.js';

import type { Logger } from '../../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface ChangeServices {
  audit: AuditLog;
  /** The public issuer URL. */
  issuer: string;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  logger: Logger;
}


export interface Requester {
  sub: string;
  name: string;
  /** The practice's time zone, for the times in the notices (UTC when none). */
  timeZone?: string | null;
}

export interface Where {
  ip?: string;
  userAgent?: string;
}

/** Another admin's email, phone or role needs a second admin; a change to yourself does not. */
export function needsApproval(user: Pick<UserDoc, 'role' | 'sub'>, requester: Requester): boolean {
  return user.role === 'admin' && user.sub !== requester.sub;
}

/**
 * Making someone an admin needs a second admin whenever the practice has one: otherwise an admin
 * could make a second account of their own and approve their own changes to another admin with it.
 * Deactivated admins count too: an admin deactivates others alone, so counting only active ones
 * would let them clear the practice first and then promote a puppet unasked.
 */
export async function promotionNeedsApproval(services: Pick<ChangeServices, 'models'>, practiceId: UserDoc['practiceId'], requester: Requester, target?: Pick<UserDoc, 'sub'>): Promise<boolean> {
  const admins = await services.models.Membership.find({ practiceId, role: 'admin' }, { userId: 1 }).lean();
  const others = await services.models.User.countDocuments({ _id: { $in: admins.map((m) => m.userId) }, sub: { $nin: [requester.sub, ...(target ? [target.sub] : [])] } });
  return others > 0;
}

export async function requestAccountChange(
  services: ChangeServices, input: { user: UserDoc; kind: AccountChangeKind; after: string; requester: Requester; practiceName: string; where: Where; approvalNeeded?: boolean },
): Promise<AccountChange> {
  const { models } = services;
  const { user, kind, after, requester, where } = input;
  const now = services.now();
  for (const open of await openChangesOf(models, user.practiceId, user.sub, now)) {
    if (open.kind === kind) await cancelAccountChange(services, open, { reason: 'superseded', by: requester, where });
  }

  const confirm = kind === 'email' ? newLinkToken() : undefined;
  const report = newLinkToken();
  const change: AccountChange = {
    _id: newChangeId(), practiceId: user.practiceId, userSub: user.sub, kind,
    before: (user[kind] as string | undefined) ?? null, after,
    requestedBy: { sub: requester.sub, role: 'admin' }, requestedAt: new Date(now),
    proofNeeded: kind !== 'role', approvalNeeded: input.approvalNeeded ?? needsApproval(user, requester),
    ...(confirm ? { confirmHash: confirm.hash } : {}), reportHash: report.hash,
    expiresAt: new Date(now + CHANGE_TTL_MS), removeAt: new Date(now + CHANGE_RETENTION_MS),
  };
  // Intent-first (src/audit/change.ts): no pending change without its entry.
  await auditedChange(services.audit, 'admin.user.change_requested', { practiceId: user.practiceId, userSub: user.sub, actor: change.requestedBy, ...where }, async () => {
    await models.AccountChange.create(change);
    // A set-password link that went to the old address must not outlive the request (the account
    // has no password yet, so nothing else of it is in force).
    if (kind === 'email') await models.PasswordToken.deleteMany({ userSub: user.sub });

    if (confirm) {
      try {
        await sendConfirmationLink(services, input, confirm.token);
      } catch (err) {
        await models.AccountChange.deleteOne({ _id: change._id });
        throw err;
      }
    }
    return change;
  });
  await services.audit.record({
    event: 'admin.user.change_requested', outcome: 'success', practiceId: user.practiceId, userSub: user.sub,
    actor: change.requestedBy, ...where,
    details: { ...changeDetails(change), waitingFor: [...(change.proofNeeded ? ['proof'] : []), ...(change.approvalNeeded ? ['approval'] : [])] },
  });

  const reportLink = new URL(`/changes/report/${report.token}`, services.issuer).href;
  const words = await wordsFor(models, user);
  const { t } = words;
  const field = words.field(kind);
  const parts = { requester: requester.name, field, after: hinted(kind, after), ...(change.before ? { before: hinted(kind, change.before) } : {}) };
  await sendSecurityNotice(services, user, {
    subject: t('change_notices:requested_subject', { field }),
    summary: change.before ? t('change_notices:requested_summary_from', parts) : t('change_notices:requested_summary', parts),
    details: [
      waitingFor(words, {
        ...(change.proofNeeded ? { proof: kind === 'email' ? 'email' : 'phone' } as const : {}),
        ...(change.approvalNeeded ? { approval: user.role === 'admin' ? 'admin' : 'other' } as const : {}),
      }),
      t('change_notices:report', { link: reportLink }),
    ],
    language: words.language,
    ...(where.ip ? { ip: where.ip } : {}), at: new Date(now), timeZone: requester.timeZone ?? null, practiceName: input.practiceName,
  });
  return change;
}

async function sendConfirmationLink(services: ChangeServices, input: { user: UserDoc; after: string; requester: Requester; practiceName: string }, token: string): Promise<void> {
  const link = new URL(`/changes/confirm/${token}`, services.issuer).href;
  const { t, language } = await wordsFor(services.models, input.user);
  await services.mfa.channels.email.send({
    kind: 'notice',
    to: input.after,
    language,
    subject: t('change_notices:confirm_subject'),
    text: [
      t('change_notices:confirm_hello', { name: input.user.name.replace(/\s+/g, ' ').trim() }),
      t('change_notices:confirm_ask', { requester: input.requester.name, practice: input.practiceName }),
      link,
      t('change_notices:confirm_expiry'),
    ].join('\n\n'),
    practiceName: input.practiceName,
  });
}
