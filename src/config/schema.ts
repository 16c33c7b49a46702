// The one configuration schema: raw keys (environment names) in, a typed Config out.
// Production refuses every development default (see `productionRules`).
import { DEFAULT_SMS_REGIONS } from './sms-regions.js';
import { z } from 'zod';
import {
  argon2MinimumMemory, cookieKeys, flag, httpUrl, integer, list, proxyList, readableFile, signingKeys, text,
  type PrivateJwk,
} from './fields.js';
import { parseLimitOverrides, type LimitName, type LimitRule } from './limit-rules.js';

const rawShape = {
  NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }).default('development'),
  ISSUER: httpUrl.optional(),
  PORT: integer(0, 65_535).default(3000),
  MONGODB_URI: text.refine((uri) => /^mongodb(\+srv)?:\/\//.test(uri), 'must start with mongodb:// or mongodb+srv://').optional(),
  EMBEDDED_STORE: flag.optional(),
  DATA_DIR: text.default('./data'),
  COOKIE_KEYS: cookieKeys.optional(),
  SIGNING_KEYS: signingKeys.optional(),
  ARGON2_MEMORY_KIB: integer(1, 4_194_304).default(19_456),
  ARGON2_TIME_COST: integer(1, 100).default(2),
  ARGON2_PARALLELISM: integer(1, 64).default(1),
  SMTP_URL: text.refine((url) => /^smtps?:\/\//.test(url), 'must start with smtp:// or smtps://').optional(),
  SMTP_FROM: text.optional(),
  TWILIO_ACCOUNT_SID: text.refine((sid) => sid.startsWith('AC'), 'must start with AC').optional(),
  TWILIO_AUTH_TOKEN: text.optional(),
  TWILIO_FROM: text.optional(),
  TWILIO_API_BASE_URL: httpUrl.optional(),
  /** How long to wait for the SMS provider (default 10 s); a send without an answer counts as sent. */
  SMS_TIMEOUT_MS: integer(200, 60_000).optional(),
  TLS_CERT_FILE: readableFile.optional(),
  TLS_KEY_FILE: readableFile.optional(),
  TRUSTED_PROXIES: proxyList.default([]),
  OTP_HMAC_KEY: text.refine((key) => key.length >= 32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  /** Key the authenticator-app secrets are encrypted with (AES-256-GCM, src/mfa/factors/secret-box.ts). */
  FACTOR_SECRET_KEY: text.refine((key) => key.length >= 32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  LOCKOUT_THRESHOLD: integer(1, 100).default(10),
  LOCKOUT_MINUTES: integer(1, 24 * 60).default(15),
  CODE_MESSAGES_MAX: integer(1, 100).default(5),
  /** Regions (ISO 3166 two-letter codes) text messages may go to (src/mfa/channels/sms-destinations.ts). */
  SMS_ALLOWED_REGIONS: list.transform((codes) => codes.map((code) => code.toUpperCase()))
    .refine((codes) => codes.every((code) => /^[A-Z]{2}$/.test(code)), { error: 'must be two-letter region codes, e.g. US,CA' })
    .default([...DEFAULT_SMS_REGIONS]),
  CODE_MESSAGES_MINUTES: integer(1, 24 * 60).default(15),
  /** Abuse limit overrides, `name=points/seconds,...` (src/security/limit-rules.ts). */
  RATE_LIMITS: text.transform((value, ctx) => {
    const parsed = parseLimitOverrides(value);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
    return 'rules' in parsed ? parsed.rules : {};
  }).optional(),
  DEMO: flag.optional(),
  METRICS_TOKEN: text.refine((token) => token.length >= 32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  /** The key the audit chain and its checkpoints are keyed with (docs/audit.md). */
  AUDIT_KEY: text.refine((key) => key.length >= 32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  /** Earlier audit keys, kept to verify the entries they keyed. */
  AUDIT_PREVIOUS_KEYS: list.pipe(z.array(z.string().min(32, 'each key must be at least 32 characters'))).default([]),
  AUDIT_CHECKPOINT_MINUTES: integer(1, 24 * 60).default(15),
  /** Each checkpoint is also appended to this file (one JSON line each). */
  AUDIT_CHECKPOINT_FILE: text.optional(),
  /** Each checkpoint is also POSTed (JSON) to this URL; https in production. */
  AUDIT_CHECKPOINT_URL: httpUrl.optional(),
  /** Back-channel logout and jwks_uri calls only to public addresses (default: on in production). */
  OUTBOUND_PUBLIC_ONLY: flag.optional(),
  /** `json` for log shippers, `pretty` for a terminal; default pretty in development, json elsewhere. */
  LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
  /** `all` requests, or only `errors` (status 400 and above); default errors in development, all elsewhere. */
  LOG_REQUESTS: z.enum(['all', 'errors'], { error: 'must be all or errors' }).optional(),
  /** Where the demo modules listen on localhost, and so the redirect URIs they are registered with. */
  DEMO_CHARTING_PORT: integer(1, 65_535).default(3001),
  DEMO_BILLING_PORT: integer(1, 65_535).default(3002),
  DEMO_SMART_APP_PORT: integer(1, 65_535).default(3003),
};

/** Every key the schema knows; anything else in the JSON file is an error. */
export const CONFIG_KEYS: readonly string[] = Object.keys(rawShape);

export const rawSchema = z.strictObject(rawShape).superRefine((raw, ctx) => {
  const problem = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });

  const minimum = argon2MinimumMemory(raw.ARGON2_TIME_COST);
  // Tests may hash cheaply (hundreds of sign-ins per file); every other environment meets OWASP.
  if (raw.ARGON2_MEMORY_KIB < minimum && raw.NODE_ENV !== 'test') {
    problem('ARGON2_MEMORY_KIB', `must be at least ${minimum} KiB with ARGON2_TIME_COST=${raw.ARGON2_TIME_COST} (OWASP minimum for argon2id)`);
  }
  if (raw.MONGODB_URI && raw.EMBEDDED_STORE) problem('EMBEDDED_STORE', 'cannot be combined with MONGODB_URI');
  if (Boolean(raw.TLS_CERT_FILE) !== Boolean(raw.TLS_KEY_FILE)) {
    problem(raw.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE', 'TLS_CERT_FILE and TLS_KEY_FILE must be given together');
  }
  requireTogether(['SMTP_URL', 'SMTP_FROM'], raw, problem);
  requireTogether(['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'], raw, problem);
  if (raw.NODE_ENV === 'production') productionRules(raw, problem);
});

type Raw = z.output<typeof rawSchema>;

function requireTogether(keys: readonly (keyof Raw)[], raw: Raw, problem: (key: string, message: string) => void) {
  if (!keys.some((key) => raw[key] !== undefined)) return;
  for (const key of keys) if (raw[key] === undefined) problem(key, `is required when ${keys.filter((k) => raw[k] !== undefined).join(', ')} is set`);
}

/** In production nothing may fall back to a generated or insecure default. */
function productionRules(raw: Raw, problem: (key: string, message: string) => void) {
  if (!raw.ISSUER) problem('ISSUER', 'is required in production');
  else if (!raw.ISSUER.startsWith('https://') && !isLoopback(raw.ISSUER)) problem('ISSUER', 'must be an https URL in production (http only for localhost)');
  if (!raw.COOKIE_KEYS) problem('COOKIE_KEYS', 'is required in production (comma-separated, at least 32 characters each)');
  if (!raw.SIGNING_KEYS) problem('SIGNING_KEYS', 'is required in production (a private JWKS, or a path to one)');
  if (!raw.AUDIT_KEY) problem('AUDIT_KEY', 'is required in production (at least 32 characters; the key the audit chain is keyed with, kept outside the database)');
  if (raw.AUDIT_CHECKPOINT_URL && !raw.AUDIT_CHECKPOINT_URL.startsWith('https://')) problem('AUDIT_CHECKPOINT_URL', 'must be an https URL in production');
  if (!raw.OTP_HMAC_KEY) problem('OTP_HMAC_KEY', 'is required in production (at least 32 characters; the key one-time codes are hashed with)');
  if (!raw.FACTOR_SECRET_KEY) problem('FACTOR_SECRET_KEY', 'is required in production (at least 32 characters; the key authenticator-app secrets are encrypted with)');
  if (raw.DEMO) problem('DEMO', 'the demo practice and its public credentials are refused in production');
  if (!raw.MONGODB_URI && !raw.EMBEDDED_STORE) problem('MONGODB_URI', 'is required in production (or set EMBEDDED_STORE=true explicitly)');
}

/** http://localhost, 127.0.0.1 or [::1]: a browser on the same machine, nothing crosses a network. */
function isLoopback(url: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
}

export interface Config {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly production: boolean;
  readonly issuer: string;
  readonly port: number;
  readonly store: { readonly mongodbUri?: string; readonly embedded: boolean; readonly dataDir: string };
  /** Absent in development: generated once and kept in the store. */
  readonly cookieKeys?: readonly string[];
  /** Absent in development: generated once and kept in the store. */
  readonly signingKeys?: { readonly keys: readonly PrivateJwk[] };
  readonly argon2: { readonly memoryKiB: number; readonly timeCost: number; readonly parallelism: number };
  readonly smtp?: { readonly url: string; readonly from: string };
  readonly twilio?: { readonly accountSid: string; readonly authToken: string; readonly from: string; readonly apiBaseUrl?: string; readonly timeoutMs?: number };
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  readonly trustedProxies: readonly string[];
  readonly mfa: {
    /** Absent in development: generated once and kept in the store. */
    readonly otpHmacKey?: string;
    /** Absent in development: generated once and kept in the store. */
    readonly factorSecretKey?: string;
    /** Consecutive failed passwords and codes before the account locks (at most 100). */
    readonly lockoutThreshold: number;
    /** The first lock's length; each further lock in a streak doubles it. */
    readonly lockoutMs: number;
    /** Code messages (sign-in, resend, reset, phone verification) one user may get in `windowMs`. */
    readonly codeMessages: { readonly max: number; readonly windowMs: number };
    /** Regions text messages may go to; premium and special numbers never. */
    readonly smsRegions: readonly string[];
  };
  /** Seed the demo practice and start the demo EHR modules (development only; default on there). */
  readonly demo: boolean;
  /** Overrides of the default abuse limits (src/security/limit-rules.ts). */
  readonly rateLimits: Readonly<Partial<Record<LimitName, LimitRule>>>;
  /** GET /metrics on the main port, for a scraper presenting this bearer token; absent: no /metrics. */
  readonly metrics?: { readonly token: string };
  readonly audit: {
    /** Absent in development: generated once into <DATA_DIR>/audit-key. */
    readonly key?: string;
    readonly previousKeys: readonly string[];
    readonly checkpointMs: number;
    readonly checkpointFile?: string;
    readonly checkpointUrl?: string;
  };
  /** Outgoing calls to client URLs: public addresses only unless the client is registered internal. */
  readonly outbound: { readonly publicOnly: boolean };
  readonly log: { readonly format: 'json' | 'pretty'; readonly requests: 'all' | 'errors' };
  /** The demo modules' localhost ports (used only when `demo`). */
  readonly demoPorts: { readonly charting: number; readonly billing: number; readonly smartApp: number };
}

/** Pretty single lines for a developer's terminal; JSON wherever logs are shipped. */
export function defaultLogFormat(nodeEnv: string | undefined): 'json' | 'pretty' {
  return (nodeEnv ?? 'development') === 'development' ? 'pretty' : 'json';
}

export function toConfig(raw: Raw): Config {
  return {
    nodeEnv: raw.NODE_ENV,
    production: raw.NODE_ENV === 'production',
    issuer: raw.ISSUER ?? `http://localhost:${raw.PORT}`,
    port: raw.PORT,
    store: {
      ...(raw.MONGODB_URI ? { mongodbUri: raw.MONGODB_URI } : {}),
      embedded: !raw.MONGODB_URI,
      dataDir: raw.DATA_DIR,
    },
    ...(raw.COOKIE_KEYS ? { cookieKeys: raw.COOKIE_KEYS } : {}),
    ...(raw.SIGNING_KEYS ? { signingKeys: raw.SIGNING_KEYS } : {}),
    argon2: { memoryKiB: raw.ARGON2_MEMORY_KIB, timeCost: raw.ARGON2_TIME_COST, parallelism: raw.ARGON2_PARALLELISM },
    ...(raw.SMTP_URL && raw.SMTP_FROM ? { smtp: { url: raw.SMTP_URL, from: raw.SMTP_FROM } } : {}),
    ...(raw.TWILIO_ACCOUNT_SID && raw.TWILIO_AUTH_TOKEN && raw.TWILIO_FROM
      ? {
        twilio: {
          accountSid: raw.TWILIO_ACCOUNT_SID,
          authToken: raw.TWILIO_AUTH_TOKEN,
          from: raw.TWILIO_FROM,
          ...(raw.SMS_TIMEOUT_MS ? { timeoutMs: raw.SMS_TIMEOUT_MS } : {}),
          ...(raw.TWILIO_API_BASE_URL ? { apiBaseUrl: raw.TWILIO_API_BASE_URL } : {}),
        },
      }
      : {}),
    ...(raw.TLS_CERT_FILE && raw.TLS_KEY_FILE ? { tls: { certFile: raw.TLS_CERT_FILE, keyFile: raw.TLS_KEY_FILE } } : {}),
    trustedProxies: raw.TRUSTED_PROXIES,
    mfa: {
      ...(raw.OTP_HMAC_KEY ? { otpHmacKey: raw.OTP_HMAC_KEY } : {}),
      ...(raw.FACTOR_SECRET_KEY ? { factorSecretKey: raw.FACTOR_SECRET_KEY } : {}),
      lockoutThreshold: raw.LOCKOUT_THRESHOLD,
      lockoutMs: raw.LOCKOUT_MINUTES * 60_000,
      codeMessages: { max: raw.CODE_MESSAGES_MAX, windowMs: raw.CODE_MESSAGES_MINUTES * 60_000 },
      smsRegions: raw.SMS_ALLOWED_REGIONS,
    },
    demo: raw.DEMO ?? raw.NODE_ENV === 'development',
    rateLimits: raw.RATE_LIMITS ?? {},
    ...(raw.METRICS_TOKEN ? { metrics: { token: raw.METRICS_TOKEN } } : {}),
    audit: {
      ...(raw.AUDIT_KEY ? { key: raw.AUDIT_KEY } : {}),
      previousKeys: raw.AUDIT_PREVIOUS_KEYS,
      checkpointMs: raw.AUDIT_CHECKPOINT_MINUTES * 60_000,
      ...(raw.AUDIT_CHECKPOINT_FILE ? { checkpointFile: raw.AUDIT_CHECKPOINT_FILE } : {}),
      ...(raw.AUDIT_CHECKPOINT_URL ? { checkpointUrl: raw.AUDIT_CHECKPOINT_URL } : {}),
    },
    outbound: { publicOnly: raw.OUTBOUND_PUBLIC_ONLY ?? raw.NODE_ENV === 'production' },
    log: {
      format: raw.LOG_FORMAT ?? defaultLogFormat(raw.NODE_ENV),
      requests: raw.LOG_REQUESTS ?? (raw.NODE_ENV === 'development' ? 'errors' : 'all'),
    },
    demoPorts: { charting: raw.DEMO_CHARTING_PORT, billing: raw.DEMO_BILLING_PORT, smartApp: raw.DEMO_SMART_APP_PORT },
  };
}

