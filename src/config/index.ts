// Loads the configuration once at start: JSON file (CONFIG_FILE, optional) overlaid by environment
// variables, validated by one schema, frozen. Every problem is collected into one ConfigError.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { CONFIG_KEYS, rawSchema, toConfig, type Config } from './schema.js';

export type { Config } from './schema.js';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const ENV_ONLY = new Set(['NODE_ENV']);

export function loadConfig({ env = process.env, cwd = process.cwd() }: LoadConfigOptions = {}): Config {
  const issues: string[] = [];
  const fileValues = readConfigFile(env.CONFIG_FILE, cwd, issues);
  const envValues: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') envValues[key] = value;
  }

  const result = rawSchema.safeParse({ ...fileValues, ...envValues });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || 'configuration';
      const topKey = String(issue.path[0] ?? '');
      const source = topKey in fileValues && !(topKey in envValues) ? ' (from CONFIG_FILE)' : '';
      issues.push(`${key}${source}: ${issue.message}`);
    }
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);
  return deepFreeze(toConfig(result.data));
}

function readConfigFile(path: string | undefined, cwd: string, issues: string[]): Record<string, unknown> {
  if (!path?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(cwd, path.trim()), 'utf8'));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ? 'cannot be read' : 'is not valid JSON';
    issues.push(`CONFIG_FILE: "${path}" ${reason}`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    issues.push(`CONFIG_FILE: "${path}" must hold a JSON object`);
    return {};
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!CONFIG_KEYS.includes(key) || ENV_ONLY.has(key)) issues.push(`CONFIG_FILE: unknown key "${key}" in "${path}"`);
    else values[key] = value;
  }
  return values;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A start-up summary safe to log: no secret value, only whether it was given. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    nodeEnv: config.nodeEnv,
    issuer: config.issuer,
    port: config.port,
    store: config.store.mongodbUri ? 'mongodb' : `embedded (${config.store.dataDir})`,
    cookieKeys: config.cookieKeys ? `${config.cookieKeys.length} configured` : 'generated (development)',
    signingKeys: config.signingKeys ? `${config.signingKeys.keys.length} configured` : 'generated (development)',
    argon2: config.argon2,
    smtp: Boolean(config.smtp),
    sms: Boolean(config.twilio),
    tls: Boolean(config.tls),
    trustedProxies: config.trustedProxies,
    otpHmacKey: config.mfa.otpHmacKey ? 'configured' : 'generated (development)',
    lockout: { threshold: config.mfa.lockoutThreshold, minutes: config.mfa.lockoutMs / 60_000 },
    demo: config.demo ? { modulePorts: config.demoPorts } : false,
    log: config.log,
    metrics: config.metrics ? 'GET /metrics (bearer token)' : 'off',
    auditKey: config.audit.key ? `configured (+${config.audit.previousKeys.length} previous)` : 'generated (development)',
    auditCheckpoints: { minutes: config.audit.checkpointMs / 60_000, file: config.audit.checkpointFile ?? null, webhook: Boolean(config.audit.checkpointUrl) },
  };
}
