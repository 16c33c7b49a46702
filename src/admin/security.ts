// Practice security (/admin/security): when a one-time code is asked for, whether trusted IPs skip
// it, the idle time-out, the password policy and the practice's time zone (local times on the audit
// log; empty: the server's zone). Saved as one form; the next sign-in of every user of the
// practice follows it. The change is src/commands/practice-security.ts (as for the CLI's
// `practices security` and `mfa practice-policy`), audited as admin.practice.security_changed.
//
// GET  /security   the settings
// POST /security   save them (an invalid value: the form again with a sentence, nothing saved)
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n/languages.js';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { nothingChanged } from '../accounts/changes.js';
import type { PracticeSecurity } from '../accounts/practice-security.js';
import { MIN_LENGTH_BOUNDS } from '../accounts/password-policy/index.js';
import type { AppError } from '../errors.js';
import { FormErrors, formErrors, mistakesOf, type FieldMistake } from '../http/form-errors.js';
import { POLICY_FACTORS } from '../mfa/factors/factor.js';
import { isTimeZone, MFA_POLICIES, SESSION_IDLE_BOUNDS, type MfaPolicy } from '../store/models/practice.js';
import { serverTimeZone } from './audit/time.js';
import { LOGO_MAX_BYTES } from './branding/image.js';
import { confirmFirst } from './confirm/index.js';
import { confirmSecurityChange } from './confirm/practice.js';
import { setPracticeSecurity } from '../commands/index.js';
import { adminActor, adminCommandDeps, type AdminCommandSources } from './commands.js';
import { adminOf, formMistake, formText, noticeFrom, redirectWithNotice, renderAdminPage } from './page.js';

import type { Render } from '../http/render.js';
import { t } from '../i18n/request.js';
/** What this module needs from the composition root (src/app/). */
export type AdminSecurityDeps = AdminCommandSources & { render: Render };

const PATH = '/admin/security';
/** The notices after a save (keys in the redirect, words in locales/<lang>/admin.json). */
const NOTICES = {
  saved: 'admin:notices.security_saved',
  unchanged: 'admin:notices.unchanged',
  logo_saved: 'admin:notices.logo_saved',
  logo_removed: 'admin:notices.logo_removed',
};

/** The password policy switches the page offers, in order (their words: admin:security.switch.<name>). */
export const POLICY_SWITCHES = ['requireUpper', 'requireLower', 'requireDigit', 'requireSpecial', 'rejectCommon', 'rejectPersonal'] as const;

/** The zones offered as suggestions (a datalist: no script; any name Intl knows is accepted). */
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

export function registerSecurityRoutes(router: Router, services: AdminSecurityDeps): void {
  router.get('/security', async (ctx) => {
    const settings = await services.accounts.practiceSecurity(adminOf(ctx).practiceId);
    showSecurity(ctx, services, formOf(settings));
  });

  // Settings that make everyone type codes are confirmed first (./confirm/practice.ts).
  router.post('/security', confirmFirst(services, confirmSecurityChange(services)), async (ctx) => {
    const values = formValues(ctx);
    let changes;
    try {
      ({ changes } = await setPracticeSecurity(adminCommandDeps(services), adminActor(ctx), adminOf(ctx).practiceId, (current) => readForm(values, current)));
    } catch (err) {
      const mistake = formMistake(err);
      if (!mistake) throw err;
      return showSecurity(ctx, services, values, mistake);
    }
    redirectWithNotice(ctx, PATH, nothingChanged(changes) ? 'unchanged' : 'saved');
  });
}

type SecurityForm = Record<string, string>;

/** The page with its saved settings (the logo form's mistakes: branding/routes.ts). */
export async function showSecurityPage(ctx: Context, services: AdminSecurityDeps, error?: AppError): Promise<void> {
  showSecurity(ctx, services, formOf(await services.accounts.practiceSecurity(adminOf(ctx).practiceId)), error);
}

function showSecurity(ctx: Context, services: AdminSecurityDeps, values: SecurityForm, error?: AppError): void {
  renderAdminPage(ctx, services, 'admin/security', {
    title: t('admin:security.title'),
    notice: error ? undefined : noticeFrom(ctx, NOTICES),
    mistakes: formErrors(mistakesOf(error), { mfaPolicy: 'mfaPolicy-off' }),
    values,
    switches: POLICY_SWITCHES,
    factors: POLICY_FACTORS,
    idleBounds: SESSION_IDLE_BOUNDS,
    lengthBounds: MIN_LENGTH_BOUNDS,
    timeZones: TIME_ZONES,
    serverZone: serverTimeZone(),
    languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code] })),
    logoMaxKb: LOGO_MAX_BYTES / 1024,
  }, error?.status ?? 200);
}

/** Settings as form values (checkboxes: 'on' or ''). */
function formOf(settings: PracticeSecurity): SecurityForm {
  const form: SecurityForm = {
    mfaPolicy: settings.mfaPolicy,
    trustedIpsBypass: settings.trustedIpsBypass ? 'on' : '',
    sessionIdleMinutes: String(settings.sessionIdleMinutes),
    minLength: String(settings.passwordPolicy.minLength),
    timeZone: settings.timeZone ?? '',
    language: settings.language,
  };
  for (const name of POLICY_FACTORS) form[`factor_${name}`] = settings.allowedFactors.includes(name) ? 'on' : '';
  for (const name of POLICY_SWITCHES) form[name] = settings.passwordPolicy[name] ? 'on' : '';
  return form;
}

function formValues(ctx: Context): SecurityForm {
  const form: SecurityForm = {};
  for (const name of ['mfaPolicy', 'trustedIpsBypass', 'sessionIdleMinutes', 'minLength', ...POLICY_SWITCHES, ...POLICY_FACTORS.map((factor) => `factor_${factor}`), 'factorsOnForm']) {
    form[name] = formText(ctx, name, 20).trim();
  }
  form.timeZone = formText(ctx, 'timeZone', 100).trim();
  form.language = formText(ctx, 'language', 10).trim();
  return form;
}

/**
 * The posted form over the current settings (the maximum length is not on the page: it stays).
 * Every mistake at once, each tied to its field (FormErrors); the service checks them again.
 */
function readForm(form: SecurityForm, current: PracticeSecurity): PracticeSecurity {
  const mistakes: FieldMistake[] = [];
  const sessionIdleMinutes = wholeNumber(form.sessionIdleMinutes, SESSION_IDLE_BOUNDS, 'sessionIdleMinutes', t('admin:security.idle_range', SESSION_IDLE_BOUNDS), mistakes);
  const minLength = wholeNumber(form.minLength, MIN_LENGTH_BOUNDS, 'minLength', t('admin:security.min_length_range', MIN_LENGTH_BOUNDS), mistakes);
  if (!MFA_POLICIES.includes(form.mfaPolicy as MfaPolicy)) mistakes.push({ field: 'mfaPolicy', message: t('admin:security.choose_policy') });
  if (form.timeZone && !isTimeZone(form.timeZone)) {
    mistakes.push({ field: 'timeZone', message: t('admin:security.unknown_zone', { zone: form.timeZone.slice(0, 64) }) });
  }
  if (mistakes.length) throw new FormErrors(mistakes);
  const switches = Object.fromEntries(POLICY_SWITCHES.map((name) => [name, form[name] === 'on']));
  return {
    mfaPolicy: form.mfaPolicy as MfaPolicy,
    trustedIpsBypass: form.trustedIpsBypass === 'on',
    sessionIdleMinutes,
    passwordPolicy: { ...current.passwordPolicy, ...switches, minLength },
    timeZone: form.timeZone || null,
    language: (form.language || current.language) as PracticeSecurity['language'],
    // The page says it carries the factor boxes (all may be unticked, which is refused); a form
    // without them keeps the allowed factors as they are.
    allowedFactors: form.factorsOnForm === '1' ? POLICY_FACTORS.filter((name) => form[`factor_${name}`] === 'on') : current.allowedFactors,
  };
}

function wholeNumber(text: string | undefined, bounds: { min: number; max: number }, field: string, message: string, mistakes: FieldMistake[]): number {
  const value = text && /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= bounds.min && value <= bounds.max)) mistakes.push({ field, message });
  return value;
}
