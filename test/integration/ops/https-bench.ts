/**
 * The provider served over HTTPS exactly as main.ts serves it (loadConfig with TLS_CERT_FILE and
 * TLS_KEY_FILE → startHttpServer), with a self-signed certificate made by the openssl CLI for this
 * run, and a fetch that trusts that certificate (and nothing else extra) for the Browser and the
 * relying party: `withTrustingFetch` swaps it in for the duration of a test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestListener } from 'node:http';
import type { Connection } from 'mongoose';
import { loadConfig, type Config } from '../../../src/config/index.js';
import { createApp, type IdpApp } from '../../../src/app/create-app.js';
import { startHttpServer, type RunningServer } from '../../../src/http/listen.js';
import { openConnection } from '../../../src/store/connection.js';
import { ensureIndexes, createModels } from '../../../src/store/models/index.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

export interface Certificate {
  dir: string;
  certFile: string;
  keyFile: string;
  /** PEM */
  cert: string;
}

/** A one-day self-signed P-256 certificate for localhost and 127.0.0.1, in a fresh temp dir. */
export function makeCertificate(): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'idp-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { dir, certFile, keyFile, cert: readFileSync(certFile, 'utf8') };
}

export interface HttpsServer {
  issuer: string;
  url(path: string): string;
  port: number;
  idp: IdpApp;
  config: Config;
  connection: Connection;
  certificate: Certificate;
  running: RunningServer;
  close(): Promise<void>;
}

const quiet = { info() {}, warn() {}, error: (message: string) => console.error(message) };

export async function startHttpsServer(env: Record<string, string> = {}): Promise<HttpsServer> {
  const certificate = makeCertificate();
  const store: StoreUnderTest = await storeUnderTest();
  store.clock?.set(Date.now());
  const config = loadConfig({ env: { NODE_ENV: 'test', PORT: '0', TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: certificate.keyFile, ...env } });
  // The issuer names the port, known only once listening: the handler is attached right after.
  let handler: RequestListener = (_req, res) => res.writeHead(503).end();
  const running = await startHttpServer(config, (req, res) => handler(req, res), '127.0.0.1');
  const issuer = `https://127.0.0.1:${running.port}`;
  const connection = await openConnection(store.uri);
  await ensureIndexes(createModels(connection));
  const idp = await createApp({ config, connection, logger: quiet, issuer });
  handler = idp.app.callback();
  return {
    issuer,
    url: (path) => new URL(path, issuer).href,
    port: running.port,
    idp,
    config,
    connection,
    certificate,
    running,
    async close() {
      await running.close(1_000);
      await connection.close();
      await store.close();
      rmSync(certificate.dir, { recursive: true, force: true });
    },
  };
}

type Fetch = typeof globalThis.fetch;
type Dispatcher = object;
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/**
 * Node's fetch takes an undici `dispatcher`; the undici package is not a dependency, so its Agent
 * class is taken from Node's own global dispatcher (created by the first fetch).
 */
async function agentTrusting(ca: string, probeUrl: string): Promise<Dispatcher> {
  await fetch(probeUrl).catch(() => undefined);
  const global = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as { constructor: new (options: unknown) => Dispatcher } | undefined;
  if (!global) throw new Error('no global fetch dispatcher to build a trusting agent from');
  return new global.constructor({ connect: { ca } });
}

/** Runs `body` with a global fetch that trusts `ca` and shows every response to `onResponse`. */
export async function withTrustingFetch<T>(ca: string, probeUrl: string, onResponse: (url: string, response: Response) => void, body: () => Promise<T>): Promise<T> {
  const dispatcher = await agentTrusting(ca, probeUrl);
  const original: Fetch = globalThis.fetch;
  globalThis.fetch = (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const response = await original(input, { ...init, dispatcher } as RequestInit);
    onResponse(String(input instanceof Request ? input.url : input), response);
    return response;
  }) as Fetch;
  try {
    return await body();
  } finally {
    globalThis.fetch = original;
    await (dispatcher as { close?: () => Promise<void> }).close?.();
  }
}
