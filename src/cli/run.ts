// Dispatches `<group> <command> [options]`: help and usage errors (exit 2) need no store; a
// command opens the store, runs, and always closes it. Failures are one line on stderr (exit 1):
// the AppError's user message or the configuration's list of problems; stacks only with DEBUG=1.
import { memberships } from './memberships.js';
import { AppError, ConfigError } from '../errors.js';
import { audit } from './audit.js';
import { clients } from './clients.js';
import { commandHelp, groupHelp, parseCommandArgs, programHelp, UsageError, type CliIo, type CommandGroup } from './command.js';
import type { OpenCliContext } from './context.js';
import { keys } from './keys.js';
import { mfa } from './mfa.js';
import { practices } from './practices.js';
import { trustedIps } from './trusted-ips.js';
import { users } from './users.js';
import { resourceServers } from './resource-servers.js';

export const GROUPS: readonly CommandGroup[] = [practices, users, memberships, clients, resourceServers, keys, mfa, trustedIps, audit];

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

/** `open` builds the store and services of a command: the composition root's openCliContext. */
export async function runCli(argv: string[], io: CliIo, open: OpenCliContext): Promise<number> {
  const [groupName, commandName, ...rest] = argv;
  const all = programHelp([...GROUPS]);
  if (groupName === undefined || isHelp(groupName)) return help(io, all, groupName !== undefined);

  const group = GROUPS.find((candidate) => candidate.name === groupName);
  if (!group) return usage(io, new UsageError(`unknown command group "${groupName}"`, all));
  if (commandName === undefined || isHelp(commandName)) return help(io, groupHelp(group), commandName !== undefined);
  const command = group.commands.find((candidate) => candidate.name === commandName);
  if (!command) return usage(io, new UsageError(`unknown command "${group.name} ${commandName}"`, groupHelp(group)));

  let values;
  try {
    values = parseCommandArgs(group, command, rest);
  } catch (err) {
    if (err instanceof UsageError) return usage(io, err);
    throw err;
  }
  if (values.help) return help(io, commandHelp(group, command), true);

  const logger = { info: () => {}, warn: (message: string) => io.err(`warning: ${message}`), error: (message: string) => io.err(`error: ${message}`) };
  let opened: Awaited<ReturnType<OpenCliContext>> | undefined;
  try {
    opened = await open(io.env, logger);
    await command.run({ values, context: opened.context, io });
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return usage(io, err);
    io.err(describeFailure(err, io.env.DEBUG === '1'));
    return 1;
  } finally {
    await opened?.close().catch((err: Error) => io.err(`warning: closing the store failed: ${err.message}`));
  }
}

function help(io: CliIo, text: string, asked: boolean): number {
  if (asked) {
    io.out(text);
    return 0;
  }
  io.err(text);
  return 2;
}

function usage(io: CliIo, err: UsageError): number {
  io.err(`error: ${err.message}\n\n${err.help}`);
  return 2;
}

function describeFailure(err: unknown, debug: boolean): string {
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  if (err instanceof ConfigError) return `error: ${err.message}${stack}`;
  if (err instanceof AppError) return `error: ${err.userMessage}${stack}`;
  const message = err instanceof Error ? err.message : String(err);
  return `error: ${message.split('\n')[0]}${stack}`;
}
