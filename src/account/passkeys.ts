// /account/passkeys: passkeys and security keys (WebAuthn). Listing, adding, renaming and removing
// all need a fresh second factor. Adding runs the browser's ceremony (the only script of the
// account pages, allowed by a per-response nonce) and posts its answer in an ordinary form; the
// challenge is bound to this browser session and spent by the one check. Removing the last factor
// the practice allows the user is refused.
//
//   GET  /account/passkeys                    the list (rename and remove forms)
//   GET  /account/passkeys/new?kind=passkey|security-key   the ceremony page
//   POST /account/passkeys                    the ceremony's answer and a name: saves it
//   POST /account/passkeys/:id/rename         POST /account/passkeys/:id/remove
import type Router from '@koa/router';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'koa';
import { requireSignIn, signedIn } from '../console/guard.js';
import type { AccountRouterDeps as AppServices } from './router.js';
import { allowScripts, jsonForPage, scriptNonce } from '../http/middleware/webauthn-scripts.js';
import { formatDay } from '../i18n/dates.js';
import { t } from '../i18n/request.js';
import { factorAllowed, resolveFactorPolicy } from '../mfa/factors/policy.js';
import type { AuthenticatorKind } from '../mfa/factors/webauthn/index.js';
import { auditOwnChange, formText, FRESH_FACTOR_SECONDS, notifyOwnChange, redirectWithNotice, renderAccountPage } from './page.js';

const PATH = '/account/passkeys';
const kindOf = (value: unknown): AuthenticatorKind => (value === 'security-key' ? 'security-key' : 'passkey');
const nameOf = (ctx: Context, kind: AuthenticatorKind) => formText(ctx, 'name', 64).replace(/\s+/g, ' ').trim() || (kind === 'passkey' ? t('factors:passkeys.default_name_passkey') : t('factors:passkeys.default_name_security_key'));

export function registerPasskeyRoutes(router: Router, services: AppServices): void {
  const fresh = requireSignIn(services, { maxAgeSeconds: FRESH_FACTOR_SECONDS });
  const { webauthn } = services.mfa.factors;
  const allowed = (ctx: Context) => factorAllowed(resolveFactorPolicy(signedIn(ctx).practice.factorPolicy), 'webauthn');

  router.get('/passkeys', fresh, (ctx) => showList(ctx, services));

  router.get('/passkeys/new', fresh, async (ctx) => {
    if (!allowed(ctx)) return showList(ctx, services);
    await showCeremony(ctx, services, kindOf(ctx.query.kind));
  });

  router.post('/passkeys', fresh, async (ctx) => {
    const { user, sessionUid } = signedIn(ctx);
    if (!allowed(ctx)) return showList(ctx, services);
    const kind = kindOf(formText(ctx, 'kind', 20));
    let response: RegistrationResponseJSON | undefined;
    try {
      response = JSON.parse(formText(ctx, 'response', 20_000)) as RegistrationResponseJSON;
    } catch {
      response = undefined;
    }
    const saved = response ? await webauthn.register(user, response, kind, nameOf(ctx, kind), `session:${sessionUid}`) : undefined;
    if (!saved) {
      await services.audit.record({ event: 'factor.enrolment_failed', outcome: 'failure', reasons: ['not_verified'], practiceId: user.practiceId, userSub: user.sub, details: { factor: 'webauthn' } });
      return showCeremony(ctx, services, kind, t('factors:passkeys.not_saved'));
    }
    await auditOwnChange(ctx, services, 'factor.enrolled', { factor: 'webauthn', name: saved.name, kind });
    await notifyOwnChange(ctx, services, {
      subject: t('factors:passkeys.added_subject'),
      summary: kind === 'passkey' ? t('factors:passkeys.added_summary_passkey', { name: saved.name }) : t('factors:passkeys.added_summary_security_key', { name: saved.name }),
    });
    redirectWithNotice(ctx, PATH, 'passkey');
  });

  router.post('/passkeys/:id/rename', fresh, async (ctx) => {
    const { user } = signedIn(ctx);
    const name = nameOf(ctx, 'passkey');
    const before = await webauthn.rename(user, ctx.params.id ?? '', name);
    if (!before || before.name === name) return redirectWithNotice(ctx, PATH, 'unchanged');
    await auditOwnChange(ctx, services, 'user.settings_changed', { before: { passkeyName: before.name }, after: { passkeyName: name } });
    redirectWithNotice(ctx, PATH, 'passkey-renamed');
  });

  router.post('/passkeys/:id/remove', fresh, async (ctx) => {
    const { user, practice } = signedIn(ctx);
    const id = ctx.params.id ?? '';
    const list = await webauthn.list(user);
    const target = list.find((doc) => doc._id.toHexString() === id);
    if (!target) return redirectWithNotice(ctx, PATH, 'unchanged');
    // The last factor the practice allows this user never goes (another passkey counts).
    const others = (await services.mfa.factors.registry.usableBy(user, resolveFactorPolicy(practice.factorPolicy)))
      .filter((factor) => factor.name !== 'recovery' && (factor.name !== 'webauthn' || list.length > 1));
    if (others.length === 0) return showList(ctx, services, t('factors:passkeys.last_factor'));
    if (!(await webauthn.remove(user, id))) return redirectWithNotice(ctx, PATH, 'unchanged');
    await auditOwnChange(ctx, services, 'factor.removed', { factor: 'webauthn', name: target.name });
    await notifyOwnChange(ctx, services, {
      subject: t('factors:passkeys.removed_subject'),
      summary: t('factors:passkeys.removed_summary', { name: target.name }),
    });
    redirectWithNotice(ctx, PATH, 'passkey-removed');
  });
}

async function showList(ctx: Context, services: AppServices, error?: string): Promise<void> {
  const { user, practice } = signedIn(ctx);
  const list = await services.mfa.factors.webauthn.list(user);
  renderAccountPage(ctx, services, 'passkeys', {
    title: t('factors:passkeys.title'),
    error: error ?? null,
    allowed: factorAllowed(resolveFactorPolicy(practice.factorPolicy), 'webauthn'),
    passkeys: list.map((doc) => ({
      id: doc._id.toHexString(), name: doc.name, discoverable: doc.discoverable === true,
      added: formatDay(doc.createdAt, practice.timeZone), lastUsed: doc.lastUsedAt ? formatDay(doc.lastUsedAt, practice.timeZone) : null,
    })),
  }, error ? 400 : 200);
}

async function showCeremony(ctx: Context, services: AppServices, kind: AuthenticatorKind, error?: string): Promise<void> {
  const { user, sessionUid } = signedIn(ctx);
  const options = await services.mfa.factors.webauthn.registrationOptions(user, kind, `session:${sessionUid}`);
  const nonce = scriptNonce();
  renderAccountPage(ctx, services, 'passkey-new', {
    title: kind === 'passkey' ? t('factors:passkeys.add_passkey') : t('factors:passkeys.add_security_key'), kind, error: error ?? null, nonce, optionsJson: jsonForPage(options),
  }, error ? 400 : 200);
  allowScripts(ctx, nonce);
}
