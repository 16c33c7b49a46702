// Configuration: a table of environments, each either accepted (with the values it must yield) or
// refused with a message naming every bad key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'idp-config-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const JWKS = JSON.stringify({ keys: [rsa, ec] });
const KEY = 'k'.repeat(32);
const PRODUCTION = { NODE_ENV: 'production', ISSUER: 'https://id.clinic.example', COOKIE_KEYS: KEY, SIGNING_KEYS: JWKS, OTP_HMAC_KEY: 'o'.repeat(32), FACTOR_SECRET_KEY: 'f'.repeat(32), AUDIT_KEY: 'a'.repeat(32), MONGODB_URI: 'mongodb://db:27017/idp' };

const refused: { name: string; env: Record<string, string>; keys: string[] }[] = [
  { name: 'production without any of its required values', env: { NODE_ENV: 'production' }, keys: ['ISSUER', 'COOKIE_KEYS', 'SIGNING_KEYS', 'OTP_HMAC_KEY', 'FACTOR_SECRET_KEY', 'AUDIT_KEY', 'MONGODB_URI'] },
  { name: 'a short audit key, a short previous one, a checkpoint webhook over http in production', env: { ...PRODUCTION, AUDIT_KEY: 'short', AUDIT_PREVIOUS_KEYS: 'also-short', AUDIT_CHECKPOINT_URL: 'http://anchors.example/cp' }, keys: ['AUDIT_KEY', 'AUDIT_PREVIOUS_KEYS', 'AUDIT_CHECKPOINT_URL'] },
  { name: 'production over http', env: { ...PRODUCTION, ISSUER: 'http://id.clinic.example' }, keys: ['ISSUER'] },
  { name: 'a short code hashing key and a lockout threshold above 100', env: { OTP_HMAC_KEY: 'short', LOCKOUT_THRESHOLD: '101' }, keys: ['OTP_HMAC_KEY', 'LOCKOUT_THRESHOLD'] },
  { name: 'a short cookie key', env: { COOKIE_KEYS: `${KEY},short` }, keys: ['COOKIE_KEYS'] },
  { name: 'a port out of range and a non-number', env: { PORT: '70000', ARGON2_TIME_COST: 'two' }, keys: ['PORT', 'ARGON2_TIME_COST'] },
  { name: 'argon2 memory below the OWASP minimum', env: { ARGON2_MEMORY_KIB: '8192' }, keys: ['ARGON2_MEMORY_KIB'] },
  { name: 'argon2 memory fine for t=2 but not for t=1', env: { ARGON2_TIME_COST: '1' }, keys: ['ARGON2_MEMORY_KIB'] },
  { name: 'a Twilio SID without AC and missing partners', env: { TWILIO_ACCOUNT_SID: 'XX123' }, keys: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] },
  { name: 'SMTP without a sender', env: { SMTP_URL: 'smtp://mail:25' }, keys: ['SMTP_FROM'] },
  { name: 'a non-SMTP mail URL', env: { SMTP_URL: 'http://mail', SMTP_FROM: 'idp@clinic.example' }, keys: ['SMTP_URL'] },
  { name: 'a bad proxy entry', env: { TRUSTED_PROXIES: '10.0.0.0/8,10.0.0.0/33,not-an-ip' }, keys: ['TRUSTED_PROXIES'] },
  { name: 'a TLS certificate without its key, and an unreadable file', env: { TLS_CERT_FILE: '/nonexistent/cert.pem' }, keys: ['TLS_CERT_FILE', 'TLS_KEY_FILE'] },
  { name: 'signing keys that are not JSON nor a readable file', env: { SIGNING_KEYS: '/nonexistent/jwks.json' }, keys: ['SIGNING_KEYS'] },
  { name: 'signing keys without an RSA key', env: { SIGNING_KEYS: JSON.stringify({ keys: [ec] }) }, keys: ['SIGNING_KEYS'] },
  { name: 'public signing keys', env: { SIGNING_KEYS: JSON.stringify({ keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] }) }, keys: ['SIGNING_KEYS'] },
  { name: 'a bad MongoDB URI and both store choices', env: { MONGODB_URI: 'postgres://x', EMBEDDED_STORE: 'maybe' }, keys: ['MONGODB_URI', 'EMBEDDED_STORE'] },
  { name: 'an unknown NODE_ENV', env: { NODE_ENV: 'staging' }, keys: ['NODE_ENV'] },
  { name: 'a config file with unknown keys', env: { CONFIG_FILE: file('unknown.json', '{"PORT": 4000, "PROT": 1, "NODE_ENV": "production"}') }, keys: ['"PROT"', '"NODE_ENV"'] },
  { name: 'a config file that is not JSON', env: { CONFIG_FILE: file('broken.json', '{ nope') }, keys: ['CONFIG_FILE'] },
  { name: 'a bad value from the config file', env: { CONFIG_FILE: file('bad.json', '{"PORT": "x"}') }, keys: ['PORT (from CONFIG_FILE)'] },
];

describe('config: refused configurations name every bad key', () => {
  for (const { name, env, keys } of refused) {
    it(name, () => {
      let error: unknown;
      try {
        loadConfig({ env });
      } catch (err) {
        error = err;
      }
      expect(error).to.be.instanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).to.match(/^Invalid configuration:/);
      for (const key of keys) expect(message).to.include(key);
      expect((error as ConfigError).issues).to.have.length.of.at.least(keys.length);
      // Secret values are never echoed.
      for (const secret of [KEY, String(rsa.d)]) expect(message).to.not.include(secret);
    });
  }
});

describe('config: accepted configurations', () => {
  it('development defaults: embedded store, generated secrets, OWASP argon2 parameters', () => {
    const config = loadConfig({ env: {} });
    expect(config).to.deep.include({ nodeEnv: 'development', production: false, issuer: 'http://localhost:3000', port: 3000, trustedProxies: [] });
    expect(config.store).to.deep.equal({ embedded: true, dataDir: './data' });
    expect(config.cookieKeys).to.equal(undefined);
    expect(config.signingKeys).to.equal(undefined);
    expect(config.argon2).to.deep.equal({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
  });

  it('production with every required value; the result is frozen', () => {
    const config = loadConfig({ env: { ...PRODUCTION, COOKIE_KEYS: `${KEY}, ${'n'.repeat(40)}`, TRUSTED_PROXIES: '10.0.0.0/8, ::1' } });
    expect(config.production).to.equal(true);
    expect(config.store).to.deep.equal({ mongodbUri: 'mongodb://db:27017/idp', embedded: false, dataDir: './data' });
    expect(config.cookieKeys).to.deep.equal([KEY, 'n'.repeat(40)]);
    expect(config.signingKeys!.keys).to.have.length(2);
    expect(config.trustedProxies).to.deep.equal(['10.0.0.0/8', '::1']);
    expect(Object.isFrozen(config) && Object.isFrozen(config.argon2) && Object.isFrozen(config.cookieKeys)).to.equal(true);
  });

  it('logs: pretty and failed requests only in development, JSON and every request elsewhere, as configured', () => {
    expect(loadConfig({ env: {} }).log).to.deep.equal({ format: 'pretty', requests: 'errors' });
    expect(loadConfig({ env: { NODE_ENV: 'test' } }).log).to.deep.equal({ format: 'json', requests: 'all' });
    expect(loadConfig({ env: { ...PRODUCTION } }).log).to.deep.equal({ format: 'json', requests: 'all' });
    expect(loadConfig({ env: { LOG_FORMAT: 'json', LOG_REQUESTS: 'all' } }).log).to.deep.equal({ format: 'json', requests: 'all' });
  });

  it('demo module ports: 3001, 3002 and 3003 (SMART app) unless configured', () => {
    expect(loadConfig({ env: {} }).demoPorts).to.deep.equal({ charting: 3001, billing: 3002, smartApp: 3003 });
    expect(loadConfig({ env: { DEMO_CHARTING_PORT: '4001', DEMO_BILLING_PORT: '4002', DEMO_SMART_APP_PORT: '4003' } }).demoPorts).to.deep.equal({ charting: 4001, billing: 4002, smartApp: 4003 });
  });

  it('production on the embedded store only when asked explicitly', () => {
    const { MONGODB_URI: _uri, ...rest } = PRODUCTION;
    expect(loadConfig({ env: { ...rest, EMBEDDED_STORE: 'true' } }).store.embedded).to.equal(true);
  });

  it('signing keys from a file path; stronger argon2 trade-offs (t=3, 12 MiB) accepted', () => {
    const config = loadConfig({ env: { SIGNING_KEYS: file('jwks.json', JWKS), ARGON2_TIME_COST: '3', ARGON2_MEMORY_KIB: '12288' } });
    expect(config.signingKeys!.keys.map((key) => key.kty)).to.deep.equal(['RSA', 'EC']);
    expect(config.argon2.timeCost).to.equal(3);
  });

  it('a config file merged under the environment (environment wins), empty variables ignored', () => {
    const CONFIG_FILE = file('ok.json', JSON.stringify({ PORT: 4000, ISSUER: 'http://idp.local:4000', TRUSTED_PROXIES: ['127.0.0.1'] }));
    const config = loadConfig({ env: { CONFIG_FILE, PORT: '4100', DATA_DIR: '' } });
    expect(config).to.deep.include({ port: 4100, issuer: 'http://idp.local:4000', trustedProxies: ['127.0.0.1'] });
    expect(config.store.dataDir).to.equal('./data');
  });

  it('mail and SMS settings grouped when complete', () => {
    const config = loadConfig({ env: {
      SMTP_URL: 'smtp://mail:25', SMTP_FROM: 'idp@clinic.example',
      TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'token', TWILIO_FROM: '+15550001111', TWILIO_API_BASE_URL: 'http://127.0.0.1:9/',
    } });
    expect(config.smtp).to.deep.equal({ url: 'smtp://mail:25', from: 'idp@clinic.example' });
    expect(config.twilio).to.deep.equal({ accountSid: 'AC123', authToken: 'token', from: '+15550001111', apiBaseUrl: 'http://127.0.0.1:9' });
  });
});
