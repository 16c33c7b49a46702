// Introspection of JWT access tokens by the FHIR server they were issued for (RFC 7662 answers).
//
// oidc-provider refuses to introspect structured (JWT) tokens at all, and lets a client introspect
// only its own tokens (provider.ts). A FHIR server registered as a resource server (its own id and
// secret, resource-servers.ts) asks here about any JWT access token whose `aud` is its base URL:
// the signature is checked against our published keys, then issuer, type, audience and expiry. A
// token meant for another server, or any failure, is `{ active: false }`. Everything else (opaque
// tokens, other callers) goes on to the provider's own introspection, unchanged.
import { parse as parseQuery } from 'node:querystring';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Middleware } from 'koa';
import type { Models } from '../store/models/index.js';

export const INTROSPECTION_PATH = '/token/introspection';
const MAX_FORM_BYTES = 56 * 1024;

export interface JwtIntrospectionDeps {
  issuer: string;
  models: Pick<Models, 'Client'>;
  /** The provider's public signing keys (what /jwks serves). */
  publicJwks(): JSONWebKeySet;
  /** Compares a presented client secret with its stored hash (src/oidc/clients.ts). */
  verifySecret(storedHash: string, presented: string): boolean;
  now?: () => number;
}

export function introspectJwtAccessTokens(deps: JwtIntrospectionDeps): Middleware {
  const path = `${new URL(deps.issuer).pathname.replace(/\/$/, '')}${INTROSPECTION_PATH}`;
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== path || !ctx.is('application/x-www-form-urlencoded')) return next();
    const form = parseQuery(await readBody(ctx.req));
    // The provider reads an already-parsed body when the stream is consumed.
    (ctx.request as { body?: unknown }).body = form;
    const token = single(form.token);
    if (!token || !isJwt(token)) return next();
    const caller = credentials(ctx.get('authorization'), form);
    if (!caller) return next();
    const server = await deps.models.Client.findOne({ _id: caller.id, resourceServerUrl: { $exists: true } }).lean();
    if (!server) return next();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json';
    if (!server.active || !server.secretHash || !deps.verifySecret(server.secretHash, caller.secret)) {
      ctx.status = 401;
      ctx.body = { error: 'invalid_client', error_description: 'client authentication failed' };
      return;
    }
    ctx.body = await introspect(token, server.resourceServerUrl!, deps);
  };
}

async function introspect(token: string, audience: string, deps: JwtIntrospectionDeps): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(deps.publicJwks()), {
      issuer: deps.issuer,
      audience,
      typ: 'at+jwt',
      algorithms: ['RS256', 'ES256'],
      ...(deps.now ? { currentDate: new Date(deps.now()) } : {}),
    });
    return { ...payload, active: true, token_type: 'Bearer' };
  } catch {
    return { active: false };
  }
}

function isJwt(token: string): boolean {
  try {
    return Boolean(decodeProtectedHeader(token));
  } catch {
    return false;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret) or client_secret_post. */
function credentials(authorization: string, form: ReturnType<typeof parseQuery>): { id: string; secret: string } | undefined {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
    } catch {
      return undefined;
    }
  }
  const id = single(form.client_id);
  const secret = single(form.client_secret);
  return id && secret ? { id, secret } : undefined;
}

async function readBody(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_FORM_BYTES) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The public half of a private JWKS: only the members a public key has. */
export function publicJwksOf(jwks: { keys: Record<string, unknown>[] }): JSONWebKeySet {
  const PRIVATE = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']);
  return { keys: jwks.keys.map((key) => Object.fromEntries(Object.entries(key).filter(([name]) => !PRIVATE.has(name)))) } as JSONWebKeySet;
}
