// The baseline for `npm run bench`: oidc-provider as shipped, with its in-memory adapter, one
// public client (PKCE) and an interaction handler that signs "bench" in at once and grants what
// was asked, so a code costs the library's own work only. Prints one `@bench {json}` line.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { residentMiB, serveCommands } from './child.js';
import { BENCH_CLIENT, BENCH_REDIRECT } from './fixtures.js';

const http = createServer();
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: BENCH_CLIENT,
    token_endpoint_auth_method: 'none',
    redirect_uris: [BENCH_REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
  }],
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  features: { devInteractions: { enabled: false } },
  cookies: { keys: ['bench-cookie-key-not-a-secret-0123456789'] },
  interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
  // The same lifetimes and refresh rotation our provider uses.
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

serveCommands({ issuer, clientId: BENCH_CLIENT, redirectUri: BENCH_REDIRECT, rssAtRestMiB: residentMiB() }, async (command) => {
  if (command.cmd === 'rss') return { rssMiB: residentMiB() };
  throw new Error(`unknown command ${String(command.cmd)}`);
});
process.once('SIGTERM', () => http.close(() => process.exit(0)));
