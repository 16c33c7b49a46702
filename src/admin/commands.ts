// What the admin pages hand to src/commands/: the signed-in admin as actor (their practice, their
// address, their browser session) and, as the commands' narrow deps, the services the composition
// root (src/app/) gives the admin router.
import type { Context } from 'koa';
import { changePassword, type AccountsPasswordChangeDeps } from '../accounts/password-change.js';
import { invitationDeps, type AdminActor, type CommandDeps } from '../commands/index.js';
import { signedIn } from '../console/guard.js';
import { endPracticeEntries, endUserSessions } from '../sessions/end-sessions.js';
import { createMemberships } from '../accounts/memberships.js';
import { adminOf, requestWhere } from './page.js';
import { practiceLogos } from './branding/logo-store.js';

/** What the commands are built from (a subset of the root's services). */
export type AdminCommandSources = AccountsPasswordChangeDeps & { issuer: string };

export function adminActor(ctx: Context): AdminActor {
  const admin = adminOf(ctx);
  return { kind: 'admin', sub: admin.sub, userId: admin.userId, practiceId: admin.practiceId, ...requestWhere(ctx), sessionUid: signedIn(ctx).sessionUid };
}

export function adminCommandDeps(services: AdminCommandSources): CommandDeps {
  return {
    audit: services.audit,
    accounts: services.accounts,
    endSessions: (accountId, options) => endUserSessions(services.provider(), services.models, accountId, options),
    changePassword: (input) => changePassword(services, input),
    unlock: (userId) => services.mfa.lockout.unlock(userId),
    forgetDevices: (userId, practiceId) => (practiceId ? services.mfa.devices.forgetIn(userId, practiceId) : services.mfa.devices.forgetAll(userId)),
    trustedIps: services.mfa.trustedIps,
    ...invitationDeps(services),
    memberships: createMemberships(services),
    endEntries: (sub, entries) => endPracticeEntries(services.provider(), services.models, sub, entries),
    practiceUser: (practiceId, userId) => services.accounts.findPracticeUser(practiceId, userId),
    logos: practiceLogos(services.models, services.now),
  };
}
