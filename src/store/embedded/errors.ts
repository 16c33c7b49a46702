/**
 * StoreError: a command failure carrying mongod's numeric code and codeName, so the driver
 * (and mongoose) surface it as a MongoServerError exactly as a real server's error would be.
 * `extra` holds additional reply fields (e.g. keyPattern/keyValue for duplicate keys).
 */
export class StoreError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }

  /** The `{ ok: 0, errmsg, code, codeName }` reply document. */
  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The entry for a `writeErrors` array (insert/update/delete keep `ok: 1`). */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

export const badValue = (msg: string) => new StoreError(2, 'BadValue', msg);
export const failedToParse = (msg: string) => new StoreError(9, 'FailedToParse', msg);
export const typeMismatch = (msg: string) => new StoreError(14, 'TypeMismatch', msg);
export const illegalOperation = (msg: string) => new StoreError(20, 'IllegalOperation', msg);
export const namespaceNotFound = (msg: string) => new StoreError(26, 'NamespaceNotFound', msg);
export const indexNotFound = (msg: string) => new StoreError(27, 'IndexNotFound', msg);
export const cursorNotFound = (msg: string) => new StoreError(43, 'CursorNotFound', msg);
export const namespaceExists = (msg: string) => new StoreError(48, 'NamespaceExists', msg);
export const commandNotFound = (name: string) =>
  new StoreError(59, 'CommandNotFound', `no such command: '${name}'`);
export const immutableField = (msg: string) => new StoreError(66, 'ImmutableField', msg);
export const invalidOptions = (msg: string) => new StoreError(72, 'InvalidOptions', msg);
export const invalidNamespace = (msg: string) => new StoreError(73, 'InvalidNamespace', msg);
export const indexOptionsConflict = (msg: string) => new StoreError(85, 'IndexOptionsConflict', msg);
export const indexKeySpecsConflict = (msg: string) => new StoreError(86, 'IndexKeySpecsConflict', msg);
export const notImplemented = (msg: string) => new StoreError(238, 'NotImplemented', msg);
export const internalError = (msg: string) => new StoreError(1, 'InternalError', msg);
