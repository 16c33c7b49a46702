// The measured runs. Each returns named LoadResults; counts and time caps scale with BENCH_SCALE.
import { Browser } from '../test/helpers/browser.js';
import type { MailCatcher } from '../test/helpers/mail-catcher.js';
import { signIn, type RelyingParty } from '../test/helpers/rp.js';
import type { ServiceClient } from './fixtures.js';
import { SoftAuthenticator, type ExportedCredential } from '../test/helpers/soft-authenticator.js';
import { clientCredentials, emailCodeSignIn, passkeySignIn, exchangeCode, getOk, issueCode, issueRefreshToken, passwordSignIn, tokenRequest, type IssuedCode } from './flows.js';
import { runMeasured, type CpuProbe, type LoadResult } from './load.js';

export interface Knobs {
  scale: number;
  concurrency: number;
}

/** The CPU of the server under test is asked before and after every run. */
type Probed = { cpu: CpuProbe };

const n = (k: Knobs, count: number) => Math.max(1, Math.round(count * k.scale));
const cap = (k: Knobs, seconds: number) => seconds * 1000 * k.scale;

export async function signInRuns(k: Knobs & Probed, rp: RelyingParty, users: string[], password: string): Promise<Record<string, LoadResult>> {
  const results: Record<string, LoadResult> = {};
  const userFor = (list: string[], w: number) => list[w % list.length]!;
  results['password sign-in, 1 user'] = await runMeasured(k.cpu, n(k, 15), 1, cap(k, 10), (w) => passwordSignIn(rp, userFor(users, w), password));
  results[`password sign-in, ${k.concurrency} users`] = await runMeasured(k.cpu, n(k, 60), k.concurrency, cap(k, 15), (w) => passwordSignIn(rp, userFor(users, w), password));
  return results;
}

/** The code is read from the SMTP catcher the server delivers to. */
export async function emailCodeRuns(k: Knobs & Probed, rp: RelyingParty, users: string[], password: string, mail: MailCatcher): Promise<Record<string, LoadResult>> {
  const results: Record<string, LoadResult> = {};
  const userFor = (w: number) => users[w % users.length]!;
  results['email-code sign-in, 1 user'] = await runMeasured(k.cpu, n(k, 8), 1, cap(k, 10), (w) => emailCodeSignIn(rp, mail, userFor(w), password));
  results[`email-code sign-in, ${k.concurrency} users`] = await runMeasured(k.cpu, n(k, 30), k.concurrency, cap(k, 15), (w) => emailCodeSignIn(rp, mail, userFor(w), password));
  return results;
}

/**
 * Passwordless passkey sign-ins (a software authenticator in this process signs real ES256
 * assertions): one authenticator per user, so concurrent workers never share a signature counter.
 * `toggle` turns the practice's "passwordless allowed" on for these runs only.
 */
export async function passkeyRuns(k: Knobs & Probed, rp: RelyingParty, issuer: string, passkeys: ExportedCredential[], toggle: (on: boolean) => Promise<void>): Promise<Record<string, LoadResult>> {
  const authenticators = passkeys.map((exported) => {
    const soft = new SoftAuthenticator(new URL(issuer).origin);
    soft.adopt(exported);
    return soft;
  });
  const results: Record<string, LoadResult> = {};
  await toggle(true);
  try {
    results['passkey sign-in (passwordless), 1 user'] = await runMeasured(k.cpu, n(k, 15), 1, cap(k, 10), (w) => passkeySignIn(rp, authenticators[w % authenticators.length]!));
    results[`passkey sign-in (passwordless), ${k.concurrency} users`] = await runMeasured(k.cpu, n(k, 60), k.concurrency, cap(k, 15), (w) => passkeySignIn(rp, authenticators[w % authenticators.length]!));
  } finally {
    await toggle(false);
  }
  // The authenticators' counters moved: the next round starts from them.
  for (const [i, soft] of authenticators.entries()) passkeys[i]!.counter = soft.credentials[0]!.counter;
  return results;
}

/**
 * Token endpoint and discovery on either server. `login` gives a browser a session (a password
 * sign-in on ours, the immediate interaction on the bare one); codes are then issued silently.
 */
export async function endpointRuns(k: Knobs & Probed, rp: RelyingParty, service: ServiceClient, login: (browser: Browser) => Promise<void>): Promise<Record<string, LoadResult>> {
  const results: Record<string, LoadResult> = {};
  const browsers = Array.from({ length: k.concurrency }, () => new Browser());
  for (const browser of browsers) await login(browser);

  // Codes live 60 s: issue a batch, then exchange it at once.
  const codes: IssuedCode[] = [];
  const issuing = await runMeasured(k.cpu, n(k, 200), k.concurrency, cap(k, 20), async (w) => codes.push(await issueCode(browsers[w]!, rp)));
  results[`silent authorize (SSO, code issued), ${k.concurrency} in flight`] = issuing;
  results[`token: code exchange, ${k.concurrency} in flight`] = await runMeasured(k.cpu, codes.length, k.concurrency, cap(k, 20), (_w, i) => exchangeCode(rp, codes[i]!));

  const chains: string[] = [];
  for (const browser of browsers) chains.push(await issueRefreshToken(browser, rp));
  results[`token: refresh rotation, ${k.concurrency} in flight`] = await runMeasured(k.cpu, n(k, 300), k.concurrency, cap(k, 15), async (w) => {
    const answer = await tokenRequest(rp, { grant_type: 'refresh_token', refresh_token: chains[w]! });
    chains[w] = String(answer.refresh_token);
  });

  results[`token: client credentials, ${k.concurrency} in flight`] = await runMeasured(k.cpu, n(k, 600), k.concurrency, cap(k, 10), () => clientCredentials(rp, service));

  const metadata = rp.config.serverMetadata();
  const discovery = new URL('/.well-known/openid-configuration', metadata.issuer).href;
  results[`discovery, ${k.concurrency} in flight`] = await runMeasured(k.cpu, n(k, 1500), k.concurrency, cap(k, 5), () => getOk(discovery));
  results[`jwks, ${k.concurrency} in flight`] = await runMeasured(k.cpu, n(k, 1500), k.concurrency, cap(k, 5), () => getOk(metadata.jwks_uri!));
  return results;
}

/** Our provider's session for a benchmark browser: one password sign-in. */
export const ourLogin = (rp: RelyingParty, email: string, password: string) => async (browser: Browser) => {
  await signIn(browser, rp, email, password);
};

/** The bare provider signs in at the interaction: one authorization gives the session. */
export const bareLogin = (rp: RelyingParty) => async (browser: Browser) => {
  await issueCode(browser, rp);
};
