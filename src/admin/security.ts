// Practice security (/admin/security): when a one-time code is asked for, whether trusted IPs skip
// it, the idle time-out, the password policy and the practice's time zone (local times on the audit
// log; empty: the server's zone). Saved as one form; the next sign-in of every user of the
// practice follows it. Audited as admin.practice.security_changed with what changed.
//
// GET  /security   the settings
// POST /security   save them (an invalid value: the form again with a sentence, nothing saved)
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n/languages.js';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { nothingChanged } from '../accounts/changes.js';
import type { PracticeSecurity } from '../accounts/practice-security.js';
import { MIN_LENGTH_BOUNDS } from '../accounts/password-policy/index.js';
import { AppError } from '../errors.js';
import type { AppServices } from '../http/services.js';
import { SESSION_IDLE_BOUNDS, type MfaPolicy } from '../store/models/practice.js';
import { serverTimeZone } from './audit/time.js';
import { adminChange, adminOf, auditAdminAction, formMistake, formText, noticeFrom, redirectWithNotice, renderAdminPage } from './page.js';

const PATH = '/admin/security';
const NOTICES = { saved: 'Security settings saved. They apply from the next sign-in of every user.', unchanged: 'Nothing changed.' };

/** The password policy switches the page offers, in order. */
export const POLICY_SWITCHES = [
  ['requireUpper', 'An upper-case letter'],
  ['requireLower', 'A lower-case letter'],
  ['requireDigit', 'A digit'],
  ['requireSpecial', 'A symbol or punctuation mark'],
  ['rejectCommon', 'Refuse commonly used passwords'],
  ['rejectPersonal', "Refuse passwords containing the person's name or email"],
] as const;

/** The zones offered as suggestions (a datalist: no script; any name Intl knows is accepted). */
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

export function registerSecurityRoutes(router: Router, services: AppServices): void {
  router.get('/security', async (ctx) => {
    const settings = await services.accounts.practiceSecurity(adminOf(ctx).practiceId);
    showSecurity(ctx, services, formOf(settings));
  });

  router.post('/security', async (ctx) => {
    const admin = adminOf(ctx);
    const values = formValues(ctx);
    let changes;
    try {
      const current = await services.accounts.practiceSecurity(admin.practiceId);
      changes = await adminChange(ctx, services, { event: 'admin.practice.security_changed' }, () => services.accounts.setPracticeSecurity(admin.practiceId, readForm(values, current)));
    } catch (err) {
      const mistake = formMistake(err);
      if (!mistake) throw err;
      return showSecurity(ctx, services, values, mistake);
    }
    if (nothingChanged(changes)) return redirectWithNotice(ctx, PATH, 'unchanged');
    await auditAdminAction(ctx, services, { event: 'admin.practice.security_changed', details: { ...changes } });
    redirectWithNotice(ctx, PATH, 'saved');
  });
}

type SecurityForm = Record<string, string>;

function showSecurity(ctx: Context, services: AppServices, values: SecurityForm, error?: AppError): void {
  renderAdminPage(ctx, services, 'admin/security', {
    title: 'Practice security',
    notice: error ? undefined : noticeFrom(ctx, NOTICES),
    error: error?.userMessage,
    values,
    switches: POLICY_SWITCHES,
    idleBounds: SESSION_IDLE_BOUNDS,
    lengthBounds: MIN_LENGTH_BOUNDS,
    timeZones: TIME_ZONES,
    serverZone: serverTimeZone(),
    languages: LANGUAGES.map((code) => ({ code, name: LANGUAGE_NAMES[code] })),
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
  for (const [name] of POLICY_SWITCHES) form[name] = settings.passwordPolicy[name] ? 'on' : '';
  return form;
}

function formValues(ctx: Context): SecurityForm {
  const form: SecurityForm = {};
  for (const name of ['mfaPolicy', 'trustedIpsBypass', 'sessionIdleMinutes', 'minLength', ...POLICY_SWITCHES.map(([switchName]) => switchName)]) {
    form[name] = formText(ctx, name, 20).trim();
  }
  form.timeZone = formText(ctx, 'timeZone', 100).trim();
  form.language = formText(ctx, 'language', 10).trim();
  return form;
}

/** The posted form over the current settings (the maximum length is not on the page: it stays). */
function readForm(form: SecurityForm, current: PracticeSecurity): PracticeSecurity {
  const sessionIdleMinutes = wholeNumber(form.sessionIdleMinutes, `The idle time-out must be a whole number of minutes from ${SESSION_IDLE_BOUNDS.min} to ${SESSION_IDLE_BOUNDS.max}.`);
  const minLength = wholeNumber(form.minLength, `The minimum password length must be a whole number from ${MIN_LENGTH_BOUNDS.min} to ${MIN_LENGTH_BOUNDS.max}.`);
  const switches = Object.fromEntries(POLICY_SWITCHES.map(([name]) => [name, form[name] === 'on']));
  return {
    mfaPolicy: form.mfaPolicy as MfaPolicy,
    trustedIpsBypass: form.trustedIpsBypass === 'on',
    sessionIdleMinutes,
    passwordPolicy: { ...current.passwordPolicy, ...switches, minLength },
    timeZone: form.timeZone || null,
    language: (form.language || current.language) as PracticeSecurity['language'],
  };
}

function wholeNumber(text: string | undefined, message: string): number {
  if (!text || !/^\d{1,4}$/.test(text)) throw new AppError(message, { status: 400, code: 'invalid_input', userMessage: message });
  return Number(text);
}
