// The CLI's composition root: one command's configuration, store and services, built like the
// server's (services.ts) from the same constructors. src/cli/index.ts hands it to runCli.
import { createAccountService } from '../accounts/service.js';
import { createPasswordHasher } from '../accounts/password.js';
import { openCliStore, type OpenCliContext } from '../cli/context.js';
import type { OperatorCommandDeps } from '../commands/index.js';
import { loadConfig } from '../config/index.js';
import { cliCommandDeps } from './cli-commands.js';

export const openCliContext: OpenCliContext = async (env, logger) => {
  const config = loadConfig({ env });
  const { models, close } = await openCliStore(config, logger);
  const hasher = createPasswordHasher(config.argon2);
  const base = { config, models, hasher, accounts: createAccountService({ models, hasher }) };
  let deps: Promise<OperatorCommandDeps> | undefined;
  return { context: { ...base, deps: () => (deps ??= cliCommandDeps(base, logger)) }, close };
};
