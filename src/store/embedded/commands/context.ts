/**
 * What every command handler receives. Handlers are synchronous on purpose: a command's
 * read-modify-write can never be split by an `await`, so each one is atomic on Node's thread.
 */
import type { Doc } from '../bson-util.js';
import type { Catalog } from '../catalog.js';
import type { Cursors } from '../cursors.js';
import { StoreError } from '../errors.js';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  /** Data lost or at risk (a damaged journal record); falls back to `warn` when absent. */
  error?(msg: string): void;
}

export interface CommandContext {
  catalog: Catalog;
  cursors: Cursors;
  /** The command's `$db`. */
  db: string;
  connectionId: number;
  now: () => number;
  logger: Logger;
}

export type Handler = (cmd: Doc, ctx: CommandContext) => Doc;

/** A collection-name argument, validated. */
export function collectionName(cmd: Doc, field: string): string {
  const name = cmd[field];
  if (typeof name !== 'string' || !name) {
    throw new StoreError(73, 'InvalidNamespace', `collection name has invalid type; '${field}' must be a non-empty string`);
  }
  return name;
}

/** A non-negative integer option, or undefined. */
export function intOption(cmd: Doc, field: string): number | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StoreError(14, 'TypeMismatch', `'${field}' must be a number`);
  }
  return Math.trunc(value);
}

/** An object option, or undefined. */
export function docOption(cmd: Doc, field: string): Doc | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new StoreError(14, 'TypeMismatch', `'${field}' must be an object`);
  }
  return value as Doc;
}
