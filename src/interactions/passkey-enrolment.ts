// Registering a passkey within a sign-in, for a user whose practice requires one ("phishing-
// resistant required") and who holds none yet. The enrolment path a clinic needs without a help-desk
// call: the person proves their password and a factor they already hold (code, authenticator app,
// recovery code) as before; instead of signing them in, that only opens this page, where they
// register a passkey or security key (challenge bound to this interaction, single-use); then the
// sign-in asks for that passkey like any other, and only it completes the sign-in (acr phr). The
// registration is audited (factor.enrolled, reasons phishing_resistant_required) and the user is
// emailed, so a passkey added by someone who phished their password and code does not go unseen.
// (Deliberately simple: a practice wanting an in-person bootstrap turns the switch on only after
// its people registered passkeys from /account; docs/accounts.md.)
//
// GET  /interaction/:uid            (the mfa step) shows this page once a factor was proven
// POST /interaction/:uid/register-passkey   the ceremony's answer: saved, then the sign-in ceremony
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'koa';
import type { InteractionResults } from 'oidc-provider';
import type { UserDoc } from '../accounts/service.js';
import { formField } from '../http/middleware/form-body.js';
import { allowScripts, jsonForPage, scriptNonce } from '../http/middleware/webauthn-scripts.js';
import { renderPage } from '../http/page.js';
import { t } from '../i18n/request.js';
import type { AuthenticatorKind } from '../mfa/factors/webauthn/index.js';
import { sendSecurityNotice } from '../notifications/security-notice.js';
import { requestInfo, type InteractionDeps, type InteractionDetails } from './context.js';

const KEY = 'passkeyEnrolment';

/** The user proved a factor in this interaction: they may register a passkey here. */
export async function allowEnrolment(details: InteractionDetails, user: { sub: string }): Promise<void> {
  details.result = { ...(details.result ?? {}), [KEY]: { accountId: user.sub } } as InteractionResults;
  await details.save(details.exp - Math.floor(Date.now() / 1000));
}

export function enrolmentAllowed(details: InteractionDetails, user: { sub: string }): boolean {
  return ((details.result as Record<string, { accountId?: unknown } | undefined> | undefined)?.[KEY])?.accountId === user.sub;
}

const kindOf = (value: unknown): AuthenticatorKind => (value === 'security-key' ? 'security-key' : 'passkey');

export async function showEnrolment(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, kind: AuthenticatorKind = kindOf(ctx.query.kind), failed = false): Promise<void> {
  const options = await deps.mfa.factors.webauthn.registrationOptions(user, kind, `interaction:${details.uid}`);
  const nonce = scriptNonce();
  renderPage(ctx, deps.render, 'passkey-enrol', {
    title: t('signin:enrol.title'), uid: details.uid, kind, nonce, optionsJson: jsonForPage(options),
    error: failed ? t('signin:enrol.failed') : null,
  }, failed ? 400 : 200);
  allowScripts(ctx, nonce);
}

export async function registerPasskey(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc): Promise<void> {
  const kind = kindOf(formField(ctx.state, 'kind'));
  const about = { ...requestInfo(ctx, details), practiceId: user.practiceId.toHexString(), userSub: user.sub };
  let response: RegistrationResponseJSON | undefined;
  try {
    response = JSON.parse(formField(ctx.state, 'response')) as RegistrationResponseJSON;
  } catch {
    response = undefined;
  }
  const name = formField(ctx.state, 'name').slice(0, 64).replace(/\s+/g, ' ').trim() || (kind === 'passkey' ? t('factors:passkeys.default_name_passkey') : t('factors:passkeys.default_name_security_key'));
  const saved = response ? await deps.mfa.factors.webauthn.register(user, response, kind, name, `interaction:${details.uid}`) : undefined;
  if (!saved) {
    await deps.audit.record({ ...about, event: 'factor.enrolment_failed', outcome: 'failure', reasons: ['not_verified'], details: { factor: 'webauthn' } });
    return showEnrolment(ctx, details, deps, user, kind, true);
  }
  await deps.audit.record({ ...about, event: 'factor.enrolled', outcome: 'success', reasons: ['phishing_resistant_required'], details: { factor: 'webauthn', name: saved.name, kind } });
  const practice = await deps.models.Practice.findById(user.practiceId, { name: 1 }).lean();
  await sendSecurityNotice(deps, user, {
    subject: t('factors:passkeys.added_subject'),
    summary: kind === 'passkey' ? t('factors:passkeys.added_at_sign_in_passkey', { name: saved.name }) : t('factors:passkeys.added_at_sign_in_security_key', { name: saved.name }),
    details: [t('factors:passkeys.added_not_you')],
    ...(about.ip ? { ip: about.ip } : {}), at: new Date(deps.now()), ...(practice ? { practiceName: practice.name } : {}),
  });
  // Now the sign-in asks for the passkey just added (the mfa step's ceremony).
  ctx.status = 303;
  ctx.redirect(`/interaction/${details.uid}`);
}
