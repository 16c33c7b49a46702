// GET /admin/users/:id: the user's page: profile and access as they are now, the changes waiting
// for a proof or a second admin, and the account actions (unlock, devices, sessions, deactivate).
// Changing the profile or the access opens its own page, which asks for a fresh second factor.
import type { Context } from 'koa';
import { openChangesOf, waitingFor } from '../../accounts/account-change/record.js';
import type { UserDoc } from '../../accounts/service.js';
import type { AppError } from '../../errors.js';
import { signedIn } from '../../console/guard.js';
import { formatInstant } from '../../mfa/channels/wording.js';
import type { Mfa } from '../../mfa/index.js';
import type { Models } from '../../store/models/index.js';
import { adminOf, noticeFrom, renderAdminPage } from '../page.js';
import { describeChange } from './change-view.js';
import { factorsOf } from './factors.js';
import { isInvitedHere, showInvited } from './invited.js';
import { sharedWithAnotherPractice } from './shared-identity.js';
import { targetUser, userPath, USER_NOTICES } from './target.js';

import type { AccountService } from '../../accounts/service.js';
import type { Render } from '../../http/render.js';
import type { AuditLog } from '../../audit/record.js';
import { userMessageOf } from '../../i18n/errors.js';
/** What this module needs from the composition root (src/app/). */
export interface UsersOverviewDeps {
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  accounts: AccountService;
  audit: AuditLog;
  render: Render;
}

export async function showUser(ctx: Context, services: UsersOverviewDeps, shown?: { user: UserDoc; error: AppError }): Promise<void> {
  if (!shown && (await isInvitedHere(services.models, adminOf(ctx).practiceId, ctx.params.id))) return showInvited(ctx, services);
  const user = shown?.user ?? (await targetUser(ctx, services));
  const admin = adminOf(ctx);
  const zone = signedIn(ctx).practice.timeZone;
  const lock = services.mfa.lockout.report(user);
  const devices = await services.mfa.devices.list(user._id);
  const changes = await openChangesOf(services.models, user.practiceId, user.sub, services.now());
  renderAdminPage(ctx, services, 'admin/user-edit', {
    title: user.name,
    notice: shown ? undefined : noticeFrom(ctx, USER_NOTICES),
    error: shown ? userMessageOf(shown.error) : undefined,
    path: userPath(user),
    isSelf: String(user._id) === admin.userId,
    identityShared: await sharedWithAnotherPractice(services.models, admin.practiceId, String(user._id)),
    factors: await factorsOf(services, user, zone),
    changes: changes.map((change) => ({ ...describeChange(change, admin), path: `${userPath(user)}/changes/${change._id}`, waitingFor: waitingFor(change) })),
    user: {
      name: user.name,
      email: user.email,
      phone: user.phone ?? null,
      role: user.role,
      active: user.active,
      hasPhone: Boolean(user.phone),
      mfaEnabled: user.mfaEnabled,
      mfaChannel: user.mfaChannel,
      locked: lock.locked,
      lockedUntil: lock.retryAt ? formatInstant(new Date(lock.retryAt), zone) : undefined,
      lockedUntilUnlock: lock.locked && !lock.retryAt,
      underAttack: lock.underAttack,
      unfamiliarRetryAt: lock.unfamiliarRetryAt ? formatInstant(new Date(lock.unfamiliarRetryAt), zone) : undefined,
      failedAttempts: { familiar: lock.familiarFailures, unfamiliar: lock.unfamiliarFailures },
      knownDevices: devices.length,
    },
  }, shown?.error.status ?? 200);
}
