// What the operator CLI hands to src/commands/: the same services the running app builds (audit
// log, lockout, known devices, trusted IPs, the email channel for notices), built once per command
// run from the CLI's store, and session ending that tells modules by back-channel logout.
import { changePassword } from '../accounts/password-change.js';
import type { CommandDeps } from '../commands/index.js';
import { createMfa } from '../mfa/index.js';
import { endUserSessions } from '../sessions/end-sessions.js';
import type { CliContext } from './context.js';
import { logoutProviders } from './logout-provider.js';

export async function cliCommandDeps(context: Omit<CliContext, 'deps'>, log: { info(line: string): void; warn(line: string): void }): Promise<CommandDeps> {
  const { config, models, accounts } = context;
  const now = Date.now;
  const mfa = await createMfa({ config, connection: models.User.db, models, now, log: (line) => log.info(line) });
  const providerFor = logoutProviders(context, mfa, (line) => log.warn(line));
  return {
    audit: mfa.audit,
    accounts,
    endSessions: async (accountId, options) => endUserSessions(await providerFor(accountId), models, accountId, options),
    changePassword: async (input) => {
      const provider = await providerFor(input.user.sub);
      return changePassword({ accounts, models, mfa, audit: mfa.audit, now, provider: () => provider }, input);
    },
    unlock: (userId) => mfa.lockout.unlock(userId),
    forgetAll: (userId) => mfa.devices.forgetAll(userId),
    trustedIps: mfa.trustedIps,
    practiceUser: (practiceId, userId) => models.User.findOne({ _id: userId, practiceId }, { sub: 1, email: 1 }).lean(),
  };
}
