// Introspection of JWT access tokens by the FHIR server they were issued for (RFC 7662 answers).
//
// oidc-provider refuses to introspect structured (JWT) tokens at all, and lets a client introspect
// only its own tokens (provider.ts). A FHIR server registered as a resource server (its own id and
// secret in HTTP Basic, resource-servers.ts) asks here about any JWT access token whose `aud` is
// its base URL: the signature is checked against our published keys, then issuer, type, audience
// and expiry. A token meant for another server, an opaque token (never one for a FHIR server), or
// any failure is `{ active: false }`. Every other caller goes on to the provider, body unread.
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
    if (ctx.method !== 'POST' || ctx.path !== path) return next();
    // Only a registered FHIR server (HTTP Basic, as registered) is answered here; every other caller's
    // request goes to the provider untouched, its body unread.
    const caller = basicCredentials(ctx.get('authorization'));
    const server = caller ? await deps.models.Client.findOne({ _id: caller.id, resourceServerUrl: { $exists: true } }).lean() : null;
    if (!caller || !server) return next();
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'application/json';
    if (!server.active || !server.secretHash || !deps.verifySecret(server.secretHash, caller.secret)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Basic realm="introspection"');
      ctx.body = { error: 'invalid_client', error_description: 'client authentication failed' };
      return;
    }
    const token = ctx.is('application/x-www-form-urlencoded') ? single(parseQuery(await readBody(ctx.req)).token) : undefined;
    if (!token) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'missing required parameter token' };
      return;
    }
    // Tokens for a FHIR server are JWTs; an opaque token is never meant for one.
    ctx.body = isJwt(token) ? await introspect(token, server.resourceServerUrl!, deps) : { active: false };
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

/** client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret). */
function basicCredentials(authorization: string): { id: string; secret: string } | undefined {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
  } catch {
    return undefined;
  }
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
