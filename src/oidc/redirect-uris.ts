// What a registered redirect URI (and post-logout redirect URI) may be: RFC 6749 §3.1.2, RFC 8252,
// OAuth 2.0 Security BCP §4.1. Pure: the operator's CLI input in, a sentence out when refused.
// - absolute, no fragment at all (not even an empty `#`), no userinfo (`https://good@evil.example/`
//   reads as good.example to a person and goes to evil.example);
// - https, or http on a loopback address (a native app's or a developer's own machine);
// - a public (native) client may also use a private-use scheme named after a domain it controls,
//   reversed (`com.example.charting:/callback`, RFC 8252 §7.1); a confidential client may not,
//   and schemes without a dot (javascript:, data:, file:…) are never private-use schemes.

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** RFC 8252 §7.1: a reverse domain name, at least one dot, lowercase letters, digits, - and . */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+:$/;

export interface RedirectUriRules {
  /** A public (native) client may register private-use URI schemes. */
  nativeApp: boolean;
}

/** Returns why `uri` cannot be registered, or undefined when it can. */
export function redirectUriProblem(uri: string, { nativeApp }: RedirectUriRules): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${uri}" is not an absolute URL`;
  }
  if (uri.includes('#')) return `"${uri}" must not contain a fragment (not even an empty "#")`;
  if (url.username || url.password || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(uri)) {
    return `"${uri}" must not contain a user name or password before the host`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname) ? undefined : `"${uri}" must use https (http only for localhost)`;
  if (!PRIVATE_USE_SCHEME.test(url.protocol)) return `"${uri}" must use https (http only for localhost), or a reverse-domain scheme for a native app`;
  if (!nativeApp) return `"${uri}": private-use schemes (${url.protocol}) are for public native apps (--public) only`;
  return undefined;
}

/** Does this URI use a private-use scheme (so its client is a native app for the provider)? */
export function isPrivateUseScheme(uri: string): boolean {
  try {
    return PRIVATE_USE_SCHEME.test(new URL(uri).protocol);
  } catch {
    return false;
  }
}
