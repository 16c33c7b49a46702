// Structured JSON logs (pino), one object per line on stdout. Messages are fixed text written by
// us; anything variable goes in `fields`, where the secret-bearing keys below are replaced by
// "[redacted]" however a caller got hold of them (defence in depth: callers never pass secrets).
// `pretty` (the development default) renders the same objects as coloured single lines for a
// person at a terminal: redaction happens before formatting, so it hides the same keys.
import { pino, type DestinationStream, type Level } from 'pino';
import { prettyFactory } from 'pino-pretty';

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
  /** `json` (production, log shippers) or `pretty` (a person reading a terminal). Default json. */
  format?: LogFormat;
}

export type LogFormat = 'json' | 'pretty';

export function createLogger({ destination, level = 'info', format = 'json' }: LoggerOptions = {}): Logger {
  const options = { level, redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' } };
  const stream = format === 'pretty' ? prettyLines(destination ?? process.stdout) : destination;
  const log = stream ? pino(options, stream) : pino(options);
  return {
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}

/** Each JSON line pino writes, rendered as one readable line, synchronously (nothing lost at exit). */
function prettyLines(out: DestinationStream): DestinationStream {
  const render = prettyFactory({ translateTime: 'HH:MM:ss', ignore: 'pid,hostname', singleLine: true, colorize: process.stdout.isTTY === true });
  return { write: (line: string) => out.write(render(line)) };
}
