// Every URL the provider prints (discovery, JWKS, endpoint URLs, the DPoP `htu` it expects) is built
// from ISSUER. oidc-provider builds them from the request (`ctx.href`: Host, or X-Forwarded-Host from
// a trusted proxy), so a request with a forged Host would be answered with endpoints on the
// attacker's host, and a shared cache in front of us could keep that answer for everyone.
import type Provider from 'oidc-provider';

export function pinUrlsToIssuer(provider: Provider, issuer: string): void {
  const base = new URL(issuer);
  const mountPath = base.pathname.replace(/\/$/, '');
  const prototype = provider.OIDCContext.prototype as unknown as { urlFor(name: string, opt?: Record<string, unknown>): string };
  prototype.urlFor = function urlFor(name: string, opt?: Record<string, unknown>) {
    return new URL(provider.pathFor(name, { mountPath, ...opt }), base).href;
  };
}
