// The operator CLI's deps for src/commands/: the same services the server's root builds (audit log,
// lockout, known devices, trusted IPs, the email channel for notices), built on the CLI's store on
// first use, and session ending that tells modules by back-channel logout (logout-provider.ts).
import { changePassword } from '../accounts/password-change.js';
import type { AccountService } from '../accounts/service.js';
import { resolveAuditKeys } from '../audit/keys.js';
import { createAuditLog } from '../audit/record.js';
import { withIdentityWideCopies } from '../audit/identity-wide.js';
import { activePracticesOf } from '../accounts/practice-joining.js';
import { invitationDeps, type OperatorCommandDeps } from '../commands/index.js';
import { practiceLogos } from '../admin/branding/logo-store.js';
import type { Config } from '../config/index.js';
import { createRenderer } from '../http/render.js';
import { createMfa } from '../mfa/index.js';
import { createClient, rotateClientSecret, type CreateClientInput } from '../oidc/clients.js';
import { sendAttackNotice } from '../notifications/attack-notice.js';
import type { Logger } from '../observability/logger.js';
import { endPracticeEntries, endUserSessions } from '../sessions/end-sessions.js';
import { createMemberships } from '../accounts/memberships.js';
import type { Models } from '../store/models/index.js';
import { logoutProviders } from './logout-provider.js';

export interface CliCommandSources {
  config: Config;
  models: Models;
  accounts: AccountService;
}

/** `log`: the CLI's own (informational lines hidden, warnings on stderr). */
export async function cliCommandDeps({ config, models, accounts }: CliCommandSources, log: { info(line: string): void; warn(line: string): void }): Promise<OperatorCommandDeps> {
  const now = Date.now;
  const logger = { info: log.info, warn: log.warn, error: log.warn } as unknown as Logger;
  const audit = withIdentityWideCopies(createAuditLog({ models: { AuditEntry: models.AuditEntry }, keys: resolveAuditKeys(config), now }), activePracticesOf(models));
  const render = createRenderer();
  const mfa = await createMfa({
    config, connection: models.User.db, models, now, audit, render, log: (line) => log.info(line),
    notifyAttack: (channels, notice) => sendAttackNotice(channels, models, notice, logger),
  });
  const providerFor = logoutProviders({ config, models }, { assessSignIn: mfa.assessSignIn, audit, render }, (line) => log.warn(line));
  return {
    audit,
    accounts,
    endSessions: async (accountId, options) => endUserSessions(await providerFor(accountId), models, accountId, options),
    changePassword: async (input) => {
      const provider = await providerFor(input.user.sub);
      return changePassword({ accounts, models, mfa, audit, now, logger, provider: () => provider }, input);
    },
    unlock: (userId) => mfa.lockout.unlock(userId),
    forgetDevices: (userId, practiceId) => (practiceId ? mfa.devices.forgetIn(userId, practiceId) : mfa.devices.forgetAll(userId)),
    trustedIps: mfa.trustedIps,
    ...invitationDeps({ models, now, issuer: config.issuer, mfa }),
    memberships: createMemberships({ models }),
    endEntries: async (sub, entries) => endPracticeEntries(await providerFor(sub), models, sub, entries),
    practiceUser: (practiceId, userId) => accounts.findPracticeUser(practiceId, userId),
    logos: practiceLogos(models, now),
    clients: {
      create: (input: CreateClientInput) => createClient(models, input, { publicTargetsOnly: config.outbound.publicOnly }),
      rotateSecret: (clientId) => rotateClientSecret(models, clientId),
      // A client is one document; nothing else refers to it by key (its tokens stop: the provider finds no client).
      remove: async (clientId) => (await models.Client.deleteOne({ _id: clientId })).deletedCount > 0,
    },
  };
}
