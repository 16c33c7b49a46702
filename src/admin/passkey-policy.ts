// Passkey sign-in switches (/admin/security/passkeys, linked from the security page): whether the
// practice's users may sign in with a passkey alone, and who must sign in with a passkey or
// security key (nobody, admins, everyone). Each form is one command (src/commands/passwordless-
// allowed.ts, phishing-resistant-required.ts), the same the CLI runs; a refused change (passkeys not
// allowed as a factor, or requiring them of admins while the acting admin holds none) shows the
// page again with the sentence beside its field, nothing saved.
//
// GET  /security/passkeys                    the switches
// POST /security/passkeys/passwordless       allowed: on | (absent)
// POST /security/passkeys/phishing-resistant requiredFor: nobody | admins | everyone
import type Router from '@koa/router';
import type { Context } from 'koa';
import { nothingChanged, type Changes } from '../accounts/changes.js';
import type { AppError } from '../errors.js';
import { formErrors, mistakesOf } from '../http/form-errors.js';
import { isPhrRequiredFor, PHR_REQUIRED_FOR, type PasskeyPolicy } from '../mfa/factors/passkey-policy.js';
import { setPasswordlessAllowed, setPhishingResistantRequired } from '../commands/index.js';
import { adminActor, adminCommandDeps } from './commands.js';
import { adminOf, formMistake, formText, noticeFrom, redirectWithNotice, renderAdminPage } from './page.js';
import type { AdminSecurityDeps } from './security.js';
import { t } from '../i18n/request.js';

const PATH = '/admin/security/passkeys';
/** The notices after a save (keys in the redirect, words in locales/<lang>/admin.json). */
const NOTICES = { saved: 'admin:notices.passkeys_saved', unchanged: 'admin:notices.unchanged' };

export function registerPasskeyPolicyRoutes(router: Router, services: AdminSecurityDeps): void {
  router.get('/security/passkeys', async (ctx) => show(ctx, services, await services.accounts.passkeyPolicy(adminOf(ctx).practiceId)));

  router.post('/security/passkeys/passwordless', async (ctx) => {
    const allowed = formText(ctx, 'allowed', 5) === 'on';
    await save(ctx, services, { passwordlessAllowed: allowed }, () => setPasswordlessAllowed(adminCommandDeps(services), adminActor(ctx), adminOf(ctx).practiceId, allowed));
  });

  router.post('/security/passkeys/phishing-resistant', async (ctx) => {
    const requiredFor = formText(ctx, 'requiredFor', 10);
    if (!isPhrRequiredFor(requiredFor)) return redirectWithNotice(ctx, PATH, 'unchanged');
    await save(ctx, services, { phishingResistantRequired: requiredFor }, () => setPhishingResistantRequired(adminCommandDeps(services), adminActor(ctx), adminOf(ctx).practiceId, requiredFor));
  });
}

async function save(ctx: Context, services: AdminSecurityDeps, asked: Partial<PasskeyPolicy>, run: () => Promise<{ changes: Changes }>): Promise<void> {
  let changes;
  try {
    ({ changes } = await run());
  } catch (err) {
    const mistake = formMistake(err);
    if (!mistake) throw err;
    return show(ctx, services, { ...(await services.accounts.passkeyPolicy(adminOf(ctx).practiceId)), ...asked }, mistake);
  }
  redirectWithNotice(ctx, PATH, nothingChanged(changes) ? 'unchanged' : 'saved');
}

function show(ctx: Context, services: AdminSecurityDeps, values: PasskeyPolicy, error?: AppError): void {
  renderAdminPage(ctx, services, 'admin/passkey-policy', {
    title: t('admin:passkeys.title'),
    notice: error ? undefined : noticeFrom(ctx, NOTICES),
    mistakes: formErrors(mistakesOf(error), { passwordlessAllowed: 'passwordlessAllowed', phishingResistantRequired: 'requiredFor-nobody' }),
    values,
    requiredFor: PHR_REQUIRED_FOR,
  }, error?.status ?? 200);
}
