// The baseline provider: oidc-provider as shipped, with its in-memory adapter, one public client
// (PKCE), one confidential service client (client credentials) and an interaction handler that
// signs "bench" in at once and grants what was asked, so a token costs the library's own work only.
// Used by bench/bare-provider.ts (its own process) and bench/token-path.ts (in process).
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { TTL } from '../src/sessions/ttl.js';
import { BENCH_CLIENT, BENCH_REDIRECT, BENCH_SERVICE_CLIENT, type ServiceClient } from './fixtures.js';

export interface BareProvider {
  issuer: string;
  service: ServiceClient;
  close(): Promise<void>;
}

export async function startBareProvider(): Promise<BareProvider> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const service: ServiceClient = { clientId: BENCH_SERVICE_CLIENT, clientSecret: randomBytes(32).toString('base64url') };
  const provider = new Provider(issuer, {
    clients: [{
      client_id: BENCH_CLIENT,
      token_endpoint_auth_method: 'none',
      redirect_uris: [BENCH_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
    }, {
      client_id: service.clientId,
      client_secret: service.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
    }],
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    features: { devInteractions: { enabled: false }, clientCredentials: { enabled: true } },
    cookies: { keys: ['bench-cookie-key-not-a-secret-0123456789'] },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    // The same lifetimes and refresh rotation our provider uses.
    ttl: { ...TTL },
    rotateRefreshToken: true,
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  });

  const callback = provider.callback();
  http.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res);
    (async () => {
      const details = await provider.interactionDetails(req, res);
      const accountId = details.session?.accountId ?? 'bench';
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId, clientId: BENCH_CLIENT });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((err: Error) => {
      res.statusCode = 500;
      res.end(err.message);
    });
  });
  return {
    issuer,
    service,
    close: () => new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }),
  };
}
