/**
 * The command table and dispatcher: picks the handler by the command's first key, refuses
 * transactions (a standalone cannot run them) and turns failures into mongod-shaped error
 * replies. Only command names and error classes are logged, never document contents.
 */
import type { Doc } from '../bson-util.js';
import { StoreError, commandNotFound, illegalOperation, internalError } from '../errors.js';
import { adminCommands } from './admin.js';
import type { CommandContext, Handler } from './context.js';
import { readCommands } from './crud-read.js';
import { writeCommands } from './crud-write.js';
import { findAndModifyCommands } from './find-and-modify.js';
import { handshakeCommands } from './handshake.js';
import { refuseCommandOptions } from './refusals.js';

const HANDLERS: Record<string, Handler> = {
  ...handshakeCommands,
  ...readCommands,
  ...writeCommands,
  ...findAndModifyCommands,
  ...adminCommands,
};

const TRANSACTION_COMMANDS = new Set(['commitTransaction', 'abortTransaction']);

export function commandName(cmd: Doc): string {
  return Object.keys(cmd)[0] ?? '';
}

/** Runs one command synchronously and returns its reply document. */
export function runCommand(cmd: Doc, ctx: CommandContext): Doc {
  const name = commandName(cmd);
  if (TRANSACTION_COMMANDS.has(name) || cmd.txnNumber !== undefined || cmd.startTransaction !== undefined || cmd.autocommit !== undefined) {
    return illegalOperation('Transaction numbers are only allowed on a replica set member or mongos').toReply();
  }
  const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!handler) {
    ctx.logger.warn(`unknown command '${name}' refused`);
    return commandNotFound(name).toReply();
  }
  try {
    refuseCommandOptions(cmd);
    return handler(cmd, ctx);
  } catch (err) {
    if (err instanceof StoreError) return err.toReply();
    // Internal failure: log where, not what (messages may quote document values).
    const frames = err instanceof Error ? (err.stack ?? '').split('\n').slice(1, 4).join(' | ') : '';
    ctx.logger.warn(`command '${name}' failed with ${err instanceof Error ? err.name : typeof err} ${frames}`);
    return internalError(`command '${name}' failed inside the embedded store`).toReply();
  }
}
