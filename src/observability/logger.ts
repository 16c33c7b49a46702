// Structured JSON logs (pino), one object per line on stdout. Messages are fixed text written by
// us; anything variable goes in `fields`, where the secret-bearing keys below are replaced by
// "[redacted]" however a caller got hold of them (defence in depth: callers never pass secrets).
import { pino, type DestinationStream, type Level } from 'pino';

export type LogFields = Record<string, unknown>;

/** What the app writes to: tests pass a quiet or capturing one. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const SECRET_KEYS = [
  'password', 'newPassword', 'currentPassword', 'code', 'otp', 'token', 'secret', 'client_secret', 'clientSecret',
  'access_token', 'refresh_token', 'id_token', 'id_token_hint', 'logout_token', 'assertion', 'client_assertion',
  'code_verifier', 'state', 'nonce', 'authorization', 'cookie', 'set-cookie', 'cookies',
];

/** Each secret key at the top level, one level down, and in request/response headers. */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.map((key) => `["${key}"]`),
  ...SECRET_KEYS.map((key) => `*["${key}"]`),
  ...['authorization', 'cookie', 'set-cookie'].flatMap((key) => [`*.headers["${key}"]`, `headers["${key}"]`]),
];

export interface LoggerOptions {
  /** Default: stdout. */
  destination?: DestinationStream;
  level?: Level;
}

export function createLogger({ destination, level = 'info' }: LoggerOptions = {}): Logger {
  const options = { level, redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' } };
  const log = destination ? pino(options, destination) : pino(options);
  return {
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}
